"""The OpenAI-compatible provider against a real HTTP server on 127.0.0.1."""

import socket
import threading
from pathlib import Path

import pytest

from llmcompare.providers.base import GenerationSettings, ProviderError, Usage
from llmcompare.providers.openai_compat import OpenAICompatProvider, resolve_api_key
from tests.fakes.openai_server import DEFAULT_TEXT, pieces_of

KEY = "sk-test-9f8e7d6c5b4a"
FAST = GenerationSettings(timeout_s=5.0)


def collect(provider, settings=FAST, stop=None, prompt="Say hello"):
    """All pieces of one stream, split into text and the final usage."""
    items = list(provider.stream(prompt, settings, stop or threading.Event()))
    usage = [i for i in items if isinstance(i, Usage)]
    return "".join(i for i in items if isinstance(i, str)), usage[-1] if usage else None


def failure(provider, settings=FAST):
    with pytest.raises(ProviderError) as caught:
        collect(provider, settings)
    return str(caught.value)


@pytest.fixture
def provider(fake_openai):
    return OpenAICompatProvider("gpt-test", fake_openai.base_url, KEY)


def test_streams_text_then_usage(provider, fake_openai):
    text, usage = collect(provider)
    assert text == DEFAULT_TEXT
    assert usage == Usage(input_tokens=2, output_tokens=len(pieces_of(DEFAULT_TEXT)))


def test_request_asks_for_streamed_usage_with_the_key(provider, fake_openai):
    settings = GenerationSettings(system_prompt="Be brief.", max_new_tokens=3, temperature=0.2, top_p=0.9, seed=7)
    text, usage = collect(provider, settings)
    sent = fake_openai.requests[0]
    assert sent.authorization == f"Bearer {KEY}"
    assert sent.body["stream"] is True and sent.body["stream_options"] == {"include_usage": True}
    assert sent.body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert (sent.body["max_tokens"], sent.body["temperature"], sent.body["seed"]) == (3, 0.2, 7)
    assert usage.output_tokens == 3 and text == "".join(pieces_of(DEFAULT_TEXT)[:3])


