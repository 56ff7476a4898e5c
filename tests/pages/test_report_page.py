"""The decision report page through AppTest: scenario picker, preview and download buttons, found by key."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.conftest import FixtureDB

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def own_db(fixture_db, tmp_path_factory) -> FixtureDB:
    """A store of our own, because the page adds the example scenarios to it."""
    path = tmp_path_factory.mktemp("report") / "llmcompare.db"
    engine = make_engine(f"sqlite:///{path}")
    build_db(engine, fixture_db.seed_dir)
    yield FixtureDB(url=f"sqlite:///{path}", path=path, engine=engine, seed_dir=fixture_db.seed_dir)
    engine.dispose()


@pytest.fixture
def page(own_db, monkeypatch) -> AppTest:
    for name, value in own_db.env().items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    return at.switch_page("views/report.py").run()


def test_page_offers_scenarios_and_downloads(page):
    assert not page.exception
    assert "Bank that keeps customer data on its own servers" in page.selectbox(key="report.scenario").options
    keys = {b.proto.id for b in page.get("download_button")}
    assert any("report.download.html" in k for k in keys)
    assert any("report.download.md" in k for k in keys)


def test_title_follows_the_scenario_and_can_be_changed(page):
    page.selectbox(key="report.scenario").select("Research lab that needs a fully open model").run()
    assert page.text_input(key="report.title").placeholder.endswith("Research lab that needs a fully open model")
    page.text_input(key="report.title").input("Board pack").run()
    assert not page.exception


def test_models_and_volume_shape_the_report(page):
    bank = "Bank that keeps customer data on its own servers"
    picker = page.multiselect(key=f"report.models.{bank}")
    assert len(picker.value) == 3 and len(picker.options) > 3
    picker.unselect(picker.value[0]).run()
    assert len(page.multiselect(key=f"report.models.{bank}").value) == 2
    assert not page.exception
    page.number_input(key="report.tokens_in").set_value(1000.0).run()
    assert not page.exception
    assert "No model is picked" not in " ".join(i.value for i in page.info)
    page.multiselect(key=f"report.models.{bank}").set_value([]).run()
    assert "No model is picked for a fact sheet" in " ".join(i.value for i in page.info)


def test_a_long_ranking_offers_its_head_and_says_so(own_db, monkeypatch):
    from components.reports import form

    monkeypatch.setattr(form, "PICKABLE", 2)
    for name, value in own_db.env().items():
        monkeypatch.setenv(name, value)
    page = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run().switch_page("views/report.py").run()
    picker = page.multiselect(key="report.models.Bank that keeps customer data on its own servers")
    assert len(picker.options) == len(picker.value) == 2
    assert "the list holds the first 2 of" in picker.help
