"""Advisor presets for the decision-makers the articles name, each citing the article lines it is read from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from llmcompare.config import PROJECT_ROOT
from llmcompare.decide.criteria import IDS
from llmcompare.decide.ranking import MISSING_POLICIES, Constraints
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_yaml
from llmcompare.io.validate import validate
from llmcompare.store.scenarios import Scenario

PRESETS_FILE = PROJECT_ROOT / "data" / "curated" / "presets.yaml"


class PresetError(ValueError):
    """A preset file the advisor cannot use, worded for the maintainer who edits it."""


@dataclass(frozen=True)
class Citation:
    """One article line: its source id, file, line number and a verbatim quote."""

    article: str
    file: str
    line: int
    quote: str

    def text(self) -> str:
        return f"{self.article} ({self.file}), line {self.line}: “{self.quote}”"


@dataclass(frozen=True)
class Preset:
    """Who the preset is for, the advisor settings it stands for, and the lines it comes from."""

    id: str
    name: str
    who: str
    scenario: Scenario
    cites: tuple[Citation, ...]


class _CiteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str = Field(min_length=1)
    file: str = Field(min_length=1)
    line: int = Field(gt=0)
    quote: str = Field(min_length=1)


class _PresetIn(BaseModel):
    """One entry of presets.yaml as declared; the criteria and must-haves are checked against the advisor's own."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    who: str = Field(min_length=1)
    weights: dict[str, float] = Field(min_length=1)
    constraints: dict[str, object] = {}
    missing_policy: str = "average"
    cites: list[_CiteIn] = []


def _preset(raw: object, number: int, file: str) -> Preset:
    try:
        item = validate(_PresetIn, raw, file, row=number)
    except FormatError as exc:
        raise PresetError(str(exc)) from exc
    where = f"{file}: {item.id}"
    unknown = set(item.weights) - set(IDS)
    if unknown:
        raise PresetError(f"{where}: unknown criteria {', '.join(sorted(unknown))}")
    if any(weight < 0 for weight in item.weights.values()):
        raise PresetError(f"{where}: a weight cannot be negative")
    Constraints.from_dict(item.constraints)  # raises on an unknown must-have
    if item.missing_policy not in MISSING_POLICIES:
        raise PresetError(f"{where}: unknown missing-data policy {item.missing_policy!r}")
    if not item.cites:
        raise PresetError(f"{where}: a preset must cite the article lines it comes from")
    cites = tuple(Citation(c.article, c.file, c.line, c.quote) for c in item.cites)
    who = " ".join(item.who.split())
    scenario = Scenario(
        name=f"Preset: {item.name}",
        weights=dict(raw["weights"]),  # as written: whole numbers stay whole in the advisor's sliders
        constraints=dict(item.constraints),
        missing_policy=item.missing_policy,
        description=who,
    )
    return Preset(item.id, item.name, who, scenario, cites)


def load_presets(path: Path = PRESETS_FILE) -> tuple[Preset, ...]:
    """Every preset in the curated file, checked; a problem raises PresetError naming the entry and field."""
    doc = read_yaml(path) or []
    if not isinstance(doc, list):
        raise PresetError(f"{path.name}: the file must hold a list of presets")
    return tuple(_preset(item, number, path.name) for number, item in enumerate(doc, start=1))
