"""The open-closed gap and concentration charts render in Chromium on the Trade-offs page, on a store with real arena
rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.arena_seed import arena_seed
from tests.conftest import FixtureDB
from tests.e2e.conftest import TIMEOUT_MS, Server, streamlit_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def arena_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("arena_e2e")
    seed = arena_seed(folder)
    path = folder / "llmcompare.db"
    engine = make_engine(f"sqlite:///{path}")
    build_db(engine, seed)
    db = FixtureDB(url=f"sqlite:///{path}", path=path, engine=engine, seed_dir=seed)
    try:
        with streamlit_server(db, folder / "streamlit.log") as server:
            yield server
    finally:
        engine.dispose()


def tradeoffs_chart(page: Page, server: Server, heading: str, title: str) -> Locator:
    """The Trade-offs page's chart under heading whose drawing holds title, once it shows."""
    page.goto(f"{server.url}/tradeoffs")
    expect(page.get_by_text("Data as of")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("heading", name=heading).scroll_into_view_if_needed(timeout=TIMEOUT_MS)
    chart = page.locator(".js-plotly-plot").filter(has_text=title)
    expect(chart).to_be_visible(timeout=TIMEOUT_MS)
    return chart


def test_gap_chart_renders_on_the_tradeoffs_page(arena_server, page: Page, tmp_path) -> None:
    title = "Open weights lead the best closed API by 13 points"
    chart = tradeoffs_chart(page, arena_server, "How far open weights trail closed APIs", title)
    # Plotly drew both sides' lines and the months panel as SVG paths, with the legend naming them.
    expect(chart.locator(".scatterlayer .trace")).to_have_count(3)
    for name in ("Best Closed API", "Best Open weights", "Months behind"):
        expect(chart.locator(".legendtext", has_text=name)).to_be_visible()
    chart.screenshot(path=str(tmp_path / "gap.png"))
    assert (tmp_path / "gap.png").stat().st_size > 10_000


def test_concentration_chart_renders_on_the_tradeoffs_page(arena_server, page: Page, tmp_path) -> None:
    title = "On the 2025-08-04 board the top 10 come from 7 developers; the largest holds 2"
    chart = tradeoffs_chart(page, arena_server, "How concentrated the top of the arena is", title)
    # Developers and the largest share for the top 10 and top 20, and the open-weights share, each a drawn trace.
    expect(chart.locator(".scatterlayer .trace")).to_have_count(5)
    for name in ("Developers, top 20", "Largest developer's share, top 10", "Open weights' share, top 10"):
        expect(chart.locator(".legendtext", has_text=name)).to_be_visible()
    chart.screenshot(path=str(tmp_path / "concentration.png"))
    assert (tmp_path / "concentration.png").stat().st_size > 10_000


def test_data_handling_matrix_renders_on_the_tradeoffs_page(arena_server, page: Page, tmp_path) -> None:
    chart = tradeoffs_chart(
        page, arena_server, "How API providers handle your data", "How does each API provider handle your data?"
    )
    # The matrix is a heatmap with one labelled cell per provider and term.
    expect(chart.locator(".heatmaplayer")).to_have_count(1)
    expect(chart.get_by_text("not found").first).to_be_visible()
    chart.screenshot(path=str(tmp_path / "handling.png"))
    assert (tmp_path / "handling.png").stat().st_size > 10_000
