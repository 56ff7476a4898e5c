"""Concurrent comparisons: a local tiny model and a real fake OpenAI server, side by side."""

import socket
import threading
import time
from pathlib import Path

import pytest

from llmcompare.playground.metrics import NO_PRICE, HardwarePrice, TokenPrice
from llmcompare.playground.run import PlaygroundRun, Side, run_comparison
from llmcompare.providers.base import DoneEvent, ErrorEvent, GenerationSettings, TokenEvent, UsageEvent
from llmcompare.providers.local_hf import LocalHFProvider, load_local
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate
from llmcompare.store.runs import save_run
from tests.fakes.openai_server import DEFAULT_TEXT, FakeOpenAIServer, fake_openai, pieces_of  # noqa: F401
from tests.fakes.provider import FakeProvider
from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401

KEY = "sk-playground-0a1b2c3d4e"
QUICK = GenerationSettings(max_new_tokens=20, timeout_s=5.0)


@pytest.fixture(scope="module")
def local(tiny_model_dir):  # noqa: F811
    return LocalHFProvider(load_local(str(tiny_model_dir)), f"local:{tiny_model_dir}")


@pytest.fixture
def api(fake_openai):  # noqa: F811
    return OpenAICompatProvider("gpt-test", fake_openai.base_url, KEY)


def answering(pieces=("all ", "good")):
    """A side that answers at once, for tests about the other side."""
    return FakeProvider("fake:fine").enqueue(list(pieces))


def wait_for_threads(baseline, limit_s=2.0):
    """The live thread count once it is back to baseline, or whatever it is after limit_s."""
    deadline = time.monotonic() + limit_s
    while threading.active_count() > baseline and time.monotonic() < deadline:
        time.sleep(0.02)
    return threading.active_count()


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_both_sides_stream_at_the_same_time():
    with FakeOpenAIServer() as left_server, FakeOpenAIServer() as right_server:
        for server in (left_server, right_server):
            server.script.token_delay_s = 0.05
        sides = [Side(OpenAICompatProvider("m", s.base_url, KEY), QUICK) for s in (left_server, right_server)]
        events = []
        result = run_comparison("hello", sides, events.append)
    tokens = [e for e in events if isinstance(e, TokenEvent)]
    first_done = next(i for i, e in enumerate(events) if isinstance(e, DoneEvent))
    assert {e.side for e in tokens[:first_done]} == {0, 1}  # both streamed before either finished
    assert [s.text for s in result.sides] == [DEFAULT_TEXT, DEFAULT_TEXT]


def test_local_and_api_side_by_side_report_usage_and_metrics(local, api):
    result = run_comparison("the quick brown fox", [Side(local, QUICK), Side(api, QUICK)])
    for side in result.sides:
        assert side.error is None and side.text
        assert side.input_tokens > 0 and side.output_tokens > 0
        assert 0 < side.ttft_s <= side.total_s <= result.wall_s + 0.01
        assert side.tokens_per_s is None or side.tokens_per_s > 0
    assert result.sides[0].output_tokens == 20


def test_cost_comes_from_the_given_price_and_never_from_a_guess(api):
    price = TokenPrice(0.15, 0.60, "OpenAI gpt-4o-mini price as of 2026-11-01")
    hardware = HardwarePrice(3.6, "a 3.60 USD/h machine")
    result = run_comparison("fox", [Side(answering(), QUICK, hardware), Side(api, QUICK, price), Side(api, QUICK)])
    local_side, priced, unpriced = result.sides
    assert local_side.cost_usd == pytest.approx(local_side.total_s / 1000)
    assert priced.cost_usd == pytest.approx((priced.input_tokens * 0.15 + priced.output_tokens * 0.60) / 1e6)
    assert priced.cost_basis == price.basis
    assert (unpriced.cost_usd, unpriced.cost_basis) == (None, NO_PRICE)


