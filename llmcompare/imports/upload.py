"""An uploaded file as the importers see it, the problems they report, and the checks every name passes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from llmcompare.exports.tables import FORMULA_START

KINDS = {
    "litellm": "LiteLLM price map (JSON)",
    "eu-osai": "EU Open Source AI Index (a .zip of the models/ folder, or one system's .yaml)",
    "fmti": "FMTI scores (CSV, one column per developer)",
    "csv": "Hand-entered facts (this app's CSV template)",
}
SUFFIXES = {"litellm": ("json",), "eu-osai": ("zip", "yaml", "yml"), "fmti": ("csv",), "csv": ("csv",)}
MAX_NAME = 300
_HTML = re.compile(r"<\s*[A-Za-z/!?]|&#?\w+;|javascript:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Upload:
    """The file to import: its kind, the name it was uploaded under and its bytes."""

    kind: str
    name: str
    data: bytes = field(repr=False)
    source_url: str | None = None  # where a fetched file came from

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Options:
    """What the user says about the file: the date its facts describe and, for FMTI, the edition."""

    as_of: date
    today: date
    max_bytes: int
    edition: str | None = None
    indicators: bytes | None = field(default=None, repr=False)  # FMTI sheets without a Domain column need them
    # An unchanged price or grade gets a point dated as_of, as the seed does for each snapshot, so it is not
    # flagged stale; off, unchanged facts are only counted.
    confirm_unchanged: bool = True


@dataclass(frozen=True)
class Problem:
    """Why one row (a CSV line, a map entry, a YAML file) cannot be imported, naming the field where known."""

    reason: str
    row: int | str | None = None
    field: str | None = None

    def describe(self) -> str:
        where = [f"row {self.row}" if isinstance(self.row, int) else self.row, self.field and f"field '{self.field}'"]
        prefix = ", ".join(str(w) for w in where if w)
        return f"{prefix}: {self.reason}" if prefix else self.reason


def size_problem(upload: Upload, max_bytes: int) -> Problem | None:
    """A file over the limit is refused before anything reads it."""
    if upload.size > max_bytes:
        return Problem(f"the file is {_mb(upload.size)}; the limit is {_mb(max_bytes)} (LLMCOMPARE_IMPORT_MAX_MB)")
    if upload.size == 0:
        return Problem("the file is empty")
    return None


def suffix_problem(upload: Upload) -> Problem | None:
    """The file name must end in one of the kind's suffixes, so a wrong pick is caught early."""
    allowed = SUFFIXES[upload.kind]
    if upload.name.lower().rsplit(".", 1)[-1] in allowed:
        return None
    return Problem(f"a {KINDS[upload.kind]} file should end in .{' or .'.join(allowed)}; got {upload.name!r}")


def text_problem(value: str) -> str | None:
    """Why a name or label cannot be stored as it is, or None when it is fine."""
    value = value.strip()
    if not value:
        return "is empty"
    if value.startswith(FORMULA_START):
        return f"starts with {value[0]!r}, which a spreadsheet would run as a formula"
    if _HTML.search(value):
        return "contains HTML markup; write plain text"
    if _CONTROL.search(value):
        return "contains control characters"
    if len(value) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    return None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"
