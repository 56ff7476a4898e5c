"""Dimension coverage on the real catalogue: dimensions present for every model, and among the 50 best arena
models the share of cells that rest on a fact with a source and a date (target: at least 60%).

Build the database first (`make db`), then run `python -m bench.dimensions` from the project root.
"""

from __future__ import annotations

import time

from llmcompare.config import Settings
from llmcompare.decide.dimension_table import (
    ARENA_TOP,
    arena_top,
    basis_counts,
    dimension_table,
    dims_present_for_all,
    fact_share,
    load_inputs,
)
from llmcompare.store.engine import make_engine

TARGET_DIMENSIONS = 22
TARGET_FACT_SHARE = 0.60


def main() -> None:
    engine = make_engine(Settings.from_mapping().database_url)  # DATABASE_URL where set
    start = time.perf_counter()
    inputs = load_inputs(engine)
    table = dimension_table(inputs)
    seconds = time.perf_counter() - start
    top = table[table["model_id"].isin(arena_top(inputs.facts))]
    print(f"models: {table['model_id'].nunique()}, dimensions: {table['dimension_id'].nunique()}, cells: {len(table)}")
    present = dims_present_for_all(table)
    print(f"dimensions present for every model: {present} (target >= {TARGET_DIMENSIONS})")
    share = fact_share(top)
    print(
        f"fact share among the {top['model_id'].nunique()} best arena models (of {ARENA_TOP}): {share:.1%} "
        f"(target >= {TARGET_FACT_SHARE:.0%}; ratio {share / TARGET_FACT_SHARE:.2f})"
    )
    print(f"fact share over the whole catalogue: {fact_share(table):.1%}")
    print(f"provider policy facts loaded: {'yes' if inputs.policies else 'no'}")
    print(f"built in {seconds:.2f} s")
    print(basis_counts(top).to_string())


if __name__ == "__main__":
    main()
