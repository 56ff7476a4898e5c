"""build-db: load the committed seed into the database, idempotently and in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Table,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)

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
    offering's price on one date, an alias), the seed's copy wins and the imported duplicate goes. Rows that other
    rows point at (sources, developers, licences, models, benchmarks) are updated in place rather than deleted and
    re-inserted, so imported facts keep pointing at them on any database, without deferred foreign keys; an
    imported fact whose model left the seed makes the whole reload fail and change nothing.
    """
    migrate(engine)
    digest = seed_digest(seed_dir)
    with engine.connect() as conn:
        current = conn.execute(select(m.Meta.value).where(m.Meta.key == SEED_DIGEST_KEY)).scalar()
    if current == digest and not force:
        return BuildResult(loaded=False, counts=_counts(engine))
    # Read and type-check every file before touching the database, so a bad seed writes nothing.
    tables = [(t.__table__, read_table(seed_dir, t.__table__)) for t in m.SEED_TABLES]
    referenced = {fk.column.table for table, _ in tables for fk in table.foreign_keys}
    parents = [(table, rows) for table, rows in tables if table in referenced]
    leaves = [(table, rows) for table, rows in tables if table not in referenced]
    with engine.begin() as conn:
        for table, _ in reversed(leaves):
            _delete_seed_rows(conn, table, [])
        for table, rows in parents:  # new parents first, so updated rows may point at them
            _upsert(conn, table, rows)
        for table, rows in reversed(parents):  # then the ones the seed dropped, children before their parents
            _delete_seed_rows(conn, table, rows)
        for table, rows in leaves:
            _drop_imported_duplicates(conn, table, rows)
            if rows:
                conn.execute(insert(table), rows)
        conn.execute(delete(m.Meta).where(m.Meta.key == SEED_DIGEST_KEY))
        conn.execute(insert(m.Meta).values(key=SEED_DIGEST_KEY, value=digest))
    return BuildResult(loaded=True, counts=_counts(engine))


def _delete_seed_rows(conn: Connection, table: Table, kept: list[dict[str, Any]]) -> None:
    """Delete the seed's rows of a table, except those whose key the new seed still holds (updated in _upsert)."""
    link = table.c.get(m.IMPORT_LINK)
    stmt = delete(table) if link is None else delete(table).where(link.is_(None))
    (pk,) = table.primary_key.columns
    keys = [row[pk.name] for row in kept]
    conn.execute(stmt.where(pk.not_in(keys)) if keys else stmt)


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Update the rows whose key exists (an imported copy becomes the seed's), insert the others."""
    (pk,) = table.primary_key.columns
    present = set(conn.execute(select(pk)).scalars())
    old = [row for row in rows if row[pk.name] in present]
    if old:
        values = {c.name: bindparam(f"new_{c.name}") for c in table.columns if c is not pk}
        if m.IMPORT_LINK in table.c:
            values[m.IMPORT_LINK] = None
        stmt = update(table).where(pk == bindparam("key")).values(values)
        conn.execute(
            stmt, [{"key": r[pk.name], **{f"new_{k}": r.get(k) for k in values if k != m.IMPORT_LINK}} for r in old]
        )
    new = [row for row in rows if row[pk.name] not in present]
    if new:
        conn.execute(insert(table), new)


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
