"""Leaderboard and reported-score importers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from llmcompare.facts.leaderboards import (
    ArenaRow,
    ReportedScore,
    parse_hf_v1,
    parse_hf_v2,
    parse_lmarena,
    parse_ludwig,
    parse_simple_evals,
)
from llmcompare.io.errors import FormatError

ARENA = "leaderboards/lmarena_text.csv"
HF_V2 = "leaderboards/hf_v2.csv"
HF_V1 = "leaderboards/hf_v1.csv"
SIMPLE = "leaderboards/simple_evals.csv"
LUDWIG = "leaderboards/ludwig.csv"


def test_lmarena(sources: Path) -> None:
    rows = parse_lmarena(sources / ARENA)
    assert [row.license for row in rows] == ["Proprietary", "MIT", "Llama 3.1 Community", None]
    assert rows[2] == ArenaRow(
        model="Llama-3.1-405B-Instruct",
        score=1334.5,
        ci="+4/-3",
        votes=43788,
        organization="Meta",
        license="Llama 3.1 Community",
        url="https://ai.meta.com/blog/meta-llama-3-1/",
        rank=3,
        rank_stylectrl=5,
        knowledge_cutoff="2023/12",
    )
    assert (rows[3].ci, rows[3].votes, rows[3].organization, rows[3].url) == (None, None, None, None)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("1434,+9/-9,4112", "1434,+9/-9,many", "votes", "expected a number"),
        ("1434,+9/-9,4112", "nan,+9/-9,4112", "arena_score", "finite"),
        ("1434,+9/-9,4112", "-1434,+9/-9,4112", "arena_score", ">= 0"),
    ],
)
def test_lmarena_bad_values(variant: Callable[..., Path], old: str, new: str, field: str, message: str) -> None:
    path = variant(ARENA, old, new)
    with pytest.raises(FormatError, match=message) as err:
        parse_lmarena(path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 3, field)


def test_lmarena_missing_license_column(variant: Callable[..., Path]) -> None:
    with pytest.raises(FormatError, match="required column is missing") as err:
        parse_lmarena(variant(ARENA, ",license,", ",licence,"))
    assert (err.value.row, err.value.field) == (1, "license")


def test_hf_v2(sources: Path) -> None:
    alpha, merge = parse_hf_v2(sources / HF_V2)
    assert (alpha.fullname, alpha.average, alpha.license, alpha.params_b) == (
        "example/Alpha-7B-Instruct",
        25.5,
        "apache-2.0",
        7.24,
    )
    assert alpha.scores == {"ifeval": 75.0, "bbh": 30.0, "math_lvl5": 10.0, "gpqa": 6.5, "musr": 8.0, "mmlu_pro": 23.5}
    assert (alpha.official, alpha.flagged, alpha.merged, alpha.moe) == (True, False, False, False)
    assert (alpha.submitted, alpha.precision, alpha.base_model) == (date(2024, 8, 5), "bfloat16", "example/Alpha-7B")
    assert (merge.official, merge.flagged, merge.merged, merge.moe) == (False, True, True, True)
    assert (merge.params_b, merge.submitted, merge.license) == (None, None, None)  # -1 means unknown size


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("TRUE,FALSE,FALSE,FALSE,TRUE", "TRUE,FALSE,FALSE,FALSE,maybe", "features_is_official_provider", "true/false"),
        ("IFEval,0.75,75.0", "IFEval,0.75,120.0", "evaluations_ifeval_normalized_score", "between 0 and 100"),
        ("2024-04-13,2024-08-05", "2024-04-13,05/08/2024", "metadata_submission_date", "expected a date"),
        ("apache-2.0,12,7.24", "apache-2.0,12,-7.24", "metadata_params_billions", ">= 0"),
    ],
)
def test_hf_v2_bad_values(variant: Callable[..., Path], old: str, new: str, field: str, message: str) -> None:
    path = variant(HF_V2, old, new)
    with pytest.raises(FormatError, match=message) as err:
        parse_hf_v2(path)
    assert (err.value.row, err.value.field) == (2, field)


def test_hf_v1(sources: Path) -> None:
    alpha, merge = parse_hf_v1(sources / HF_V1)
    assert (alpha.fullname, alpha.average, alpha.params_b, alpha.precision) == (
        "example/Alpha-7B",
        60.5,
        7.24,
        "bfloat16",
    )
    assert alpha.scores == {
        "arc": 55.1,
        "hellaswag": 80.2,
        "mmlu": 60.3,
        "truthfulqa": 45.4,
        "winogrande": 75.5,
        "gsm8k": 46.5,
    }
    assert (alpha.date, alpha.flagged, alpha.merged, alpha.license) == (date(2024, 5, 5), False, False, "apache-2.0")
    assert (merge.date, merge.params_b, merge.license, merge.moe) == (date(2023, 9, 15), None, None, True)


def test_hf_v1_missing_score_column(variant: Callable[..., Path]) -> None:
    with pytest.raises(FormatError, match="required column is missing") as err:
        parse_hf_v1(variant(HF_V1, ",gsm8k,", ",gsm8k_5shot,"))
    assert err.value.field == "gsm8k"


def test_simple_evals(sources: Path) -> None:
    o3, gpt4o, llama = parse_simple_evals(sources / SIMPLE)
    assert o3 == ReportedScore(
        model="o3-high",
        benchmark="MMLU",
        score_pct=93.3,
        setting=None,
        evaluated_by="OpenAI simple-evals (zero-shot CoT)",
        source_url="https://github.com/openai/simple-evals",
        publisher=None,
        family="o3",
        footnotes="10;7",
    )
    assert (gpt4o.benchmark, gpt4o.score_pct, gpt4o.setting, gpt4o.footnotes) == ("GPQA", 53.1, "assistant", None)
    assert (llama.setting, llama.source_url) == (None, "https://ai.meta.com/blog/meta-llama-3-1/")


def test_simple_evals_bad_score(variant: Callable[..., Path]) -> None:
    path = variant(SIMPLE, "MMLU,93.3", "MMLU,93.3%")
    with pytest.raises(FormatError, match="expected a number") as err:
        parse_simple_evals(path)
    assert (err.value.row, err.value.field) == (2, "score_pct")


def test_ludwig_skips_elo_and_converts_fractions(sources: Path) -> None:
    scores = parse_ludwig(sources / LUDWIG)
    assert [(s.model, s.benchmark, s.setting, s.score_pct) for s in scores] == [
        ("alpaca-7b", "HellaSwag", "zero-shot", 73.9),
        ("falcon-40b", "HumanEval", "pass@1", 0.0),
        ("gpt-4", "MMLU", "few-shot", 86.4),
    ]
    assert (scores[0].publisher, scores[0].open_per_source, scores[1].open_per_source) == ("Stanford", False, True)
    assert scores[0].source_url == "https://gpt4all.io/reports/GPT4All_Technical_Report_3.pdf"


def test_ludwig_value_must_be_a_fraction(variant: Callable[..., Path]) -> None:
    path = variant(LUDWIG, "(few-shot),0.864", "(few-shot),86.4")
    with pytest.raises(FormatError, match="fraction between 0 and 1") as err:
        parse_ludwig(path)
    assert (err.value.row, err.value.field) == (5, "value")
