"""Ordered schema migrations. User data must survive upgrades, so the schema is versioned, never recreated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from llmcompare.store import models as m
from llmcompare.store.engine import begin_write
from llmcompare.store.imports import migrate_v4_imports
from llmcompare.store.indexes import migrate_v5_indexes
from llmcompare.store.runs import migrate_v2_runs, migrate_v6_run_who
from llmcompare.store.scenarios import migrate_v3_scenarios


def _v1_fact_store(conn: Connection) -> None:
    """The fact store: sources, models, licences, prices, benchmarks, openness, transparency, dimensions."""
    tables = [t.__table__ for t in (*m.SEED_TABLES, m.Meta)]
    m.Base.metadata.create_all(conn, tables=tables)


MIGRATIONS: list[Callable[[Connection], None]] = [
    _v1_fact_store,
    migrate_v2_runs,
    migrate_v3_scenarios,
    migrate_v4_imports,
    migrate_v5_indexes,
    migrate_v6_run_who,
]


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    conn.execute(
        text("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    )
    return conn.execute(text("SELECT COALESCE(MAX(version), 0) FROM schema_version")).scalar_one()


def migrate(engine: Engine) -> int:
    """Apply every pending migration, each in its own transaction; return the resulting version."""
    with engine.begin() as conn:
        version = current_version(conn)
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        with engine.begin() as conn:
            begin_write(conn)
            if current_version(conn) >= number:  # another process applied it while this one waited for the lock
                continue
            step(conn)
            conn.execute(
                text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :t)"),
                {"v": number, "t": datetime.now(UTC).isoformat()},
            )
    return len(MIGRATIONS)
