"""Downloads in a real browser: the decision report page's HTML button and a table's XLSX button give files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e


def test_report_page_downloads_a_self_contained_html_report(app_server, fixture_db, page: Page) -> None:
    page.goto(f"{app_server.url}/report")
    button = page.get_by_role("button", name="Download HTML")
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".html")
    html = Path(download.path()).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "plotly-graph-div" in html
    assert "Sources" in html and "CC BY 4.0" in html


def test_catalogue_table_downloads_as_xlsx(app_server, page: Page, tmp_path) -> None:
    page.goto(f"{app_server.url}/catalogue")
    button = page.get_by_role("button", name="Download XLSX").first
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".xlsx"
    assert len(pd.read_excel(target)) > 0


def test_chart_downloads_as_svg(app_server, page: Page, tmp_path) -> None:
    page.goto(f"{app_server.url}/tradeoffs")
    button = page.get_by_role("button", name="SVG").first
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=2 * TIMEOUT_MS) as info:
        button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".svg" and "<svg" in target.read_text(encoding="utf-8")[:200]
