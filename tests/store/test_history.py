"""History queries: list and filter stored runs, load one with both sides and votes, list votes with their models."""

from datetime import UTC, date, datetime

import pytest

from llmcompare.providers.base import GenerationSettings, RunResult
from llmcompare.store.engine import make_engine
from llmcompare.store.history import (
    SEARCH_MAX_CHARS,
    RunFilter,
    count_runs,
    list_runs,
    load_run,
    run_models,
    vote_frame,
)
from llmcompare.store.migrations import migrate
from llmcompare.store.runs import save_run, save_vote
from tests.fakes.results import side_result


def side(spec, text="", error=None, settings=None):
    return side_result(spec, text, error=error, settings=settings or GenerationSettings())


def run(prompt, when, left, right):
    return RunResult(prompt, when, 1.2, [left, right])


@pytest.fixture(scope="module")
def store(module_database_url):
    engine = make_engine(module_database_url)
    migrate(engine)
    seeded = GenerationSettings(system_prompt="Be brief.", max_new_tokens=64, temperature=0.0, seed=3)
    ids = {
        "wal": save_run(
            engine,
            run(
                "Explain WAL mode",
                datetime(2026, 11, 1, 9, tzinfo=UTC),
                side("local:bundled", "Write-ahead logging lets readers go on.", settings=seeded),
                side("openai:gpt-4o-mini", "WAL appends changes to a log."),
            ),
        ),
        "fail": save_run(
            engine,
            run(
                "Name a colour 50%_off",
                datetime(2026, 11, 2, 23, 59, tzinfo=UTC),
                side("local:bundled", "Blue."),
                side("openai:gpt-4o-mini", "", error="Rate limited (429)"),
            ),
        ),
        "groq": save_run(
            engine,
            run(
                "Haiku about tea",
                datetime(2026, 11, 3, 8, tzinfo=UTC),
                side("local:bundled", "Steam rises slowly in the Teestube an der Straße"),
                side("openai:llama-3.1-8b-instant@https://api.groq.com/openai/v1", "Green leaves unfold"),
            ),
        ),
    }
    save_vote(engine, ids["wal"], "a")
    save_vote(engine, ids["wal"], "tie")
    save_vote(engine, ids["groq"], "both_bad")
    yield engine, ids
    engine.dispose()


def listed(engine, **wanted):
    return list_runs(engine, RunFilter(**wanted))["prompt"].tolist()


def test_list_shows_newest_first_with_both_sides_errors_and_votes(store):
    engine, ids = store
    runs = list_runs(engine)
    assert runs["prompt"].tolist() == ["Haiku about tea", "Name a colour 50%_off", "Explain WAL mode"]
    first = runs.set_index("run_id").loc[ids["wal"]]
    assert (first["left"], first["right"], first["errors"], first["votes"]) == (
        "local:bundled",
        "openai:gpt-4o-mini",
        0,
        2,
    )
    assert str(runs["created_at"].dt.tz) == "UTC"
    assert count_runs(engine) == 3


def test_text_filter_searches_prompts_and_answers_without_case_or_wildcards(store):
    engine, _ = store
    assert listed(engine, text="wal") == ["Explain WAL mode"]
    assert listed(engine, text="GREEN LEAVES") == ["Haiku about tea"]
    assert listed(engine, text="50%_") == ["Name a colour 50%_off"]
    assert listed(engine, text="%") == ["Name a colour 50%_off"]  # a literal percent sign, not a wildcard
    assert listed(engine, text="TEESTUBE AN DER STRASSE") == ["Haiku about tea"]  # case in any script, ß as ss


def test_model_error_and_date_filters(store):
    engine, _ = store
    groq = "openai:llama-3.1-8b-instant@https://api.groq.com/openai/v1"
    assert listed(engine, model=groq) == ["Haiku about tea"]
    assert listed(engine, errors="with") == ["Name a colour 50%_off"]
    assert listed(engine, errors="without") == ["Haiku about tea", "Explain WAL mode"]
    assert listed(engine, since=date(2026, 11, 2), until=date(2026, 11, 2)) == ["Name a colour 50%_off"]
    assert listed(engine, since=date(2026, 11, 3)) == ["Haiku about tea"]
    assert listed(engine, until=date(2026, 11, 1)) == ["Explain WAL mode"]
    assert listed(engine, text="tea", errors="with") == []


def test_run_models_lists_every_spec_once(store):
    engine, _ = store
    assert run_models(engine) == [
        "local:bundled",
        "openai:gpt-4o-mini",
        "openai:llama-3.1-8b-instant@https://api.groq.com/openai/v1",
    ]


def test_load_run_gives_back_both_sides_settings_and_votes(store):
    engine, ids = store
    stored = load_run(engine, ids["wal"])
    assert stored.result.prompt == "Explain WAL mode"
    assert stored.result.created_at == datetime(2026, 11, 1, 9, tzinfo=UTC)
    left, right = stored.result.sides
    assert left.text.startswith("Write-ahead") and right.spec == "openai:gpt-4o-mini"
    assert left.settings == GenerationSettings(system_prompt="Be brief.", max_new_tokens=64, temperature=0.0, seed=3)
    assert stored.votes == ["a", "tie"]
    assert load_run(engine, 10_000) is None


def test_vote_frame_names_the_models_of_both_sides(store):
    engine, ids = store
    frame = vote_frame(engine)
    assert frame[["run_id", "winner", "model_a", "model_b"]].values.tolist() == [
        [ids["wal"], "a", "local:bundled", "openai:gpt-4o-mini"],
        [ids["wal"], "tie", "local:bundled", "openai:gpt-4o-mini"],
        [ids["groq"], "both_bad", "local:bundled", "openai:llama-3.1-8b-instant@https://api.groq.com/openai/v1"],
    ]


def test_an_empty_store_lists_nothing(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    assert list_runs(engine).empty and vote_frame(engine).empty and count_runs(engine) == 0
    engine.dispose()


def test_overlong_search_text_is_refused_before_it_reaches_sqlite(store):
    at_limit = RunFilter(text="x" * SEARCH_MAX_CHARS)
    engine, _ = store
    assert list_runs(engine, at_limit).empty
    with pytest.raises(ValueError, match="at most 1,000"):
        RunFilter(text="x" * 100_000)
