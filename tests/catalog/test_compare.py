"""The side-by-side comparison: order, display text and the best value per row."""

from __future__ import annotations

import pandas as pd

from llmcompare.catalog.compare import compare_dimensions, compare_table


def test_compare_table_keeps_the_order_asked_and_skips_unknown_ids(engine) -> None:
    result = compare_table(engine, ["gpt-4o", "nope", "llama-3.1-8b-instruct", "olmo-2-13b-instruct"])
    assert list(result.table.columns) == ["GPT-4o", "Llama 3.1 8B Instruct", "OLMo 2 13B Instruct"]
    assert result.models["access"].tolist() == ["api_only", "open_weights", "open_weights"]
    assert result.table.loc["User threshold"].tolist() == [
        "No user threshold",
        "700 million monthly active users",
        "No user threshold",
    ]
    assert result.table.loc["Input price / 1M tokens"].tolist() == ["$2.50", "$0.030", "n/a"]
    assert result.table.loc["Openness"].tolist() == ["4% (Opening up ChatGPT)", "29% (EU OSAI)", "96% (EU OSAI)"]


def test_best_value_per_row(engine) -> None:
    best = compare_table(engine, ["gpt-4o", "llama-3.1-8b-instruct", "olmo-2-13b-instruct"]).best
    assert best.loc["Input price / 1M tokens"].tolist() == [False, True, False]
    assert best.loc["Context window"].tolist() == [False, True, False]
    assert best.loc["Arena score"].tolist() == [True, False, False]
    assert best.loc["Commercial use"].tolist() == [True, False, True]
    assert not best.loc["Licence"].any()


def test_equal_values_are_not_marked(engine) -> None:
    best = compare_table(engine, ["llama-3.1-8b-instruct", "llama-3.1-70b-instruct"]).best
    assert not best.loc["Developer transparency (FMTI)"].any()  # same developer, same score
    assert not best.loc["Context window"].any()


def test_trade_offs_name_the_models_on_the_favoured_side(engine) -> None:
    models = pd.DataFrame(
        {
            "model_id": ["gpt-4o", "olmo-2-13b-instruct"],
            "model": ["GPT-4o", "OLMo"],
            "access": ["api_only", "open_weights"],
        }
    )
    dims = compare_dimensions(engine, models).set_index("id")
    assert dims.loc["access", "favoured_models"] == "OLMo"
    assert dims.loc["support", "favoured_models"] == "GPT-4o"
    assert dims.loc["cost", "favoured_models"] == ""
