"""data/curated/model_sizes.yaml: parameter counts of open-weights models, each quoted from a stored public page.

The seed builder sets each model's parameter count and its source from an entry (overriding a source that gave
another figure; reviewed corrections are applied after and still win) and files the active count of a
mixture-of-experts model as a `params_active_b` model fact with the same source. A bad entry stops the build with
its file, entry and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmcompare.facts.catalog import Catalog
from llmcompare.facts.model_facts import fact_row
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_yaml

ACTIVE = "params_active_b"
FIELDS = {"model", "total_b", "active_b", "source_id", "quote", "note"}
REQUIRED = ("model", "total_b", "source_id", "quote")


@dataclass(frozen=True)
class ModelSize:
    """One checked entry."""

    model: str
    total_b: float
    active_b: float | None
    source_id: str
    quote: str


def load_model_sizes(path: Path, sources: dict[str, Any], models: dict[str, Any]) -> list[ModelSize]:
    """The checked entries; raise FormatError naming the file, entry and field of a bad one."""
    file = path.name
    doc = read_yaml(path)
    if not isinstance(doc, list):
        raise FormatError(file, "top level must be a list of entries")
    seen: set[str] = set()
    out = []
    for number, entry in enumerate(doc, start=1):
        size = _entry(entry, number, file, sources, models)
        if size.model in seen:
            raise FormatError(file, f"{size.model} appears twice", row=number, field="model")
        seen.add(size.model)
        out.append(size)
    return out


def _number(entry: dict, key: str, number: int, file: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise FormatError(file, f"must be a positive number of billions, got {value!r}", row=number, field=key)
    return float(value)


def _entry(entry: Any, number: int, file: str, sources: dict[str, Any], models: dict[str, Any]) -> ModelSize:
    if not isinstance(entry, dict):
        raise FormatError(file, f"entry must be a mapping, got {type(entry).__name__}", row=number)
    unknown = set(entry) - FIELDS
    if unknown:
        raise FormatError(file, f"unknown field(s) {sorted(unknown)}", row=number, field=sorted(unknown)[0])
    for key in REQUIRED:
        if entry.get(key) in (None, ""):
            raise FormatError(file, "is required", row=number, field=key)
    if entry["model"] not in models:
        raise FormatError(file, f"unknown model {entry['model']!r}", row=number, field="model")
    if entry["source_id"] not in sources:
        raise FormatError(file, f"source {entry['source_id']!r} is not in sources.yaml", row=number, field="source_id")
    total = _number(entry, "total_b", number, file)
    active = _number(entry, "active_b", number, file)
    if active is not None and total is not None and active > total:
        raise FormatError(file, f"active {active:g}B is above the total {total:g}B", row=number, field="active_b")
    return ModelSize(str(entry["model"]), float(total or 0), active, str(entry["source_id"]), str(entry["quote"]))


def apply_model_sizes(cat: Catalog, sizes: list[ModelSize]) -> list[dict[str, Any]]:
    """Set each model's parameter count and source; return the active counts as model_facts rows."""
    rows = []
    for size in sizes:
        cat.models[size.model].update(params_b=size.total_b, params_source_id=size.source_id)
        if size.active_b is not None:
            as_of = cat.cur.source_as_of[size.source_id]
            rows.append(fact_row(size.model, ACTIVE, size.active_b, as_of, size.source_id, size.quote))
    return rows
