"""The Import & audit page through AppTest: upload, problems, unknown names, apply, audit log, rollback, template."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.imports.conftest import FIXTURE_SEED, new_store
from tests.imports.files import FIXTURE_MAP, litellm_map

APP = Path(__file__).resolve().parents[2] / "app.py"
MAP = litellm_map(FIXTURE_MAP)


@pytest.fixture
def page(tmp_path, monkeypatch) -> AppTest:
    """The page against its own fresh store, so imports here never reach the shared fixture database."""
    db = tmp_path / "data-page.db"
    new_store(f"sqlite:///{db}").dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("LLMCOMPARE_SEED_DIR", str(FIXTURE_SEED))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    return at.switch_page("views/data.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def frame(at: AppTest, column: str):
    """The first table holding this column (tables without selection are not found by key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    return at.file_uploader(key="data.file.litellm.0").set_value((name, data, "application/json")).run()


def test_empty_form_explains_what_happens(page):
    no_errors(page)
    assert page.title[0].value == "Import & audit"
    assert "Nothing is written before you review and apply" in page.info[0].value
    assert page.selectbox(key="data.kind").value == "litellm"


def test_upload_preview_apply_audit_and_rollback(page):
    at = upload(page, "map.json", MAP)
    no_errors(at)
    assert metrics(at) == {
        "New": "1",
        "Changed": "1",
        "Unchanged": "1",
        "Not in file": "13",
        "Unknown": "1",
        "Problems": "0",
    }
    changed = frame(at, "fact")
    assert changed["fact"].tolist() == ["price of openai/gpt-4o-mini"]
    apply = at.button(key="data.apply")
    assert apply.label == "Apply: 1 new, 1 changed, 1 confirmed" and not apply.disabled
    at = apply.click().run()
    assert "Applied as import #1: 1 new, 1 changed, 1 confirmed" in at.success[0].value
    log = frame(at, "file_name")
    assert log["file_name"].tolist() == ["map.json"] and log["status"].tolist() == ["applied"]
    assert "price of openai/gpt-4o-mini" in frame(at, "change")["fact"].tolist()
    assert at.button(key="data.rollback").disabled
    at.checkbox(key="data.sure.1").check().run()
    at = at.button(key="data.rollback").click().run()
    assert at.success[0].value.startswith("Rolled back import #1:")
    assert frame(at, "file_name")["status"].tolist() == ["rolled back"]


def test_a_bad_file_lists_its_problems_and_cannot_be_applied(page):
    bad = litellm_map({"a/m": {"litellm_provider": "a", "mode": "chat", "input_cost_per_token": -1}})
    at = upload(page, "map.json", bad)
    no_errors(at)
    assert "1 problem(s)" in at.error[0].value
    problem = frame(at, "problem").iloc[0]
    assert (problem["row"], problem["field"]) == ("2", "a/m.input_cost_per_token")
    assert at.button(key="data.apply").disabled


def test_an_unknown_name_is_mapped_with_a_suggestion(page):
    at = upload(page, "map.json", MAP)
    unknown = frame(at, "suggestions")
    assert unknown["name"].tolist() == ["mystery/gpt-4o-2099"]
    assert unknown["suggestions"].iloc[0].startswith("GPT-4o (OpenAI)")
    assert at.selectbox(key="data.map_to.mystery/gpt-4o-2099").value == "gpt-4o"  # the best suggestion is picked first
    at = at.button(key="data.map").click().run()
    assert metrics(at)["Unknown"] == "0" and metrics(at)["New"] == "2"
    assert "`mystery/gpt-4o-2099` → gpt-4o" in " ".join(m.value for m in at.markdown)


def test_cancel_forgets_the_file(page):
    at = upload(page, "map.json", MAP).button(key="data.cancel").click().run()
    assert "Cancelled: nothing was written." in at.success[0].value
    assert not at.metric


def test_template_tab_offers_the_download(page):
    assert page.get("download_button")[0].proto.label == "Download the CSV template"
    assert "source_url" in page.table[0].value.index


def test_fetch_offline_says_so(tmp_path, monkeypatch, page):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("LLMCOMPARE_LITELLM_URL", f"http://127.0.0.1:{port}/map.json")
    monkeypatch.setenv("LLMCOMPARE_REFRESH_TIMEOUT_S", "2")
    at = page.button(key="data.fetch").click().run()
    assert "looks offline" in at.warning[0].value