@pytest.mark.parametrize(
    ("fault", "needle"),
    [
        ({"status": 401}, "(401)"),
        ({"status": 404}, "(404)"),
        ({"status": 429, "retry_after": "0"}, "(429)"),
        ({"status": 500, "retry_after": "0"}, "500"),
        ({"stall_after": 1}, "timeout"),
        ("refused", "Could not connect"),
    ],
)
def test_a_failing_side_reports_an_error_and_the_other_finishes(fake_openai, fault, needle):  # noqa: F811
    if fault == "refused":
        failing = OpenAICompatProvider("gpt-test", closed_port_url(), KEY)
    else:
        for name, value in fault.items():
            setattr(fake_openai.script, name, value)
        fake_openai.script.error_message = f"bad key {KEY}"
        failing = OpenAICompatProvider("gpt-test", fake_openai.base_url, KEY)
    events = []
    # Only the stall needs a short timeout; a loaded machine may take over 0.5 s to answer a 404 (seen in CI).
    settings = GenerationSettings(max_new_tokens=20, timeout_s=0.5 if "stall_after" in fault else 10.0)
    result = run_comparison("fox", [Side(answering(), QUICK), Side(failing, settings)], events.append)
    errors = [e for e in events if isinstance(e, ErrorEvent)]
    assert [e.side for e in errors] == [1] and needle in errors[0].message
    assert result.sides[0].error is None and result.sides[0].output_tokens == 2
    assert needle in result.sides[1].error
    assert KEY not in repr(events) + repr(result)


def test_a_run_with_a_rejected_key_is_saved_without_the_key(api, fake_openai, tmp_path):  # noqa: F811
    fake_openai.script.status, fake_openai.script.error_message = 401, f"Incorrect API key provided: {KEY}"
    result = run_comparison("fox", [Side(answering(), QUICK), Side(api, QUICK)])
    engine = make_engine(f"sqlite:///{tmp_path / 'runs.db'}")
    migrate(engine)
    save_run(engine, result)
    engine.dispose()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("runs.db*"))
    assert b"(401)" in stored and KEY.encode() not in stored


def test_an_unexpected_exception_is_data_too():
    broken = FakeProvider("fake:broken").enqueue(["half an"], error=RuntimeError("bug in a provider"))
    fine = FakeProvider().enqueue(["all ", "good"], delay_s=0.05)
    result = run_comparison("fox", [Side(broken), Side(fine)])
    assert result.sides[0].text == "half an"
    assert result.sides[0].error == "Unexpected failure: RuntimeError: bug in a provider"
    assert (result.sides[1].text, result.sides[1].output_tokens, result.sides[1].error) == ("all good", 2, None)


def test_missing_key_is_reported_on_its_side_only(fake_openai):  # noqa: F811
    unconfigured = OpenAICompatProvider("gpt-test", fake_openai.base_url, None)
    result = run_comparison("fox", [Side(answering(), QUICK), Side(unconfigured, QUICK)])
    assert result.sides[0].error is None
    assert "No API key configured" in result.sides[1].error


def test_bad_input_is_an_error_on_the_side_concerned(api):
    result = run_comparison("fox", [Side(answering(), GenerationSettings(max_new_tokens=0)), Side(api, QUICK)])
    assert "Max new tokens" in result.sides[0].error and result.sides[1].error is None
    empty = run_comparison("   ", [Side(answering(), QUICK), Side(api, QUICK)])
    assert all(side.error == "The prompt is empty." for side in empty.sides)


def test_stop_ends_both_sides_quickly_and_leaves_no_thread(local, api, fake_openai):  # noqa: F811
    fake_openai.script.stall_after = 2
    baseline = threading.active_count()
    slow_local = GenerationSettings(max_new_tokens=1000, timeout_s=30)
    comparison = PlaygroundRun("fox", [Side(local, slow_local), Side(api, GenerationSettings(timeout_s=30))])
    seen = set()
    try:
        comparison.start()
        while seen != {0, 1}:
            seen |= {e.side for e in comparison.poll(0.05) if isinstance(e, TokenEvent)}
    finally:
        assert comparison.stop()  # every worker ended within the join timeout
    result = comparison.result()
    assert result.stopped and all(side.stopped and side.error is None for side in result.sides)
    assert result.sides[0].output_tokens < 1000
    assert wait_for_threads(baseline) == baseline


def test_poll_never_blocks_past_its_timeout(api, fake_openai):  # noqa: F811
    fake_openai.script.first_byte_delay_s = 5.0
    with PlaygroundRun("fox", [Side(api, GenerationSettings(timeout_s=30))]) as comparison:
        # Blocking until an event came would have returned the events of the answer sent 5 s later.
        assert comparison.poll() == [] and comparison.poll(0.1) == []
        assert not comparison.finished


