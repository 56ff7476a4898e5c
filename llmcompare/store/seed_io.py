"""The seed: one CSV per fact table, columns named after the table columns; build-seed writes it, build-db reads it."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, Table

from llmcompare.io.cells import parse_flag
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_csv
from llmcompare.store.models import IMPORT_LINK, SEED_TABLES


class SeedError(ValueError):
    """The seed is malformed; the message names the file, row and column."""


def seed_file(seed_dir: Path, table: Table) -> Path:
    return seed_dir / f"{table.name}.csv"


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _parse(raw: str, column) -> Any:
    """Turn one CSV cell into the column's Python type; empty means NULL."""
    if raw == "":
        if not column.nullable and not column.primary_key:
            raise ValueError("is required")
        return None
    kind = column.type
    if isinstance(kind, Boolean):
        return parse_flag(raw)
    if isinstance(kind, Integer):
        return int(raw)
    if isinstance(kind, Float):
        return float(raw)
    if isinstance(kind, Date):
        return date.fromisoformat(raw)
    return raw


def write_table(seed_dir: Path, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write rows to the table's seed CSV in a stable order; return how many were written. Import links stay out."""
    columns = [
        c.name for c in table.columns if not (c.primary_key and isinstance(c.type, Integer)) and c.name != IMPORT_LINK
    ]
    lines = sorted([_to_text(row.get(c)) for c in columns] for row in rows)
    seed_dir.mkdir(parents=True, exist_ok=True)
    with seed_file(seed_dir, table).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(lines)
    return len(lines)


def read_table(seed_dir: Path, table: Table) -> list[dict[str, Any]]:
    """Read and type-check one seed CSV; raise SeedError naming the first bad cell."""
    path = seed_file(seed_dir, table)
    if not path.exists():
        raise SeedError(f"{path.name}: missing from {seed_dir}")
    known = {c.name: c for c in table.columns}
    try:
        header, records = read_csv(path)
    except FormatError as exc:
        raise SeedError(str(exc)) from exc
    unknown = set(header) - set(known)
    if unknown:
        raise SeedError(f"{path.name}: unknown columns {sorted(unknown)}")
    rows = []
    for record in records:
        row = {}
        for name, cell in record.values.items():
            try:
                row[name] = _parse(cell, known[name])
            except ValueError as exc:
                raise SeedError(f"{path.name} line {record.row}, column {name}: {exc}") from exc
        rows.append(row)
    return rows


def seed_digest(seed_dir: Path) -> str:
    """A hash of every seed file, so build-db knows whether the database is already up to date."""
    digest = hashlib.sha256()
    for model in SEED_TABLES:
        path = seed_file(seed_dir, model.__table__)
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()
