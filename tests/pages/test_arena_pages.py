"""The arena charts on the Trade-offs page and the model fact sheet, through AppTest on a store with real arena rows."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.arena_seed import arena_seed

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def arena_env(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("arena_pages")
    seed = arena_seed(folder)
    engine = make_engine(f"sqlite:///{folder / 'llmcompare.db'}")
    build_db(engine, seed)
    engine.dispose()
    return {"DATABASE_URL": f"sqlite:///{folder / 'llmcompare.db'}", "LLMCOMPARE_SEED_DIR": str(seed)}


@pytest.fixture
def app(arena_env, monkeypatch) -> AppTest:
    for name, value in arena_env.items():
        monkeypatch.setenv(name, value)
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


def open_page(at: AppTest, page: str, **query: str) -> AppTest:
    at.query_params.clear()
    at.query_params.update(query)
    return at.switch_page(f"views/{page}.py").run()


def figures(at: AppTest) -> dict[str, dict]:
    """Every plotly figure on the page by its title."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"].get("title", {}).get("text", ""): spec for spec in specs}


def values(trace: dict, key: str) -> list:
    """A trace's array as a list; plotly sends numeric arrays base64-encoded with their dtype."""
    data = trace[key]
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def test_tradeoffs_shows_the_gap_cadence_and_category_strengths(app):
    at = open_page(app, "tradeoffs")
    assert not at.exception, [e.value for e in at.exception]
    charts = figures(at)
    # Newest version: the 2025-08-04 snapshot, where DeepSeek-V3 (1333) leads Gemini 1.5 Pro (1320).
    gap = charts["Open weights lead the best closed API by 13 points (2025-08-04)"]
    closed, open_, months = gap["data"]
    assert (closed["name"], open_["name"], months["name"]) == ("Best Closed API", "Best Open weights", "Months behind")
    assert values(closed, "y")[0] == pytest.approx(1302.239) and values(open_, "y")[0] == pytest.approx(1257.1935)
    assert values(months, "y")[0] == 12.7  # 2025-03-07: Gemini 1.5 Pro, released 2024-02-15, is 386 days earlier
    captions = " ".join(c.value for c in at.caption)
    # No developer in the small store has the three dated releases a cadence needs; the chart says so.
    assert "11 models have a release date; no developer has the three a cadence needs." in captions
    annotations = [a["text"] for spec in charts.values() for a in spec["layout"].get("annotations", [])]
    assert "Too few models have a release date to show a cadence." in annotations
    assert "LMArena text leaderboard as committed on 2025-03-07 (lmarena/arena-catalog)" in captions


def test_tradeoffs_shows_how_concentrated_the_top_is(app):
    at = open_page(app, "tradeoffs")
    assert not at.exception, [e.value for e in at.exception]
    assert "How concentrated the top of the arena is" in [s.value for s in at.subheader]
    # 2025-08-04: ten models from seven developers; Google, Meta and OpenAI hold two each.
    chart = figures(at)["On the 2025-08-04 board the top 10 come from 7 developers; the largest holds 2"]
    traces = {t["name"]: t for t in chart["data"]}
    developers = traces["Developers, top 10"]
    assert values(developers, "y")[-1] == 7 and values(traces["Largest developer's share, top 10"], "y")[-1] == 0.2
    assert values(traces["Open weights' share, top 10"], "y")[-1] == 0.6
    assert developers["customdata"][-1][1] == "Google, Meta, OpenAI"
    captions = " ".join(c.value for c in at.caption)
    assert "split among developers" in captions and "LMArena text leaderboard (2025-08-04)" in captions


def test_tradeoffs_category_chart_follows_the_chosen_models(app):
    at = open_page(app, "tradeoffs")
    at.multiselect(key="tradeoffs.models").set_value(["deepseek-v3", "gpt-4o"]).run()
    assert not at.exception
    strengths = figures(at)["Strengths by task, language and domain"]
    assert {t["name"] for t in strengths["data"]} == {"DeepSeek-V3", "GPT-4o"}
    deepseek = next(t for t in strengths["data"] if t["name"] == "DeepSeek-V3")
    assert dict(zip(values(deepseek, "y"), values(deepseek, "x"), strict=True))["Task · Coding"] == pytest.approx(
        1324.6832
    )


def test_fact_sheet_shows_category_strengths_or_says_there_are_none(app):
    at = open_page(app, "model", model="llama-3.1-70b-instruct")
    assert not at.exception
    assert "Strengths by task, language and domain" in [s.value for s in at.subheader]
    strengths = figures(at)["Strengths by task, language and domain"]
    assert [t["name"] for t in strengths["data"]] == ["Llama 3.1 70B Instruct"]
    assert sorted(values(strengths["data"][0], "y")) == [
        "Domain · Legal, government",
        "Language · French",
        "Task · Coding",
    ]
    other = open_page(app, "model", model="olmo-2-13b-instruct")
    assert "LMArena does not rate this model by category." in " ".join(str(i.value) for i in other.info)
