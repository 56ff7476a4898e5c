"""The import audit trail (revision 0004): who imported which file when, what it changed, and how to undo it.

Imports only ever add rows or overwrite a row of the same key and date (a same-day price correction). Added rows
carry import_id; an overwritten row's previous values are kept in import_changes.old_row. Rolling back therefore
restores the overwritten rows and deletes the added ones, which is exactly the state before the import.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    exc,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from llmcompare.store import models as m
from llmcompare.store.engine import begin_write
from llmcompare.store.models import FACTS_VERSION_KEY, Base

APPLIED, ROLLED_BACK = "applied", "rolled_back"
# Tables an import may write, parents first: rollback deletes in the reverse order.
LINKED = (m.Source, m.Model, m.Alias, m.Price, m.BenchmarkResult, m.OpennessGrade, m.TransparencyScore)
TABLES = {t.__tablename__: t.__table__ for t in LINKED}
COUNT_COLUMNS = ("new", "changed", "unchanged", "confirmed", "gone", "unknown", "skipped", "models_added")


class ImportRefused(ValueError):
    """An import that cannot be applied or rolled back, worded for the user."""


class ImportRecord(Base):
    """One applied import: the file, its hash, who brought it in, what it changed, and whether it still stands."""

    __tablename__ = "imports"
    __table_args__ = (CheckConstraint(f"status IN ('{APPLIED}', '{ROLLED_BACK}')", name="ck_imports_status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    who: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    facts_as_of: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    rolled_back_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rolled_back_by: Mapped[str | None] = mapped_column(String(100))
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    source_id: Mapped[str] = mapped_column(String(64))  # no foreign key: a rollback deletes the source, not the record


class ImportChange(Base):
    """One line of an import's diff; a row it wrote names the table and row, an overwrite keeps the old row."""

    __tablename__ = "import_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    change: Mapped[str] = mapped_column(String(16))  # new | changed | gone | added
    subject: Mapped[str] = mapped_column(String(300))
    fact: Mapped[str] = mapped_column(String(300))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    table_name: Mapped[str | None] = mapped_column(String(32))
    row_id: Mapped[str | None] = mapped_column(String(300))
    old_row: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


def bump_facts_version(conn: Connection) -> None:
    """A new data version in the same transaction as the change, so every cached page refreshes."""
    conn.execute(delete(m.Meta).where(m.Meta.key == FACTS_VERSION_KEY))
    conn.execute(insert(m.Meta).values(key=FACTS_VERSION_KEY, value=uuid.uuid4().hex))


def row_json(table_name: str, row: dict[str, Any]) -> dict[str, Any]:
    """A table row as JSON-safe values (dates as ISO text)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items() if k in TABLES[table_name].c}


def _row_values(table_name: str, row: dict[str, Any]) -> dict[str, Any]:
    """The inverse of row_json, using each column's type."""
    table = TABLES[table_name]
    out = {}
    for key, value in row.items():
        is_date = isinstance(table.c[key].type, Date)
        out[key] = date.fromisoformat(value) if is_date and isinstance(value, str) else value
    return out


@dataclass(frozen=True)
class RollbackResult:
    import_id: int
    restored: int
    deleted: int


def rollback_import(engine: Engine, import_id: int, who: str | None = None) -> RollbackResult:
    """Undo one applied import in a single transaction; refuses while a later import builds on its rows."""
    try:
        with engine.begin() as conn:
            begin_write(conn)  # the checks below and the undo must see the same state
            record = conn.execute(select(ImportRecord).where(ImportRecord.id == import_id)).mappings().first()
            if record is None:
                raise ImportRefused(f"there is no import #{import_id}")
            if record["status"] != APPLIED:
                when = f"{record['rolled_back_at']:%Y-%m-%d}"
                raise ImportRefused(f"import #{import_id} was already rolled back on {when}")
            if blockers := _later_dependents(conn, import_id):
                later = ", ".join(f"#{b}" for b in blockers)
                raise ImportRefused(f"import {later} changed facts that #{import_id} added; roll back {later} first")
            restored = _restore_overwritten(conn, import_id)
            deleted = sum(
                conn.execute(delete(TABLES[name]).where(TABLES[name].c.import_id == import_id)).rowcount
                for name in reversed(TABLES)
            )
            conn.execute(
                update(ImportRecord)
                .where(ImportRecord.id == import_id)
                .values(status=ROLLED_BACK, rolled_back_at=datetime.now(UTC), rolled_back_by=_who(who))
            )
            bump_facts_version(conn)
    except exc.IntegrityError as error:
        raise ImportRefused(f"other facts now depend on rows that import #{import_id} added: {error.orig}") from error
    return RollbackResult(import_id, restored, deleted)


