"""Every page through streamlit's AppTest: the real app.py frame, then a switch to the page, widgets found by key."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from llmcompare.store.models import SEED_TABLES
from llmcompare.store.seed_io import write_table

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 30


@pytest.fixture
def app(app_env) -> AppTest:
    """app.py run once against the fixture database, so st.navigation has registered the pages."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    return at.run()


def open_page(at: AppTest, page: str, **query: str) -> AppTest:
    at.query_params.clear()
    at.query_params.update(query)
    return at.switch_page(f"views/{page}.py").run()


def texts(at: AppTest) -> str:
    """All the visible text of the run, for substring checks."""
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_home_shows_headline_figures(app: AppTest) -> None:
    no_errors(app)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Models"] == "11"
    assert metrics["Open weights / closed"] == "7 / 4"
    assert metrics["Licences"] == "8"
    assert metrics["Price points"] == "18"
    assert metrics["Benchmark results"] == "17"
    assert "Facts dated 2023-10-18 to 2026-10-01" in texts(app)


def test_sidebar_says_how_fresh_the_data_is(app: AppTest) -> None:
    assert "Data as of 2026-10-01" in app.sidebar.caption[0].value


def test_catalogue_lists_every_model(app: AppTest) -> None:
    at = open_page(app, "catalogue")
    no_errors(at)
    assert "**11** of 11 models" in texts(at)
    assert len(at.dataframe[0].value) == 11


def test_catalogue_filters_narrow_the_table(app: AppTest) -> None:
    at = open_page(app, "catalogue")
    at.selectbox(key="commercial").set_value("unconditional").run()
    at.toggle(key="scored").set_value(True).run()
    shown = at.dataframe[0].value
    assert len(shown) == 7  # Llama and Qwen have user thresholds; OLMo has no benchmark
    assert not shown["link"].str.contains("llama|qwen|olmo").any()


def test_catalogue_search_matches_aliases(app: AppTest) -> None:
    at = open_page(app, "catalogue")
    at.text_input(key="q").input("instant").run()
    assert at.dataframe[0].value["link"].tolist() == ["model?model=llama-3.1-8b-instruct#Llama 3.1 8B Instruct"]


def test_catalogue_filter_that_matches_nothing_shows_empty_state(app: AppTest) -> None:
    at = open_page(app, "catalogue")
    at.text_input(key="q").input("no model is called this").run()
    no_errors(at)
    assert "No model matches all of these filters" in at.info[0].value
    assert not at.dataframe


def test_model_page_shows_licence_price_and_sources(app: AppTest) -> None:
    at = open_page(app, "model", model="llama-3.1-8b-instruct")
    no_errors(at)
    assert at.title[0].value == "Llama 3.1 8B Instruct"
    page = texts(at)
    assert "**User threshold:** 700 million monthly active users" in page
    assert "**Commercial use:** Allowed with conditions" in page
    assert "Source: [Llama 3.1 Community License Agreement](" in page
    assert "as of 2026-10-01" in page
    prices = at.dataframe[0].value
    assert prices["provider"].tolist()[0] == "deepinfra"
    assert prices["input_usd_per_1m"].tolist()[0] == pytest.approx(0.03)
    assert prices["source"].tolist()[0] == "LiteLLM price map (litellm 1.80.0)"
    assert {m.label for m in at.metric} >= {"Input $/1M", "Arena score", "Openness", "FMTI"}


def test_model_page_for_unknown_id_says_not_found(app: AppTest) -> None:
    at = open_page(app, "model", model="no-such-model")
    no_errors(at)
    assert at.title[0].value == "Model not found"
    assert "no-such-model" in at.info[0].value


def test_model_page_without_id_offers_a_picker(app: AppTest) -> None:
    at = open_page(app, "model")
    no_errors(at)
    assert at.selectbox(key="model.pick").value is None
    at.selectbox(key="model.pick").set_value("gpt-4o").run()
    assert at.query_params["model"] == "gpt-4o"
    assert at.title[0].value == "GPT-4o"


def test_compare_with_two_models_shows_the_table(app: AppTest) -> None:
    at = open_page(app, "compare", models="gpt-4o,llama-3.1-8b-instruct")
    no_errors(at)
    assert at.multiselect(key="compare.models").value == ["gpt-4o", "llama-3.1-8b-instruct"]
    facts = at.table[0].value
    assert list(facts.index[:4]) == ["Access", "Developer", "Licence", "Commercial use"]
    assert facts.loc["User threshold"].tolist() == ["No user threshold", "700 million monthly active users"]
    assert "The articles' trade-offs, model by model" in texts(at)
    dims = at.table[1].value
    assert dims.loc["Access", "GPT-4o"].startswith("API only")  # a fact: no mark
    assert dims.loc["Support", "GPT-4o"].startswith("≈ ")  # a price listing standing in for vendor support
    assert dims.notna().all().all() and len(dims) == 5  # the fixture seed has five dimensions


def test_compare_with_one_model_prompts_for_more(app: AppTest) -> None:
    at = open_page(app, "compare", models="gpt-4o,not-a-model")
    no_errors(at)
    assert "Pick at least 2 models" in at.info[0].value
    assert "not-a-model" in at.warning[0].value
    assert not at.table


def test_in_a_big_catalogue_the_pickers_search_and_keep_what_is_chosen(app: AppTest, monkeypatch) -> None:
    from components.catalog import pickers

    monkeypatch.setattr(pickers, "PICKER_MAX", 3)
    monkeypatch.setattr(pickers, "MATCHES_SHOWN", 2)
    at = open_page(app, "compare", models="gpt-4o,llama-3.1-8b-instruct")
    no_errors(at)
    picker = at.multiselect(key="compare.models")
    assert picker.value == ["gpt-4o", "llama-3.1-8b-instruct"] and len(picker.options) == 4  # chosen + 2 first
    assert "the list offers the first 2" in texts(at)
    at.text_input(key="compare.models.find").input("CLAUDE").run()
    picker = at.multiselect(key="compare.models")
    assert picker.value == ["gpt-4o", "llama-3.1-8b-instruct"]  # still chosen, and still compared
    assert all("Claude" in option for option in picker.options[2:]) and len(picker.options) > 2
    assert at.table  # the comparison is still drawn

    at = open_page(app, "model", model="gpt-4o")
    assert at.selectbox(key="model.pick").value == "gpt-4o" and at.title[0].value == "GPT-4o"
    at.text_input(key="model.pick.find").input("llama").run()
    assert at.selectbox(key="model.pick").value == "gpt-4o"
    assert any("Llama" in option for option in at.selectbox(key="model.pick").options)


def test_secrets_take_precedence_over_the_environment(fixture_db, monkeypatch, tmp_path) -> None:
    """The environment points at an empty store; st.secrets at the fixture store, which must win."""
    empty_seed = tmp_path / "seed"
    for table in SEED_TABLES:
        write_table(empty_seed, table.__table__, [])
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("LLMCOMPARE_SEED_DIR", str(empty_seed))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.secrets["DATABASE_URL"] = fixture_db.url
    at.run()
    no_errors(at)
    assert {m.label: m.value for m in at.metric}["Models"] == "11"
