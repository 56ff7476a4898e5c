"""Command line: python -m llmcompare build-seed | build-db | audit | export | report | import | prepare-model | ask."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from llmcompare.cli.audit import add_command as add_audit_command
from llmcompare.cli.export import add_command as add_export_command
from llmcompare.cli.imports import add_commands as add_import_commands
from llmcompare.config import DATA_DIR, Settings
from llmcompare.io.errors import FormatError
from llmcompare.store.engine import StoreUnavailable, make_engine
from llmcompare.store.seed_io import SeedError


def _build_seed(args: argparse.Namespace, settings: Settings) -> int:
    from llmcompare.facts.seed import build_seed

    if not args.sources.is_dir():
        print(f"error: sources folder not found: {args.sources}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    report = build_seed(args.sources, args.curated, args.out or settings.seed_dir)
    print(f"seed written in {time.perf_counter() - started:.1f}s")
    for name, count in report.counts.items():
        print(f"  {name:<14} {count:>6}")
    print("coverage: " + ", ".join(f"{k}={v}" for k, v in report.coverage.items()))
    for reason, count in sorted(report.skipped.items()):
        print(f"  skipped {count:>4}: {reason}")
    return 0


def _build_db(args: argparse.Namespace, settings: Settings) -> int:
    from llmcompare.store.build import build_db

    started = time.perf_counter()
    result = build_db(make_engine(settings.database_url), settings.seed_dir, force=args.force)
    took = time.perf_counter() - started
    state = "built from seed" if result.loaded else "already up to date"
    total = sum(result.counts.values())
    print(f"database {state} in {took:.2f}s: {total} rows ({result.counts.get('models', 0)} models)")
    return 0


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from llmcompare.decide.tco import Workload
    from llmcompare.reports.build import SECTIONS, ReportError, build_report
    from llmcompare.reports.render import write_report
    from llmcompare.store.scenarios import ensure_examples, list_scenarios

    engine = make_engine(settings.database_url)
    ensure_examples(engine, DATA_DIR / "curated" / "scenarios.yaml")  # as the advisor page does on first open
    if args.list_scenarios:
        print("\n".join(s.name for s in list_scenarios(engine)))
        return 0
    if not args.scenario or not args.out:
        print("error: give --scenario NAME and --out FILE (or --list-scenarios)", file=sys.stderr)
        return 2
    try:
        report = build_report(
            engine,
            args.scenario,
            title=args.title,
            author=args.author,
            top=args.top,
            sections=tuple(_items(args.sections)) or SECTIONS,
            models=_items(args.models) or None,
            workload=Workload(args.tokens_in * 1e6, args.tokens_out * 1e6),
        )
        write_report(report, args.format, args.out)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.format} report to {args.out}")
    return 0


def _prepare_model(args: argparse.Namespace, settings: Settings) -> int:
    from llmcompare.providers.base import ProviderError
    from llmcompare.providers.local_hf import prepare_bundled

    started = time.perf_counter()
    try:
        folder = prepare_bundled(args.cache_dir, on_status=lambda message: print(message, file=sys.stderr))
    except ProviderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"bundled model ready in {folder} ({time.perf_counter() - started:.1f}s)")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m llmcompare", description="LLM Compare command line")
    sub = p.add_subparsers(dest="command", required=True)
    seed = sub.add_parser("build-seed", help="regenerate data/seed/ from the public source files")
    seed.add_argument("--sources", type=Path, required=True, help="folder holding the public source files")
    seed.add_argument("--curated", type=Path, default=DATA_DIR / "curated", help="hand-curated YAML folder")
    seed.add_argument("--out", type=Path, default=None, help="seed folder to write (default: data/seed)")
    seed.set_defaults(run=_build_seed)
    db = sub.add_parser("build-db", help="build the database from the seed (no-op when up to date)")
    db.add_argument("--force", action="store_true", help="reload the seed even if unchanged")
    db.set_defaults(run=_build_db)
    add_audit_command(sub)
    add_export_command(sub)
    rep = sub.add_parser("report", help="write a decision report from a saved scenario")
    rep.add_argument("--list-scenarios", action="store_true", help="print the saved scenario names, one a line")
    rep.add_argument("--scenario", help="the saved scenario's name")
    rep.add_argument("--format", choices=["html", "pdf", "md"], default="html")
    rep.add_argument("--out", type=Path, help="file to write")
    rep.add_argument("--title", default=None, help="report title (default: from the scenario)")
    rep.add_argument("--author", default="", help="author shown under the title")
    rep.add_argument("--top", type=int, default=3, help="how many top models get a fact sheet")
    rep.add_argument("--models", help="comma-separated model ids for the fact sheets (default: the top --top)")
    rep.add_argument("--sections", help="comma-separated sections to include (default: all; a wrong name lists them)")
    rep.add_argument("--tokens-in", type=float, default=50.0, help="input tokens a month, millions, for the cost")
    rep.add_argument("--tokens-out", type=float, default=10.0, help="output tokens a month, millions, for the cost")
    rep.set_defaults(run=_report)
    model = sub.add_parser("prepare-model", help="convert the bundled local model once, so the first prompt is fast")
    model.add_argument("--cache-dir", type=Path, default=DATA_DIR / "models", help="where converted models are kept")
    model.set_defaults(run=_prepare_model)
    add_import_commands(sub)
    # Listed for --help only: main() hands everything after "ask" to the ask command's own parser.
    sub.add_parser("ask", help="send one prompt to two models at once (see: ask --help)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["ask"]:
        from llmcompare.cli.ask import ask

        return ask(argv[1:])
    args = parser().parse_args(argv)
    try:
        return args.run(args, Settings.from_mapping())
    except (FormatError, SeedError, StoreUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