def _restore_overwritten(conn: Connection, import_id: int) -> int:
    """Put back the rows the import overwrote, where they still hold its version."""
    stmt = select(ImportChange).where(ImportChange.import_id == import_id, ImportChange.old_row.is_not(None))
    restored = 0
    for change in conn.execute(stmt.order_by(ImportChange.id.desc())).mappings():
        table = TABLES[change["table_name"]]
        values = _row_values(change["table_name"], change["old_row"])
        where = (table.c.id == int(change["row_id"]), table.c.import_id == import_id)
        restored += conn.execute(update(table).where(*where).values(values)).rowcount
    return restored


def _later_dependents(conn: Connection, import_id: int) -> list[int]:
    """Later imports still applied that overwrote this import's rows or attached facts to the models it added."""
    later = select(ImportRecord.id).where(ImportRecord.id > import_id, ImportRecord.status == APPLIED)
    later_ids = set(conn.execute(later).scalars())
    if not later_ids:
        return []
    overwrites = select(ImportChange.import_id, ImportChange.old_row).where(
        ImportChange.import_id.in_(later_ids), ImportChange.old_row.is_not(None)
    )
    found = {i for i, old in conn.execute(overwrites).all() if old.get(m.IMPORT_LINK) == import_id}
    added = select(m.Model.id).where(m.Model.import_id == import_id)
    for table in (m.Alias, m.Price, m.BenchmarkResult, m.OpennessGrade):
        stmt = select(table.import_id).where(table.model_id.in_(added), table.import_id.in_(later_ids))
        found |= set(conn.execute(stmt).scalars())
    return sorted(found)


def _who(who: str | None) -> str | None:
    return (who or "").strip()[:100] or None


def imports_log(engine: Engine) -> pd.DataFrame:
    """Every import, newest first, with its counts as columns."""
    r = ImportRecord
    columns = [r.id, r.created_at, r.who, r.kind, r.file_name, r.sha256, r.size_bytes, r.facts_as_of, r.status]
    stmt = select(*columns, r.rolled_back_at, r.rolled_back_by, r.counts).order_by(r.id.desc())
    with engine.connect() as conn:
        result = conn.execute(stmt)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    counts = pd.DataFrame([dict(c or {}) for c in frame["counts"]], columns=list(COUNT_COLUMNS))
    return pd.concat([frame.drop(columns="counts"), counts.fillna(0).astype(int)], axis=1)


def import_changes(engine: Engine, import_id: int) -> pd.DataFrame:
    """The diff an import applied: what was new, what changed from what to what, and what the file no longer held."""
    c = ImportChange
    stmt = (
        select(c.change, c.subject, c.fact, c.old_value, c.new_value, c.note)
        .where(c.import_id == import_id)
        .order_by(c.id)
    )
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


@dataclass(frozen=True)
class LastImport:
    id: int
    kind: str
    file_name: str
    created_at: datetime
    who: str | None


def last_import(engine: Engine) -> LastImport | None:
    """The newest import that still stands, or None."""
    r = ImportRecord
    stmt = select(r.id, r.kind, r.file_name, r.created_at, r.who).where(r.status == APPLIED).order_by(r.id.desc())
    with engine.connect() as conn:
        row = conn.execute(stmt.limit(1)).first()
    return LastImport(*row) if row else None
