"""Write a synthetic seed N times the real one: every model cloned with a new id and name, with all its facts.

Each clone keeps its original's developer, licence, sources and as-of dates, so every fact still points at a source
and carries a date; prices and scores are nudged per copy so that charts and sorting see different values.
add_runs() stores playground runs and votes in a built database. Run
`python -m bench.synthetic --out /tmp/seed100 --factor 100`; build it with
`DATABASE_URL=sqlite:////tmp/big.db LLMCOMPARE_SEED_DIR=/tmp/seed100 python -m llmcompare build-db`.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from llmcompare.providers.base import GenerationSettings, RunResult, SideResult
from llmcompare.store.engine import make_engine
from llmcompare.store.runs import save_run, save_vote

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"
# Playground specs for the stored runs that add_runs writes, so History, Votes and run charts have data.
SPECS = ("local:bundled", "openai:gpt-4o@https://api.openai.com/v1", "openai:gpt-4o-mini@https://api.openai.com/v1")
SHARED = ("sources", "developers", "licenses", "benchmark_defs", "dimensions", "transparency")
Row = dict[str, str]


def _read(seed: Path, table: str) -> tuple[list[str], list[Row]]:
    with (seed / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or ()), list(reader)


def _scaled(raw: str, factor: float) -> str:
    return "" if raw == "" else f"{float(raw) * factor:.6g}"


def _clone_id(model_id: str, copy: int) -> str:
    return model_id if copy == 0 else f"{model_id}-syn{copy}"


def _model(row: Row, copy: int) -> Row:
    if copy == 0:
        return row
    return row | {"id": _clone_id(row["id"], copy), "name": f"{row['name']} (synthetic {copy})"}


def _alias(row: Row, copy: int) -> Row:
    if copy == 0:
        return row
    return row | {"model_id": _clone_id(row["model_id"], copy), "name": f"{row['name']}-syn{copy}"}


def _price(row: Row, copy: int) -> Row:
    if copy == 0:
        return row
    factor = 0.6 + (copy % 9) * 0.1  # spread of 0.6x to 1.4x around the original list price
    scaled = {k: _scaled(row[k], factor) for k in ("input_usd_per_1m", "output_usd_per_1m", "cached_input_usd_per_1m")}
    return row | scaled | {"model_id": _clone_id(row["model_id"], copy), "offering": f"{row['offering']}-syn{copy}"}


def _benchmark(row: Row, copy: int) -> Row:
    if copy == 0:
        return row
    factor = 0.97 + (copy % 7) * 0.01
    return row | {"model_id": _clone_id(row["model_id"], copy), "score": _scaled(row["score"], factor)}


def _grade(row: Row, copy: int) -> Row:
    if copy == 0:
        return row
    return row | {"model_id": _clone_id(row["model_id"], copy), "system_name": f"{row['system_name']} {copy}"}


CLONED: dict[str, Callable[[Row, int], Row]] = {
    "models": _model,
    "aliases": _alias,
    "prices": _price,
    "benchmarks": _benchmark,
    "openness": _grade,
}


def write_synthetic(out: Path, factor: int, seed: Path = SEED) -> dict[str, int]:
    """Write the synthetic seed to out (replacing it); return rows per table."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    counts = {}
    for table in SHARED:
        shutil.copyfile(seed / f"{table}.csv", out / f"{table}.csv")
        counts[table] = len(_read(seed, table)[1])
    for table, clone in CLONED.items():
        columns, rows = _read(seed, table)
        with (out / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, columns, lineterminator="\n")
            writer.writeheader()
            for copy in range(factor):
                writer.writerows(clone(row, copy) for row in rows)
        counts[table] = len(rows) * factor
    return counts


def _side(spec: str, index: int) -> SideResult:
    name = spec.split(":", 1)[1].split("@", 1)[0]
    return SideResult(
        spec=spec,
        model_name=name,
        settings=GenerationSettings(),
        text=f"answer {index}",
        ttft_s=0.2 + index % 5 / 10,
        total_s=1.5,
        input_tokens=12,
        output_tokens=40,
        tokens_per_s=30.0 + index % 7,
        cost_usd=0.0001,
        cost_basis="bench",
    )


def add_runs(url: str, count: int) -> None:
    """Stored runs between the three specs, every second one with a blind vote."""
    engine = make_engine(url)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(count):
        sides = [_side(SPECS[i % 3], i), _side(SPECS[(i + 1) % 3], i)]
        run_id = save_run(engine, RunResult(f"prompt {i}", start + timedelta(minutes=i), 2.0, sides))
        if i % 2 == 0:
            save_vote(engine, run_id, ("a", "b", "tie")[i % 3])
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()
    counts = write_synthetic(args.out, args.factor)
    print(", ".join(f"{table} {n:,}" for table, n in counts.items()))


if __name__ == "__main__":
    main()
