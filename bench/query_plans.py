"""SQLite's EXPLAIN QUERY PLAN for the statements behind the main pages, traced from the real query functions.

Each group calls the functions a page uses, records every SQL statement they send, and prints its plan. A SCAN of a
fact table is fine where the page needs every row (the catalogue); for one model, a few models or one run it
should be a SEARCH using an index. Lines marked `<- full scan` are SCANs of big tables (through an index or not).
Run `python -m bench.query_plans [--database sqlite:////tmp/big.db]`; without one it builds the seed in a temp folder.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from bench.synthetic import SEED, add_runs
from llmcompare.catalog import compare, factsheet
from llmcompare.store import decide_queries, history, queries
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate

BIG_TABLES = ("models", "prices", "benchmarks", "openness", "aliases", "runs", "run_sides", "votes")
MODEL, PICKED = "gpt-4o", ("gpt-4o", "mistral-large-2411", "llama-3-3-70b-instruct")


def groups(engine: Engine) -> dict[str, list[Callable[[], Any]]]:
    """The query functions behind each page, called the way the page calls them."""
    first_run = history.list_runs(engine, limit=1)["run_id"].tolist()
    return {
        "catalogue": [
            lambda: queries.catalog(engine),
            lambda: queries.catalog_lookup(engine),
            lambda: queries.model_choices(engine),
            lambda: queries.headline_figures(engine),
        ],
        "model fact sheet": [lambda: factsheet.model_detail(engine, MODEL)],
        "compare": [lambda: compare.compare_table(engine, PICKED)],
        "price history": [
            lambda: queries.price_history(engine, MODEL),
            lambda: decide_queries.price_points(engine, PICKED),
        ],
        "advisor facts": [lambda: decide_queries.decision_facts(engine)],
        "run history": [
            lambda: history.list_runs(engine),
            lambda: history.count_runs(engine),
            lambda: history.list_runs(engine, history.RunFilter(text="prompt", model="local:bundled")),
            lambda: history.run_models(engine),
            lambda: history.vote_frame(engine),
            *[lambda i=i: history.load_run(engine, i) for i in first_run],
        ],
    }


@contextmanager
def traced(engine: Engine):
    """Collect (statement, parameters) of every SELECT sent while the block runs."""
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """The plan as indented lines, SCANs of big tables marked."""
    raw = engine.raw_connection()
    try:
        rows = raw.cursor().execute(f"EXPLAIN QUERY PLAN {statement}", parameters or ()).fetchall()
    finally:
        raw.close()
    depth: dict[int, int] = {0: 0}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        full = detail.startswith("SCAN ") and detail.split()[1] in BIG_TABLES
        lines.append("  " * depth[node] + detail + ("   <- full scan" if full else ""))
    return lines


def explain(engine: Engine) -> dict[str, tuple[int, int, int]]:
    """Print every group's plans; return per group its statements, full scans of big tables and temporary sorts."""
    summary = {}
    for name, calls in groups(engine).items():
        with traced(engine) as seen:
            for call in calls:
                call()
        print(f"\n=== {name}: {len(seen)} statements")
        done, scans, sorts = set(), 0, 0
        for statement, parameters in seen:
            if statement in done:
                continue
            done.add(statement)
            print("\n  " + " ".join(statement.split())[:300])
            lines = plan(engine, statement, parameters)
            scans += sum("<- full scan" in line for line in lines)
            sorts += sum("USE TEMP B-TREE" in line for line in lines)
            print("\n".join(lines))
        summary[name] = (len(done), scans, sorts)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a SQLAlchemy SQLite URL; default: the seed built in a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-plans-") as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'seed.db'}"
        engine = make_engine(url)
        migrate(engine)  # an older database gains the indexes of the latest schema
        if not args.database:
            build_db(engine, SEED)
            add_runs(url, 50)
        summary = explain(engine)
        engine.dispose()
    print(f"\nSummary (big tables: {', '.join(BIG_TABLES)}); catalogue and advisor read every model by design")
    for name, (statements, scans, sorts) in summary.items():
        print(f"  {name:>17}: {statements:2} statements, {scans:2} full scans, {sorts:2} temporary B-trees")


if __name__ == "__main__":
    main()
