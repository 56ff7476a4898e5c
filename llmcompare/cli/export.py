"""`python -m llmcompare export WHAT --format csv|xlsx|json --out FILE`: every table the pages offer for download."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from llmcompare.config import DATA_DIR, Settings
from llmcompare.exports.tables import FORMATS
from llmcompare.store.engine import make_engine

TABLES = {
    "catalog": "the catalogue, one row per model",
    "facts": "every fact in long form, each with its source and date",
    "runs": "every playground run, one row per side, with answers and metrics",
    "votes": "every blind vote with the two models",
    "win-rates": "win rates per model from the blind votes",
    "ranking": "a saved advisor scenario's ranking with points per criterion (needs --scenario)",
    "dimensions": "every model on every article dimension: value, basis (fact, proxy or none), source, as_of",
}


def _frame(what: str, engine, scenario: str | None):
    from llmcompare.exports import activity as user_exports
    from llmcompare.exports.tables import facts_long
    from llmcompare.store.migrations import migrate
    from llmcompare.store.queries import catalog

    if what == "catalog":
        return catalog(engine)
    if what == "facts":
        return facts_long(engine)
    if what == "dimensions":
        from llmcompare.decide.dimension_table import dimension_table, export_frame, load_inputs

        return export_frame(dimension_table(load_inputs(engine)))
    migrate(engine)  # runs, votes and scenarios live in tables an older database may not have yet
    if what == "runs":
        return user_exports.runs_frame(engine)
    if what == "votes":
        return user_exports.votes_frame(engine)
    if what == "win-rates":
        return user_exports.win_rate_frame(engine)
    from llmcompare.reports.build import rank_scenario
    from llmcompare.store.scenarios import ensure_examples

    ensure_examples(engine, DATA_DIR / "curated" / "scenarios.yaml")
    _, _, ranking = rank_scenario(engine, scenario)
    return user_exports.ranking_frame(ranking)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from llmcompare.exports.tables import write_frame
    from llmcompare.reports.build import ReportError

    if args.what == "ranking" and not args.scenario:
        print("error: export ranking needs --scenario NAME (see: report --list-scenarios)", file=sys.stderr)
        return 2
    try:
        frame = _frame(args.what, make_engine(settings.database_url), args.scenario)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write_frame(frame, args.format, args.out)
    print(f"wrote {len(frame)} rows to {args.out}")
    return 0


def add_command(sub) -> None:
    """Register `export` on the main parser's subcommands."""
    listing = "; ".join(f"{name}: {text}" for name, text in TABLES.items())
    exp = sub.add_parser("export", help="export a table as csv, xlsx or json", description=f"Tables: {listing}.")
    exp.add_argument("what", choices=list(TABLES))
    exp.add_argument("--format", choices=list(FORMATS), default="csv")
    exp.add_argument("--out", type=Path, required=True)
    exp.add_argument("--scenario", help="saved scenario to rank (export ranking only)")
    exp.set_defaults(run=_export)
