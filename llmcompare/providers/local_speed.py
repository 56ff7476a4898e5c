"""Faster CPU decoding, chosen by measuring: which weights to use (float32, or 4-bit codes where they are exact and
measured faster on this CPU), and how to share the cores between generations.

The bundled model ships as a Q4_1 GGUF whose float32 conversion keeps every weight on a 4-bit grid, so its linear
layers pack back into 4-bit codes (see packed.py). Whether torch's int4 kernel then beats float32 depends on the CPU:
its AVX512 and AVX2 code differ, and the caches decide how much of a small model is read from memory. So "auto"
times both on this CPU once per process (`kernel_speeds`) instead of guessing from CPU flags.
`bench/generation.py` measures the whole path and how often greedy output still matches float32 token for token.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from llmcompare.config import LOCAL_PRECISIONS as PRECISIONS
from llmcompare.providers.lean_decoder import projection_groups
from llmcompare.providers.packed import GROUP, Weights, on_int4_grid, pack_fp16, pack_model
from llmcompare.providers.rescored_head import rescored_head_for

T = TypeVar("T")

# What apply_precision takes: the user's choices, and int8 for the bench and tests.
ACCEPTED = (*PRECISIONS, "int8")
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


def _on_one_thread(work: Callable[..., T], *args: Any) -> T:
    with _one_thread():
        return work(*args)


# The probe's workload: eight 2048 x 1024 matrices, 64 MB as float32, more than the caches of the CPUs measured
# (32 MB L3 on the AMD EPYC), so that it reads weights from memory as decoding a real model does.
PROBE_SHAPE, PROBE_MATRICES, PROBE_ROUNDS = (2048, 1024), 8, 7


@dataclass(frozen=True)
class KernelSpeeds:
    """Milliseconds for one row through the probe's matrices, per weight kind, measured on this CPU."""

    ms: dict[str, float]

    def fastest(self, kinds: tuple[str, ...]) -> str:
        """The fastest of float32 and the given kinds measured here (a kind whose kernel does not run is not)."""
        return min(("float32", *kinds), key=lambda kind: self.ms.get(kind, float("inf")))

    @property
    def layers(self) -> str:
        """What "auto" runs the linear layers of a model on a 4-bit grid on: float32, int4 or fp16."""
        return self.fastest(("int4", "fp16"))

    @property
    def head(self) -> str | None:
        """What "auto" runs the output layer's approximate logits on, int8 or fp16, with the float32 layer's greedy
        pick (see rescored_head.py); None where neither beats float32."""
        kind = self.fastest(("int8", "fp16"))
        return None if kind == "float32" else kind

    def describe(self) -> str:
        figures = ", ".join(f"{kind} {ms:.1f} ms" for kind, ms in self.ms.items())
        return f"measured on this CPU, one thread through 64 MB of weights: {figures}"


def _time_kinds(weights: dict[str, list[Weights]], rounds: int) -> dict[str, float]:
    """The fastest of several interleaved rounds per kind, so that background load hits every kind alike."""
    import torch

    x = torch.randn(1, PROBE_SHAPE[1])
    best = dict.fromkeys(weights, float("inf"))
    with torch.inference_mode():
        for _ in range(rounds + 1):  # the first round only warms up
            for kind, chain in weights.items():
                started = time.perf_counter()
                for w in chain:
                    w(x)
                best[kind] = min(best[kind], (time.perf_counter() - started) * 1000)
    return best


def _probe_weights() -> dict[str, list[Weights]]:
    """The probe's matrices in every kind whose kernel packs here: one random matrix per kind, copied, as only the
    time counts and copying is faster than drawing."""
    import torch

    rows, cols = PROBE_SHAPE
    generator = torch.Generator().manual_seed(0)
    one = {
        "float32": ("float32", (torch.randn(rows, cols, generator=generator),)),
        "int8": (
            "int8",
            (
                torch.randint(-128, 128, (rows, cols), dtype=torch.int8, generator=generator),
                torch.rand(rows, generator=generator).to(torch.bfloat16),
            ),
        ),
    }
    with contextlib.suppress(RuntimeError, AttributeError):  # no int4 kernel in this build of torch
        codes = torch.randint(0, 16, (rows, cols), dtype=torch.int32, generator=generator)
        scales = torch.rand(cols // GROUP, rows, 2, generator=generator).to(torch.bfloat16)
        one["int4"] = ("int4", (torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes, 1), scales))
    probe = {
        name: [Weights(kind, tuple(t.clone() for t in tensors)) for _ in range(PROBE_MATRICES)]
        for name, (kind, tensors) in one.items()
    }
    with contextlib.suppress(RuntimeError, AttributeError):  # no FBGEMM in this build of torch (not x86-64)
        matrix = one["float32"][1][0]
        probe["fp16"] = [Weights("fp16", (pack_fp16(matrix)[0],)) for _ in range(PROBE_MATRICES)]
    return probe


