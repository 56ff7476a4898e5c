"""Script-run time of every page through AppTest, warm: one run, then the median of N reruns.

Targets: under 1 s per page with the real seed, under 3 s with a synthetic catalogue 100 times the seed.
Each database is built in a temporary folder (the synthetic seed with bench/synthetic.py) and gets a few stored
playground runs and votes, so that History, Votes and the run charts have something to draw.
Run `python -m bench.pages [--factor 100] [--reruns 5] [--only catalogue,model]` from the project root.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.synthetic import SEED, add_runs, write_synthetic
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine

APP = Path(__file__).resolve().parents[1] / "app.py"
SEED_TARGET_S, SYNTHETIC_TARGET_S = 1.0, 3.0
COMPARED = "gpt-4o,llama-3-3-70b-instruct,mistral-large-2411"
PAGES: dict[str, dict[str, str]] = {
    "home": {},
    "catalogue": {},
    "model": {"model": "gpt-4o"},
    "compare": {"models": COMPARED},
    "tradeoffs": {},
    "advisor": {},
    "tco": {},
    "playground": {},
    "history": {},
    "votes": {},
    "report": {},
    "data": {},
}


@dataclass(frozen=True)
class Database:
    label: str
    url: str
    seed_dir: Path
    models: int
    target_s: float


def build(folder: Path, label: str, seed_dir: Path, runs: int, target_s: float) -> Database:
    url = f"sqlite:///{folder / label}.db"
    started = time.perf_counter()
    result = build_db(make_engine(url), seed_dir)
    if result.loaded:  # a database kept from an earlier --workdir run has its runs already
        add_runs(url, runs)
    models = result.counts["models"]
    print(
        f"{label}: {models:,} models, {sum(result.counts.values()):,} rows, built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return Database(label, url, seed_dir, models, target_s)


def time_page(at: AppTest, page: str, query: dict[str, str], reruns: int) -> tuple[float, float, float]:
    """First (cold cache for this page) and median warm script-run seconds of one page, wall and CPU.

    CPU seconds (all threads of this process) are steadier than wall time on a machine shared with other work."""
    at.query_params.clear()
    at.query_params.update(query)
    started = time.perf_counter()
    at.switch_page(f"views/{page}.py").run()
    first = time.perf_counter() - started
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    if problems:
        print(f"  ! {page}: {str(problems[0])[:200]}")
    times, cpu = [], []
    for _ in range(reruns):
        started, started_cpu = time.perf_counter(), time.process_time()
        at.run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return first, statistics.median(times), statistics.median(cpu)


def bench(db: Database, pages: list[str], reruns: int) -> dict[str, float]:
    os.environ["DATABASE_URL"], os.environ["LLMCOMPARE_SEED_DIR"] = db.url, str(db.seed_dir)
    started = time.perf_counter()
    at = AppTest.from_file(str(APP), default_timeout=300).run()
    cold = time.perf_counter() - started
    print(f"\n{db.label} ({db.models:,} models), target < {db.target_s:.0f} s, median of {reruns} warm reruns")
    print(f"  first run of the app (Home, empty caches): {cold:.2f} s")
    medians = {}
    for page in pages:
        first, median, cpu = time_page(at, page, PAGES[page], reruns)
        medians[page] = median
        verdict = "ok" if median < db.target_s else "MISSED"
        print(f"  {page:>11}: {median:6.3f} s  (CPU {cpu:6.3f} s, first run {first:6.2f} s)  {verdict}")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factor", type=int, default=100, help="synthetic size as a multiple of the seed; 0 skips")
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--runs", type=int, default=200, help="stored playground runs in each database")
    parser.add_argument("--workdir", type=Path, help="keep the databases here and reuse them on the next run")
    args = parser.parse_args()
    pages = [p for p in args.only.split(",") if p] or list(PAGES)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        databases = [build(folder, "seed", SEED, args.runs, SEED_TARGET_S)]
        if args.factor:
            seed_dir = folder / f"seed-x{args.factor}"
            if not (seed_dir / "models.csv").exists():
                write_synthetic(seed_dir, args.factor)
            databases.append(build(folder, f"synthetic-x{args.factor}", seed_dir, args.runs, SYNTHETIC_TARGET_S))
        results = {db.label: bench(db, pages, args.reruns) for db in databases}
    missed = [
        f"{label}/{page}"
        for label, db in zip(results, databases, strict=True)
        for page, s in results[label].items()
        if s >= db.target_s
    ]
    print("\nall pages within target" if not missed else f"\nmissed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
