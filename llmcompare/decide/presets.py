"""Advisor presets for the decision-makers the articles name, each citing the article lines it is read from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from llmcompare.config import PROJECT_ROOT
from llmcompare.decide.criteria import IDS
from llmcompare.decide.ranking import MISSING_POLICIES, Constraints
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


def _preset(item: dict) -> Preset:
    where = f"presets.yaml: {item.get('id', '?')}"
    unknown = set(item.get("weights") or {}) - set(IDS)
    if unknown:
        raise PresetError(f"{where}: unknown criteria {', '.join(sorted(unknown))}")
    Constraints.from_dict(item.get("constraints") or {})  # raises on an unknown must-have
    if item.get("missing_policy", "average") not in MISSING_POLICIES:
        raise PresetError(f"{where}: unknown missing-data policy {item.get('missing_policy')!r}")
    cites = tuple(Citation(c["article"], c["file"], int(c["line"]), c["quote"]) for c in item.get("cites") or [])
    if not cites:
        raise PresetError(f"{where}: a preset must cite the article lines it comes from")
    who = " ".join(item["who"].split())
    scenario = Scenario(
        name=f"Preset: {item['name']}",
        weights=dict(item["weights"]),
        constraints=dict(item.get("constraints") or {}),
        missing_policy=item.get("missing_policy", "average"),
        description=who,
    )
    return Preset(item["id"], item["name"], who, scenario, cites)


def load_presets(path: Path = PRESETS_FILE) -> tuple[Preset, ...]:
    """Every preset in the curated file, checked."""
    return tuple(_preset(item) for item in yaml.safe_load(path.read_text(encoding="utf-8")) or [])
