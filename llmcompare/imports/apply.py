"""Apply a reviewed plan in one transaction: the audit record, its sources, every row, the change log, a new
data version. Any failure part-way, a killed process included, leaves the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, update

from llmcompare.imports.plan import Plan, Write
from llmcompare.imports.upload import KINDS
from llmcompare.store import models as m
from llmcompare.store.engine import begin_write
from llmcompare.store.imports import APPLIED, TABLES, ImportChange, ImportRecord, ImportRefused, bump_facts_version
from llmcompare.store.queries import version_of

BATCH = 500
Progress = Callable[[int, int], None]


def apply_plan(engine: Engine, plan: Plan, who: str | None = None, progress: Progress | None = None) -> int:
    """Write the plan and return the new import's id; refuses a plan with problems, nothing to do, or stale data."""
    if plan.blocked:
        raise ImportRefused(f"the file has {len(plan.problems)} problem(s); fix them and upload it again")
    if not plan.writes:
        raise ImportRefused("nothing to apply: every fact in the file is already in the store")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        begin_write(conn)
        record = {"kind": plan.kind, "file_name": plan.file_name[:300], "sha256": plan.sha256}
        record |= {"size_bytes": plan.size_bytes, "who": (who or "").strip()[:100] or None, "created_at": now}
        record |= {"facts_as_of": plan.as_of, "status": APPLIED, "counts": plan.counts, "source_id": ""}
        import_id = conn.execute(insert(ImportRecord).values(record)).inserted_primary_key[0]
        # This transaction holds the write lock, so no other import can slip in between this check and commit.
        if version_of(conn) != plan.data_version:
            raise ImportRefused("the data changed since this preview (another import or a rebuild); preview it again")
        sources = _add_sources(conn, plan, import_id, now)
        conn.execute(update(ImportRecord).where(ImportRecord.id == import_id).values(source_id=sources[0]))
        _write_rows(conn, plan, import_id, sources, progress)
        _log_changes(conn, plan, import_id)
        bump_facts_version(conn)
    return import_id


def _add_sources(conn: Connection, plan: Plan, import_id: int, now: datetime) -> list[str]:
    """One source per page the facts cite (one for a whole file): the file name, its hash and the import date."""
    ids = []
    for index, url in enumerate(plan.source_urls or (None,)):
        source_id = f"import-{import_id}" + (f"-{index + 1}" if index else "")
        title = f"{KINDS[plan.kind].split(' (')[0]}: {plan.file_name} (import #{import_id})"
        row = {"id": source_id, "title": title[:300], "url": url, "path": plan.file_name[:300]}
        row |= {"commit": f"sha256:{plan.sha256}"[:64], "retrieved": now.date(), "as_of": plan.as_of}
        row |= {"notes": f"Imported {now:%Y-%m-%d %H:%M} UTC, {plan.size_bytes:,} bytes.", "import_id": import_id}
        conn.execute(insert(m.Source).values(row))
        ids.append(source_id)
    return ids


def _write_rows(conn: Connection, plan: Plan, import_id: int, sources: list[str], progress: Progress | None) -> None:
    """Parents first (models, then aliases, then facts); inserts in batches, overwrites one by one."""
    order = list(TABLES)
    writes = sorted(plan.writes, key=lambda w: order.index(w.table))
    done = 0
    for start in range(0, len(writes), BATCH):
        batch = writes[start : start + BATCH]
        for table in dict.fromkeys(w.table for w in batch):
            rows = [_row(w, import_id, sources) for w in batch if w.table == table and w.update_id is None]
            if rows:
                conn.execute(insert(TABLES[table]), rows)
            for w in (w for w in batch if w.table == table and w.update_id is not None):
                target = TABLES[table]
                conn.execute(update(target).where(target.c.id == w.update_id).values(_row(w, import_id, sources)))
        done += len(batch)
        if progress is not None:
            progress(done, len(writes))


def _row(write: Write, import_id: int, sources: list[str]) -> dict[str, Any]:
    row = {**write.values, "import_id": import_id}
    if "source_id" in TABLES[write.table].c:
        row["source_id"] = sources[write.source]
    return row


def _log_changes(conn: Connection, plan: Plan, import_id: int) -> None:
    """Every written row and every fact the file no longer holds; unchanged facts are only counted."""
    logged = [(w.change, w) for w in plan.writes]
    logged += [(c, None) for c in plan.changes if c.change == "gone"]
    rows = []
    for change, write in logged:
        row = {"import_id": import_id, "change": change.change, "subject": change.subject[:300]}
        row |= {"fact": change.fact[:300], "old_value": change.old, "new_value": change.new, "note": change.note}
        row |= {"table_name": None, "old_row": None, "row_id": None}
        if write is not None:
            key = write.update_id or write.values.get("id")  # inserted fact rows are found by import_id instead
            row |= {"table_name": write.table, "old_row": write.old_row, "row_id": None if key is None else str(key)}
        rows.append(row)
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(ImportChange), rows[start : start + BATCH])
