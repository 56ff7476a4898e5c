"""The one error every importer raises for a file it cannot trust."""

from __future__ import annotations


class FormatError(ValueError):
    """A source file is malformed; names the file, the row (header = row 1 for CSV) and the field."""

    def __init__(self, file: str, reason: str, *, row: int | None = None, field: str | None = None) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.reason = reason
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.reason}"
