"""build-db: load the committed seed into the database, idempotently and in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Integer, Table, UniqueConstraint, delete, func, insert, select, tuple_

from llmcompare.store import models as m
from llmcompare.store.migrations import migrate
from llmcompare.store.models import SEED_DIGEST_KEY
from llmcompare.store.seed_io import read_table, seed_digest


@dataclass(frozen=True)
class BuildResult:
    """What build-db did: whether it loaded anything, and row counts per table."""

    loaded: bool
    counts: dict[str, int]


def build_db(engine: Engine, seed_dir: Path, force: bool = False) -> BuildResult:
    """Bring the database up to the seed. Unchanged seed: nothing to do. Otherwise replace the seed facts at once.

    Only seed rows are replaced: rows that a reviewed import added (import_id set) are user data and survive,
    and so does the audit log. Where the new seed holds the same key as an imported row (a model id, an
    offering's price on one date, an alias), the seed's copy wins and the imported duplicate goes. Foreign keys
    are checked at commit, so imported prices may keep pointing at seed models that the reload deletes and
    re-inserts; an imported fact whose model left the seed makes the whole reload fail and change nothing.
    """
    migrate(engine)
    digest = seed_digest(seed_dir)
    with engine.connect() as conn:
        current = conn.execute(select(m.Meta.value).where(m.Meta.key == SEED_DIGEST_KEY)).scalar()
    if current == digest and not force:
        return BuildResult(loaded=False, counts=_counts(engine))
    # Read and type-check every file before touching the database, so a bad seed writes nothing.
    tables = [(t.__table__, read_table(seed_dir, t.__table__)) for t in m.SEED_TABLES]
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        for table, _ in reversed(tables):
            link = table.c.get(m.IMPORT_LINK)
            conn.execute(delete(table) if link is None else delete(table).where(link.is_(None)))
        for table, rows in tables:
            _drop_imported_duplicates(conn, table, rows)
            if rows:
                conn.execute(insert(table), rows)
        conn.execute(delete(m.Meta).where(m.Meta.key == SEED_DIGEST_KEY))
        conn.execute(insert(m.Meta).values(key=SEED_DIGEST_KEY, value=digest))
    return BuildResult(loaded=True, counts=_counts(engine))


def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    """The column sets that identify a row: a natural primary key and every unique constraint."""
    pk = tuple(c.name for c in table.primary_key.columns)
    natural = not (len(pk) == 1 and isinstance(table.c[pk[0]].type, Integer))
    keys = [pk] if natural else []
    return keys + [tuple(c.name for c in u.columns) for u in table.constraints if isinstance(u, UniqueConstraint)]


def _drop_imported_duplicates(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Delete imported rows that the seed now also holds, so its copy can go in."""
    link = table.c.get(m.IMPORT_LINK)
    if link is None or not rows:
        return
    pk = list(table.primary_key.columns)
    for names in _unique_keys(table):
        seeded = {tuple(row.get(n) for n in names) for row in rows}
        imported = conn.execute(select(*pk, *(table.c[n] for n in names)).where(link.is_not(None))).all()
        clash = [tuple(r[: len(pk)]) for r in imported if tuple(r[len(pk) :]) in seeded]
        if clash:
            conn.execute(delete(table).where(tuple_(*pk).in_(clash)))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in m.SEED_TABLES}
