"""data/curated/provider_policies.yaml: data handling and service terms per API provider, checked strictly.

Every provider must answer every attribute exactly once, either as a sourced fact (page, date, quote) or as an
explicit `none` (the pages searched did not say). A bad entry stops the seed build with its file, entry and field.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_yaml
from llmcompare.store.policy_tables import ATTRIBUTES

ANSWERS = ("yes", "no", "conditional")
BASES = ("fact", "none")
FACT_FIELDS = {"provider", "attribute", "basis", "answer", "value", "source_id", "as_of", "quote"}
NONE_FIELDS = {"provider", "attribute", "basis", "value"}


def load_provider_policies(path: Path, sources: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for the provider_policies table; raise FormatError naming the file, entry and field of a bad entry."""
    file = path.name
    doc = read_yaml(path)
    if not isinstance(doc, dict) or set(doc) != {"providers", "facts"}:
        raise FormatError(file, "top level must be a mapping with exactly the keys 'providers' and 'facts'")
    providers = _providers(doc["providers"], file)
    if not isinstance(doc["facts"], list):
        raise FormatError(file, "'facts' must be a list of entries", field="facts")
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for number, entry in enumerate(doc["facts"], start=1):
        row = _row(entry, number, file, providers, sources)
        key = (row["provider"], row["attribute"])
        if key in rows:
            raise FormatError(file, f"{key[0]}/{key[1]} appears twice", row=number, field="attribute")
        rows[key] = row
    missing = [f"{p}/{a}" for p in providers for a in ATTRIBUTES if (p, a) not in rows]
    if missing:
        raise FormatError(file, f"every provider needs every attribute (use basis: none); missing {missing[:5]}")
    return list(rows.values())


def _providers(value: Any, file: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise FormatError(file, "'providers' must map provider ids to display names", field="providers")
    for pid, name in value.items():
        if not isinstance(pid, str) or not isinstance(name, str) or not name.strip():
            raise FormatError(file, f"provider {pid!r} needs a non-empty display name", field="providers")
    return {pid: name.strip() for pid, name in value.items()}


def _row(entry: Any, number: int, file: str, providers: dict[str, str], sources: dict[str, Any]) -> dict[str, Any]:
    """One checked entry; `number` is its 1-based position in `facts`."""
    if not isinstance(entry, dict):
        raise FormatError(file, f"entry must be a mapping, got {type(entry).__name__}", row=number)

    def fail(field: str, reason: str) -> FormatError:
        name = f"{entry.get('provider')}/{entry.get('attribute')}"
        return FormatError(file, f"{name}: {reason}", row=number, field=field)

    provider, attribute, basis = entry.get("provider"), entry.get("attribute"), entry.get("basis")
    if provider not in providers:
        raise fail("provider", f"unknown provider {provider!r}; declare it under 'providers'")
    if attribute not in ATTRIBUTES:
        raise fail("attribute", f"unknown attribute {attribute!r}; one of {list(ATTRIBUTES)}")
    if basis not in BASES:
        raise fail("basis", f"must be one of {BASES}, got {basis!r}")
    allowed = FACT_FIELDS if basis == "fact" else NONE_FIELDS
    extra = sorted(set(entry) - allowed)
    if extra:
        raise fail(extra[0], f"not allowed when basis is {basis!r}")
    value = _text(entry, "value", fail)
    row = {
        "provider": provider,
        "provider_name": providers[provider],
        "attribute": attribute,
        "value": value,
        "basis": basis,
        "answer": None,
        "source_id": None,
        "as_of": None,
        "quote": None,
    }
    if basis == "none":
        return row
    if entry.get("answer") not in ANSWERS:
        raise fail("answer", f"must be one of {ANSWERS}, got {entry.get('answer')!r}")
    source_id = entry.get("source_id")
    if source_id not in sources:
        raise fail("source_id", f"unknown source {source_id!r}; register it in sources.yaml")
    if "as_of" not in entry:
        raise fail("as_of", "required: the page's date, or null when the page shows none")
    row.update(answer=entry["answer"], source_id=source_id, as_of=_day(entry["as_of"], fail))
    row["quote"] = _text(entry, "quote", fail)
    return row


def _text(entry: dict[str, Any], field: str, fail) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise fail(field, "must be a non-empty string")
    return value.strip()


def _day(value: Any, fail) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise fail("as_of", f"not an ISO date: {value!r}") from exc
