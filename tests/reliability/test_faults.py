"""The faults matrix: one side fails in each way we know of, the other side still answers, and the run is stored.

The API side talks to a real HTTP server on 127.0.0.1 (or to nothing at all); the local side is the tiny GPT-2.
Each case checks the same five things: a clear message on the failing side only, text on the other side, the run
and its error stored in a real SQLite file, no worker thread left running, and the API key nowhere.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from llmcompare.playground.run import Side, run_comparison
from llmcompare.providers.base import ErrorEvent, GenerationSettings, Provider
from llmcompare.providers.local_hf import LocalHFProvider, LocalModel, load_local
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.providers.registry import provider_or_error
from llmcompare.store.runs import Run, save_run
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.tiny_model import build_tiny_model
from tests.reliability.conftest import API_KEY, app_threads, file_bytes, leftover_threads, runs_engine_at

LOCAL, API = 0, 1
MODEL = "gpt-4o-mini"
LOCAL_SETTINGS = GenerationSettings(max_new_tokens=12, timeout_s=10.0)
API_SETTINGS = GenerationSettings(max_new_tokens=12, timeout_s=10.0)
# Short enough to keep the suite quick, long enough for a loaded machine to answer a healthy request.
SHORT_TIMEOUT = GenerationSettings(max_new_tokens=12, timeout_s=0.5)
UNRESOLVABLE = "http://llmcompare-no-such-host.invalid/v1"  # RFC 6761: .invalid never resolves


@dataclass(frozen=True)
class Fault:
    """One way for one side to fail, and the words its message must hold."""

    failing: int
    needles: tuple[str, ...]
    script: dict[str, Any] = field(default_factory=dict)
    api_url: str | None = None  # "refused" for a closed port; otherwise the fake server's
    api_model: str = MODEL
    api_settings: GenerationSettings = API_SETTINGS
    local: str | None = None  # "missing", "raises" or "context"
    prompt: str = "the quick brown fox"
    keeps_partial_text: bool = False
    requests: int | None = None  # how many requests the server must have seen: retries happen before any text only


FAULTS = {
    "401 bad key": Fault(API, ("rejected the API key (401)",), {"status": 401}, requests=1),
    "403 forbidden": Fault(API, (f"may not use '{MODEL}'", "(403)"), {"status": 403}, requests=1),
    "404 unknown model": Fault(
        API,
        ("Unknown model 'gpt-4o-mini-typo'", "(404)", "does not exist"),
        {"known_models": (MODEL,)},
        api_model="gpt-4o-mini-typo",
        requests=1,
    ),
    "429 with Retry-After": Fault(API, ("Rate limited", "(429)", "after 3 attempts"), {"status": 429}, requests=3),
    "500": Fault(API, ("Server error 500", "after 3 attempts"), {"status": 500}, requests=3),
    "503": Fault(API, ("Server error 503", "after 3 attempts"), {"status": 503}, requests=3),
    "no first byte": Fault(API, ("within 0.5 s (timeout)",), {"first_byte_delay_s": 30.0}, api_settings=SHORT_TIMEOUT),
    "stall mid-answer": Fault(
        API, ("within 0.5 s (timeout)",), {"stall_after": 2}, api_settings=SHORT_TIMEOUT, keeps_partial_text=True
    ),
    "disconnect mid-answer": Fault(
        API, ("closed the connection", "incomplete"), {"disconnect_after": 2}, keeps_partial_text=True, requests=1
    ),
    "malformed SSE": Fault(API, ("could not be read",), {"malformed": True}, keeps_partial_text=True, requests=1),
    "connection refused": Fault(API, ("Could not connect to http://127.0.0.1:",), api_url="refused"),
    "unresolvable host": Fault(API, ("Could not resolve", "llmcompare-no-such-host.invalid"), api_url=UNRESOLVABLE),
    "missing local model": Fault(
        LOCAL, ("Could not load local model", "there is no file or folder", "no-such-model"), local="missing"
    ),
    "local model raises": Fault(LOCAL, ("failed", "simulated out of memory"), local="raises", keeps_partial_text=True),
    "prompt past the context": Fault(
        LOCAL, ("reads at most 32", "shorten it"), local="context", prompt="the quick brown fox jumps " * 20
    ),
}


class _ExplodingModel:
    """A real model whose generate() fails after a few tokens, as a model running out of memory does."""

    def __init__(self, model: Any, after_steps: int) -> None:
        self._model = model
        self._after_steps = after_steps

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def generate(self, **kwargs: Any) -> Any:
        from transformers import LogitsProcessorList

        steps = iter(range(self._after_steps, -1, -1))

        def explode(input_ids: Any, scores: Any) -> Any:
            if next(steps) == 0:
                raise RuntimeError("simulated out of memory")
            return scores

        return self._model.generate(**kwargs, logits_processor=LogitsProcessorList([explode]))


@pytest.fixture(scope="module")
def short_context_local(tmp_path_factory: pytest.TempPathFactory) -> LocalHFProvider:
    folder = build_tiny_model(tmp_path_factory.mktemp("short-context"), n_positions=32)
    return LocalHFProvider(load_local(str(folder)), "local:short-context")


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def local_side(fault: Fault, tiny_local: Provider, tiny_loaded: LocalModel, short: Provider, tmp_path: Path) -> Side:
    if fault.local == "missing":
        return Side(provider_or_error(f"local:{tmp_path / 'no-such-model'}"), LOCAL_SETTINGS)
    if fault.local == "raises":
        exploding = LocalModel(_ExplodingModel(tiny_loaded.model, 3), tiny_loaded.tokenizer, "tiny-gpt2")
        return Side(LocalHFProvider(exploding, "local:exploding"), LOCAL_SETTINGS)
    if fault.local == "context":
        return Side(short, LOCAL_SETTINGS)
    return Side(tiny_local, LOCAL_SETTINGS)


def api_side(fault: Fault, server: FakeOpenAIServer) -> Side:
    url = {"refused": closed_port_url(), None: server.base_url}.get(fault.api_url, fault.api_url)
    return Side(OpenAICompatProvider(fault.api_model, url, API_KEY), fault.api_settings)


@pytest.mark.parametrize("case", list(FAULTS))
def test_one_side_fails_clearly_and_the_other_answers(
    case, fake_openai, tiny_local, tiny_loaded, short_context_local, tmp_path
):
    fault = FAULTS[case]
    # Servers that echo part of the key back, as OpenAI does for a wrong one.
    fake_openai.script.error_message = f"Incorrect API key provided: {API_KEY}."
    fake_openai.script.retry_after = "0"
    for name, value in fault.script.items():
        setattr(fake_openai.script, name, value)
    sides = [local_side(fault, tiny_local, tiny_loaded, short_context_local, tmp_path), api_side(fault, fake_openai)]
    before = app_threads()

    events = []
    result = run_comparison(fault.prompt, sides, events.append)

    errors = [e for e in events if isinstance(e, ErrorEvent)]
    assert [e.side for e in errors] == [fault.failing], errors
    failed, other = result.sides[fault.failing], result.sides[1 - fault.failing]
    for needle in fault.needles:
        assert needle in failed.error, failed.error
    assert errors[0].message == failed.error
    assert bool(failed.text) == fault.keeps_partial_text
    assert other.error is None and other.text and other.output_tokens
    if fault.requests is not None:
        assert len(fake_openai.requests) == fault.requests
    assert leftover_threads(before) == []

    db = tmp_path / "runs.db"
    engine = runs_engine_at(db)
    run_id = save_run(engine, result)
    with Session(engine) as session:
        stored = session.get(Run, run_id)
        assert [s.error for s in stored.sides] == [s.error for s in result.sides]
        assert [s.text for s in stored.sides] == [s.text for s in result.sides]
    engine.dispose()

    assert API_KEY not in repr(events) + repr(result)
    assert API_KEY.encode() not in file_bytes(db)


def test_a_stop_while_the_api_side_waits_for_its_first_byte_leaves_no_thread(fake_openai, tiny_local):
    """The worst wait of the matrix, cut short by the user: the run still ends and cleans up."""
    from llmcompare.playground.run import PlaygroundRun

    fake_openai.script.first_byte_delay_s = 30.0
    before = app_threads()
    api = OpenAICompatProvider(MODEL, fake_openai.base_url, API_KEY)
    comparison = PlaygroundRun("fox", [Side(tiny_local, LOCAL_SETTINGS), Side(api, API_SETTINGS)]).start()
    threading.Timer(0.3, comparison.stop_event.set).start()
    result = comparison.result()
    assert comparison.stop()
    assert result.sides[API].stopped and result.sides[API].error is None
    assert leftover_threads(before) == []


@pytest.mark.slow
def test_the_bundled_model_answers_while_the_api_side_fails(fake_openai, tmp_path):
    """The same contract with the real local model (SmolLM2-135M, converted once into the app's model cache)."""
    fake_openai.script.status, fake_openai.script.retry_after = 503, "0"
    fake_openai.script.error_message = f"Overloaded, key {API_KEY}"
    bundled = LocalHFProvider(load_local("bundled"), "local:bundled")
    api = OpenAICompatProvider(MODEL, fake_openai.base_url, API_KEY)
    before = app_threads()
    result = run_comparison(
        "Name one colour.",
        [Side(bundled, GenerationSettings(max_new_tokens=8, temperature=0, timeout_s=60)), Side(api, API_SETTINGS)],
    )
    assert result.sides[LOCAL].error is None and result.sides[LOCAL].text.strip()
    assert result.sides[LOCAL].output_tokens and result.sides[LOCAL].output_tokens <= 8
    assert "Server error 503" in result.sides[API].error and API_KEY not in result.sides[API].error
    assert leftover_threads(before) == []
    engine = runs_engine_at(tmp_path / "runs.db")
    with Session(engine) as session:
        stored = session.get(Run, save_run(engine, result))
        assert [s.error for s in stored.sides] == [None, result.sides[API].error]
    engine.dispose()
