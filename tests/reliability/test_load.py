"""Many writers at once on one SQLite file or PostgreSQL database: every run and vote lands, and none is refused
(as "database is locked" or otherwise)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from llmcompare.providers.base import GenerationSettings, RunResult, SideResult
from llmcompare.store.runs import WINNERS, Run, RunSide, Vote, save_run, save_vote
from tests.fakes.results import side_result
from tests.reliability.conftest import integrity_problems

pytestmark = pytest.mark.load

WRITERS = 20
RUNS_EACH = 50


def a_run(writer: int, number: int) -> RunResult:
    """A two-sided run whose prompt and texts name its writer and number, so each row can be found again."""
    tag = f"w{writer}-r{number}"

    def side(position: int) -> SideResult:
        return side_result(
            f"fake:model-{position}",
            f"answer {position} to {tag} " * 20,
            settings=GenerationSettings(seed=number),
            total_s=0.5,
            output_tokens=40,
            tokens_per_s=80.0,
        )

    return RunResult(f"prompt {tag}", datetime.now(UTC), 0.6, [side(0), side(1)])


def write_runs(engine, writer: int, start: threading.Barrier) -> list[tuple[int, int, str]]:
    """One user: RUNS_EACH runs, each followed by a vote, as fast as the store takes them."""
    start.wait()
    saved = []
    for number in range(RUNS_EACH):
        run_id = save_run(engine, a_run(writer, number))
        winner = WINNERS[(writer + number) % len(WINNERS)]
        save_vote(engine, run_id, winner)
        saved.append((run_id, number, winner))
    return saved


def test_concurrent_runs_and_votes_all_land(any_store):
    start = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(write_runs, any_store, writer, start) for writer in range(WRITERS)]
        # .result() re-raises any error a writer met, "database is locked" included.
        saved = {writer: future.result(timeout=300) for writer, future in enumerate(futures)}

    with Session(any_store) as session:
        assert session.scalar(select(func.count()).select_from(Run)) == WRITERS * RUNS_EACH
        assert session.scalar(select(func.count()).select_from(RunSide)) == 2 * WRITERS * RUNS_EACH
        assert session.scalar(select(func.count()).select_from(Vote)) == WRITERS * RUNS_EACH
        prompts = dict(session.execute(select(Run.id, Run.prompt)).all())
        votes = dict(session.execute(select(Vote.run_id, Vote.winner)).all())
    for writer, rows in saved.items():
        for run_id, number, winner in rows:
            assert prompts[run_id] == f"prompt w{writer}-r{number}"
            assert votes[run_id] == winner
    assert integrity_problems(any_store) == []


def test_readers_are_not_blocked_while_writers_write(any_store):
    """The History page reads while batch runs write; WAL keeps reads going and they see only whole runs."""
    stop = threading.Event()
    seen: list[tuple[int, int]] = []
    # One statement reads one snapshot; two would let a commit land between them.
    both_counts = select(
        select(func.count()).select_from(Run).scalar_subquery(),
        select(func.count()).select_from(RunSide).scalar_subquery(),
    )

    def read() -> None:
        while not stop.is_set():
            with Session(any_store) as session:
                seen.append(tuple(session.execute(both_counts).one()))

    reader = threading.Thread(target=read, name="test-reader")
    reader.start()
    try:
        start = threading.Barrier(4)
        with ThreadPoolExecutor(4) as pool:
            for future in [pool.submit(write_runs, any_store, writer, start) for writer in range(4)]:
                future.result(timeout=120)
    finally:
        stop.set()
        reader.join()
    assert seen
    # Never a run without its two sides: each run and its sides commit together.
    assert all(sides == 2 * runs for runs, sides in seen)
