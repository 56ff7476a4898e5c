"""Shared reading helpers: UTF-8 text, strict CSV, JSON, YAML and typed cells that fail with FormatError."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import yaml

from llmcompare.facts.errors import FormatError

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}([T ].*)?")


def decode(data: bytes, file: str) -> str:
    """Decode UTF-8 (a leading BOM is dropped) or fail naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(file, f"not valid UTF-8 (byte {exc.start}, line {line})") from exc


def read_text(path: Path) -> str:
    """Read a whole file as UTF-8 text."""
    return decode(path.read_bytes(), str(path))


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(text: str, file: str) -> Any:
    """Parse JSON, refusing the NaN/Infinity extensions Python would otherwise accept."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise FormatError(file, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:
        raise FormatError(file, f"malformed JSON: {exc}") from exc


def load_yaml(text: str, file: str) -> Any:
    """Parse one YAML document with the safe loader."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise FormatError(file, f"malformed YAML: {getattr(exc, 'problem', None) or exc}", row=row) from exc


def read_csv(path: Path, required: Iterable[str] = ()) -> tuple[list[str], list[Cells]]:
    """Read a CSV strictly; returns the header and one Cells per non-blank data row (header is row 1)."""
    file = str(path)
    records = _csv_records(read_text(path), file)
    if not records:
        raise FormatError(file, "file is empty, expected a header row")
    header = [name.strip() for name in records[0]]
    _check_header(header, required, file)
    rows = []
    for number, raw in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            raise FormatError(file, f"has {len(raw)} fields but the header has {len(header)}", row=number)
        rows.append(Cells(dict(zip(header, raw, strict=True)), file, number))
    return header, rows


def _csv_records(text: str, file: str) -> list[list[str]]:
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records.extend(reader)
    except csv.Error as exc:
        raise FormatError(file, f"malformed CSV: {exc}", row=len(records) + 1) from exc
    return records


def _check_header(header: list[str], required: Iterable[str], file: str) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            raise FormatError(file, "column appears twice in the header", row=1, field=name)
        seen.add(name)
    for name in required:
        if name not in seen:
            raise FormatError(file, "required column is missing", row=1, field=name)


@dataclass(frozen=True)
class Cells:
    """One row or mapping of raw values with typed getters; blanks read as None, bad values raise FormatError."""

    values: Mapping[str, Any]
    file: str
    row: int | None = None
    prefix: str = ""

    def fail(self, field: str, reason: str) -> NoReturn:
        """Raise a FormatError that names this row and field."""
        raise FormatError(self.file, reason, row=self.row, field=self.prefix + field)

    def raw(self, field: str) -> Any:
        """The value with surrounding whitespace stripped; missing and blank give None."""
        value = self.values.get(field)
        if isinstance(value, str):
            return value.strip() or None
        return value

    def text(self, field: str) -> str | None:
        """A string (numbers are written out), or None."""
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(field, f"expected text, got {type(value).__name__} {value!r}")
        return str(value)

    def need_text(self, field: str) -> str:
        """A string that must be present."""
        value = self.text(field)
        if value is None:
            self.fail(field, "is required but empty")
        return value

    def number(self, field: str, *, minimum: float | None = None) -> float | None:
        """A finite float, or None."""
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                self.fail(field, f"expected a number, got {value!r}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, f"expected a number, got {type(value).__name__} {value!r}")
        value = float(value)
        if not math.isfinite(value):
            self.fail(field, f"must be a finite number, got {value!r}")
        if minimum is not None and value < minimum:
            self.fail(field, f"must be >= {minimum:g}, got {value:g}")
        return value

    def need_number(self, field: str, *, minimum: float | None = None) -> float:
        """A finite float that must be present."""
        value = self.number(field, minimum=minimum)
        if value is None:
            self.fail(field, "is required but empty")
        return value

    def integer(self, field: str, *, minimum: int | None = None) -> int | None:
        """A whole number (1000 and 1000.0 both accepted), or None."""
        value = self.raw(field)
        if isinstance(value, int) and not isinstance(value, bool):
            number: float | int = value
        else:
            number = self.number(field)
            if number is None:
                return None
            if not number.is_integer():
                self.fail(field, f"expected a whole number, got {number!r}")
        if minimum is not None and number < minimum:
            self.fail(field, f"must be >= {minimum}, got {number:g}")
        return int(number)

    def need_integer(self, field: str, *, minimum: int | None = None) -> int:
        """A whole number that must be present."""
        value = self.integer(field, minimum=minimum)
        if value is None:
            self.fail(field, "is required but empty")
        return value

    def flag(self, field: str) -> bool | None:
        """A boolean written as true/false, yes/no or 1/0 (any case), or None."""
        value = self.raw(field)
        if value is None or isinstance(value, bool):
            return value
        word = str(value).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        self.fail(field, f"expected true/false, got {value!r}")

    def need_flag(self, field: str) -> bool:
        """A boolean that must be present."""
        value = self.flag(field)
        if value is None:
            self.fail(field, "is required but empty")
        return value

    def day(self, field: str) -> date | None:
        """A calendar date from YYYY-MM-DD or an ISO timestamp (the time is dropped), or None."""
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):
            try:
                return datetime.fromisoformat(value).date()
            except ValueError:
                pass
        self.fail(field, f"expected a date YYYY-MM-DD, got {value!r}")

    def section(self, field: str) -> Cells:
        """A nested mapping (YAML/JSON) as Cells whose field names carry the path."""
        value = self.values.get(field)
        if not isinstance(value, Mapping):
            self.fail(field, f"expected a mapping, got {type(value).__name__}")
        return Cells(value, self.file, self.row, f"{self.prefix}{field}.")
