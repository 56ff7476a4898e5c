"""Faster CPU decoding for models whose linear weights lie exactly on a 4-bit grid, such as the bundled SmolLM2.

The bundled model ships as a Q4_1 GGUF: every 32 weights of a row share one scale and one offset, with 16 levels
between. Its float32 conversion keeps those values exactly, so they can be packed back into 4-bit codes without
changing a single weight. Decoding one token reads every weight once; at 4 bits instead of 32 it reads about a
quarter of the bytes. torch's CPU int4 kernel takes bfloat16 inputs, so each linear layer rounds its input to
bfloat16 (the residual stream, norms, attention and the output layer stay float32). `bench/generation.py` measures
the speed and how often greedy output still matches float32 token for token.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from llmcompare.config import LOCAL_PRECISIONS as PRECISIONS

T = TypeVar("T")

GROUP = 32
# Below this, a re-packed weight is the same number: a Q4_1 grid comes back exactly, any trained weight does not.
EXACT_TOLERANCE = 1e-6


def in_fresh_thread(work: Callable[[], T], name: str = "llmcompare-load") -> T:
    """Run work in a new thread that ends with it; return its result or raise its error.

    torch's OpenMP runtime (libgomp) keeps helper threads for every thread that has run parallel work, as long as
    that thread lives. Once the helpers of two such threads outnumber the cores, libgomp stops spinning between
    parallel regions, and on 2 cores generation in its worker thread ran at half speed after the loading thread
    (the main one, in the CLI) had used torch. Heavy torch work outside generation goes through here.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed to the caller, who sees it as if work() had run there
            outcome["error"] = exc

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


class CoreShare:
    """Splits torch's CPU threads between the local generations running at once.

    Two playground sides on local models each asked torch for every core, so on 2 cores four busy threads fought
    over two (23 tokens/s a side in the app); one thread each gave 28. Each generation joins for as long as it runs
    and calls `rebalance` between tokens, so one that started alone gives up threads when another starts, and takes
    them back when it ends. torch's thread count is per thread here, and new threads start from the last value set.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self.base: int | None = None  # the process's thread count, set when a model loads; None: torch's own

    def share(self) -> int:
        """Threads each running generation should use now."""
        import torch

        base = self.base or torch.get_num_threads()
        return max(1, base // max(1, self._active))

    def rebalance(self) -> None:
        """Set the calling generation thread to its share, if it is not there already."""
        import torch

        want = self.share()
        if torch.get_num_threads() != want:
            torch.set_num_threads(want)

    @contextmanager
    def taking_part(self) -> Iterator[Callable[[], None]]:
        """While a generation runs in this thread: counted, set to its share; yields `rebalance` for each step."""
        import torch

        if self.base is None:
            self.base = torch.get_num_threads()
        with self._lock:
            self._active += 1
        try:
            self.rebalance()
            yield self.rebalance
        finally:
            with self._lock:
                self._active -= 1
            torch.set_num_threads(self.base)  # what threads started after this one inherit


CORES = CoreShare()


def int4_kernel_available() -> bool:
    """Whether this CPU has the bfloat16 instructions that make torch's int4 kernel fast (elsewhere it is slower)."""
    import torch

    has_op = hasattr(torch.ops.aten, "_weight_int4pack_mm_for_cpu")
    bf16_check = getattr(torch.cpu, "_is_avx512_bf16_supported", None)
    return has_op and bf16_check is not None and bool(bf16_check())


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run torch on one thread for a while: two threads on two busy cores made packing 20x slower, not faster."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def int4_mm(x: Any, packed: Any, scales_and_zeros: Any) -> Any:
    """x [rows, in] times packed 4-bit weights, through torch's CPU int4 kernel: x rounded to bfloat16, out bfloat16."""
    import torch

    return torch.ops.aten._weight_int4pack_mm_for_cpu(x.to(torch.bfloat16), packed, GROUP, scales_and_zeros)


