"""`python -m llmcompare ask PROMPT`: the playground's concurrent comparison without the UI."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from llmcompare import style
from llmcompare.catalog.tokenizers import token_counter
from llmcompare.config import LOCAL_PRECISIONS, Settings
from llmcompare.playground.metrics import HardwarePrice, Pricing
from llmcompare.playground.run import Side, run_comparison
from llmcompare.providers.base import (
    GenerationSettings,
    ProviderError,
    ProviderSpec,
    RunResult,
    SideResult,
    SpecError,
    parse_spec,
)
from llmcompare.providers.local_hf import LocalModel, load_local
from llmcompare.providers.openai_compat import KEY_ENV
from llmcompare.providers.registry import DEFAULT_LEFT, DEFAULT_RIGHT, build_provider

PriceLookup = Callable[[ProviderSpec], Pricing | None]


def ask_parser() -> argparse.ArgumentParser:
    """The arguments of the ask command."""
    p = argparse.ArgumentParser(prog="python -m llmcompare ask", description="Send one prompt to two models at once.")
    p.add_argument("prompt")
    p.add_argument("--left", default=DEFAULT_LEFT, help=f"provider spec (default {DEFAULT_LEFT})")
    p.add_argument("--right", default=DEFAULT_RIGHT, help=f"provider spec (default {DEFAULT_RIGHT})")
    p.add_argument("--max-tokens", type=int, default=256)
    p.add_argument("--system", default="", help="system prompt for both sides")
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds without progress before a side gives up")
    p.add_argument("--hardware-usd-per-hour", type=float, default=None, help="what the local machine costs per hour")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--precision",
        choices=LOCAL_PRECISIONS,
        default=None,
        help="how a local model runs (default: LLMCOMPARE_LOCAL_PRECISION, else auto: the fastest measured here)",
    )
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: LLMCOMPARE_LOCAL_THREADS)")
    return p


def _local_price(usd_per_hour: float | None) -> PriceLookup:
    """Price local sides by the hour given on the command line; API sides have no price here."""

    def lookup(spec: ProviderSpec) -> Pricing | None:
        if spec.kind == "local" and usd_per_hour is not None:
            return HardwarePrice(usd_per_hour, f"{usd_per_hour:g} USD per hour, given on the command line")
        return None

    return lookup


@functools.cache  # both sides may name the same local model
def _loud_loader(source: str, precision: str, threads: int | None) -> LocalModel:
    """Load a local model, saying on stderr what takes the time and how it will run."""
    say = functools.partial(print, file=sys.stderr)
    loaded = load_local(source, on_status=say, precision=precision, threads=threads)
    say(f"{loaded.name} runs {loaded.path}.")
    return loaded


def _local_options(args: argparse.Namespace) -> tuple[str, int | None]:
    """Precision and threads: the command line's, else the environment's (LLMCOMPARE_LOCAL_*), else the defaults."""
    settings = Settings.from_mapping()
    if args.threads is not None and not 1 <= args.threads <= 256:
        raise ValueError(f"--threads must be from 1 to 256, got {args.threads}")
    return args.precision or settings.local_precision, args.threads or settings.local_threads


def side_json(side: SideResult) -> dict[str, Any]:
    """One side as printed by --json."""
    return {
        "spec": side.spec,
        "model": side.model_name,
        "text": side.text,
        "ttft_s": side.ttft_s,
        "total_s": side.total_s,
        "input_tokens": side.input_tokens,
        "output_tokens": side.output_tokens,
        "tokens_per_s": side.tokens_per_s,
        "tokens_estimated": side.tokens_estimated,
        "cost_usd": side.cost_usd,
        "cost_basis": side.cost_basis,
        "error": side.error,
    }


def _fmt(value: float | None, unit: str) -> str:
    return "n/a" if value is None else f"{value:.2f}{unit}"


def _print_text(result: RunResult) -> None:
    for side in result.sides:
        print(f"=== {side.spec} ({side.model_name})")
        print(side.text if not side.error else f"{side.text}\n[error] {side.error}".lstrip())
        cost = style.format_run_cost(side.cost_usd)
        estimated = " (estimated: the server reported no usage)" if side.tokens_estimated else ""
        print(
            f"--- ttft {_fmt(side.ttft_s, ' s')}, total {side.total_s:.2f} s, "
            f"{side.output_tokens if side.output_tokens is not None else 'n/a'} tokens, "
            f"{_fmt(side.tokens_per_s, ' tok/s')}{estimated}, cost {cost} ({side.cost_basis})\n"
        )
    print(f"wall time {result.wall_s:.2f} s")


def ask(argv: Sequence[str], price_lookup: PriceLookup | None = None) -> int:
    """Run the comparison; 0 when every side answered, 1 when one failed, 2 for unusable arguments."""
    args = ask_parser().parse_args(argv)
    lookup = price_lookup or _local_price(args.hardware_usd_per_hour)
    settings = GenerationSettings(
        system_prompt=args.system,
        max_new_tokens=args.max_tokens,
        temperature=args.temperature,
        seed=args.seed,
        timeout_s=args.timeout,
    )
    try:
        options = _local_options(args)
        specs = [parse_spec(args.left), parse_spec(args.right)]
        loader = functools.partial(_loud_loader, precision=options[0], threads=options[1])
        providers = [build_provider(s, api_key=os.environ.get(KEY_ENV), local_loader=loader) for s in specs]
    except (SpecError, ProviderError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sides = [
        Side(provider, settings, lookup(spec), token_counter(None, spec.target) if spec.kind == "openai" else None)
        for provider, spec in zip(providers, specs, strict=True)
    ]
    result = run_comparison(args.prompt, sides)
    if args.json:
        print(json.dumps({"wall_s": result.wall_s, "sides": [side_json(s) for s in result.sides]}, indent=2))
    else:
        _print_text(result)
    return 1 if any(side.error for side in result.sides) else 0