def test_leaving_the_event_loop_early_stops_the_run(local, api):
    baseline = threading.active_count()
    comparison = PlaygroundRun("fox", [Side(local, GenerationSettings(max_new_tokens=1000)), Side(api, QUICK)]).start()
    events = comparison.events()
    kinds = {type(next(events))}
    events.close()
    assert kinds <= {TokenEvent, UsageEvent, ErrorEvent, DoneEvent}
    assert comparison.stop_event.is_set()
    assert comparison.result().sides[0].output_tokens < 1000
    assert wait_for_threads(baseline) == baseline


STREAMS = Path(__file__).resolve().parents[1] / "fixtures" / "streams"


def speed_from(events, side=0):
    """Tokens/s by the usual convention, from the times the token events arrived."""
    times = [e.at_s for e in events if isinstance(e, TokenEvent) and e.side == side]
    return times, (len(times) - 1) / (times[-1] - times[0])


def test_a_server_without_usage_gets_an_estimate_from_its_chunks(api, fake_openai):  # noqa: F811
    fake_openai.script.usage, fake_openai.script.token_delay_s = False, 0.01
    price = TokenPrice(0.15, 0.60, "a list price")
    events = []
    side = run_comparison("fox", [Side(api, QUICK, price)], events.append).sides[0]
    times, speed = speed_from(events)
    assert side.text == DEFAULT_TEXT and side.input_tokens is None
    assert (side.output_tokens, side.tokens_estimated) == (len(pieces_of(DEFAULT_TEXT)), True) == (len(times), True)
    assert side.tokens_per_s == pytest.approx(speed)
    assert side.cost_usd is None  # an estimated output count alone never makes a cost


def test_the_models_own_tokenizer_counts_when_it_is_at_hand(api, fake_openai):  # noqa: F811
    fake_openai.script.usage = False
    counted = run_comparison("fox", [Side(api, QUICK, count_tokens=lambda text: len(text))]).sides[0]
    assert (counted.output_tokens, counted.tokens_estimated) == (len(DEFAULT_TEXT), True)
    absent = run_comparison("fox", [Side(api, QUICK, count_tokens=lambda text: None)]).sides[0]
    assert (absent.output_tokens, absent.tokens_estimated) == (len(pieces_of(DEFAULT_TEXT)), True)


def test_a_server_with_usage_is_taken_at_its_word(api, fake_openai):  # noqa: F811
    side = run_comparison("fox", [Side(api, QUICK, count_tokens=lambda text: 999)]).sides[0]
    assert (side.output_tokens, side.tokens_estimated) == (len(pieces_of(DEFAULT_TEXT)), False)


def test_recorded_llama_cpp_python_stream_gets_tokens_and_speed_marked_estimated(api, fake_openai):  # noqa: F811
    """Its 24 content chunks (max_tokens 24, finish_reason length) are its 24 tokens; the server sent no usage."""
    fake_openai.script.recording = (STREAMS / "llama_cpp_python_0.3.36.sse").read_bytes()
    fake_openai.script.token_delay_s = 0.01
    events = []
    side = run_comparison("fox", [Side(api, QUICK)], events.append).sides[0]
    times, speed = speed_from(events)
    assert (side.output_tokens, side.tokens_estimated, len(times)) == (24, True, 24)
    assert side.tokens_per_s == pytest.approx(speed) and side.input_tokens is None


@pytest.mark.parametrize(
    ("recording", "text", "tokens"),
    [("llama_cpp_server_b5517.sse", " climb", 50), ("ik_llama_cpp_server_3715.sse", "Once,", 50)],
)
def test_recorded_llama_cpp_streams_give_tokens_and_speed(api, fake_openai, recording, text, tokens):  # noqa: F811
    fake_openai.script.recording, fake_openai.script.token_delay_s = (STREAMS / recording).read_bytes(), 0.02
    events = []
    side = run_comparison("fox", [Side(api, QUICK)], events.append).sides[0]
    assert (side.text, side.input_tokens is not None, side.output_tokens, side.tokens_estimated) == (
        text,
        True,
        tokens,
        False,
    )
    times = [e.at_s for e in events if isinstance(e, TokenEvent)]
    # One streamed piece gives no decode interval; two or more give (tokens - 1) over the span they cover.
    expected = None if len(times) < 2 else pytest.approx((tokens - 1) / (times[-1] - times[0]))
    assert side.tokens_per_s == expected
