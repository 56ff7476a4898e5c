"""The hybrid option of the cost-of-ownership page in a real browser: moving the share re-prices the mix."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_tco_page_offers_a_hybrid_split(app_server, page: Page) -> None:
    page.goto(f"{app_server.url}/tco")
    expect(page.get_by_text("Hybrid: part self-hosted, part API")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Hybrid (50% self-hosted), per month")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Hybrid: how much of the traffic should you run yourself?")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    share = page.get_by_test_id("stSlider").filter(has=page.get_by_text("Share of traffic self-hosted"))
    handle = share.get_by_role("slider")
    handle.focus()
    for _ in range(2):
        handle.press("ArrowRight")
    expect(handle).to_have_value("60", timeout=TIMEOUT_MS)
    expect(page.get_by_text("Hybrid (60% self-hosted), per month")).to_be_visible(timeout=TIMEOUT_MS)
    SHOTS.mkdir(exist_ok=True)
    page.get_by_text("Hybrid: part self-hosted, part API").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "tco-hybrid.png"), full_page=True)
