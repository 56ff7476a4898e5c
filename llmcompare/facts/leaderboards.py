"""Leaderboard and reported-score tables: LMArena, Open LLM Leaderboard v1/v2, simple-evals and Ludwig Stumpp."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from llmcompare.io.cells import Cells
from llmcompare.io.readers import read_csv

HF_V2_SCORES = {
    "ifeval": "evaluations_ifeval_normalized_score",
    "bbh": "evaluations_bbh_normalized_score",
    "math_lvl5": "evaluations_math_normalized_score",
    "gpqa": "evaluations_gpqa_normalized_score",
    "musr": "evaluations_musr_normalized_score",
    "mmlu_pro": "evaluations_mmlu_pro_normalized_score",
}
HF_V1_SCORES = ("arc", "hellaswag", "mmlu", "truthfulqa", "winogrande", "gsm8k")
_UNKNOWN_PARAMS = (-1.0, 0.0)
_NO_SETTING = {"n/a", "unknown"}
_BENCHMARK_SETTING = re.compile(r"(.+?)\s*\((.+)\)")
_BENCHMARK_NAMES = {"HumanEval-Python": "HumanEval"}


@dataclass(frozen=True)
class ArenaRow:
    """One model on an LMArena leaderboard; license 'Proprietary' marks closed models."""

    model: str
    score: float
    ci: str | None
    votes: int | None
    organization: str | None
    license: str | None
    url: str | None
    rank: int | None
    rank_stylectrl: int | None = None
    knowledge_cutoff: str | None = None


@dataclass(frozen=True)
class HfV2Row:
    """One evaluated checkpoint of the Open LLM Leaderboard v2, with normalised 0-100 scores."""

    fullname: str
    average: float
    scores: dict[str, float]
    license: str | None
    params_b: float | None
    official: bool
    flagged: bool
    merged: bool
    moe: bool
    submitted: date | None
    precision: str | None = None
    model_type: str | None = None
    base_model: str | None = None


@dataclass(frozen=True)
class HfV1Row:
    """One evaluated checkpoint of the archived Open LLM Leaderboard v1, scores 0-100."""

    fullname: str
    average: float
    scores: dict[str, float]
    license: str | None
    params_b: float | None
    flagged: bool
    merged: bool
    precision: str | None
    date: date | None
    moe: bool | None = None
    model_type: str | None = None


@dataclass(frozen=True)
class ReportedScore:
    """One published benchmark percentage of one model, with who measured it and where it was published."""

    model: str
    benchmark: str
    score_pct: float
    setting: str | None
    evaluated_by: str | None
    source_url: str | None
    publisher: str | None
    family: str | None = None
    footnotes: str | None = None
    open_per_source: bool | None = None
    model_url: str | None = None


def parse_lmarena(path: Path) -> list[ArenaRow]:
    """Parse an LMArena leaderboard CSV (text, vision or image)."""
    _, rows = read_csv(path, ["model", "arena_score", "votes", "license"])
    return [
        ArenaRow(
            model=cells.need_text("model"),
            score=cells.need_number("arena_score", minimum=0),
            ci=cells.text("95_pct_ci"),
            votes=cells.integer("votes", minimum=0),
            organization=cells.text("organization"),
            license=cells.text("license"),
            url=cells.text("url"),
            rank=cells.integer("rank", minimum=1),
            rank_stylectrl=cells.integer("rank_stylectrl", minimum=1),
            knowledge_cutoff=cells.text("knowledge_cutoff"),
        )
        for cells in rows
    ]


def parse_hf_v2(path: Path) -> list[HfV2Row]:
    """Parse the Open LLM Leaderboard v2 CSV."""
    flags = ["features_is_official_provider", "features_is_flagged", "features_is_merged", "features_is_moe"]
    required = ["model_name", "model_average_score", *HF_V2_SCORES.values(), *flags]
    _, rows = read_csv(path, required)
    return [
        HfV2Row(
            fullname=cells.need_text("model_name"),
            average=_percent(cells, "model_average_score"),
            scores={key: _percent(cells, column) for key, column in HF_V2_SCORES.items()},
            license=cells.text("metadata_hub_license"),
            params_b=_params_b(cells, "metadata_params_billions"),
            official=cells.need_flag("features_is_official_provider"),
            flagged=cells.need_flag("features_is_flagged"),
            merged=cells.need_flag("features_is_merged"),
            moe=cells.need_flag("features_is_moe"),
            submitted=cells.day("metadata_submission_date"),
            precision=cells.text("model_precision"),
            model_type=cells.text("model_type"),
            base_model=cells.text("metadata_base_model"),
        )
        for cells in rows
    ]


def parse_hf_v1(path: Path) -> list[HfV1Row]:
    """Parse the archived Open LLM Leaderboard v1 CSV."""
    _, rows = read_csv(path, ["fullname", "average", *HF_V1_SCORES, "flagged", "merged"])
    return [
        HfV1Row(
            fullname=cells.need_text("fullname"),
            average=_percent(cells, "average"),
            scores={key: _percent(cells, key) for key in HF_V1_SCORES},
            license=cells.text("hub_license"),
            params_b=_params_b(cells, "params_b"),
            flagged=cells.need_flag("flagged"),
            merged=cells.need_flag("merged"),
            precision=cells.text("precision"),
            date=cells.day("date"),
            moe=cells.flag("moe"),
            model_type=cells.text("type"),
        )
        for cells in rows
    ]


def parse_simple_evals(path: Path) -> list[ReportedScore]:
    """Parse the table derived from the openai/simple-evals README (scores already in percent)."""
    _, rows = read_csv(path, ["model", "benchmark", "score_pct", "evaluated_by", "source_url"])
    return [
        ReportedScore(
            model=cells.need_text("model"),
            benchmark=cells.need_text("benchmark"),
            score_pct=_percent(cells, "score_pct"),
            setting=_setting(cells.text("prompt")),
            evaluated_by=cells.text("evaluated_by"),
            source_url=cells.text("source_url"),
            publisher=cells.text("publisher"),
            family=cells.text("model_family_section"),
            footnotes=cells.text("footnotes"),
        )
        for cells in rows
    ]


def parse_ludwig(path: Path) -> list[ReportedScore]:
    """Parse the Ludwig Stumpp 2023 leaderboard table; Elo rows are skipped as they are not percentages."""
    _, rows = read_csv(path, ["model", "benchmark_setting", "value", "source_url"])
    scores = []
    for cells in rows:
        benchmark, setting = _split_benchmark(cells.need_text("benchmark_setting"))
        if "elo" in benchmark.lower():
            continue
        scores.append(
            ReportedScore(
                model=cells.need_text("model"),
                benchmark=benchmark,
                score_pct=_fraction_as_percent(cells, "value"),
                setting=setting,
                evaluated_by=None,
                source_url=cells.text("source_url"),
                publisher=cells.text("publisher"),
                open_per_source=cells.flag("open_per_source"),
                model_url=cells.text("model_url"),
            )
        )
    return scores


def _percent(cells: Cells, field: str) -> float:
    value = cells.need_number(field, minimum=0)
    if value > 100:
        cells.fail(field, f"must be a percentage between 0 and 100, got {value:g}")
    return value


def _fraction_as_percent(cells: Cells, field: str) -> float:
    value = cells.need_number(field, minimum=0)
    if value > 1:
        cells.fail(field, f"must be a fraction between 0 and 1, got {value:g}")
    return round(value * 100, 4)


def _params_b(cells: Cells, field: str) -> float | None:
    """The leaderboards write 0 or -1 for an unknown parameter count."""
    value = cells.number(field)
    if value is None or value in _UNKNOWN_PARAMS:
        return None
    if value < 0:
        cells.fail(field, f"must be >= 0, got {value:g}")
    return value


def _setting(prompt: str | None) -> str | None:
    return None if prompt is None or prompt.lower() in _NO_SETTING else prompt


def _split_benchmark(text: str) -> tuple[str, str | None]:
    """'HellaSwag (zero-shot)' -> ('HellaSwag', 'zero-shot')."""
    match = _BENCHMARK_SETTING.fullmatch(text)
    name, setting = (match.group(1), match.group(2)) if match else (text, None)
    return _BENCHMARK_NAMES.get(name, name), setting
