"""In a real browser: upload a LiteLLM map on the Import & audit page, review the preview, apply it, see it logged."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FixtureDB
from tests.e2e.conftest import TIMEOUT_MS, Server, streamlit_server
from tests.imports.conftest import FIXTURE_SEED, new_store
from tests.imports.files import FIXTURE_MAP, litellm_map

pytestmark = pytest.mark.e2e


@pytest.fixture
def import_server(tmp_path) -> Iterator[Server]:
    """A server on its own fresh store: this test writes to it."""
    path = tmp_path / "e2e-import.db"
    engine = new_store(f"sqlite:///{path}")
    db = FixtureDB(url=f"sqlite:///{path}", path=path, engine=engine, seed_dir=FIXTURE_SEED)
    with streamlit_server(db, tmp_path / "streamlit.log") as server:
        yield server
    engine.dispose()


def test_upload_preview_apply_and_audit(import_server, page: Page, tmp_path) -> None:
    (tmp_path / "map.json").write_bytes(litellm_map(FIXTURE_MAP))
    page.goto(f"{import_server.url}/data")
    expect(page.get_by_text("Data as of")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("input[type=file]").first.set_input_files(tmp_path / "map.json")
    expect(page.get_by_role("heading", name="Preview")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Changed"))).to_contain_text("1")
    expect(page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Problems"))).to_contain_text("0")
    expect(page.get_by_text("Changed (1)", exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Apply: 1 new, 1 changed")).click()
    expect(page.get_by_text(re.compile(r"Applied as import #1: 1 new, 1 changed"))).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("tab", name="Audit log").click()
    expect(page.get_by_role("button", name="Roll back import #1")).to_be_visible(timeout=TIMEOUT_MS)
