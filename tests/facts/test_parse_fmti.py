"""FMTI score sheet importer: three editions with different layouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmcompare.facts.fmti import FmtiScore, parse_scores
from llmcompare.io.errors import FormatError


def by_developer(scores: list[FmtiScore]) -> dict[str, FmtiScore]:
    return {score.developer: score for score in scores}


def test_october_2023_layout_with_domain_column_and_total_row(sources: Path) -> None:
    scores = parse_scores(sources / "fmti/oct_scores.csv", None, "2023-10")
    assert [score.developer for score in scores] == ["Meta", "OpenAI", "Stability AI"]  # 'Total' column skipped
    assert scores[0] == FmtiScore("Meta", "2023-10", 5, 2, 2, 1, 3, 2, 2)
    assert {s.developer: s.total for s in scores} == {"Meta": 5, "OpenAI": 2, "Stability AI": 5}


def test_domain_column_wins_over_indicator_file(sources: Path) -> None:
    with_file = parse_scores(sources / "fmti/oct_scores.csv", sources / "fmti/indicators.csv", "2023-10")
    assert with_file == parse_scores(sources / "fmti/oct_scores.csv", None, "2023-10")


def test_may_2024_layout_joins_indicators_despite_renames(sources: Path) -> None:
    # 'Data copyright status', 'Third-party ...', 'License' and 'Data creators ' differ from the indicators file
    scores = by_developer(parse_scores(sources / "fmti/may_scores.csv", sources / "fmti/indicators.csv", "2024-05"))
    assert list(scores) == ["Meta", "OpenAI", "BigCode"]  # ' BigCode ' stripped
    assert scores["Meta"] == FmtiScore("Meta", "2024-05", 6, 3, 2, 1, 3, 2, 2)
    assert scores["OpenAI"] == FmtiScore("OpenAI", "2024-05", 2, 0, 1, 1, 3, 2, 2)
    assert scores["BigCode"].total == 7


def test_december_2025_layout_without_total_row(sources: Path) -> None:
    scores = by_developer(parse_scores(sources / "fmti/dec_scores.csv", sources / "fmti/dec_indicators.csv", "2025-12"))
    assert scores["IBM"] == FmtiScore("IBM", "2025-12", 4, 2, 1, 1, 2, 1, 1)
    assert scores["xAI"] == FmtiScore("xAI", "2025-12", 1, 0, 1, 0, 2, 1, 1)


def test_scores_must_be_binary(variant: Callable[..., Path]) -> None:
    path = variant("fmti/oct_scores.csv", "Data size,1,0,1,2", "Data size,1,2,1,2")
    with pytest.raises(FormatError, match="scores are 0 or 1, got 2") as err:
        parse_scores(path, None, "2023-10")
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 2, "OpenAI")


def test_blank_score(sources: Path, variant: Callable[..., Path]) -> None:
    path = variant("fmti/dec_scores.csv", "Public datasets,1,0", "Public datasets,,0")
    with pytest.raises(FormatError, match="required") as err:
        parse_scores(path, sources / "fmti/dec_indicators.csv", "2025-12")
    assert (err.value.row, err.value.field) == (3, "IBM")


def test_total_row_must_match(variant: Callable[..., Path]) -> None:
    path = variant("fmti/oct_scores.csv", ",,Total,5,2,5,", ",,Total,5,3,5,")
    with pytest.raises(FormatError, match="Total row says 3 but the indicators add up to 2") as err:
        parse_scores(path, None, "2023-10")
    assert (err.value.row, err.value.field) == (9, "OpenAI")


def test_unknown_indicator(sources: Path, variant: Callable[..., Path]) -> None:
    path = variant("fmti/may_scores.csv", "Model size,", "Model weight,")
    with pytest.raises(FormatError, match="'Model weight' is not in the indicators file") as err:
        parse_scores(path, sources / "fmti/indicators.csv", "2024-05")
    assert (err.value.row, err.value.field) == (6, "Indicator")


def test_indicator_file_needed_without_domain_column(sources: Path) -> None:
    with pytest.raises(FormatError, match="indicators CSV is needed"):
        parse_scores(sources / "fmti/may_scores.csv", None, "2024-05")


def test_unknown_domain_and_duplicate_indicator(variant: Callable[..., Path], tmp_path: Path) -> None:
    path = variant("fmti/oct_scores.csv", "Model,Model Basics", "Sidestream,Model Basics")
    with pytest.raises(FormatError, match="unknown domain 'Sidestream'") as err:
        parse_scores(path, None, "2023-10")
    assert (err.value.row, err.value.field) == (6, "Domain")
    path.write_text(
        path.read_text(encoding="utf-8").replace("Sidestream,Model Basics,Model size", "Model,Model Basics,Data size")
    )
    with pytest.raises(FormatError, match="appears twice") as err:
        parse_scores(path, None, "2023-10")
    assert err.value.row == 6


def test_missing_indicator_column(variant: Callable[..., Path]) -> None:
    path = variant("fmti/dec_scores.csv", "Indicator,", "Name,")
    with pytest.raises(FormatError, match="required column is missing") as err:
        parse_scores(path, None, "2025-12")
    assert err.value.field == "Indicator"
