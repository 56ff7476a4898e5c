"""Decide chart builders: each answers a stated question, labels its axes, says where its data comes from."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from llmcompare.charts import advice as charts_advice
from llmcompare.charts import decide as charts_decide
from llmcompare.charts import dimensions as charts_dimensions
from llmcompare.decide import tco
from llmcompare.decide.dimension_table import dimension_table, load_inputs
from llmcompare.decide.dimensions import RADAR_AXES
from llmcompare.decide.ranking import rank_models
from llmcompare.playground import votes as votes_module
from llmcompare.store.decide_queries import decision_facts, fmti_history, licence_terms, price_points
from llmcompare.store.queries import dimensions


def is_empty_state(fig) -> bool:
    return bool(fig.layout.annotations) and not fig.data


def title(fig) -> str:
    return fig.layout.title.text


@pytest.fixture(scope="module")
def facts(fixture_db) -> pd.DataFrame:
    return decision_facts(fixture_db.engine)


def test_pareto_frontier_by_hand():
    price = pd.Series([1.0, 2.0, 3.0, 0.5, 2.0])
    quality = pd.Series([10.0, 12.0, 11.0, 5.0, 12.0])
    # 0.5 is cheapest; 1 beats it on quality; 2 (first of the tie) beats 1; 3 is dearer and worse than 2.
    assert charts_decide.pareto_frontier(price, quality).tolist() == [True, True, False, True, False]


def test_spread_keeps_order_and_gap():
    placed = charts_decide.spread(np.array([50.0, 10.0, 11.0, 12.0]), 3.0)
    assert np.diff(np.sort(placed)).min() >= 3.0 - 1e-9
    assert list(np.argsort(placed)) == [1, 2, 3, 0]


def test_price_quality_draws_the_frontier_on_a_log_axis(facts):
    chart = charts_decide.price_quality(facts)
    fig = chart.figure
    assert "quality for the money" in title(fig)
    assert fig.layout.xaxis.type == "log" and "USD per 1M tokens" in fig.layout.xaxis.title.text
    assert "LMArena" in fig.layout.yaxis.title.text
    frontier = fig.data[0]
    assert frontier.name == "Best value frontier"
    # Cheapest first, each better than every cheaper model, up to DeepSeek-V3 (1333, the best arena score).
    assert list(frontier.text) == ["Llama 3.1 8B Instruct", "Gemma 2 9B IT", "GPT-4o mini", "DeepSeek-V3"]
    assert {t.name for t in fig.data[1:]} == {"Open weights", "Closed API"}
    assert "LiteLLM" in chart.caption and "10 of 11 models" in chart.caption


def test_price_quality_hover_names_sources_and_dates(facts):
    trace = charts_decide.price_quality(facts).figure.data[1]
    assert "as of" in trace.hovertemplate
    assert any("2025" in str(v) for v in trace.customdata[0])


def test_price_quality_without_data_says_so(facts):
    chart = charts_decide.price_quality(facts.assign(quality=np.nan))
    assert is_empty_state(chart.figure)


def test_openness_quality_labels_only_the_frontier(facts):
    fig = charts_decide.openness_quality(facts).figure
    assert fig.layout.xaxis.title.text.startswith("Openness")
    labelled = {t for trace in fig.data for t in trace.text if t}
    # Llama 3.1 8B shares the 70B's openness but scores lower, so only the 70B is on the frontier.
    assert labelled == {"Gemma 2 9B IT", "Llama 3.1 70B Instruct", "Qwen2.5 72B Instruct", "GPT-4o"}


def test_fmti_trend_marks_the_new_indicator_set(fixture_db):
    chart = charts_decide.fmti_trend(fmti_history(fixture_db.engine))
    fig = chart.figure
    assert "more transparent" in title(fig)
    assert any(a.text == "new indicator set" for a in fig.layout.annotations)
    assert fig.layout.yaxis.title.text == "Transparency score (of 100)"
    assert "new indicator set" in chart.caption and "CC BY 4.0" in chart.caption
    assert is_empty_state(charts_decide.fmti_trend(pd.DataFrame(columns=["edition"])).figure)


def test_licence_matrix_reads_the_terms(fixture_db):
    terms = licence_terms(fixture_db.engine)
    fig = charts_decide.licence_matrix(terms).figure
    heat = fig.data[0]
    row = list(heat.y).index("Llama 3.1 Community License")
    assert list(heat.text[row]) == ["Conditions", "700M users", "Yes", "Conditions", "Applies"]
    assert heat.z[row][0] == 0.5


def test_price_history_uses_first_party_prices_per_date(fixture_db):
    points = price_points(fixture_db.engine, ["gpt-4o", "llama-3.1-8b-instruct"])
    fig = charts_decide.price_history(points).figure
    gpt = next(t for t in fig.data if t.name == "GPT-4o")
    # 2024-05: $5/$15 -> 7.5; 2024-12: OpenAI's own $2.50/$10 (not Azure's dearer offering) -> 4.375.
    assert list(gpt.y) == pytest.approx([7.5, 4.375])
    assert fig.layout.xaxis.title.text == "Price snapshot date"
    assert is_empty_state(charts_decide.price_history(points.head(0)).figure)


def test_radar_profiles_and_model_scores(fixture_db):
    dims = dimensions(fixture_db.engine)
    cells = dimension_table(load_inputs(fixture_db.engine), ["gpt-4o", "deepseek-v3"])
    fig = charts_dimensions.dimension_radar(dims, cells, ["gpt-4o", "deepseek-v3"]).figure
    profile = fig.data[0]
    axes = list(profile.theta)[:-1]
    expected = dims[dims["id"].isin(RADAR_AXES)]
    assert sorted(axes) == sorted(expected["name"])
    favours = dict(zip(expected["name"], expected["favours"], strict=True))
    assert [favours[a] for a in axes] == sorted((favours[a] for a in axes), key=["open", "depends", "closed"].index)
    gpt = next(t for t in fig.data if t.name == "GPT-4o")
    assert dict(zip(gpt.theta, gpt.r, strict=True))["Access"] == 0.0
    assert "fact" in gpt.customdata[list(gpt.theta).index("Access")][1]


def test_contribution_bars_hatch_missing_facts(facts):
    ranking = rank_models(facts, {"quality": 3, "openness": 1})
    chart = charts_advice.contribution_bars(ranking)
    bars = {t.name: t for t in chart.figure.data if t.type == "bar"}
    assert set(bars) == {"Quality", "Openness"}
    hatched = list(bars["Openness"].marker.pattern.shape)
    top = ranking.table["model_id"].head(15)
    assert hatched == ["/" if ranking.missing.loc[m, "openness"] else "" for m in top]
    assert "catalogue average" in chart.caption


def test_tco_curves_mark_break_even_and_volume():
    api = tco.ApiOption("Closed", 2.5, 10.0)
    own = tco.SelfHostOption("Own", 2.0, 1000, 0.5, 1000)
    result = tco.compare_costs(api, own, tco.Workload(50e6, 10e6))
    fig = charts_advice.tco_curves(result, "Closed", "Own", 60e6).figure
    assert fig.layout.shapes[0].x0 == pytest.approx(result.break_even_tokens)
    assert any("Break-even" in a.text for a in fig.layout.annotations)
    assert fig.layout.xaxis.type == fig.layout.yaxis.type == "log"
    assert charts_advice.format_tokens_short(1.5e9) == "1.5B"


def run_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    sides = pd.DataFrame(
        {
            "run_id": [1, 1, 2, 2, 3, 3],
            "position": [0, 1] * 3,
            "model_name": ["small", "big"] * 3,
            "ttft_s": [0.2, 0.5, 0.3, 0.4, 0.1, None],
            "tokens_per_s": [40.0, 20.0, 42.0, 22.0, 41.0, None],
            "cost_usd": [None, 0.001, None, 0.002, None, None],
            "error": [None, None, None, None, None, "timeout"],
            "access": ["open_weights", "api_only"] * 3,
        }
    )
    votes = pd.DataFrame(
        {"run_id": [1, 2, 3], "winner": ["a", "tie", "both_bad"], "created_at": [date(2026, 1, 1)] * 3}
    )
    return sides, votes


def test_win_table_by_hand():
    table = charts_advice.win_table(*run_frames()).set_index("model_name")
    # small: a win and a tie over two decided votes; big: a loss and a tie. "Both bad" is counted, not rated.
    assert table.loc["small", "win_rate"] == pytest.approx(0.75)
    assert table.loc["big", "win_rate"] == pytest.approx(0.25)
    assert table.loc["small", "votes"] == 3 and table.loc["small", "both_bad"] == 1
    assert table.loc["small", "access"] == "open_weights"


def test_win_table_agrees_with_the_votes_page():
    sides, votes = run_frames()
    named = votes_module.named_votes(sides, votes)
    assert list(named.itertuples(index=False, name=None)) == [
        ("a", "small", "big"),
        ("tie", "small", "big"),
        ("both_bad", "small", "big"),
    ]
    page = votes_module.win_rates(named).set_index("model")["win_rate"]
    table = charts_advice.win_table(sides, votes).set_index("model_name")["win_rate"]
    assert page.to_dict() == table.to_dict()


def test_run_charts_and_their_empty_states():
    sides, votes = run_frames()
    metrics = charts_advice.run_metrics(sides).figure
    assert len(metrics.data) == 6  # two models x three measures; the failed side is left out
    assert title(charts_advice.win_rate_bars(sides, votes).figure) == "Which model do blind voters prefer?"
    assert is_empty_state(charts_advice.run_metrics(sides.head(0)).figure)
    assert is_empty_state(charts_advice.win_rate_bars(sides, votes.head(0)).figure)
