"""The reviewed correction file: each override of a source value, and each derivative's base, with its evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from llmcompare.config import DATA_DIR
from llmcompare.identity.names import price_artefact

FILE_NAME = "corrections.yaml"
FIELDS = {"params_b": "params_source_id", "release_date": "release_source_id", "license_id": None, "developer_id": None}


class CorrectionError(ValueError):
    """The correction file is malformed: an entry lacks evidence or names a field that cannot be corrected."""


@dataclass(frozen=True)
class Evidence:
    url: str
    quote: str


@dataclass(frozen=True)
class Correction:
    """One source value replaced: which model and field, the value the source gave, the value used, and why."""

    model: str
    field: str
    value: Any
    source_value: Any
    reason: str
    evidence: Evidence


@dataclass(frozen=True)
class Lineage:
    """A derivative and its base model; the derivative takes the base's licence unless its own card says otherwise."""

    model: str
    base: str
    own_license: str | None
    evidence: Evidence


@dataclass(frozen=True)
class PriceFlag:
    """Offerings (a regular expression on the offering name) whose listed price is kept but not used as a cost."""

    offering: str
    reason: str
    evidence: Evidence
    source: str | None = None  # only the price points from this source, when a later snapshot corrected it

    def matches(self, offering: str, source_id: str | None = None) -> bool:
        same_source = self.source is None or source_id is None or self.source == source_id
        return same_source and re.fullmatch(self.offering, offering) is not None


@dataclass(frozen=True)
class Corrections:
    facts: tuple[Correction, ...]
    lineage: tuple[Lineage, ...]
    prices: tuple[PriceFlag, ...] = ()

    def price_flag(self, offering: str, source_id: str | None = None) -> str | None:
        """Why a reviewed offering's price is not a cost, or None."""
        return next((f.reason for f in self.prices if f.matches(offering, source_id)), None)

    def for_model(self, model_id: str) -> list[Correction]:
        return [c for c in self.facts if c.model == model_id]

    def bases(self) -> dict[str, str]:
        return {entry.model: entry.base for entry in self.lineage}


def _evidence(entry: dict[str, Any], where: str) -> Evidence:
    ev = entry.get("evidence") or {}
    if not str(ev.get("url", "")).startswith("http") or not str(ev.get("quote", "")).strip():
        raise CorrectionError(f"{where}: every entry needs evidence with a url and a quote")
    return Evidence(ev["url"], " ".join(str(ev["quote"]).split()))


def load_corrections(curated_dir: Path) -> Corrections:
    """Read data/curated/corrections.yaml; an absent file means no corrections."""
    path = curated_dir / FILE_NAME
    if not path.exists():
        return Corrections((), ())
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    facts = []
    for n, entry in enumerate(raw.get("facts") or [], 1):
        where = f"{FILE_NAME} facts #{n} ({entry.get('model')})"
        if entry.get("field") not in FIELDS:
            raise CorrectionError(f"{where}: field must be one of {sorted(FIELDS)}")
        facts.append(
            Correction(
                entry["model"],
                entry["field"],
                entry.get("value"),
                entry.get("source_value"),
                entry["reason"],
                _evidence(entry, where),
            )
        )
    lineage = [
        Lineage(
            e["model"], e["base"], e.get("own_license"), _evidence(e, f"{FILE_NAME} lineage #{n} ({e.get('model')})")
        )
        for n, e in enumerate(raw.get("lineage") or [], 1)
    ]
    prices = [
        PriceFlag(e["offering"], e["reason"], _evidence(e, f"{FILE_NAME} prices #{n}"), e.get("source"))
        for n, e in enumerate(raw.get("prices") or [], 1)
    ]
    return Corrections(tuple(facts), tuple(lineage), tuple(prices))


def artefact_reason(
    fixes: Corrections, offering: str, input_usd_per_1m: float, output_usd_per_1m: float, source_id: str | None = None
) -> str | None:
    """Why a listed price is not what using the model costs: a rule (per-request, free tier) or a reviewed flag."""
    return price_artefact(offering, input_usd_per_1m, output_usd_per_1m) or fixes.price_flag(offering, source_id)


@lru_cache(maxsize=4)
def reviewed_corrections(curated_dir: Path = DATA_DIR / "curated") -> Corrections:
    """The committed correction file, read once per process: it changes only with a release."""
    return load_corrections(curated_dir)


def artefact_reasons(frame, fixes: Corrections | None = None) -> list[str | None]:
    """artefact_reason for each row of a frame with offering, input/output prices and source_id columns."""
    fixes = fixes or reviewed_corrections()
    return [
        artefact_reason(fixes, o, i, x, sid)
        for o, i, x, sid in zip(
            frame["offering"], frame["input_usd_per_1m"], frame["output_usd_per_1m"], frame["source_id"], strict=True
        )
    ]
