"""The reviewed correction file: each override of a source value, and each derivative's base, with its evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from llmcompare.config import DATA_DIR
from llmcompare.identity.names import price_artefact
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_yaml
from llmcompare.io.validate import validate

FILE_NAME = "corrections.yaml"
FIELDS = {"params_b": "params_source_id", "release_date": "release_source_id", "license_id": None, "developer_id": None}


class CorrectionError(FormatError):
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


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _EvidenceIn(_Entry):
    url: str = Field(pattern=r"^https?://")
    quote: str = Field(min_length=1)

    @field_validator("quote")
    @classmethod
    def _one_line(cls, quote: str) -> str:
        if not quote.strip():
            raise ValueError("a quote must not be blank")
        return " ".join(quote.split())


class _FactIn(_Entry):
    model: str
    field: str
    value: Any = None
    source_value: Any = None
    reason: str = Field(min_length=1)
    evidence: _EvidenceIn

    @field_validator("field")
    @classmethod
    def _correctable(cls, field: str) -> str:
        if field not in FIELDS:
            raise ValueError(f"field must be one of {sorted(FIELDS)}")
        return field


class _LineageIn(_Entry):
    model: str
    base: str
    own_license: str | None = None
    evidence: _EvidenceIn


class _PriceFlagIn(_Entry):
    offering: str
    source: str | None = None
    reason: str = Field(min_length=1)
    evidence: _EvidenceIn

    @field_validator("offering")
    @classmethod
    def _pattern(cls, offering: str) -> str:
        try:
            re.compile(offering)  # a bad pattern fails here, with its reason, not when prices are read
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return offering


class _CorrectionsIn(_Entry):
    facts: list[_FactIn] = []
    lineage: list[_LineageIn] = []
    prices: list[_PriceFlagIn] = []


def _evidence(entry: _EvidenceIn) -> Evidence:
    return Evidence(entry.url, entry.quote)


def load_corrections(curated_dir: Path) -> Corrections:
    """Read data/curated/corrections.yaml; an absent file means no corrections. A bad entry raises
    CorrectionError naming the file and the field path (facts.0.evidence.url: the first fix's evidence URL)."""
    path = curated_dir / FILE_NAME
    if not path.exists():
        return Corrections((), ())
    try:
        raw = validate(_CorrectionsIn, read_yaml(path) or {}, FILE_NAME)
    except FormatError as exc:
        raise CorrectionError(exc.file, exc.reason, row=exc.row, field=exc.field) from exc
    facts = [Correction(e.model, e.field, e.value, e.source_value, e.reason, _evidence(e.evidence)) for e in raw.facts]
    lineage = [Lineage(e.model, e.base, e.own_license, _evidence(e.evidence)) for e in raw.lineage]
    prices = [PriceFlag(e.offering, e.reason, _evidence(e.evidence), e.source) for e in raw.prices]
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
