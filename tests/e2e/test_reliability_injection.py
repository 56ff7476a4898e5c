"""Hostile model output shows as text everywhere it is shown: nothing runs, nothing is fetched, the layout holds.

The fake API answers with HTML, a script, a remote Markdown image and a 20,000-character word; the model name
carries HTML and an image too, since it is shown as a heading, in the vote reveal and on the Votes page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import pytest
from playwright.sync_api import Browser, Dialog, Page, Request, expect

from tests.e2e.conftest import TIMEOUT_MS, Server, private_server
from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LONG_WORD = "W" * 20_000
PAYLOAD = (
    "Start <b>bold</b> then <img src=x onerror=window.__pwned=1> and "
    '<img src="http://example.invalid/tag.png"> then <script>window.__pwned=1</script> '
    "and ![x](http://example.invalid/pixel.png) and [![y](http://example.invalid/nested.png)](http://example.invalid) "
    f"and \\![z](http://example.invalid/escaped.png) end {LONG_WORD} done"
)
HOSTILE_MODEL = "<b>m</b>![m](http://example.invalid/model.png)"
# What the injected tags would ask this server for (the relative src=x) or any host for (the images).
INJECTED = re.compile(r"/x$|/(pixel|tag|nested|escaped|model)\.png$")
SLACK_PX = 2  # sub-pixel rounding


@dataclass
class Watch:
    """What a page did that it must not: requests to other hosts or for injected images, and dialogs."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def foreign(self) -> list[str]:
        """Requests that left this machine, or that an injected tag caused (the relative src=x, the images)."""
        parsed = [(url, urlparse(url)) for url in self.requests]
        return [
            url
            for url, part in parsed
            if part.scheme not in ("data", "blob") and (part.hostname not in LOCAL_HOSTS or INJECTED.search(part.path))
        ]


@pytest.fixture(scope="module")
def hostile_api() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        server.script.text = PAYLOAD
        yield server


@pytest.fixture(scope="module")
def injection_server(tmp_path_factory: pytest.TempPathFactory, hostile_api: FakeOpenAIServer) -> Iterator[Server]:
    """An app server on a database of its own, so the hostile runs never show in other tests' History."""
    # The server's key belongs to the hostile API here, so that links to it run without a typed key.
    with private_server(tmp_path_factory.mktemp("injection"), {"OPENAI_BASE_URL": hostile_api.base_url}) as server:
        yield server


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    watch = Watch()
    page.on("request", watch.on_request)
    page.on("dialog", watch.on_dialog)
    yield page, watch
    context.close()


def assert_inert(page: Page, watch: Watch) -> None:
    """Nothing ran, nothing was fetched from elsewhere, nothing pushed the page wider than the window."""
    page.wait_for_timeout(500)  # give an injected image or script the time it would need to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watch.dialogs == []
    assert watch.foreign() == []
    assert page.locator("main img[src*='example.invalid'], main img[src='x'], main script:not([src])").count() == 0
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width + SLACK_PX
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]
            .filter(e => e.textContent.includes('WWWWWWWWWW'))
            .map(e => [e.getBoundingClientRect().right, e.scrollWidth - e.clientWidth])"""
    )
    assert overflow, "the long answer is not on the page"
    assert all(right <= width + SLACK_PX and extra <= SLACK_PX for right, extra in overflow), overflow
    expect(page.get_by_test_id("stException")).to_have_count(0)


def assert_shown_as_text(page: Page, copies: int) -> None:
    """The tags and the image syntax are on the page as the characters the model wrote."""
    for literal in ("<b>bold</b>", "<script>window.__pwned=1</script>", "![x](http://example.invalid/pixel.png)"):
        expect(page.get_by_text(literal, exact=False)).to_have_count(copies, timeout=TIMEOUT_MS)


def open_playground(page: Page, server: Server, api: FakeOpenAIServer, blind: bool) -> None:
    specs = {"left": f"openai:{HOSTILE_MODEL}@{api.base_url}", "right": f"openai:plain@{api.base_url}"}
    page.goto(f"{server.url}/playground?{urlencode(specs)}")
    expect(page.get_by_role("heading", name="Playground", level=1)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("Prompt", exact=True).fill("Say something dangerous.")
    if blind:
        page.get_by_text("Blind mode", exact=True).click()
    page.get_by_role("button", name="Run").click()


def test_answers_render_as_text_in_the_playground_and_history(injection_server, hostile_api, watched) -> None:
    page, watch = watched
    open_playground(page, injection_server, hostile_api, blind=False)
    expect(page.get_by_text("First token", exact=True)).to_have_count(2, timeout=TIMEOUT_MS)
    assert_shown_as_text(page, 2)
    assert_inert(page, watch)
    page.get_by_role("link", name=re.compile(r"Open run #\d+ in History")).click()
    expect(page.get_by_role("heading", name=re.compile(r"Run #\d+"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("First token", exact=True)).to_have_count(2, timeout=TIMEOUT_MS)
    assert_shown_as_text(page, 2)
    assert_inert(page, watch)


def test_blind_mode_and_the_votes_page_render_as_text(injection_server, hostile_api, watched) -> None:
    page, watch = watched
    open_playground(page, injection_server, hostile_api, blind=True)
    expect(page.get_by_text("Which answer is better?")).to_be_visible(timeout=TIMEOUT_MS)
    assert_shown_as_text(page, 2)
    assert_inert(page, watch)
    page.get_by_role("button", name="A is better").click()
    expect(page.get_by_text(re.compile("^Vote saved"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(HOSTILE_MODEL, exact=False).first).to_be_visible()
    assert_inert(page, watch)
    page.goto(f"{injection_server.url}/votes")
    expect(page.get_by_role("heading", name="Win rates")).to_be_visible(timeout=TIMEOUT_MS)
    # Plotly renders <b> in tick labels unless escaped: the hostile name shows as typed.
    expect(page.locator("svg text").filter(has_text="<b>m</b>").first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watch.dialogs == [] and watch.foreign() == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.evaluate("window.innerWidth") + SLACK_PX
    expect(page.get_by_test_id("stException")).to_have_count(0)
