"""Declared validation: a pydantic model checks one record, and a failure names the file, the record and the field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from llmcompare.io.errors import FormatError

Record = TypeVar("Record", bound=BaseModel)


def _field(location: tuple[int | str, ...]) -> str | None:
    return ".".join(str(part) for part in location) or None


def validate(model: type[Record], data: Any, file: str, row: int | None = None) -> Record:
    """The record as the model, or FormatError for its first problem (file, row and dotted field path)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        reason = first["msg"]
        shown = first.get("input")
        if first["type"] not in ("missing", "extra_forbidden") and not isinstance(shown, dict | list | type(None)):
            reason += f", got {shown!r}"[:200]
        raise FormatError(file, reason, row=row, field=_field(first["loc"])) from exc


def problems(model: type[BaseModel], data: Any) -> list[tuple[str | None, str]]:
    """Every problem with the record as (dotted field, reason); empty when it is valid."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [(_field(e["loc"]), e["msg"]) for e in exc.errors(include_url=False)]
    return []
