"""Epoch AI data sets: notable models, Benchmarking Hub runs and organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from llmcompare.io.cells import Cells
from llmcompare.io.readers import read_csv


@dataclass(frozen=True)
class EpochModel:
    """One notable model; parameters is a raw count (7e9, not 7)."""

    name: str
    organization: str | None
    publication_date: date | None
    parameters: float | None
    accessibility: str | None
    domain: str | None
    country: str | None
    organization_categorization: str | None = None
    training_compute_flop: float | None = None
    training_cost_usd_2023: float | None = None
    frontier: bool | None = None
    link: str | None = None


@dataclass(frozen=True)
class EpochRun:
    """One Epoch-run evaluation: the best score (0-1) of a model on a task."""

    model: str
    task: str
    score: float
    run_id: str | None
    log_url: str | None = None


def parse_notable_models(path: Path) -> list[EpochModel]:
    """Parse the Notable AI Models CSV."""
    _, rows = read_csv(path, ["Model", "Organization", "Publication date", "Parameters", "Model accessibility"])
    return [
        EpochModel(
            name=cells.need_text("Model"),
            organization=cells.text("Organization"),
            publication_date=cells.day("Publication date"),
            parameters=cells.number("Parameters", minimum=0),
            accessibility=cells.text("Model accessibility"),
            domain=cells.text("Domain"),
            country=_distinct(cells.text("Country (from Organization)")),
            organization_categorization=_distinct(cells.text("Organization categorization")),
            training_compute_flop=cells.number("Training compute (FLOP)", minimum=0),
            training_cost_usd_2023=cells.number("Training compute cost (2023 USD)", minimum=0),
            frontier=cells.flag("Frontier model"),
            link=cells.text("Link"),
        )
        for cells in rows
    ]


def parse_benchmark_runs(path: Path) -> list[EpochRun]:
    """Parse the Benchmarking Hub runs CSV."""
    _, rows = read_csv(path, ["model", "task", "Best score (across scorers)"])
    return [
        EpochRun(
            model=cells.need_text("model"),
            task=cells.need_text("task"),
            score=_fraction(cells, "Best score (across scorers)"),
            run_id=cells.text("id"),
            log_url=cells.text("Log download"),
        )
        for cells in rows
    ]


def _fraction(cells: Cells, field: str) -> float:
    value = cells.need_number(field, minimum=0)
    if value > 1:
        cells.fail(field, f"must be a fraction between 0 and 1, got {value:g}")
    return value


def _distinct(joined: str | None) -> str | None:
    """Multi-organisation models repeat values ('Academia,Academia'); keep each once, in order."""
    if joined is None:
        return None
    parts = [part.strip() for part in joined.split(",") if part.strip()]
    return ",".join(dict.fromkeys(parts)) or None
