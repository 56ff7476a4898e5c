"""Batch mode: prompt files are read whole or refused with clear messages; the runner saves each run and stops."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from llmcompare.playground.batch import MAX_PROMPTS, BatchResult, read_prompts, results_frame, run_batch
from llmcompare.playground.run import Side
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate
from llmcompare.store.runs import Run
from tests.fakes.provider import FakeProvider


@pytest.fixture
def runs_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'runs.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def stored_runs(engine):
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Run))


def test_csv_prompts_come_from_the_prompt_column():
    data = b'id,Prompt ,note\n1,"Hello, world",x\n2,,blank\n3,"Two\nlines",y\n'
    got = read_prompts("prompts.csv", data)
    assert got.ok and got.prompts == ["Hello, world", "Two\nlines"] and got.skipped_blank == 1


def test_text_prompts_are_one_per_line_with_blank_lines_skipped():
    got = read_prompts("prompts.txt", "\ufeffFirst\r\n\r\n  Second  \nThird".encode())
    assert got.ok and got.prompts == ["First", "Second", "Third"] and got.skipped_blank == 1


def test_exactly_the_limit_is_fine():
    got = read_prompts("p.txt", "\n".join(f"prompt {i}" for i in range(MAX_PROMPTS)).encode())
    assert got.ok and len(got.prompts) == MAX_PROMPTS


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt holds no prompts."),
        ("blank.txt", b"\n  \n\n", "blank.txt holds no prompts."),
        ("header.csv", b"prompt\n", "header.csv holds no prompts."),
        ("many.txt", "\n".join(f"p{i}" for i in range(612)).encode(), "holds 612 prompts; the limit is 500"),
        ("wrong.csv", b"question,answer\nWhy?,Because\n", "no `prompt` column (its header holds `question`, `answer`)"),
        ("latin1.txt", "caf\xe9 au lait\n".encode("latin-1"), "latin1.txt: not valid UTF-8 (line 1, byte 4)"),
        ("big.txt", b"x" * 1_000_001, "big.txt is 1,000,001 bytes; the limit is 1,000,000 bytes."),
        ("quotes.csv", b'prompt\n"half" quoted\n', "The CSV could not be read at line 2"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_no_prompts(name, data, message):
    got = read_prompts(name, data)
    assert not got.ok and got.prompts == []
    assert len(got.problems) == 1 and message in got.problems[0]


def test_runner_runs_both_sides_over_every_prompt_and_saves_each_run(runs_engine):
    left, right = FakeProvider("fake:left"), FakeProvider("fake:right")
    prompts = ["one", "two", "three"]
    for name in prompts:
        left.enqueue([f"left {name}"])
        right.enqueue(["right ", name], delay_s=0.01)
    seen = []
    batch = run_batch(prompts, [Side(left), Side(right)], runs_engine, on_progress=seen.append)
    assert not batch.stopped and [r.prompt for _, r in batch.runs] == prompts
    assert stored_runs(runs_engine) == 3
    assert (seen[-1].done, seen[-1].total, seen[-1].current) == (3, 3, None)
    frame = results_frame(batch)
    assert frame["side1_answer"].tolist() == ["left one", "left two", "left three"]
    assert frame["side2_answer"].tolist() == ["right one", "right two", "right three"]
    assert frame[["side1_output_tokens", "side2_output_tokens"]].iloc[0].tolist() == [1, 2]


def test_stop_event_ends_the_batch_and_saves_the_partial_run(runs_engine):
    slow = FakeProvider("fake:slow")
    for _ in range(3):
        slow.enqueue(["a"] * 200, delay_s=0.02)
    stop = threading.Event()
    baseline = threading.active_count()

    def stop_soon(progress):
        if progress.elapsed_s > 0.2:
            stop.set()

    batch = run_batch(["p1", "p2", "p3"], [Side(slow)], runs_engine, stop=stop, on_progress=stop_soon)
    assert batch.stopped and len(batch.runs) == 1
    assert batch.runs[0][1].stopped and len(batch.runs[0][1].sides[0].text) < 200
    assert stored_runs(runs_engine) == 1
    assert threading.active_count() == baseline


def test_an_interrupting_progress_callback_keeps_what_was_saved(runs_engine):
    """A Streamlit rerun raises inside the progress callback; the runs saved so far stay in the caller's batch."""
    provider = FakeProvider()
    for _ in range(3):
        provider.enqueue(["x"] * 100, delay_s=0.01)

    def interrupt(progress):
        if progress.done == 1:
            raise KeyboardInterrupt

    batch = BatchResult()
    with pytest.raises(KeyboardInterrupt):
        run_batch(["p1", "p2", "p3"], [Side(provider)], runs_engine, on_progress=interrupt, batch=batch)
    assert [r.prompt for _, r in batch.runs] == ["p1", "p2"] and batch.stopped
    assert stored_runs(runs_engine) == 2


def test_progress_is_reported_a_few_times_a_second_not_per_token(runs_engine):
    provider = FakeProvider()
    provider.enqueue(["x"] * 100, delay_s=0.01)  # 100 tokens over about a second
    seen = []
    batch = run_batch(["p1"], [Side(provider)], runs_engine, on_progress=seen.append)
    assert batch.runs[0][1].sides[0].output_tokens == 100
    # Once as the prompt starts and once at the end, at least; fewer than once per token.
    assert 2 <= len(seen) < 100 and [p.done for p in seen] == sorted(p.done for p in seen)
    assert (seen[0].done, seen[0].current) == (0, "p1") and (seen[-1].done, seen[-1].current) == (1, None)
