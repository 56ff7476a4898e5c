"""The Try pages through AppTest: a run streams both sides, blind votes, batches, history, votes and the API key."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from streamlit.testing.v1 import AppTest

from llmcompare.providers.base import GenerationSettings, RunResult, SideResult
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.runs import Run, RunSide, Vote, save_run, save_vote
from tests.conftest import FIXTURE_SEED
from tests.fakes.openai_server import DEFAULT_TEXT, fake_openai  # noqa: F401
from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 60
ENV_KEY = "sk-env-key-0123456789"
SIDEBAR_KEY = "sk-sidebar-key-9876543210"


@pytest.fixture
def store(tmp_path, monkeypatch, request):
    """A fresh fixture store per test, so that runs and votes from one test never show in another.

    The server's key belongs to the fake server, when the test has one, as OPENAI_BASE_URL says; the tiny model's
    folder is the models folder.
    """
    url = f"sqlite:///{tmp_path / 'llmcompare.db'}"
    engine = make_engine(url)
    build_db(engine, FIXTURE_SEED)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LLMCOMPARE_SEED_DIR", str(FIXTURE_SEED))
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    if "fake_openai" in request.fixturenames:
        monkeypatch.setenv("OPENAI_BASE_URL", request.getfixturevalue("fake_openai").base_url)
    if "tiny_model_dir" in request.fixturenames:  # a link may name a local model only inside the models folder
        monkeypatch.setenv("LLMCOMPARE_MODELS_DIR", str(request.getfixturevalue("tiny_model_dir").parent))
    yield engine
    engine.dispose()


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.query_params.update(query)
    return at.switch_page(f"views/{page}.py").run()


def specs(fake, tiny) -> dict[str, str]:
    return {"left": f"local:{tiny.name}", "right": f"openai:gpt-4o-mini@{fake.base_url}"}


def page_text(at: AppTest) -> str:
    """Every visible string of the run, widgets' labels and values included, except the API key field's value."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "code")
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [str(w.value) for w in at.text_input if w.key != "playground.api_key"]
    parts += [str(w.value) for w in at.text_area]
    return "\n".join(parts)


def result_side(spec: str, text: str, error: str | None = None) -> SideResult:
    return SideResult(spec, spec, GenerationSettings(), text, 0.1, 1.0, 3, 2, 5.0, None, "no price on record", error)


def metric_tables(at: AppTest) -> int:
    """How many sides show their metrics table."""
    return sum(m.value.startswith(":gray[First token]") for m in at.markdown)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def run_prompt(at: AppTest, prompt: str = "the quick brown fox") -> AppTest:
    at.text_area(key="playground.prompt").input(prompt)
    return at.button(key="playground.run").click().run()


def stored(engine, model):
    """Every row of a runs table, with its relationships loaded, in insertion order."""
    with Session(engine) as session:
        return session.scalars(select(model).options(selectinload("*")).order_by(model.id)).all()


def test_a_run_streams_both_sides_and_shows_their_metrics(store, fake_openai, tiny_model_dir):  # noqa: F811
    at = open_page("playground", **specs(fake_openai, tiny_model_dir))
    no_errors(at)
    assert at.segmented_control(key="playground.side0.kind").value == "local"
    assert at.selectbox(key="playground.side1.endpoint").value == "openai"  # the link's URL is the server's
    at.number_input(key="playground.side0.max_new_tokens").set_value(12)
    at = run_prompt(at)
    no_errors(at)
    page = page_text(at)
    assert DEFAULT_TEXT in page
    assert metric_tables(at) == 2
    assert "Cost basis: assumed 1.00 USD per machine-hour" in page
    assert "openai gpt-4o-mini list price as of 2024-12-24, what a hosted API charges" in page
    assert re.search(r"Wall time of the run: \d+\.\d\d s", page)
    [run] = stored(store, Run)
    assert run.prompt == "the quick brown fox" and [s.position for s in run.sides] == [0, 1]
    assert run.sides[0].output_tokens == 12 and run.sides[1].text == DEFAULT_TEXT
    assert run.settings["sides"][0]["max_new_tokens"] == 12


