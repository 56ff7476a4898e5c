"""Overlap of the two playground sides: wall(parallel) / max(wall(left alone), wall(right alone)); target <= 1.10.

Left is the bundled SmolLM2 in-process, right the fake OpenAI server with a fixed per-token delay.
Run with `python -m bench.overlap` from the project root.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence

from llmcompare.playground.run import Side, run_comparison
from llmcompare.providers.base import GenerationSettings
from llmcompare.providers.local_hf import LocalHFProvider, load_local
from llmcompare.providers.openai_compat import OpenAICompatProvider
from tests.fakes.openai_server import FakeOpenAIServer

PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."
TARGET = 1.10


def wall(sides: list[Side]) -> float:
    """The wall time of one run of these sides together."""
    return run_comparison(PROMPT, sides).wall_s


def timed_rounds(left: Side, right: Side, repeats: int) -> list[tuple[float, float, float]]:
    """(left alone, right alone, together) per round; rounds interleave so that background load hits all three."""
    return [(wall([left]), wall([right]), wall([left, right])) for _ in range(repeats)]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tokens", type=int, default=64, help="new tokens per side")
    p.add_argument("--token-delay", type=float, default=0.04, help="fake server seconds per token")
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args(argv)

    local = LocalHFProvider(load_local(on_status=lambda m: print(m, file=sys.stderr)), "local:bundled")
    settings = GenerationSettings(max_new_tokens=args.tokens, temperature=0, timeout_s=60)
    with FakeOpenAIServer() as server:
        server.script.text = " ".join(f"word{i}" for i in range(args.tokens))
        server.script.token_delay_s = args.token_delay
        left = Side(local, settings)
        right = Side(OpenAICompatProvider("fake-model", server.base_url, "bench-key"), settings)
        run_comparison("warm up", [Side(local, GenerationSettings(max_new_tokens=4))])
        rounds = timed_rounds(left, right, args.repeats)
        tokens = run_comparison(PROMPT, [left]).sides[0]
    alone_left, alone_right, together = (statistics.median(r[i] for r in rounds) for i in range(3))
    ratio = statistics.median(both / max(lone, rone) for lone, rone, both in rounds)
    print(
        f"left alone  (local {local.model_name}): {alone_left:.2f} s, {tokens.output_tokens} tokens, "
        f"{tokens.tokens_per_s or 0:.1f} tok/s"
    )
    print(f"right alone (fake API, {args.token_delay * 1000:.0f} ms/token): {alone_right:.2f} s")
    print(f"both at once: {together:.2f} s")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"overlap ratio (median of {args.repeats} rounds): {ratio:.3f} (target <= {TARGET:.2f}: {verdict})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
