"""User flows in a real browser: search, pick rows, open a fact sheet, build a comparison; the URL follows along."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

HEADER_PX, ROW_PX, CHECKBOX_X_PX, NAME_X_PX = 35, 35, 14, 60  # st.dataframe's default row and column geometry


def wait_for_app(page: Page) -> None:
    expect(page.get_by_text("Data as of")).to_be_visible(timeout=TIMEOUT_MS)


def test_search_narrows_the_catalogue_and_lands_in_the_url(app_server, page: Page) -> None:
    page.goto(f"{app_server.url}/catalogue")
    wait_for_app(page)
    search = page.get_by_placeholder("Name, developer or a provider's model id")
    search.fill("instant")
    search.press("Enter")
    expect(page.get_by_text("1 of 11 models")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"[?&]q=instant"))
    search.fill("no model is called this")
    search.press("Enter")
    expect(page.get_by_text("No model matches all of these filters")).to_be_visible(timeout=TIMEOUT_MS)


def test_ticking_a_row_leads_to_its_fact_sheet(app_server, page: Page) -> None:
    page.goto(f"{app_server.url}/catalogue")
    wait_for_app(page)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=TIMEOUT_MS)
    box = grid.bounding_box()
    # The grid draws on a canvas, so the first row's checkbox is clicked by position.
    page.mouse.click(box["x"] + CHECKBOX_X_PX, box["y"] + HEADER_PX + ROW_PX / 2)
    link = page.get_by_role("link", name="Open the fact sheet of DeepSeek-V3")
    expect(link).to_be_visible(timeout=TIMEOUT_MS)
    link.click()
    expect(page).to_have_url(re.compile(r"/model\?model=deepseek-v3"), timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="DeepSeek-V3")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("DeepSeek Model License").first).to_be_visible()


def test_clicking_a_name_opens_its_fact_sheet_in_a_new_tab(app_server, page: Page) -> None:
    page.goto(f"{app_server.url}/catalogue")
    wait_for_app(page)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=TIMEOUT_MS)
    box = grid.bounding_box()
    x, y = box["x"] + NAME_X_PX, box["y"] + HEADER_PX + ROW_PX / 2
    page.mouse.move(x, y)  # the grid marks a link as clickable on hover
    page.wait_for_timeout(300)
    with page.context.expect_page() as opened:
        page.mouse.click(x, y)
    sheet = opened.value
    expect(sheet).to_have_url(re.compile(r"/model\?model=deepseek-v3"))
    expect(sheet.get_by_role("heading", name="DeepSeek-V3")).to_be_visible(timeout=TIMEOUT_MS)


def test_model_picker_puts_the_model_in_the_url(app_server, page: Page) -> None:
    page.goto(f"{app_server.url}/model")
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="Gemma 2 9B IT (Google)").click()
    expect(page).to_have_url(re.compile(r"/model\?model=gemma-2-9b-it"), timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Gemma 2 9B IT")).to_be_visible(timeout=TIMEOUT_MS)


def test_comparison_follows_the_picker_and_links_to_fact_sheets(app_server, page: Page) -> None:
    page.goto(f"{app_server.url}/compare?models=gpt-4o,llama-3.1-8b-instruct")
    wait_for_app(page)
    table = page.get_by_test_id("stTable").first
    expect(table.get_by_text("700 million monthly active users")).to_be_visible(timeout=TIMEOUT_MS)
    picker = page.get_by_test_id("stMultiSelect").locator("input")
    picker.fill("OLMo")
    picker.press("Enter")
    picker.press("Escape")  # an open dropdown hides the rest of the page from the accessibility tree
    expect(page).to_have_url(
        re.compile(r"models=gpt-4o(,|%2C)llama-3\.1-8b-instruct(,|%2C)olmo-2-13b-instruct"), timeout=TIMEOUT_MS
    )
    expect(table.get_by_role("link", name="OLMo 2 13B Instruct")).to_be_visible(timeout=TIMEOUT_MS)
    with page.context.expect_page() as opened:
        table.get_by_role("link", name="GPT-4o").click()
    sheet = opened.value
    expect(sheet.get_by_role("heading", name="GPT-4o")).to_be_visible(timeout=TIMEOUT_MS)
    expect(sheet.get_by_text("OpenAI Services Agreement").first).to_be_visible()
