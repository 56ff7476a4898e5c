"""The advisor in a real browser: moving a weight slider re-ranks the models."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from llmcompare.decide import ranking as decide
from llmcompare.store.decide_queries import decision_facts
from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

COVERAGE = decide.Constraints(min_coverage=0.5)  # the page's default coverage limit


def winner(engine, weights) -> str:
    return decide.rank_models(decision_facts(engine), weights, COVERAGE).table["model"].iloc[0]


def test_raising_the_cost_weight_changes_the_top_choice(app_server, fixture_db, page: Page) -> None:
    before = winner(fixture_db.engine, decide.DEFAULT_WEIGHTS)
    after = winner(fixture_db.engine, {**decide.DEFAULT_WEIGHTS, "cost": decide.MAX_WEIGHT})
    assert before != after
    page.goto(f"{app_server.url}/advisor")
    expect(page.get_by_text(f"Top choice: {before}")).to_be_visible(timeout=TIMEOUT_MS)
    slider = page.get_by_test_id("stSlider").filter(has=page.get_by_text("Cost", exact=True)).get_by_role("slider")
    slider.focus()
    for _ in range(decide.MAX_WEIGHT - decide.DEFAULT_WEIGHTS["cost"]):
        slider.press("ArrowRight")
    expect(slider).to_have_value(str(decide.MAX_WEIGHT), timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"Top choice: {after}")).to_be_visible(timeout=TIMEOUT_MS)