def test_missing_key_is_not_configured_and_sends_nothing(fake_openai, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    message = failure(OpenAICompatProvider("gpt-test", fake_openai.base_url, None))
    assert "No API key configured" in message and "OPENAI_API_KEY" in message
    assert fake_openai.requests == []


def test_key_precedence_and_blank_keys():
    assert resolve_api_key(None, "  ", "from-secrets", "from-env") == "from-secrets"
    assert resolve_api_key("", None) is None


def test_repr_never_shows_the_key(provider):
    assert KEY not in repr(provider) and "key=set" in repr(provider)


@pytest.mark.parametrize(
    ("status", "needle", "attempts"),
    [
        (401, "rejected the API key (401)", 1),
        (403, "(403)", 1),
        (404, "Unknown model 'gpt-test'", 1),
        (429, "Rate limited", 3),
        (500, "Server error 500", 3),
        (503, "Server error 503", 3),
    ],
)
def test_error_statuses_are_worded_for_the_user_without_the_key(provider, fake_openai, status, needle, attempts):
    fake_openai.script.status = status
    fake_openai.script.retry_after = "0"
    fake_openai.script.error_message = f"Incorrect API key provided: {KEY}"
    message = failure(provider)
    assert needle in message
    assert KEY not in message and "[redacted]" in message
    assert len(fake_openai.requests) == attempts


def test_429_is_retried_then_succeeds(provider, fake_openai):
    fake_openai.script.status, fake_openai.script.fail_first, fake_openai.script.retry_after = 429, 1, "0"
    text, _ = collect(provider)
    assert text == DEFAULT_TEXT
    assert len(fake_openai.requests) == 2


def test_429_waits_for_retry_after_before_asking_again(provider, fake_openai):
    """A Retry-After of a minute holds the second request back; the stop ends the wait instead of a retry."""
    fake_openai.script.status, fake_openai.script.fail_first, fake_openai.script.retry_after = 429, 1, "60"
    stop = threading.Event()
    answered = []
    worker = threading.Thread(target=lambda: answered.append(collect(provider, stop=stop)))
    worker.start()
    while not fake_openai.requests and worker.is_alive():
        stop.wait(0.01)
    stop.set()
    worker.join()
    assert len(fake_openai.requests) == 1 and answered == [("", None)]


def test_server_error_backs_off_then_succeeds(provider, fake_openai):
    fake_openai.script.status, fake_openai.script.fail_first = 500, 1
    text, _ = collect(provider)
    assert text == DEFAULT_TEXT and len(fake_openai.requests) == 2


def test_no_retry_once_text_has_arrived(provider, fake_openai):
    fake_openai.script.malformed = True
    assert "could not be read" in failure(provider)
    assert len(fake_openai.requests) == 1


def test_stall_mid_stream_times_out(provider, fake_openai):
    fake_openai.script.stall_after = 2
    assert "within 0.5 s (timeout)" in failure(provider, GenerationSettings(timeout_s=0.5))


def test_slow_first_byte_times_out(provider, fake_openai):
    fake_openai.script.first_byte_delay_s = 3.0
    assert "(timeout)" in failure(provider, GenerationSettings(timeout_s=0.3))


def test_connection_refused_names_the_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    message = failure(OpenAICompatProvider("gpt-test", f"http://127.0.0.1:{port}/v1", KEY))
    assert f"Could not connect to http://127.0.0.1:{port}/v1" in message


@pytest.mark.parametrize(
    ("script", "ended"),
    [
        # The body ends where the socket was shut: the first piece, then an empty usage. Unwoken, the stalled read
        # would wait for the hour-long timeout.
        ({"stall_after": 1}, (pieces_of(DEFAULT_TEXT)[0], Usage())),
        # No response at all, and no usage. Unwoken, the late first byte would bring a whole stream's end instead.
        ({"first_byte_delay_s": 5.0}, ("", None)),
    ],
)
def test_stop_wakes_a_blocked_read_quietly(provider, fake_openai, script, ended):
    for name, value in script.items():
        setattr(fake_openai.script, name, value)
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    assert collect(provider, GenerationSettings(timeout_s=3600), stop) == ended


def test_a_failure_outside_the_sdk_is_worded_and_never_shows_the_key(fake_openai):
    class Buggy(OpenAICompatProvider):
        """A provider whose request building breaks, quoting its own key, as a careless bug might."""

        def _request(self, prompt, settings):
            raise RuntimeError(f"cannot build a request with {self._api_key}")

    message = failure(Buggy("gpt-test", fake_openai.base_url, KEY))
    assert message.startswith(f"Unexpected failure talking to {fake_openai.base_url}: RuntimeError")
    assert KEY not in message and "[redacted]" in message


STREAMS = Path(__file__).resolve().parents[1] / "fixtures" / "streams"


@pytest.mark.parametrize(
    ("recording", "text", "usage"),
    [
        # llama.cpp's own server (b5517): a role chunk with null content, usage and timings on the finish chunk.
        ("llama_cpp_server_b5517.sse", " climb", Usage(13, 50)),
        # ik_llama.cpp's server (3715): no role chunk and no closing [DONE]; the body just ends.
        ("ik_llama_cpp_server_3715.sse", "Once,", Usage(14, 50)),
        # OpenAI with stream_options.include_usage: "usage": null on every chunk, then a chunk with no choices.
        ("openai_gpt-3.5-turbo-0125_include_usage.sse", "", Usage(24, 58)),
    ],
)
def test_recorded_server_streams_are_read_with_their_usage(provider, fake_openai, recording, text, usage):
    fake_openai.script.recording = (STREAMS / recording).read_bytes()
    assert collect(provider) == (text, usage)


def test_llama_cpp_python_server_stream_has_text_and_no_usage(provider, fake_openai):
    """Recorded from llama-cpp-python 0.3.36's server on the bundled SmolLM2: an SSE comment line, no usage."""
    fake_openai.script.recording = (STREAMS / "llama_cpp_python_0.3.36.sse").read_bytes()
    text, usage = collect(provider)
    assert text.startswith("1. Red: ") and text.endswith("2. Blue") and usage == Usage()


def test_a_server_without_usage_yields_an_empty_usage(provider, fake_openai):
    fake_openai.script.usage = False
    text, usage = collect(provider)
    assert text == DEFAULT_TEXT and usage == Usage()
