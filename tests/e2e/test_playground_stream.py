"""The playground in Chromium: both answers stream into their columns at the same time, then the metrics show."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS, Server, streamlit_server
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401

pytestmark = pytest.mark.e2e

WORDS = 30
TOKEN_DELAY_S = 0.08  # 30 words take about 2.4 s, long enough to look at both columns mid-stream


@pytest.fixture(scope="module")
def fake_apis() -> Iterator[tuple[FakeOpenAIServer, FakeOpenAIServer]]:
    """Two OpenAI-compatible servers, each answering with its own numbered words, one word per delay."""
    with FakeOpenAIServer() as left, FakeOpenAIServer() as right:
        for server, letter in ((left, "L"), (right, "R")):
            server.script.text = " ".join(f"{letter}{i}" for i in range(WORDS))
            server.script.token_delay_s = TOKEN_DELAY_S
        yield left, right


@pytest.fixture(scope="module")
def playground_server(fixture_db, tmp_path_factory: pytest.TempPathFactory, tiny_model_dir) -> Iterator[Server]:  # noqa: F811
    """A fresh app server whose models folder holds the tiny model; the visitor types a key (any key will do)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LLMCOMPARE_MODELS_DIR", str(tiny_model_dir.parent))
        patch.setenv("HF_HUB_OFFLINE", "1")
        log = tmp_path_factory.mktemp("playground-server") / "streamlit.log"
        with streamlit_server(fixture_db, log) as server:
            yield server


def answer_text(page: Page, first_word: str) -> str:
    """The current text of the answer that starts with first_word, or '' before it has arrived."""
    found = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(rf"^\s*{first_word}\b"))
    return found.first.inner_text() if found.count() else ""


def open_playground(page: Page, server: Server, left: str, right: str) -> None:
    page.goto(f"{server.url}/playground?{urlencode({'left': left, 'right': right})}")
    expect(page.get_by_role("heading", name="Playground", level=1)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("API key", exact=True).fill("sk-e2e-visitor-key")  # URLs from a link run with a typed key
    page.get_by_label("API key", exact=True).press("Enter")
    page.get_by_label("Prompt", exact=True).fill("Count for me, one word at a time.")
    page.get_by_role("button", name="Run").click()


def test_both_api_answers_stream_at_the_same_time(playground_server, fake_apis, page: Page) -> None:
    left, right = fake_apis
    open_playground(page, playground_server, f"openai:left@{left.base_url}", f"openai:right@{right.base_url}")
    deadline = time.monotonic() + 20
    seen = ("", "")
    while not all(seen) and time.monotonic() < deadline:
        seen = (answer_text(page, "L0"), answer_text(page, "R0"))
        page.wait_for_timeout(50)
    # Both columns have text while neither answer is complete: they stream side by side, not one after the other.
    assert all(seen), seen
    assert f"L{WORDS - 1}" not in seen[0] and f"R{WORDS - 1}" not in seen[1], seen
    expect(page.get_by_text("First token", exact=True)).to_have_count(2, timeout=TIMEOUT_MS)
    assert answer_text(page, "L0").split() == [f"L{i}" for i in range(WORDS)]
    assert answer_text(page, "R0").split() == [f"R{i}" for i in range(WORDS)]
    expect(page.get_by_text(re.compile(r"Wall time of the run: \d+\.\d\d s"))).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_local_model_and_an_api_side_by_side(playground_server, fake_apis, tiny_model_dir, page: Page) -> None:  # noqa: F811
    _, right = fake_apis
    open_playground(page, playground_server, f"local:{tiny_model_dir.name}", f"openai:gpt-4o-mini@{right.base_url}")
    expect(page.get_by_text("First token", exact=True)).to_have_count(2, timeout=TIMEOUT_MS)
    assert answer_text(page, "R0").split()[-1] == f"R{WORDS - 1}"
    expect(page.get_by_text("Cost basis: assumed 1.00 USD per machine-hour")).to_be_visible()
    expect(page.get_by_text("Output tokens", exact=True)).to_have_count(2)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_stop_ends_both_sides_and_keeps_what_they_wrote(playground_server, fake_apis, page: Page) -> None:
    left, right = fake_apis
    open_playground(page, playground_server, f"openai:left@{left.base_url}", f"openai:right@{right.base_url}")
    expect(page.get_by_text(re.compile(r"^\s*L0\b"))).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_test_id("stBaseButton-secondary").filter(has_text="Stop").click()
    # The rerun that the click starts waits for the interrupted run to stop and be saved, then shows it.
    expect(page.get_by_text("Stopped before the end.")).to_have_count(2, timeout=TIMEOUT_MS)
    # Neither answer reached its last word: the stop, not the end of the stream, ended them.
    assert f"L{WORDS - 1}" not in answer_text(page, "L0") and f"R{WORDS - 1}" not in answer_text(page, "R0")
