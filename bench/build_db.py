"""build-db from the seed into a fresh database, target < 30 s; also the synthetic catalogue and the no-op rerun.

Each round runs `python -m llmcompare build-db` as `make db` does, with DATABASE_URL pointing at a new file in a
temporary folder, and times the whole command. The second call on the same file is the no-op that every later
`make run` pays. Run `python -m bench.build_db [--rounds 3] [--factor 100]` from the project root.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import SEED, write_synthetic

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 30.0


def build(seed_dir: Path, database: Path) -> tuple[float, str]:
    """Seconds the build-db command took, and the line it printed."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "LLMCOMPARE_SEED_DIR": str(seed_dir)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "llmcompare", "build-db"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, done.stdout.strip()


def measure(label: str, seed_dir: Path, folder: Path, rounds: int) -> None:
    fresh, again = [], []
    for n in range(rounds):
        database = folder / f"{label}-{n}.db"
        seconds, line = build(seed_dir, database)
        fresh.append(seconds)
        again.append(build(seed_dir, database)[0])
    times, median = ", ".join(f"{s:.2f}" for s in fresh), statistics.median(fresh)
    verdict = "ok" if median < TARGET_S else "MISSED"
    print(f"{label}: {line}")
    print(f"  fresh database: median {median:.2f} s of {rounds} ({times}), target < {TARGET_S:.0f} s  {verdict}")
    print(f"  up to date (the no-op of every later make run): median {statistics.median(again):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--factor", type=int, default=100, help="synthetic size as a multiple of the seed; 0 skips")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        folder = Path(tmp)
        measure("seed", SEED, folder, args.rounds)
        if args.factor:
            write_synthetic(folder / "synthetic", args.factor)
            measure(f"synthetic x{args.factor}", folder / "synthetic", folder, max(1, args.rounds - 2))


if __name__ == "__main__":
    main()