def _int4_linear_class() -> type:
    import torch
    from torch import nn

    class Int4Linear(nn.Module):
        """A Linear with 4-bit weights, a bfloat16 scale and offset per 32 inputs; computes in bfloat16."""

        def __init__(self, packed: torch.Tensor, scales_and_zeros: torch.Tensor, bias: torch.Tensor | None) -> None:
            super().__init__()
            self.out_features = scales_and_zeros.shape[1]
            self.register_buffer("packed", packed)
            self.register_buffer("scales_and_zeros", scales_and_zeros)
            self.bias = None if bias is None else nn.Parameter(bias.detach().clone(), requires_grad=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = int4_mm(x.reshape(-1, x.shape[-1]), self.packed, self.scales_and_zeros)
            out = out.view(*x.shape[:-1], self.out_features).to(x.dtype)
            return out if self.bias is None else out + self.bias

    return Int4Linear


def pack_int4(weight: Any) -> tuple[Any, Any, float] | None:
    """(packed codes, scales and zeros, largest change of a weight relative to the largest weight) for [out, in].

    None when the shape does not pack. In-place steps keep this under two seconds for the bundled model.
    """
    import torch

    rows, cols = weight.shape
    if cols % GROUP or rows % 8:
        return None
    groups = weight.detach().float().reshape(rows, cols // GROUP, GROUP)
    low, high = groups.amin(-1), groups.amax(-1)
    scale = ((high - low) / 15).clamp_min(torch.finfo(torch.float32).tiny)
    levels = (groups - low[..., None]).div_(scale[..., None])
    codes = levels.round()
    # How far each weight is from its level, in weight units: zero for a Q4_1 grid, a few % of a step otherwise.
    change = float((levels.sub_(codes).abs_().amax(-1) * scale).max())
    largest = float(torch.maximum(low.abs(), high.abs()).max()) or 1.0
    try:
        packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(
            codes.clamp_(0, 15).to(torch.int32).reshape(rows, cols), 1
        )
    except RuntimeError:
        return None
    # The kernel computes (code - 8) * scale + zero, so zero is the offset of the middle level.
    zeros = low + 8 * scale
    scales_and_zeros = torch.stack([scale.t(), zeros.t()], dim=-1).contiguous().to(torch.bfloat16)
    return packed, scales_and_zeros, change / largest


def quantize_int4(model: Any, exact_only: bool = True) -> int:
    """Swap the model's linear layers (not the output layer) for Int4Linear; the count swapped.

    With exact_only, swap nothing unless every layer's weights come back unchanged from 4 bits.
    """
    from torch import nn

    int4_linear = _int4_linear_class()
    skip = model.get_output_embeddings()
    swaps = []
    for parent in model.modules():
        for name, child in parent.named_children():
            if not isinstance(child, nn.Linear) or child is skip:
                continue
            result = pack_int4(child.weight)
            if result is None or (exact_only and result[2] > EXACT_TOLERANCE):
                if exact_only:
                    return 0
                continue
            swaps.append((parent, name, int4_linear(result[0], result[1], child.bias)))
    for parent, name, module in swaps:
        setattr(parent, name, module)
    return len(swaps)


def apply_precision(model: Any, precision: str) -> str:
    """Put the model in the asked precision and return the one it runs in: "float32" or "int4".

    "auto" packs to int4 only when that changes no weight and the CPU has the fast kernel; "int4" packs any
    model's linear layers (lossy for weights that are not on a 4-bit grid); "float32" leaves the model as loaded.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "float32" or not int4_kernel_available() or next(model.parameters()).device.type != "cpu":
        return "float32"
    with _one_thread():
        swapped = quantize_int4(model, exact_only=precision == "auto")
    if not swapped:
        return "float32"
    # The weights left (embeddings, norms) still pin the whole memory-mapped float32 file, whose pages packing has
    # read: copying them out lets the mapping go, about 500 MB less resident memory.
    for parameter in model.parameters():
        parameter.data = parameter.data.clone()
    return "int4"


def eager_streamer(tokenizer: Any, timeout: float) -> Any:
    """A TextIteratorStreamer that hands out each token's text at once, skipping the prompt and special tokens.

    The stock one holds back the last word until a space follows it, which costs one decode step (or more, for a
    word of several tokens) before the first text appears. Only half of a multi-byte character is held back here.
    """
    from transformers import TextIteratorStreamer

    class EagerStreamer(TextIteratorStreamer):
        def put(self, value: Any) -> None:
            if self.skip_prompt and self.next_tokens_are_prompt:
                self.next_tokens_are_prompt = False
                return
            self.token_cache.extend(value.reshape(-1).tolist())
            text = self.tokenizer.decode(self.token_cache, **self.decode_kwargs)
            if text.endswith("\ufffd"):
                return
            self.on_finalized_text(text[self.print_len :])
            self.print_len = len(text)
            if text.endswith("\n"):  # starting afresh after a line keeps each decode short, as the stock one does
                self.token_cache, self.print_len = [], 0

    return EagerStreamer(tokenizer, skip_prompt=True, timeout=timeout, skip_special_tokens=True)
