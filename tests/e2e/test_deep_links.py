"""Each page opened by URL as the very first request to a fresh server renders through app.py, not legacy pages/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

DEEP_LINKS = [
    ("/", ["Where to start"]),
    ("/catalogue", ["Catalogue", "11 of 11 models · tick rows to open or compare them"]),
    ("/model?model=llama-3.1-8b-instruct", ["Licence terms", "700 million monthly active users"]),
    ("/model?model=no-such-model", ["Model not found"]),
    ("/compare?models=gpt-4o,llama-3.1-8b-instruct", ["Compare models", "The articles' trade-offs, model by model"]),
    ("/advisor", ["Advisor"]),
    ("/tradeoffs", ["Trade-offs"]),
    ("/tco", ["Cost of ownership"]),
    ("/playground", ["Playground"]),
    ("/history", ["History"]),
    ("/votes", ["Votes"]),
    ("/data", ["Import & audit"]),
    ("/report", ["Decision report"]),
]


def expect_app_frame(page: Page) -> None:
    """app.py ran: its navigation sections and page titles are there, and nothing raised."""
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Decide", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(nav.get_by_text("Model details", exact=True)).to_be_visible()
    expect(page.get_by_text("Data as of")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize(("path", "texts"), DEEP_LINKS, ids=[p for p, _ in DEEP_LINKS])
def test_deep_link_is_first_request(fresh_server, page: Page, path: str, texts: list[str]) -> None:
    page.goto(fresh_server.url + path)
    for text in texts:
        expect(page.get_by_text(text).first).to_be_visible(timeout=TIMEOUT_MS)
    expect_app_frame(page)
