"""The hand-curated inputs of the seed (data/curated/*.yaml): sources, licences, developers, dimensions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from llmcompare.facts.curated_schema import DeveloperEntry, DimensionEntry, LicenseEntry, SourceEntry, checked_list
from llmcompare.identity.names import slug
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_yaml

LICENSE_FIELDS = [
    "id",
    "name",
    "kind",
    "spdx_id",
    "osi_approved",
    "commercial_use",
    "user_threshold_mau",
    "use_policy",
    "modification",
    "redistribution",
    "attribution",
    "summary",
    "text_url",
    "source_id",
    "as_of",
]
DIMENSION_FIELDS = ["id", "name", "group", "open_side", "closed_side", "favours", "source_id", "as_of"]
SOURCE_FIELDS = ["id", "title", "url", "path", "commit", "data_license", "attribution", "retrieved", "notes"]


@dataclass
class Curated:
    """Everything hand-curated, indexed for the seed builder."""

    sources: dict[str, dict[str, Any]]
    source_as_of: dict[str, date]
    licenses: dict[str, dict[str, Any]]
    license_names: dict[str, str | None]
    developers: dict[str, dict[str, Any]]
    dimensions: list[dict[str, Any]]
    developer_alias: dict[str, str] = field(default_factory=dict)
    fmti_developer: dict[str, str] = field(default_factory=dict)
    first_party: dict[str, set[str]] = field(default_factory=dict)

    def developer_for(self, name: str | None) -> str | None:
        """The developer id for an organisation name as any source spells it."""
        return self.developer_alias.get(_norm(name)) if name else None

    def license_for(self, raw: str | None) -> str | None:
        """The licence id for a raw licence string, or None when unknown or undecidable."""
        if raw is None:
            return None
        raw = raw.strip()
        if raw in self.license_names:
            return self.license_names[raw]
        lowered = {k.lower(): v for k, v in self.license_names.items()}
        return lowered.get(raw.lower())


def _norm(name: str) -> str:
    return slug(name)


def _load(path: Path) -> Any:
    try:
        return read_yaml(path)
    except OSError as exc:
        raise FormatError(str(path), f"cannot read curated file: {exc}") from exc


def _as_date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise FormatError(where, f"not an ISO date: {value!r}", field="as_of") from exc


def load_curated(curated_dir: Path) -> Curated:
    """Load and cross-check the curated files; every source id they cite must exist."""
    sources = {s["id"]: s for s in checked_list(SourceEntry, _load(curated_dir / "sources.yaml"), "sources.yaml")}
    as_of = {sid: _as_date(s.get("as_of") or s.get("retrieved"), f"sources.yaml:{sid}") for sid, s in sources.items()}
    licenses = {e["id"]: e for e in checked_list(LicenseEntry, _load(curated_dir / "licenses.yaml"), "licenses.yaml")}
    developers = {
        e["id"]: e for e in checked_list(DeveloperEntry, _load(curated_dir / "developers.yaml"), "developers.yaml")
    }
    dimensions = checked_list(DimensionEntry, _load(curated_dir / "dimensions.yaml"), "dimensions.yaml")
    names = _load(curated_dir / "license_names.yaml") or {}
    cur = Curated(sources, as_of, licenses, {str(k).strip(): v for k, v in names.items()}, developers, dimensions)
    for where, rows in (
        ("licenses", licenses.values()),
        ("developers", developers.values()),
        ("dimensions", dimensions),
    ):
        for row in rows:
            if row.get("source_id") not in sources:
                msg = f"{row.get('id')}: unknown source {row.get('source_id')!r}"
                raise FormatError(f"{where}.yaml", msg, field="source_id")
    for raw, lic in cur.license_names.items():
        if lic is not None and lic not in licenses:
            raise FormatError("license_names.yaml", f"unknown licence id {lic!r}", field=raw)
    for dev_id, dev in developers.items():
        for alias in [dev["name"], dev_id, *(dev.get("aliases") or [])]:
            cur.developer_alias.setdefault(_norm(str(alias)), dev_id)
        for fmti_name in dev.get("fmti_names") or []:
            cur.fmti_developer[str(fmti_name).strip()] = dev_id
        cur.first_party[dev_id] = set(dev.get("providers") or [])
    return cur


def source_rows(cur: Curated) -> list[dict[str, Any]]:
    """Rows for the sources table."""
    rows = []
    for sid, src in cur.sources.items():
        row = {k: src.get(k) for k in SOURCE_FIELDS}
        row["id"] = sid
        row["retrieved"] = _as_date(src.get("retrieved"), f"sources.yaml:{sid}")
        row["as_of"] = cur.source_as_of[sid]
        row["commit"] = None if src.get("commit") is None else str(src["commit"])
        rows.append(row)
    return rows


def _dated_rows(cur: Curated, items, fields: list[str], file: str) -> list[dict[str, Any]]:
    """Rows with the listed fields; a missing as-of date falls back to the date of the row's source."""
    rows = []
    for item in items:
        row = {k: item.get(k) for k in fields}
        row["as_of"] = _as_date(item.get("as_of"), f"{file}:{item['id']}") or cur.source_as_of[item["source_id"]]
        rows.append(row)
    return rows


def license_rows(cur: Curated) -> list[dict[str, Any]]:
    """Rows for the licences table."""
    return _dated_rows(cur, cur.licenses.values(), LICENSE_FIELDS, "licenses.yaml")


def dimension_rows(cur: Curated) -> list[dict[str, Any]]:
    """Rows for the dimensions table."""
    return _dated_rows(cur, cur.dimensions, DIMENSION_FIELDS, "dimensions.yaml")


def developer_rows(cur: Curated) -> list[dict[str, Any]]:
    """Rows for the developers table."""
    rows = []
    for dev_id, dev in cur.developers.items():
        as_of = _as_date(dev.get("as_of"), f"developers.yaml:{dev_id}") or cur.source_as_of[dev["source_id"]]
        rows.append(
            {
                "id": dev_id,
                "name": dev["name"],
                "country": dev.get("country"),
                "url": dev.get("url"),
                "source_id": dev["source_id"],
                "as_of": as_of,
            }
        )
    return rows