@functools.cache
def kernel_speeds() -> KernelSpeeds:
    """Measure float32 against int4 and int8 weights on this CPU, once per process, on one thread.

    One thread measures the kernels, not the moment: with two threads on two cores, whatever else ran on the other
    core made each parallel call wait for it, and int4 timings swung tenfold between runs (98 ms against 2.6 ms on
    one thread, measured on the 2-core AMD EPYC while other processes kept it busy).
    """
    with _one_thread():
        weights = _probe_weights()
        runs = {}
        for kind, chain in weights.items():
            try:
                _time_kinds({kind: chain}, 0)
            except RuntimeError:  # a kernel that packs but does not run on this CPU
                continue
            runs[kind] = chain
        return KernelSpeeds(_time_kinds(runs, PROBE_ROUNDS))


def apply_precision(
    model: Any, precision: str, on_status: Callable[[str], None] | None = None, speeds: KernelSpeeds | None = None
) -> str:
    """Put the model in the asked precision; return the kind its linear layers run on: float32, int4, fp16 or int8.

    "auto" goes by what was measured on this CPU (`kernel_speeds`, or `speeds`). A model whose linear layers sit on
    a 4-bit grid, as a Q4_1 GGUF's do, runs them on the fastest of int4 (only when every 4-bit code comes back
    unchanged), fp16 and float32; any other model keeps float32 layers. The output layer runs on the faster of int8
    and fp16 weights where one beats float32, keeping the float32 layer's greedy pick (see rescored_head.py).
    "int4", "fp16" and "int8" pack any model's linear layers but the output layer (lossy for weights off a 4-bit
    grid; int8 is no user's choice, as it measured slower than int4 and is lossy, but the bench compares it);
    "float32" leaves the model as loaded. A kind whose kernel does not run here stays float32.
    """

    if precision not in ACCEPTED:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "float32" or next(model.parameters()).device.type != "cpu":
        return "float32"
    kind, head = precision, None
    if precision == "auto":
        speeds = speeds or kernel_speeds()
        kind, head = speeds.layers, speeds.head
        if on_status:
            on_status(f"Weights {speeds.describe()}.")
    # The output layer packs on a second thread while the layers pack on this one (each on one torch thread): on
    # two cores that takes the larger of the two times, not their sum. It is swapped in after the layers pack.
    with _one_thread(), ThreadPoolExecutor(1, thread_name_prefix="llmcompare-head") as pool:
        head_job = pool.submit(_on_one_thread, rescored_head_for, model, head) if head is not None else None
        if precision == "auto" and kind == "fp16" and not on_int4_grid(model, EXACT_TOLERANCE):
            kind = "float32"
        exact_only = precision == "auto" and kind == "int4"  # checks the grid as it packs
        groups = projection_groups(model)  # fp16 packs each group the lean decoder joins as one matrix
        swaps = [] if kind == "float32" else pack_model(model, kind, exact_only, EXACT_TOLERANCE, groups)
        rescored = head_job.result() if head_job is not None else None
    for parent, name, module in swaps:
        setattr(parent, name, module)
    if rescored is not None:
        model.set_output_embeddings(rescored)
    if swaps or rescored is not None:
        _release_mapping(model)
    return kind if swaps else "float32"


def _release_mapping(model: Any) -> None:
    """Copy out the weights left (embeddings, norms): they still pin the whole memory-mapped float32 file, whose
    pages packing has read; copying them lets the mapping go, about 500 MB less resident memory."""
    for parameter in model.parameters():  # a RescoredHead's float32 rows among them, tied or not
        parameter.data = parameter.data.clone()


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
