"""The hand-made seed plus real LMArena rows (tests/fixtures/arena), for tests of the arena charts and pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURE_SEED

ARENA_ROWS = Path(__file__).resolve().parent / "fixtures" / "arena"


def arena_seed(folder: Path) -> Path:
    """A copy of the fixture seed in folder, with the arena rows appended under the same headers."""
    seed = folder / "seed"
    shutil.copytree(FIXTURE_SEED, seed)
    for extra in sorted(ARENA_ROWS.glob("*.csv")):
        header, rows = extra.read_text(encoding="utf-8").split("\n", 1)
        target = seed / extra.name
        assert target.read_text(encoding="utf-8").split("\n", 1)[0] == header, f"{extra.name}: header differs"
        with target.open("a", encoding="utf-8") as out:
            out.write(rows)
    return seed
