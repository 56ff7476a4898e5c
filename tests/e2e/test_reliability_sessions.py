"""Five browser sessions use the playground at the same time: every run completes and each sees only its own answer.

Each session has its own fake API whose reply carries the session's token, and the shared in-process local model
on the other side. The fake APIs hold every reply until all five requests have arrived, so the five runs are
provably in flight together (a server that served sessions one at a time would break the barrier).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import TIMEOUT_MS, Server, private_server
from tests.fakes.openai_server import FakeOpenAIServer, Script
from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SESSIONS = 5
GATE_TIMEOUT_S = 60
WORDS = 20


class GatedScript(Script):
    """A script whose reply waits at a barrier shared by every session's server before its first byte."""

    def __init__(self, text: str, gate: threading.Barrier) -> None:
        super().__init__(text=text, token_delay_s=0.05)
        self._gate = gate

    @property
    def first_byte_delay_s(self) -> float:
        self._gate.wait()  # raises BrokenBarrierError (the request fails) unless all five arrive in time
        return 0.0

    @first_byte_delay_s.setter
    def first_byte_delay_s(self, value: float) -> None:
        """The dataclass __init__ sets a delay; the gate replaces it."""


@pytest.fixture(scope="module")
def tokens() -> list[str]:
    return [f"SESSION{i}x{uuid.uuid4().hex[:12]}" for i in range(SESSIONS)]


@pytest.fixture(scope="module")
def session_apis(tokens: list[str]) -> Iterator[list[FakeOpenAIServer]]:
    gate = threading.Barrier(SESSIONS, timeout=GATE_TIMEOUT_S)
    servers = [FakeOpenAIServer(script=GatedScript(" ".join([token] * WORDS), gate)) for token in tokens]
    for server in servers:
        server.start()
    yield servers
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
def sessions_server(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Iterator[Server]:  # noqa: F811
    # A link may name a local model only inside the models folder.
    env = {"LLMCOMPARE_MODELS_DIR": str(tiny_model_dir.parent)}
    with private_server(tmp_path_factory.mktemp("sessions"), env) as server:
        yield server


@pytest.fixture
def pages(browser: Browser) -> Iterator[list[Page]]:
    """One browser context (cookies, storage, websocket: a separate Streamlit session) per user."""
    contexts = [browser.new_context(viewport={"width": 1366, "height": 900}) for _ in range(SESSIONS)]
    for context in contexts:
        context.set_default_timeout(TIMEOUT_MS)
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def test_five_sessions_run_at_once_and_each_sees_only_its_own_answer(
    sessions_server: Server,
    session_apis: list[FakeOpenAIServer],
    tokens: list[str],
    pages: list[Page],
    tiny_model_dir: Path,  # noqa: F811
) -> None:
    for page, api in zip(pages, session_apis, strict=True):
        specs = {"left": f"local:{tiny_model_dir.name}", "right": f"openai:gpt-4o-mini@{api.base_url}"}
        page.goto(f"{sessions_server.url}/playground?{urlencode(specs)}")
    for page, token in zip(pages, tokens, strict=True):
        expect(page.get_by_role("heading", name="Playground", level=1)).to_be_visible(timeout=TIMEOUT_MS)
        page.get_by_label("API key", exact=True).fill("sk-visitor-key")  # a URL from a link runs with a typed key
        page.get_by_label("API key", exact=True).press("Enter")
        page.get_by_label("Prompt", exact=True).fill(f"Repeat {token} please.")
    # Steps interleave across the five pages: every Run is clicked before any answer can arrive (the gate).
    for page in pages:
        page.get_by_role("button", name="Run").click()
    for page in pages:
        expect(page.get_by_text("First token", exact=True)).to_have_count(2, timeout=TIMEOUT_MS)

    for i, (page, api, token) in enumerate(zip(pages, session_apis, tokens, strict=True)):
        [request] = api.requests
        assert token in request.body["messages"][-1]["content"]
        answer = page.get_by_test_id("stMarkdownContainer").filter(has_text=token).last
        assert answer.inner_text().split() == [token] * WORDS
        html = page.content()
        assert [other for other in tokens if other in html] == [token], f"session {i} sees another's text"
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