def test_blind_mode_hides_names_until_the_vote_then_reveals_them(store, fake_openai, tiny_model_dir):  # noqa: F811
    at = open_page("playground", **specs(fake_openai, tiny_model_dir))
    at.toggle(key="playground.blind").set_value(True)
    at = run_prompt(at)
    no_errors(at)
    headings = [m.value for m in at.markdown if m.value.startswith("####")]
    assert headings == ["#### Answer A", "#### Answer B"]
    assert metric_tables(at) == 0 and "Metrics and names appear after your vote." in page_text(at)
    assert not any("gpt-4o-mini" in m.value for m in at.markdown if m.value.startswith("####"))
    at = at.button(key="playground.vote.a").click().run()
    no_errors(at)
    reveal = at.success[0].value
    assert reveal.startswith("Vote saved: A (")
    first_shown = re.search(r"A was \*\*(.+?)\*\*", reveal).group(1)
    [vote] = stored(store, Vote)
    assert vote.winner == ("a" if first_shown == str(tiny_model_dir) else "b")
    assert metric_tables(at) == 2


def test_history_reopens_a_run_and_sends_it_back_to_the_playground(store, fake_openai, tiny_model_dir):  # noqa: F811
    run_prompt(open_page("playground", **specs(fake_openai, tiny_model_dir)), "Explain WAL in one line")
    [run] = stored(store, Run)
    history = open_page("history", run=str(run.id))
    no_errors(history)
    assert f"Run #{run.id}" in [s.value for s in history.subheader]
    assert "Explain WAL in one line" in page_text(history) and DEFAULT_TEXT in page_text(history)
    assert len(history.dataframe[0].value) == 1
    assert metric_tables(history) == 2
    again = open_page("playground", from_run=str(run.id))
    no_errors(again)
    assert again.text_area(key="playground.prompt").value == "Explain WAL in one line"
    assert again.text_input(key="playground.side0.source").value == str(tiny_model_dir)
    assert again.selectbox(key="playground.side1.endpoint").value == "openai"
    assert again.text_input(key="playground.side1.model").value == "gpt-4o-mini"
    assert f"Loaded the prompt and settings of run #{run.id}" in again.info[0].value


def test_history_filters_and_empty_states(store):
    at = open_page("history")
    no_errors(at)
    assert "No runs yet" in at.info[0].value
    side = result_side("local:bundled", "Blue.")
    failed = result_side("openai:gpt-4o-mini", "", error="Rate limited (429)")
    save_run(store, RunResult("Name a colour", datetime.now(UTC), 1.0, [side, failed]))
    save_run(store, RunResult("Haiku about tea", datetime.now(UTC), 1.0, [side, side]))
    at = open_page("history")
    assert at.dataframe[0].value["prompt"].tolist() == ["Haiku about tea", "Name a colour"]
    at.selectbox(key="history.errors").set_value("with").run()
    assert at.dataframe[0].value["prompt"].tolist() == ["Name a colour"]
    at.text_input(key="history.q").input("tea").run()
    assert "No run matches these filters" in at.info[0].value


def test_without_a_key_the_api_side_says_how_to_configure_one(store, monkeypatch, fake_openai, tiny_model_dir):  # noqa: F811
    monkeypatch.delenv("OPENAI_API_KEY")
    at = open_page("playground", left=f"local:{tiny_model_dir}")
    no_errors(at)
    warning = at.warning[0].value
    assert "https://api.openai.com/v1 is not one of this server's endpoints" in warning
    assert "API key you type in the sidebar" in warning
    assert "API key: none typed" in page_text(at)
    at = run_prompt(at)
    no_errors(at)
    assert any("type in the sidebar" in e.value for e in at.error)
    [run] = stored(store, Run)
    assert run.sides[0].error is None and "not one of this server's endpoints" in run.sides[1].error


def test_the_key_is_used_but_never_shown_or_stored(store, fake_openai, tiny_model_dir):  # noqa: F811
    fake_openai.script.status = 401
    fake_openai.script.error_message = f"Incorrect API key provided: {SIDEBAR_KEY}"
    at = open_page("playground", **specs(fake_openai, tiny_model_dir))
    at.text_input(key="playground.api_key").input(SIDEBAR_KEY)
    at = run_prompt(at)
    no_errors(at)
    assert fake_openai.requests[-1].authorization == f"Bearer {SIDEBAR_KEY}"
    page = page_text(at)
    assert "API key: yours, typed in the sidebar" in page and "(401)" in page
    assert SIDEBAR_KEY not in page and ENV_KEY not in page
    assert SIDEBAR_KEY not in repr([(s.text, s.error, s.cost_basis) for s in stored(store, RunSide)])
    assert SIDEBAR_KEY not in repr([r.settings for r in stored(store, Run)])


