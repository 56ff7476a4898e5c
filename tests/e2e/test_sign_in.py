"""Sign-in and roles in Chromium, against a real OpenID Connect provider on loopback (npm oidc-provider).

A viewer is refused every write, an editor can import, a sign-out ends the session, and a session cookie that was
tampered with, or is too old, is refused.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
from itsdangerous import URLSafeTimedSerializer
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import TIMEOUT_MS, private_db
from tests.e2e.identity import SignIn, signed_in_app
from tests.imports.files import FIXTURE_MAP, litellm_map

pytestmark = pytest.mark.e2e
USER_COOKIE = "_streamlit_user"  # Streamlit's signed identity cookie


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignIn]:
    folder = tmp_path_factory.mktemp("sign-in")
    with private_db(folder) as db, signed_in_app(db, folder) as running:
        yield running


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser per test: no cookie from another test's sign-in."""
    fresh = browser.new_context(viewport={"width": 1366, "height": 900})
    fresh.set_default_timeout(TIMEOUT_MS)
    yield fresh
    fresh.close()


def sign_in(page: Page, team: SignIn, login: str) -> None:
    """Press Sign in, type the login on the provider's own form, accept, and land back in the app."""
    page.goto(team.app.url)
    page.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
    page.wait_for_url(re.compile(re.escape(team.issuer)), timeout=TIMEOUT_MS)
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click(timeout=TIMEOUT_MS)  # the provider's consent screen
    expect(page.get_by_text(re.compile(rf"Signed in as {login}@example\.test"))).to_be_visible(timeout=TIMEOUT_MS)


def test_a_viewer_is_refused_every_write(team: SignIn, context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, team, "viewer")
    expect(page.get_by_text("Signed in as viewer@example.test · viewer")).to_be_visible()
    page.goto(f"{team.app.url}/data")
    expect(page.get_by_text("Only an editor may import facts")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("input[type=file]")).to_have_count(0)
    page.goto(f"{team.app.url}/advisor")
    page.get_by_placeholder("e.g. Support bot, tight budget").fill("Viewer's scenario", timeout=2 * TIMEOUT_MS)
    page.get_by_role("button", name="Save these settings").click(timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"Only a member or above may save scenarios"))).to_be_visible(timeout=TIMEOUT_MS)


def test_an_editor_can_import_and_the_audit_log_names_them(team: SignIn, context: BrowserContext, tmp_path) -> None:
    page = context.new_page()
    sign_in(page, team, "editor")
    (tmp_path / "map.json").write_bytes(litellm_map(FIXTURE_MAP))
    page.goto(f"{team.app.url}/data")
    page.locator("input[type=file]").first.set_input_files(tmp_path / "map.json")
    page.get_by_role("button", name=re.compile(r"^Apply: ")).click(timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"Applied as import #\d+"))).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("tab", name="Audit log").click()
    expect(page.get_by_text("editor@example.test").first).to_be_visible(timeout=TIMEOUT_MS)


def test_sign_out_ends_the_session(team: SignIn, context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, team, "editor")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(re.escape(team.issuer)), timeout=TIMEOUT_MS)
    page.locator("button[autofocus]").click()  # the provider asks whether to sign out there too: yes
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)
    assert USER_COOKIE not in {c["name"] for c in context.cookies()}
    page.goto(f"{team.app.url}/data")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Import & audit")).to_have_count(0)


def _cookie(team: SignIn, secret: str, claims: dict, signed_at: float | None = None) -> str:
    """A session cookie as Streamlit writes it, signed with secret, optionally dated in the past."""
    payload = json.dumps({**claims, "origin": team.app.url, "is_logged_in": True, "provider": "default"})
    serializer = URLSafeTimedSerializer(secret, salt=USER_COOKIE)
    if signed_at is not None:
        signer = serializer.make_signer(USER_COOKIE)
        signer.get_timestamp = lambda: int(signed_at)
        return signer.sign(serializer.dump_payload(payload)).decode()
    return serializer.dumps(payload)


def _open_with(context: BrowserContext, team: SignIn, value: str) -> Page:
    context.add_cookies([{"name": USER_COOKIE, "value": value, "url": team.app.url}])
    page = context.new_page()
    page.goto(f"{team.app.url}/data")
    return page


EDITOR = {"email": "editor@example.test", "email_verified": True, "sub": "editor"}


def test_a_well_signed_cookie_is_accepted(team: SignIn, context: BrowserContext) -> None:
    """The control for the refusals below: the same forged-by-hand cookie, signed right and fresh, signs in."""
    page = _open_with(context, team, _cookie(team, team.cookie_secret, {**EDITOR, "iat": int(time.time())}))
    expect(page.get_by_text("Signed in as editor@example.test · editor")).to_be_visible(timeout=TIMEOUT_MS)


def test_a_tampered_session_is_refused(team: SignIn, context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, team, "viewer")
    [cookie] = [c for c in context.cookies() if c["name"] == USER_COOKIE]
    stamp_and_signature = cookie["value"].rsplit(".", 2)[1:]  # the payload itself may start with a dot
    claims = json.loads(URLSafeTimedSerializer(team.cookie_secret, salt=USER_COOKIE).loads(cookie["value"]))
    assert claims["email"] == "viewer@example.test"
    promoted = {**claims, "email": "editor@example.test"}
    payload = _cookie(team, team.cookie_secret, promoted).rsplit(".", 2)[0]
    forged = ".".join([payload, *stamp_and_signature])  # the editor's claims under the viewer's signature
    context.clear_cookies()
    page = _open_with(context, team, forged)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    page = _open_with(context, team, _cookie(team, "a-guessed-secret-0123456789", {**EDITOR, "iat": time.time()}))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_an_expired_session_is_refused(team: SignIn, context: BrowserContext) -> None:
    now = time.time()
    # Signed 40 days ago: older than Streamlit's 30-day cookie.
    page = _open_with(context, team, _cookie(team, team.cookie_secret, {**EDITOR, "iat": now}, now - 40 * 86400))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    # A fresh cookie for a sign-in 48 hours ago: older than LLMCOMPARE_SESSION_HOURS (24 by default).
    context.clear_cookies()
    page = _open_with(context, team, _cookie(team, team.cookie_secret, {**EDITOR, "iat": int(now - 48 * 3600)}))
    expect(page.get_by_text("Your sign-in has expired")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Import & audit")).to_have_count(0)
