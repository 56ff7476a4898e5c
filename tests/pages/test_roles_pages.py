"""Roles on the server, through AppTest with [auth] in secrets: each write checks the role when it runs.

The refusals are checked where the write happens, not only by what the page draws: a user whose role is lowered
after the page drew the Apply button is still refused when they press it, and nothing is written.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from llmcompare.store.engine import make_engine
from tests.imports.conftest import FIXTURE_SEED, new_store
from tests.imports.files import FIXTURE_MAP, litellm_map

APP = Path(__file__).resolve().parents[2] / "app.py"
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "not-used-by-apptest-0123456789",
    "client_id": "llmcompare",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
}
ROLES = {"editor": ["ed@example.test"], "member": ["group:team"], "default": "viewer"}


def person(email: str, *groups: str) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True, "groups": list(groups), "iat": time.time()}


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "roles.db"
    new_store(f"sqlite:///{path}").dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("LLMCOMPARE_SEED_DIR", str(FIXTURE_SEED))
    return path


def open_as(user: dict | None, page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = ROLES
    at.user = user if user is not None else {"is_logged_in": False}
    at.run()
    return at.switch_page(f"views/{page}.py").run()


def imports(path: Path) -> int:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        count = conn.execute(text("SELECT COUNT(*) FROM imports")).scalar_one()
    engine.dispose()
    return count


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in(db):
    at = open_as(None, "data")
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Sign in to continue" in at.info[0].value
    assert all(t.value != "Import & audit" for t in at.title)


def test_the_import_page_refuses_a_viewer(db):
    at = open_as(person("viewer@example.test"), "data")
    assert not at.exception
    assert "Only an editor may import facts" in at.error[0].value
    assert not at.file_uploader


def test_apply_checks_the_role_when_pressed_and_writes_nothing(db):
    at = open_as(person("ed@example.test"), "data")
    at = at.file_uploader(key="data.file.litellm.0").set_value(("map.json", litellm_map(FIXTURE_MAP), "x")).run()
    apply = at.button(key="data.apply")
    assert not apply.disabled
    at.user = person("ed-left-the-team@example.test")  # the role is lowered after the button was drawn
    at = apply.click().run()
    assert any("Only an editor may import facts" in e.value for e in at.error)
    assert imports(db) == 0


def test_a_viewer_pressing_roll_back_is_refused_by_the_write_itself(db):
    at = open_as(person("ed@example.test"), "data")
    at = at.file_uploader(key="data.file.litellm.0").set_value(("map.json", litellm_map(FIXTURE_MAP), "x")).run()
    at.button(key="data.apply").click().run()
    at = open_as(person("viewer@example.test"), "data")  # the audit log and its button are there to browse
    at = at.checkbox(key="data.sure.1").check().run()
    at = at.button(key="data.rollback").click().run()
    assert any("Not rolled back: Only an editor or above may roll back imports" in e.value for e in at.error)
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM imports")).scalar_one() == "applied"
    engine.dispose()


def test_an_editor_applies_and_the_audit_log_records_who(db):
    at = open_as(person("ed@example.test"), "data")
    at = at.file_uploader(key="data.file.litellm.0").set_value(("map.json", litellm_map(FIXTURE_MAP), "x")).run()
    at = at.button(key="data.apply").click().run()
    assert "Applied as import #1" in at.success[0].value
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT who FROM imports")).scalar_one() == "ed@example.test"
    engine.dispose()


def test_scenarios_need_member_to_save_and_editor_to_delete(db):
    at = open_as(person("viewer@example.test"), "advisor")
    at.text_input(key="advisor.name").input("Mine")
    at = at.button(key="advisor.save").click().run()
    assert any("Only a member or above may save scenarios" in e.value for e in at.error)
    at = open_as(person("m@example.test", "team"), "advisor")
    at.text_input(key="advisor.name").input("Mine")
    at = at.button(key="advisor.save").click().run()
    assert any("Saved “Mine”" in s.value for s in at.success)
    at = at.button(key="advisor.delete").click().run()
    assert any("Only an editor or above may delete scenarios" in e.value for e in at.error)
    assert "Mine" in at.selectbox(key="advisor.scenario").options


def test_without_auth_the_local_user_may_do_everything(db):
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at = at.switch_page("views/data.py").run()
    assert not at.exception and at.file_uploader and not at.error


def test_a_viewer_may_not_spend_the_teams_key_but_a_member_may(db, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    endpoints = {"team": {"base_url": "http://127.0.0.1:9/v1", "api_key": "sk-team-secret", "models": ["llama-3"]}}
    for who, refused in ((person("viewer@example.test"), True), (person("m@example.test", "team"), False)):
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.secrets["auth"], at.secrets["roles"], at.secrets["endpoints"] = AUTH, ROLES, endpoints
        at.user = who
        at.run()
        at = at.switch_page("views/playground.py").run()
        assert at.selectbox(key="playground.side1.endpoint").value == "team"
        warnings = " ".join(w.value for w in at.warning)
        assert ("may not use the team's key for team" in warnings) is refused
        assert "sk-team-secret" not in warnings
