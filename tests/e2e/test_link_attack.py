"""The link attack in Chromium: a link that points the playground at someone else's host gets no key from the server.

With the team's key in the server's environment, opening /playground?right=openai:gpt-4o@http://HOST/v1 and pressing
Run must send nothing to HOST; a logging HTTP server on loopback stands in for HOST and records every request.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS, Server, private_server

pytestmark = pytest.mark.e2e
SERVER_KEY = "sk-team-key-that-must-stay-home-0123"
VISITOR_KEY = "sk-visitor-own-key-4567"


class LoggingHost(http.server.ThreadingHTTPServer):
    """Records the path and headers of every request, answers 404 to all of them."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _log(self) -> None:
                outer.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(404)
                self.end_headers()

            do_GET = do_POST = _log

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


@pytest.fixture(scope="module")
def attacker() -> Iterator[LoggingHost]:
    host = LoggingHost()
    threading.Thread(target=host.serve_forever, daemon=True).start()
    yield host
    host.shutdown()
    host.server_close()


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The team's key in the environment, belonging (as it does by default) to api.openai.com."""
    with private_server(tmp_path_factory.mktemp("link-attack"), {"OPENAI_API_KEY": SERVER_KEY}) as server:
        yield server


def open_link(page: Page, server: Server, query: dict[str, str]) -> None:
    page.goto(f"{server.url}/playground?{urlencode(query)}")
    expect(page.get_by_role("heading", name="Playground", level=1)).to_be_visible(timeout=TIMEOUT_MS)


def run(page: Page) -> None:
    page.get_by_label("Prompt", exact=True).fill("Hello")
    page.get_by_role("button", name="Run").click()


def test_the_malicious_link_sends_no_key_to_its_host(team_server, attacker, page: Page) -> None:
    link = {"left": f"openai:gpt-4o@{attacker.base_url}", "right": f"openai:gpt-4o@{attacker.base_url}"}
    open_link(page, team_server, link)
    expect(page.get_by_text("is not one of this server's endpoints").first).to_be_visible(timeout=TIMEOUT_MS)
    run(page)
    expect(page.get_by_text("runs only with an API key you type in the sidebar")).to_have_count(4, timeout=TIMEOUT_MS)
    assert attacker.seen == []


def test_with_the_visitors_own_key_only_that_key_goes_there(team_server, attacker, page: Page) -> None:
    """The control: the logging host does record requests, and the one it gets carries the visitor's key."""
    link = {"left": "openai:gpt-4o@http://169.254.169.254/v1", "right": f"openai:gpt-4o@{attacker.base_url}"}
    open_link(page, team_server, link)
    # The link's endpoints are in the fields before the key is typed, as a visitor would see them.
    expect(page.get_by_label("Base URL", exact=True).last).to_have_value(attacker.base_url, timeout=TIMEOUT_MS)
    page.get_by_label("API key", exact=True).fill(VISITOR_KEY)
    page.get_by_label("API key", exact=True).press("Enter")
    expect(page.get_by_text("cloud-metadata or link-local address").first).to_be_visible(timeout=TIMEOUT_MS)
    run(page)
    expect(page.get_by_text("(404)").first).to_be_visible(timeout=TIMEOUT_MS)
    authorizations = {headers.get("authorization") for _, headers in attacker.seen}
    assert authorizations == {f"Bearer {VISITOR_KEY}"}


def test_a_link_cannot_load_a_local_model_from_any_path(team_server, page: Page) -> None:
    open_link(page, team_server, {"left": "local:/etc"})
    expect(page.get_by_text("A link may only run the bundled model").first).to_be_visible(timeout=TIMEOUT_MS)
