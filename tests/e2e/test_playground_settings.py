"""The playground's side settings in Chromium: a visit to another page and back keeps every one of them."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e
URL = "http://127.0.0.1:9/v1"


def test_a_custom_endpoint_survives_a_visit_to_history(app_server, page: Page) -> None:
    page.goto(f"{app_server.url}/playground?{urlencode({'right': f'openai:my-model@{URL}'})}")
    expect(page.get_by_label("Base URL", exact=True)).to_have_value(URL, timeout=TIMEOUT_MS)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History", level=1)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Playground").click()
    expect(page.get_by_role("heading", name="Playground", level=1)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_label("Base URL", exact=True)).to_have_value(URL, timeout=TIMEOUT_MS)
    expect(page.get_by_label("Model", exact=True).last).to_have_value("my-model")
