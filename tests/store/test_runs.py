"""Runs, their sides and votes in a real SQLite file and on PostgreSQL, through the versioned migrations."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from llmcompare.providers.base import GenerationSettings, RunResult
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate
from llmcompare.store.runs import Run, Vote, save_run, save_vote
from tests.fakes.results import side_result


def side(spec, text, error=None, cost=None):
    return side_result(
        spec,
        text,
        settings=GenerationSettings(system_prompt="Be brief.", seed=1),
        ttft_s=0.2,
        total_s=1.5,
        input_tokens=12,
        output_tokens=30,
        tokens_per_s=23.1,
        cost_usd=cost,
        error=error,
        cost_basis="no price on record" if cost is None else "OpenAI gpt-4o-mini price as of 2026-11-01",
    )


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_save_run_writes_the_run_and_both_sides(engine):
    result = RunResult(
        prompt="Explain WAL in one line.",
        created_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        wall_s=1.6,
        sides=[
            side("local:bundled", "WAL lets readers..."),
            side("openai:gpt-4o-mini", "", "401: check the key", 1e-5),
        ],
    )
    run_id = save_run(engine, result)
    with Session(engine) as session:
        run = session.get(Run, run_id)
        assert run.prompt == result.prompt and run.wall_s == 1.6
        assert [s.provider_spec for s in run.sides] == ["local:bundled", "openai:gpt-4o-mini"]
        assert run.sides[0].text == "WAL lets readers..." and run.sides[0].cost_usd is None
        assert run.sides[1].error.startswith("401") and run.sides[1].cost_usd == 1e-5
        assert run.settings["sides"][0]["system_prompt"] == "Be brief."


def test_votes_are_stored_and_checked(engine):
    run_id = save_run(engine, RunResult("p", datetime.now(UTC), 1.0, [side("local:bundled", "a")]))
    save_vote(engine, run_id, "tie")
    with Session(engine) as session:
        assert session.scalars(select(Vote.winner)).all() == ["tie"]
    with pytest.raises(ValueError, match="a, b, tie, both_bad"):
        save_vote(engine, run_id, "left")
    with pytest.raises(IntegrityError):
        save_vote(engine, run_id + 99, "a")
