"""The advisor, trade-offs and cost-of-ownership pages through AppTest, widgets found by key."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from llmcompare.decide import ranking as decide
from llmcompare.store.build import build_db
from llmcompare.store.decide_queries import decision_facts
from llmcompare.store.engine import make_engine
from llmcompare.store.scenarios import delete_scenario
from tests.conftest import FixtureDB

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 60
PAGE_LIMITS = decide.Constraints(min_coverage=0.5)  # the advisor's default coverage slider


@pytest.fixture(scope="module")
def own_db(fixture_db, tmp_path_factory) -> FixtureDB:
    """A store of our own, so that runs or scenarios other tests write into the shared one cannot change a page."""
    path = tmp_path_factory.mktemp("decide") / "llmcompare.db"
    engine = make_engine(f"sqlite:///{path}")
    build_db(engine, fixture_db.seed_dir)
    yield FixtureDB(url=f"sqlite:///{path}", path=path, engine=engine, seed_dir=fixture_db.seed_dir)
    engine.dispose()


@pytest.fixture
def app_env(own_db, monkeypatch) -> FixtureDB:
    for name, value in own_db.env().items():
        monkeypatch.setenv(name, value)
    return own_db


@pytest.fixture
def app(app_env) -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


def open_page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"views/{page}.py").run()


def texts(at: AppTest) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def top_choice(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("#### Top choice: ")).removeprefix(
        "#### Top choice: "
    )


def table_with(at: AppTest, column: str):
    """The first table on the page that has this column (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def expected_winner(engine, weights) -> str:
    ranking = decide.rank_models(decision_facts(engine), weights, PAGE_LIMITS)
    return ranking.table["model"].iloc[0]


def test_advisor_ranks_explains_and_tests_the_choice(app, app_env):
    at = open_page(app, "advisor")
    no_exceptions(at)
    assert not at.error
    assert top_choice(at) == expected_winner(app_env.engine, decide.DEFAULT_WEIGHTS)
    page = texts(at)
    assert "**Quality** +" in page and "as of 2025-08-04" in page
    assert "How firm is this choice?" in page
    assert at.metric[0].label.startswith("Top choice kept under 1,000 random weightings")


def test_a_long_ranking_shows_its_head_and_downloads_it_whole(app, monkeypatch):
    from components.decide import advisor_results
    from components.shell import ui

    offered = {}
    monkeypatch.setattr(advisor_results, "SHOWN_ROWS", 5)
    monkeypatch.setattr(ui, "download_table", lambda df, name, key: offered.setdefault(name, len(df)))
    at = open_page(app, "advisor")
    no_exceptions(at)
    ranked = table_with(at, "coverage")
    assert list(ranked["rank"]) == [1, 2, 3, 4, 5]
    assert any(
        c.value.startswith(f"The table shows the first 5 of {offered['llm-advisor-ranking']:,} rows")
        for c in at.caption
    )
    assert offered["llm-advisor-ranking"] > 5


def test_moving_a_weight_changes_the_top_choice(app, app_env):
    at = open_page(app, "advisor")
    before = top_choice(at)
    at.slider(key="advisor.w.cost").set_value(10).run()
    at.slider(key="advisor.w.quality").set_value(0).run()
    weights = {**decide.DEFAULT_WEIGHTS, "cost": 10, "quality": 0}
    assert top_choice(at) == expected_winner(app_env.engine, weights) != before


def test_must_haves_filter_the_ranking_and_say_why(app):
    at = open_page(app, "advisor")
    at.toggle(key="advisor.selfhost").set_value(True).run()
    ranked = table_with(at, "coverage")
    assert set(ranked["access"].map(lambda pill: pill[0])) == {"Open weights"}
    left_out = table_with(at, "reason")
    assert left_out["reason"].str.contains("cannot run on your own servers").any()


def test_impossible_must_haves_and_zero_weights_get_a_clear_message(app):
    at = open_page(app, "advisor")
    at.number_input(key="advisor.budget").set_value(0.01).run()
    assert "No model meets every must-have" in at.info[0].value
    at.number_input(key="advisor.budget").set_value(None).run()
    for criterion in decide.DEFAULT_WEIGHTS:
        at.slider(key=f"advisor.w.{criterion}").set_value(0)
    at.run()
    no_exceptions(at)
    assert "Give at least one criterion a weight above zero" in texts(at)


def test_saving_a_scenario_checks_the_name(app, app_env):
    at = open_page(app, "advisor")
    at.button(key="advisor.save").click().run()
    assert at.error[0].value == "Give the scenario a name."
    at.text_input(key="advisor.name").input("Page test scenario")
    at.slider(key="advisor.w.cost").set_value(9)
    at.button(key="advisor.save").click().run()
    assert at.success[0].value == "Saved “Page test scenario”."
    at.button(key="advisor.save").click().run()
    assert "already exists" in at.error[0].value
    delete_scenario(app_env.engine, "Page test scenario")


def test_loading_an_example_scenario_sets_every_widget(app):
    at = open_page(app, "advisor")
    bank = "Bank that keeps customer data on its own servers"
    assert bank in at.selectbox(key="advisor.scenario").options
    at.selectbox(key="advisor.scenario").set_value(bank)
    at.button(key="advisor.load").click().run()
    no_exceptions(at)
    assert at.success[0].value == f"Loaded “{bank}”."
    assert at.toggle(key="advisor.selfhost").value is True
    assert at.radio(key="advisor.policy").value == "worst"
    assert at.slider(key="advisor.w.licence").value == 5
    assert at.selectbox(key="advisor.usercap").value == 1_000_000_000


def test_an_article_preset_sets_the_weights_and_cites_its_lines(app):
    at = open_page(app, "advisor")
    at.selectbox(key="advisor.preset").set_value("regulated-enterprise").run()
    assert "article-001 (001_a9bc13dec9b87b1e.txt), line 202" in texts(at)
    at.button(key="advisor.apply_preset").click().run()
    no_exceptions(at)
    assert at.success[0].value == "Applied the “Regulated enterprise” preset."
    assert at.slider(key="advisor.w.data_control").value == 9
    assert at.slider(key="advisor.w.cost").value == 0  # a criterion the preset leaves out weighs nothing
    assert at.radio(key="advisor.policy").value == "worst"
    assert "Basis: proxy" in at.slider(key="advisor.w.vendor_support").help


def test_tradeoffs_page_draws_every_chart(app):
    at = open_page(app, "tradeoffs")
    no_exceptions(at)
    assert len(at.get("plotly_chart")) == 11
    subheaders = [h.value for h in at.subheader]
    assert (
        "How API providers handle your data" in subheaders and "How concentrated the top of the arena is" in subheaders
    )
    assert "No playground runs yet" in texts(at)
    assert len(at.multiselect(key="tradeoffs.models").value) == 4
    at.selectbox(key="tradeoffs.benchmark").set_value("mmlu").run()
    at.toggle(key="tradeoffs.by_model").set_value(True).run()
    no_exceptions(at)
    assert "MMLU" in texts(at)


def test_tco_page_compares_costs_and_lists_assumptions(app):
    at = open_page(app, "tco")
    no_exceptions(at)
    metrics = {m.label: m.value for m in at.metric}
    assert {"API, per month", "Self-hosted, per month", "Break-even, tokens a month"} <= set(metrics)
    before = metrics["Self-hosted, per month"]
    at.number_input(key="tco.fixed").set_value(0.0).run()
    assert {m.label: m.value for m in at.metric}["Self-hosted, per month"] != before
    page = texts(at)
    assert "Assumptions" in page and "Not included" in page and "Epoch AI" in page
    assert len(at.get("plotly_chart")) == 2


def test_tco_page_prices_a_hybrid_split(app):
    at = open_page(app, "tco")
    at.number_input(key="tco.fixed").set_value(0.0).run()
    before = {m.label: m.value for m in at.metric}
    at.slider(key="tco.hybrid.share").set_value(100).run()
    after = {m.label: m.value for m in at.metric}
    no_exceptions(at)
    assert before["Hybrid (50% self-hosted), per month"] != after["Hybrid (100% self-hosted), per month"]
    # 5% falls back by default, so the bill differs from self-hosting alone until fallback is set to nothing.
    assert after["Hybrid (100% self-hosted), per month"] != after["Self-hosted, per month"]
    at.slider(key="tco.hybrid.fallback").set_value(0).run()
    assert {m.label: m.value for m in at.metric}["Hybrid (100% self-hosted), per month"] == after[
        "Self-hosted, per month"
    ]
