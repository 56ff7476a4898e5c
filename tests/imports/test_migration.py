"""Schema v4 on a database built before it: the audit tables appear, fact tables gain import_id, data survives."""

from __future__ import annotations

import sqlite3

from sqlalchemy import inspect

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.imports import TABLES, migrate_v4_imports
from tests.imports.conftest import FIXTURE_SEED


def test_v4_upgrades_an_older_database_and_is_idempotent(tmp_path):
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    build_db(engine, FIXTURE_SEED)
    engine.dispose()
    db = sqlite3.connect(path)  # make it look like a database from before import links existed
    for table in TABLES:
        db.execute(f"ALTER TABLE {table} DROP COLUMN import_id")
    db.commit()
    prices = db.execute("SELECT * FROM prices ORDER BY id").fetchall()
    db.close()
    engine = make_engine(f"sqlite:///{path}")
    for _ in range(2):
        with engine.begin() as conn:
            migrate_v4_imports(conn)
    inspector = inspect(engine)
    assert inspector.has_table("imports") and inspector.has_table("import_changes")
    for table in TABLES:
        assert "import_id" in {c["name"] for c in inspector.get_columns(table)}, table
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM prices ORDER BY id").fetchall()
    assert [tuple(r)[:-1] for r in rows] == prices and all(r[-1] is None for r in rows)