def test_secrets_come_before_the_environment(store, fake_openai):  # noqa: F811
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.secrets["OPENAI_API_KEY"] = "sk-from-secrets"
    at.run()
    at.switch_page("views/playground.py").run()
    at.segmented_control(key="playground.side0.kind").set_value("openai").run()
    at = run_prompt(at)
    no_errors(at)
    assert {r.authorization for r in fake_openai.requests} == {"Bearer sk-from-secrets"}


def test_batch_runs_every_prompt_and_refuses_a_bad_file(store, fake_openai):  # noqa: F811
    url = fake_openai.base_url
    at = open_page("playground", left=f"openai:left@{url}", right=f"openai:right@{url}")
    at.segmented_control(key="playground.mode").set_value("Batch").run()
    at.file_uploader(key="playground.batch.file").upload("bad.txt", "caf\xe9".encode("latin-1"), "text/plain")
    at = at.button(key="playground.run").click().run()
    no_errors(at)
    assert "bad.txt: not valid UTF-8 (line 1, byte 4)" in at.error[0].value
    assert "Upload a usable prompts file first." in at.warning[0].value
    assert stored(store, Run) == []
    at.file_uploader(key="playground.batch.file").clear().upload(
        "prompts.csv", b"prompt\nOne\nTwo\n\nThree\n", "text/csv"
    )
    at = at.button(key="playground.run").click().run()
    no_errors(at)
    table = at.dataframe[-1].value
    assert table["prompt"].tolist() == ["One", "Two", "Three"]
    assert table["side2_answer"].tolist() == [DEFAULT_TEXT] * 3
    assert "**3** runs saved to history" in page_text(at)
    assert [r.prompt for r in stored(store, Run)] == ["One", "Two", "Three"]


def _vote_runs(engine, winners):
    a, b = result_side("local:bundled", "x"), result_side("openai:gpt-4o-mini", "y")
    for winner in winners:
        save_vote(engine, save_run(engine, RunResult("p", datetime.now(UTC), 1.0, [a, b])), winner)


def test_votes_page_waits_for_enough_votes_then_shows_scores(store):
    at = open_page("votes")
    assert "No votes yet" in at.info[0].value
    _vote_runs(store, ["a", "b", "tie", "both_bad"])
    at = open_page("votes")
    no_errors(at)
    assert "3 so far, 7 more needed" in at.info[0].value
    rates = at.dataframe[0].value.set_index("model")
    assert rates.loc["bundled (local)", "win_rate"] == pytest.approx(0.5)
    _vote_runs(store, ["a"] * 8)
    at = open_page("votes")
    no_errors(at)
    scores = at.dataframe[0].value
    # One grouping key for every win-rate table: the catalogue's name where the identity module finds the model.
    assert scores["model"].tolist() == ["bundled (local)", "GPT-4o mini"]
    assert (scores["low"] <= scores["score"]).all() and (scores["score"] <= scores["high"]).all()


@pytest.mark.slow
def test_the_default_left_side_runs_the_bundled_smollm2(store, fake_openai):  # noqa: F811
    at = open_page("playground", right=f"openai:gpt-4o-mini@{fake_openai.base_url}")
    assert at.text_input(key="playground.side0.source").value == "bundled"
    at.number_input(key="playground.side0.max_new_tokens").set_value(8)
    at = run_prompt(at, "What is the capital of France?")
    no_errors(at)
    assert "#### :material/computer: SmolLM2-135M-Instruct\n`local:bundled`" in page_text(at)
    [run] = stored(store, Run)
    assert run.sides[0].error is None and 0 < run.sides[0].output_tokens <= 8


def test_a_link_seeds_the_sides_once_and_edits_made_after_stay(store):
    at = open_page("playground", right="openai:my-model@http://127.0.0.1:9/v1")
    no_errors(at)
    assert at.selectbox(key="playground.side1.endpoint").value == "Other URL"
    assert at.text_input(key="playground.side1.base_url").value == "http://127.0.0.1:9/v1"
    at.text_input(key="playground.side1.model").input("edited-model").run()
    at.text_input(key="playground.api_key").input("sk-typed-later").run()
    assert at.text_input(key="playground.side1.model").value == "edited-model"
    assert at.selectbox(key="playground.side1.endpoint").value == "Other URL"
