"""Read a SQLite file behind the app's back, to compare database states exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read with plain sqlite3, so two states can be compared exactly."""
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        db.close()
