"""Awkward prompts through the whole playground path: a clear message or a correct run, never a crash, and what is
stored reads back exactly as it was sent. The API side is a fake server that echoes the prompt back."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from llmcompare.playground.batch import run_batch
from llmcompare.playground.run import Side, request_problems, run_comparison
from llmcompare.providers.base import GenerationSettings
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.store.runs import Run, save_run
from tests.reliability.conftest import API_KEY

SETTINGS = GenerationSettings(max_new_tokens=8, timeout_s=30.0)
EMPTY = "The prompt is empty."
MIXED = "Grüße, мир, 世界, مرحبا, שלום, नमस्ते, ไทย 👩🏽‍💻 🇫🇷 e\u0301 ﷽ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
CONTROL = "nul\x00 bell\x07 esc\x1b[31mred\x1b[0m\r\nCRLF\ttab \x7fdel \u200bzwsp \u202eRTL\u202c \ufeffbom \x01\x1f"
ONE_MB = ("the quick brown fox jumps over the lazy dog " * 23832)[:1_000_000]


@pytest.fixture
def echo_api(fake_openai):
    fake_openai.script.echo = True
    return OpenAICompatProvider("gpt-echo", fake_openai.base_url, API_KEY)


def run_and_store(prompt, sides, engine):
    """The run, and the run as read back from the database file."""
    result = run_comparison(prompt, sides)
    run_id = save_run(engine, result)
    with Session(engine) as session:
        stored = session.get(Run, run_id)
        return result, (stored.prompt, [(s.text, s.error) for s in stored.sides])


@pytest.mark.parametrize("prompt", ["", " ", "   \n\t \r\n  ", "\u3000\u00a0"])
def test_an_empty_or_blank_prompt_is_refused_on_every_side(prompt, tiny_local, echo_api, fake_openai, runs_db):
    result, (stored_prompt, stored_sides) = run_and_store(
        prompt, [Side(tiny_local, SETTINGS), Side(echo_api, SETTINGS)], runs_db
    )
    assert [(s.text, s.error) for s in result.sides] == [("", EMPTY), ("", EMPTY)]
    assert stored_prompt == prompt and stored_sides == [("", EMPTY), ("", EMPTY)]
    assert fake_openai.requests == []  # nothing was sent


@pytest.mark.parametrize(("name", "prompt"), [("mixed scripts and emoji", MIXED), ("control characters", CONTROL)])
def test_unusual_characters_round_trip_exactly(name, prompt, tiny_local, echo_api, runs_db):
    result, (stored_prompt, stored_sides) = run_and_store(
        prompt, [Side(tiny_local, SETTINGS), Side(echo_api, SETTINGS)], runs_db
    )
    assert [s.error for s in result.sides] == [None, None]
    assert result.sides[1].text == prompt  # sent as JSON, streamed back in pieces, joined again
    assert stored_prompt == prompt and stored_sides[1] == (prompt, None)
    assert stored_sides[0] == (result.sides[0].text, None)


def test_an_emoji_split_across_two_chunks_arrives_whole(fake_openai, echo_api, runs_db):
    """Servers built on UTF-16 strings may cut a surrogate pair in two; the halves are joined, not garbled."""
    fake_openai.script.utf16_pieces, fake_openai.script.echo_chars = True, 1
    result, (_, stored_sides) = run_and_store(MIXED, [Side(echo_api, SETTINGS)], runs_db)
    assert result.sides[0].error is None and result.sides[0].text == MIXED
    assert stored_sides == [(MIXED, None)]


def test_a_lone_surrogate_is_a_clear_message_and_the_run_is_still_stored(tiny_local, echo_api, fake_openai, runs_db):
    """Bytes that are not UTF-8 on a command line reach Python as lone surrogates, which cannot be encoded."""
    prompt = "caf\udce9 au lait"
    result, (stored_prompt, stored_sides) = run_and_store(
        prompt, [Side(tiny_local, SETTINGS), Side(echo_api, SETTINGS)], runs_db
    )
    for side in result.sides:
        assert side.error == "The prompt holds a character that is not valid text at position 4: save it as UTF-8."
    assert stored_prompt == "caf\ufffd au lait" and [e for _, e in stored_sides] == [s.error for s in result.sides]
    assert fake_openai.requests == []


def test_a_lone_surrogate_in_the_system_prompt_is_refused_too():
    problems = request_problems("hi", GenerationSettings(system_prompt="be \ud800 brief"))
    assert problems == ["The system prompt holds a character that is not valid text at position 4."]


@pytest.mark.slow
def test_a_one_megabyte_prompt_runs_where_it_fits_and_is_refused_where_it_does_not(
    tiny_local, echo_api, fake_openai, runs_db
):
    """The tiny model reads 1024 tokens: a clear message. The API side takes it whole and echoes it back."""
    fake_openai.script.echo_chars = 100_000
    result, (stored_prompt, stored_sides) = run_and_store(
        ONE_MB, [Side(tiny_local, SETTINGS), Side(echo_api, SETTINGS)], runs_db
    )
    local, api = result.sides
    assert "reads at most 1024" in local.error and "shorten it" in local.error and local.text == ""
    assert api.error is None and api.text == ONE_MB
    assert stored_prompt == ONE_MB and stored_sides[1] == (ONE_MB, None)


def test_a_batch_of_awkward_prompts_saves_every_run(tiny_local, echo_api, runs_db):
    """The batch path goes through the same validation: bad prompts become errors on their runs, good ones run."""
    prompts = [MIXED, " ", CONTROL, "caf\udce9"]
    batch = run_batch(prompts, [Side(tiny_local, SETTINGS), Side(echo_api, SETTINGS)], runs_db)
    errors = [[s.error for s in result.sides] for _, result in batch.runs]
    assert errors[0] == errors[2] == [None, None]
    assert errors[1] == [EMPTY, EMPTY] and all("not valid text" in e for e in errors[3])
    assert [result.sides[1].text for _, result in batch.runs[:3]] == [MIXED, "", CONTROL]
