"""Figure builders: the right traces, the shared open/closed colours, and a message instead of an empty chart."""

from __future__ import annotations

import pandas as pd

from llmcompare import style
from llmcompare.catalog.factsheet import model_detail
from llmcompare.charts import catalog as charts
from llmcompare.store import queries as q


def test_price_history_draws_one_step_line_per_offering_in_the_access_colour(engine) -> None:
    fig = charts.price_history_chart(q.price_history(engine, "gpt-4o"), "api_only")
    assert [t.name for t in fig.data] == ["openai/gpt-4o", "azure/gpt-4o"]
    openai = fig.data[0]
    assert list(openai.y) == [7.5, 4.375]
    assert openai.line.shape == "hv"
    assert [t.line.color for t in fig.data] == style.shades(style.CLOSED_COLOR, 2)
    assert fig.data[0].line.color == style.CLOSED_COLOR
    assert fig.layout.yaxis.type != "log"


def test_price_history_switches_to_a_log_axis_when_one_offering_is_far_dearer() -> None:
    history = pd.DataFrame(
        {
            "offering": ["cheap", "odd"],
            "provider": ["a", "b"],
            "as_of": ["2025-01-01", "2025-01-01"],
            "input_usd_per_1m": [0.1, 1000.0],
            "output_usd_per_1m": [0.1, 1000.0],
            "blended_usd_per_1m": [0.1, 1000.0],
            "source": ["s", "s"],
        }
    )
    assert charts.price_history_chart(history, "open_weights").layout.yaxis.type == "log"


def test_price_performance_uses_one_colour_per_access_type(engine) -> None:
    fig = charts.price_performance_chart(q.catalog(engine))
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"Open weights", "Closed API"}
    assert by_name["Open weights"].marker.color == style.OPEN_COLOR
    assert by_name["Closed API"].marker.color == style.CLOSED_COLOR
    assert len(by_name["Open weights"].x) == 6  # OLMo has neither price nor score
    assert fig.layout.xaxis.type == "log"


def test_transparency_stacks_domains_per_edition(engine) -> None:
    detail = model_detail(engine, "gpt-4o")
    fig = charts.transparency_chart(detail.transparency)
    assert [t.name for t in fig.data[:3]] == ["Upstream", "Model", "Downstream"]
    assert list(fig.data[0].x) == ["2023-10", "2024-05", "2025-12"]
    assert list(fig.data[3].text) == ["48", "49", "35"]  # totals on top


def test_access_by_developer_counts_models(engine) -> None:
    fig = charts.access_by_developer_chart(q.catalog(engine))
    open_bar = next(t for t in fig.data if t.name == "Open weights")
    counts = dict(zip(open_bar.y, open_bar.x, strict=True))
    assert counts["Meta"] == 2 and counts["OpenAI"] == 0
    assert open_bar.marker.color == style.OPEN_COLOR


def test_model_bars_colour_each_bar_by_access() -> None:
    frame = pd.DataFrame({"model": ["A", "B"], "access": ["open_weights", "api_only"], "price": [1.0, 2.0]})
    fig = charts.model_bars(frame, "price", "Price", money=True)
    assert list(fig.data[0].marker.color) == [style.OPEN_COLOR, style.CLOSED_COLOR]
    assert list(fig.data[0].text) == ["$1.00", "$2.00"]


def test_empty_inputs_give_a_message_not_an_error() -> None:
    empty = pd.DataFrame(columns=["offering", "as_of", "blended_usd_per_1m", "domain", "edition", "score"])
    for fig in (charts.price_history_chart(empty, "open_weights"), charts.transparency_chart(empty)):
        assert not fig.data
        assert fig.layout.annotations[0].text
