"""Local generation speed on the bundled SmolLM2-135M: the app's path against a naive one and against the hardware.

- speed: tokens/s of the chosen path (load_local's defaults: on this CPU, the weights the kernel probe picked, run
  by the lean decoder) over the naive path (float32 as loaded, default cache and threads, a bare greedy
  `model.generate`); target >= 2.00 on AVX512, >= 3.00 on AVX2. The same model under `model.generate` is timed too,
  to show what the decoder adds.
- the peer: llama.cpp (llama-cpp-python in `.venv-bench`, `make bench-peer`) on the same GGUF, same prompt ids,
  same threads, greedy, the same number of new tokens, timed in the same rounds; target app >= 0.50x (stretch 0.80x).
- greedy equality: the same 10 prompts, 64 new tokens each, on both paths; identical count, first divergence.
- bandwidth bound: weight bytes read per token over the measured memory bandwidth gives the most tokens/s possible,
  for the app's paths and for llama.cpp (the GGUF's tensor bytes).
- app overhead: tokens/s through `run_comparison` (streamer, stop event, metrics) over the bare `generate` of the
  same model, settings and prompt; target >= 0.95. Time to first token of both.
Rounds interleave the paths, so that background load hits them alike; figures are medians.
Run with `python -m bench.generation` from the project root (`--all` adds the variants that lost).
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from transformers import AutoModelForCausalLM

from bench.peer import LlamaPeer, cpu_family, gguf_weight_bytes
from llmcompare.playground.run import Side, run_comparison
from llmcompare.providers.base import GenerationSettings
from llmcompare.providers.lean_decoder import LeanDecoder
from llmcompare.providers.local_hf import LocalHFProvider, bundled_gguf, load_local, prepare_bundled
from llmcompare.providers.local_speed import apply_precision, in_fresh_thread, kernel_speeds
from llmcompare.providers.rescored_head import is_rescored

STORY = "Write a short story about a lighthouse keeper who finds a message in a bottle."
PROMPTS = [
    "What is the capital of France?",
    "Explain what a database index is.",
    "Write a haiku about the sea.",
    "Give three tips for learning Python.",
    "What is photosynthesis?",
    "Summarise the plot of Romeo and Juliet.",
    "How do I boil an egg?",
    "Why is the sky blue?",
    STORY,
    "List the planets of the solar system.",
]
SPEEDUP_TARGETS = {"AVX512": 2.0, "AVX2": 3.0}
PEER_TARGET, PEER_STRETCH = 0.5, 0.8
APP_TARGET = 0.95


@dataclass
class Variant:
    """One way to run the model: the model object, torch threads, extra generate arguments."""

    name: str
    model: Any
    threads: int
    kwargs: dict[str, Any] = field(default_factory=dict)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def encode(tokenizer: Any, prompt: str) -> dict[str, Any]:
    """The prompt through the chat template, as the app sends it."""
    messages = [{"role": "user", "content": prompt}]
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)


def generate(variant: Variant, inputs: dict[str, Any], new: int, exact: bool = False) -> list[int]:
    """Greedy new token ids; exact forces `new` tokens so that every path does the same work."""
    torch.set_num_threads(variant.threads)
    kwargs = {**inputs, "max_new_tokens": new, "do_sample": False, "pad_token_id": 2, **variant.kwargs}
    if exact:
        kwargs["min_new_tokens"] = new
    # In a thread that ends, as the app's generation runs: see in_fresh_thread for why the main thread must not.
    out = in_fresh_thread(lambda: _generate(variant.model, kwargs))
    return out[0, inputs["input_ids"].shape[1] :].tolist()


def _generate(model: Any, kwargs: dict[str, Any]) -> Any:
    with torch.inference_mode():
        return model.generate(**kwargs)


def timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def bandwidth_gbs(mib: int = 1024, repeats: int = 7) -> float:
    """Read bandwidth from memory: the best of several sums over a buffer far larger than the caches."""
    buffer = in_fresh_thread(lambda: torch.ones(mib * 2**20 // 4))
    best = max(buffer.numel() * 4 / timed(lambda: in_fresh_thread(buffer.sum)) for _ in range(repeats))
    return best / 1e9


def weight_bytes(model: Any) -> int:
    """Bytes of weights one token reads: every parameter and buffer once (a float32 output layer reads the tied
    embedding; an int8 one its codes)."""
    if isinstance(model, LeanDecoder):  # its joined matrices hold the same codes as the model's int4 layers
        model = model.model
    tensors = {id(t): t for t in [*model.parameters(), *model.buffers()]}
    head = model.get_output_embeddings()
    if is_rescored(head):  # its float32 rows (the tied embedding) are read a few rows a token, not whole
        tensors.pop(id(head.weight))
    # quantize_dynamic's int8 weights hide in packed parameters: one byte each.
    hidden = sum(m.weight().numel() for m in model.modules() if hasattr(m, "_packed_params"))
    # FBGEMM's fp16 weights are not tensors either: two bytes each, the joined copies not read again.
    fp16 = [m for m in model.modules() if getattr(m, "kind", None) == "fp16"]
    hidden += sum(2 * m.weight.numel() if is_rescored(m) else 2 * m.in_features * m.out_features for m in fp16)
    return sum(t.numel() * t.element_size() for t in tensors.values()) + hidden


def greedy_table(reference: Variant, variant: Variant, tokenizer: Any, new: int) -> list[int | None]:
    """Per prompt, the first position where the variant's greedy tokens differ from the reference's (None: same)."""
    firsts = []
    for prompt in PROMPTS:
        inputs = encode(tokenizer, prompt)
        want, got = generate(reference, inputs, new, exact=True), generate(variant, inputs, new, exact=True)
        firsts.append(next((i for i, (a, b) in enumerate(zip(want, got, strict=True)) if a != b), None))
    return firsts


def losing_variants(naive: Any, packed: Any, threads: int, chosen: str) -> list[Variant]:
    """The other paths tried, for --all; the lean decoder with the kinds of weights not chosen."""
    int8 = torch.ao.quantization.quantize_dynamic(copy.deepcopy(naive), {torch.nn.Linear}, dtype=torch.qint8)
    static = {"cache_implementation": "static"}
    weight_only = {}
    for precision in sorted({"int4", "int8", "float32"} - {chosen}):
        model = copy.deepcopy(naive)
        apply_precision(model, precision)
        weight_only[precision] = LeanDecoder.for_model(model)
    return [
        *(Variant(f"{p} weights, lean decoder", d, threads) for p, d in weight_only.items() if d),
        Variant("bfloat16", copy.deepcopy(naive).to(torch.bfloat16), threads),
        Variant("int8 dynamic (quantize_dynamic)", int8, threads),
        Variant("float32 + static cache", naive, threads, static),
        Variant("int4 + static cache (generate)", packed, threads, static),
        Variant("float32, 1 thread", naive, 1),
        Variant("int4, 1 thread (generate)", packed, 1),
    ]


def app_round(provider: LocalHFProvider, new: int, threads: int) -> tuple[float, float | None, int]:
    """(tokens/s end to end, time to first token, tokens) of one playground run with the local side alone."""
    torch.set_num_threads(threads)
    settings = GenerationSettings(max_new_tokens=new, temperature=0, timeout_s=120)
    side = run_comparison(STORY, [Side(provider, settings)]).sides[0]
    return (side.output_tokens or 0) / side.total_s, side.ttft_s, side.output_tokens or 0


def peer_rounds(peer: LlamaPeer | None, ids: list[int], tokens: int) -> tuple[float, list[int]] | None:
    return None if peer is None else peer.generate(ids, tokens)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tokens", type=int, default=64, help="new tokens per timed run")
    p.add_argument("--repeats", type=int, default=5, help="interleaved rounds")
    p.add_argument("--precision", default="auto", help="load_local precision of the chosen path")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's, one per core)")
    p.add_argument("--all", action="store_true", help="also time the variants that lost, with their equality")
    args = p.parse_args(argv)
    threads = args.threads or torch.get_num_threads()
    cpu, flags = cpu_family()
    # The target goes by the kernels torch runs: the CPU's own, or fewer where ATEN_CPU_CAPABILITY lowers them.
    family = torch.backends.cpu.get_cpu_capability()

    folder = prepare_bundled(on_status=lambda m: print(m, file=sys.stderr))
    local = load_local(precision=args.precision, threads=args.threads)
    naive = Variant("naive float32", in_fresh_thread(lambda: AutoModelForCausalLM.from_pretrained(folder)), threads)
    chosen = Variant(f"chosen ({local.path})", local.decoder or local.model, threads)
    under_generate = (
        [Variant(f"{local.precision}, transformers generate", local.model, threads)] if local.decoder else []
    )
    others = (
        in_fresh_thread(lambda: losing_variants(naive.model, local.model, threads, local.precision)) if args.all else []
    )
    if args.all and local.decoder:
        others.append(Variant("chosen, 1 thread", local.decoder, 1))
    variants = [naive, chosen, *under_generate, *others]
    provider = LocalHFProvider(local, "local:bundled")
    inputs = encode(local.tokenizer, STORY)
    prompt_ids = inputs["input_ids"][0].tolist()
    peer = LlamaPeer.start(bundled_gguf(), threads)

    for variant in variants:
        generate(variant, inputs, 4)
    app_round(provider, 4, threads)
    peer_rounds(peer, prompt_ids, 4)
    rates: dict[str, list[float]] = {v.name: [] for v in variants}
    app: list[tuple[float, float | None, int]] = []
    peer_rates: list[float] = []
    for _ in range(args.repeats):
        for variant in variants:
            rates[variant.name].append(args.tokens / timed(lambda v=variant: generate(v, inputs, args.tokens, True)))
        app.append(app_round(provider, args.tokens, threads))
        answer = peer_rounds(peer, prompt_ids, args.tokens)
        if answer:
            peer_rates.append(args.tokens / answer[0])
    ttft_bare = statistics.median(timed(lambda: generate(chosen, inputs, 1)) for _ in range(args.repeats))

    med = {name: statistics.median(r) for name, r in rates.items()}
    gbs = bandwidth_gbs()
    print(f"CPU: {cpu} ({flags}), torch kernels {family}; load average before the figures: {os.getloadavg()[0]:.2f}")
    print(f"weights probe: {kernel_speeds().describe()}")
    print(f"threads: {threads}; memory read bandwidth {gbs:.1f} GB/s (best of 7 sums over 1 GiB)")
    for variant in variants:
        mb = weight_bytes(variant.model) / 1e6
        bound = gbs * 1e3 / mb
        line = f"  {variant.name:34s} {med[variant.name]:6.1f} tok/s (x{med[variant.name] / med[naive.name]:.2f})"
        line += f"  weights read/token {mb:5.0f} MB -> bound {bound:5.1f} tok/s ({med[variant.name] / bound:.0%} of it)"
        if variant is not naive and (args.all or variant is chosen or variant in under_generate):
            firsts = greedy_table(naive, variant, local.tokenizer, 64)
            same = sum(f is None for f in firsts)
            line += f"  greedy identical {same}/{len(PROMPTS)}, first divergence {[f for f in firsts if f is not None]}"
        print(line)
    target = SPEEDUP_TARGETS.get(family, 2.0)
    ratio = statistics.median(c / n for c, n in zip(rates[chosen.name], rates[naive.name], strict=True))
    print(
        f"local tokens/s chosen path: {med[chosen.name]:.1f} (naive {med[naive.name]:.1f}, ratio {ratio:.2f}, "
        f"target >= {target:.2f} on {family}: {verdict(ratio >= target)})"
    )
    if peer is not None:
        ours = generate(chosen, inputs, args.tokens, exact=True)
        report_peer(peer, peer_rates, rates[chosen.name], gbs, prompt_ids, ours)
    app_ratio = statistics.median(a[0] / b for a, b in zip(app, rates[chosen.name], strict=True))
    ttft_app = statistics.median(a[1] or 0.0 for a in app)
    print(
        f"app overhead: {statistics.median(a[0] for a in app):.1f} tok/s through run_comparison "
        f"({app[-1][2]} tokens, end to end) vs {med[chosen.name]:.1f} bare generate, ratio {app_ratio:.2f} "
        f"(target >= {APP_TARGET:.2f}: {verdict(app_ratio >= APP_TARGET)}); time to first token "
        f"{ttft_app * 1000:.0f} ms in the app, {ttft_bare * 1000:.0f} ms for a bare 1-token generate"
    )
    return 0


def report_peer(
    peer: LlamaPeer, peer_rates: list[float], app_rates: list[float], gbs: float, ids: list[int], ours: list[int]
) -> None:
    """llama.cpp's figure, its bandwidth bound, the app's ratio to it, and where their greedy answers part."""
    mb = gguf_weight_bytes(bundled_gguf()) / 1e6
    bound = gbs * 1e3 / mb
    rate = statistics.median(peer_rates)
    print(
        f"  {'llama.cpp (llama-cpp-python 0.3.36)':34s} {rate:6.1f} tok/s"
        f"  weights read/token {mb:5.0f} MB -> bound {bound:5.1f} tok/s ({rate / bound:.0%} of it)"
    )
    print(f"  llama.cpp build: {peer.system_info}")
    ratio = statistics.median(a / b for a, b in zip(app_rates, peer_rates, strict=True))
    print(
        f"app vs llama.cpp, same GGUF, same threads: ratio {ratio:.2f} (target >= {PEER_TARGET:.2f}: "
        f"{verdict(ratio >= PEER_TARGET)}; stretch >= {PEER_STRETCH:.2f}: {verdict(ratio >= PEER_STRETCH)})"
    )
    theirs = peer.generate(ids, len(ours))[1]
    first = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), None)
    print(f"  greedy tokens of the story prompt, app vs llama.cpp: {'same' if first is None else f'part at {first}'}")
    peer.close()


if __name__ == "__main__":
    sys.exit(main())
