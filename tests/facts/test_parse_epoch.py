"""Epoch AI CSV importers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from llmcompare.facts.epoch import EpochRun, parse_benchmark_runs, parse_notable_models
from llmcompare.io.errors import FormatError

MODELS = "epoch/notable_models.csv"
RUNS = "epoch/benchmark_runs.csv"


def test_notable_models(sources: Path) -> None:
    llama, gpt4, perceptron = parse_notable_models(sources / MODELS)
    assert (llama.name, llama.organization, llama.publication_date) == ("Llama 3.1-405B", "Meta AI", date(2024, 7, 23))
    assert (llama.parameters, llama.accessibility, llama.domain) == (405e9, "Open weights (restricted use)", "Language")
    assert (llama.training_compute_flop, llama.training_cost_usd_2023, llama.frontier) == (3.8e25, 1.7e8, True)
    assert gpt4.parameters is None
    assert gpt4.country == "United States of America"  # repeated once per organisation in the file
    assert (gpt4.organization_categorization, gpt4.domain) == ("Industry", "Multimodal,Language,Vision")
    assert (perceptron.organization, perceptron.accessibility, perceptron.frontier) == (None, None, None)
    assert perceptron.parameters == 1000.0


def test_benchmark_runs(sources: Path) -> None:
    runs = parse_benchmark_runs(sources / RUNS)
    assert runs[0] == EpochRun(
        model="claude-2.0",
        task="GPQA diamond",
        score=0.3465909090909091,
        run_id="mTa4f52zsEuxdrPy7WfQvX",
        log_url="https://logs.example.org/mTa4f52zsEuxdrPy7WfQvX.eval",
    )
    assert (runs[1].task, runs[1].log_url) == ("MATH level 5", None)


def test_bad_publication_date(variant: Callable[..., Path]) -> None:
    path = variant(MODELS, "2024-07-23", "July 2024")
    with pytest.raises(FormatError, match="expected a date") as err:
        parse_notable_models(path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 2, "Publication date")


def test_negative_parameters(variant: Callable[..., Path]) -> None:
    path = variant(MODELS, ",1000.0,", ",-1000.0,")
    with pytest.raises(FormatError, match=">= 0") as err:
        parse_notable_models(path)
    assert (err.value.row, err.value.field) == (4, "Parameters")


def test_score_must_be_a_fraction(variant: Callable[..., Path]) -> None:
    path = variant(RUNS, "0.1172583081570997", "11.7")
    with pytest.raises(FormatError, match="between 0 and 1") as err:
        parse_benchmark_runs(path)
    assert (err.value.row, err.value.field) == (3, "Best score (across scorers)")


def test_missing_columns(variant: Callable[..., Path]) -> None:
    with pytest.raises(FormatError, match="required column") as err:
        parse_notable_models(variant(MODELS, "Model accessibility", "Access"))
    assert err.value.field == "Model accessibility"
    with pytest.raises(FormatError, match="required column") as err:
        parse_benchmark_runs(variant(RUNS, ",task,", ",benchmark,"))
    assert err.value.field == "task"
