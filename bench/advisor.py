"""Advisor speed on the real catalogue: fact loading, one ranking, and 1,000-run sensitivity; target < 0.5 s each.

Build the database first (`make db`), then run `python -m bench.advisor` from the project root.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from llmcompare.config import Settings
from llmcompare.decide.ranking import DEFAULT_WEIGHTS, Constraints, rank_models
from llmcompare.decide.sensitivity import sensitivity
from llmcompare.store.decide_queries import decision_facts
from llmcompare.store.engine import make_engine

TARGET_S = 0.5


def median_time(step: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1000, help="random weightings for the sensitivity check")
    args = parser.parse_args()
    engine = make_engine(Settings.from_mapping({}).database_url)
    facts = decision_facts(engine)
    ranking = rank_models(facts, DEFAULT_WEIGHTS, Constraints())
    timings = {
        "load facts": median_time(lambda: decision_facts(engine), args.repeats),
        "rank": median_time(lambda: rank_models(facts, DEFAULT_WEIGHTS, Constraints()), args.repeats),
        f"sensitivity ({args.runs:,} runs)": median_time(lambda: sensitivity(ranking, runs=args.runs), args.repeats),
    }
    print(f"{len(facts)} models, {len(ranking.table)} ranked")
    for name, seconds in timings.items():
        print(f"{name:>28}: {seconds * 1000:7.1f} ms  ({seconds / TARGET_S:.2f} of the {TARGET_S} s target)")


if __name__ == "__main__":
    main()
