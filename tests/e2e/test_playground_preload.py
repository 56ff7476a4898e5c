"""The bundled model loads in the background as soon as the Playground shows it, so the first run does not wait."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEOUT_MS, Server, streamlit_server
from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.e2e

LOADED = re.compile(r"Runs (int4|fp16|float32).*lean decoder")


@pytest.fixture(scope="module")
def preloading_server(fixture_db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("preload-server") / "streamlit.log"
    with streamlit_server(fixture_db, log, {"LLMCOMPARE_LOCAL_PRELOAD": "on", "HF_HUB_OFFLINE": "1"}) as server:
        yield server


def test_the_bundled_model_is_loaded_before_the_first_run(preloading_server, page: Page) -> None:
    frames: list[object] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(payload)))
    with FakeOpenAIServer() as api:
        api.script.text = "An answer from the API."
        query = urlencode({"left": "local:bundled", "right": f"openai:gpt-4o-mini@{api.base_url}"})
        page.goto(f"{preloading_server.url}/playground?{query}")
        expect(page.get_by_role("heading", name="Playground", level=1)).to_be_visible(timeout=TIMEOUT_MS)
        # Nothing clicked yet: the left side says its model is loading, then how it runs, without a rerun by hand.
        expect(page.get_by_text("Loading in the background")).to_be_visible(timeout=TIMEOUT_MS)
        # A prompt typed meanwhile, not yet sent to the server, keeps its text through the rerun that ends the wait.
        page.get_by_label("Prompt", exact=True).fill("Name one colour.")
        expect(page.get_by_text(LOADED)).to_be_visible(timeout=120_000)
        expect(page.get_by_text("Loading in the background")).to_have_count(0)
        expect(page.get_by_label("Prompt", exact=True)).to_have_value("Name one colour.")
        # Then the note stops looking: an idle page hears nothing more from the server.
        page.wait_for_timeout(1500)
        heard = len(frames)
        page.wait_for_timeout(3000)
        assert len(frames) == heard

        page.get_by_label("API key", exact=True).fill("sk-e2e-visitor-key")
        page.get_by_label("API key", exact=True).press("Enter")
        expect(page.get_by_label("Prompt", exact=True)).to_have_value("Name one colour.")
        page.get_by_label("Prompt", exact=True).press("Control+Enter")
        page.get_by_role("button", name="Run").click()
        expect(page.get_by_text("First token", exact=True)).to_have_count(2, timeout=TIMEOUT_MS)
        # The run found the model on the shelf: no loading box, and the note still names how it runs.
        expect(page.get_by_text(re.compile(r"loaded in \d+ s"))).to_have_count(0)
        expect(page.get_by_text(LOADED)).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
