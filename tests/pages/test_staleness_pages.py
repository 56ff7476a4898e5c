"""Stale facts are flagged on the catalogue and the model page, and Home says how fresh the data is."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_pages_apptest import APP, TIMEOUT_S, no_errors, open_page, texts


@pytest.fixture
def strict(app_env, monkeypatch) -> AppTest:
    """A one-day threshold: every dated fact in the fixture store is stale."""
    monkeypatch.setenv("LLMCOMPARE_STALE_AFTER_DAYS", "1")
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


@pytest.fixture
def lenient(app_env, monkeypatch) -> AppTest:
    monkeypatch.setenv("LLMCOMPARE_STALE_AFTER_DAYS", "100000")
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


def test_home_says_how_fresh_the_data_is(strict):
    no_errors(strict)
    page = texts(strict)
    assert "**How fresh the data is.** Newest list prices are from **2025-10-28**" in page
    assert "No import since the database was built from the seed." in page
    assert "**11** of 11 models have a fact older than 1 days" in page


def test_catalogue_flags_stale_facts(strict):
    at = open_page(strict, "catalogue")
    no_errors(at)
    table = at.dataframe[0].value.set_index("link")
    assert list(table.loc["model?model=gpt-4o#GPT-4o", "stale"]) == ["price", "arena", "openness", "FMTI"]
    assert "11 carry a fact older than 1 days" in texts(at)


def test_catalogue_without_stale_facts(lenient):
    at = open_page(lenient, "catalogue")
    assert all(len(flags) == 0 for flags in at.dataframe[0].value["stale"])
    assert "0 carry a fact older than 100000 days" in texts(at)


def test_model_page_shows_ages_and_warns(strict):
    at = open_page(strict, "model", model="gpt-4o")
    no_errors(at)
    assert at.warning[0].value.startswith("Older than 1 days: price (2024-12-24, ")
    prices = at.dataframe[0].value
    assert prices["age"].str.endswith("· stale").all()
    help_text = next(m.help for m in at.metric if m.label == "Input $/1M")
    assert "as of 2024-12-24 (" in help_text and "older than 1 days)" in help_text
