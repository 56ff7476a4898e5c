"""Typed access to one row or mapping of raw values: blanks read as None, bad values raise FormatError."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn

from llmcompare.io.errors import FormatError

# The one boolean rule for every file this app reads: true/false, yes/no or 1/0, in any case.
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}([T ].*)?")


def parse_flag(value: Any) -> bool | None:
    """True/False from a boolean word (see TRUE_WORDS/FALSE_WORDS), None when blank; ValueError otherwise."""
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"expected true/false, got {value!r}")


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
        try:
            return parse_flag(self.raw(field))
        except ValueError as exc:
            self.fail(field, str(exc))

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
