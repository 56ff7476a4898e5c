"""The stored flag that marks token counts the app estimated because the server reported none."""

from datetime import UTC, datetime

from sqlalchemy import text

from llmcompare.exports.activity import runs_frame
from llmcompare.providers.base import RunResult
from llmcompare.store.engine import make_engine
from llmcompare.store.history import load_run
from llmcompare.store.migrations import head, migrate
from llmcompare.store.runs import save_run
from tests.fakes.results import side_result

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def run_with(*sides):
    return RunResult("Say hi.", WHEN, 1.0, list(sides))


def test_the_flag_survives_the_store_and_reaches_history_and_exports(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'runs.db'}")
    migrate(engine)
    run_id = save_run(engine, run_with(side_result("local:bundled"), side_result("openai:m", tokens_estimated=True)))
    assert [s.tokens_estimated for s in load_run(engine, run_id).result.sides] == [False, True]
    assert runs_frame(engine)["tokens_estimated"].tolist() == [False, True]
    engine.dispose()


def test_an_older_database_gains_the_column_with_its_runs_counted_as_reported(tmp_path):
    """A database at the revision before the flag, with a run in it, upgrades in place and keeps that run."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    assert migrate(engine, target="0007") == "0007"
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO runs (prompt, created_at, wall_s, stopped, settings) VALUES ('p', :t, 1, 0, '{}')"),
            {"t": WHEN},
        )
        conn.execute(
            text(
                "INSERT INTO run_sides (run_id, position, provider_spec, model_name, text, total_s, output_tokens, "
                "cost_basis, stopped) VALUES (1, 0, 'openai:m', 'm', 'hi', 1.0, 7, 'none', 0)"
            )
        )
    assert migrate(engine) == head()
    side = load_run(engine, 1).result.sides[0]
    assert (side.output_tokens, side.tokens_estimated) == (7, False)
    assert migrate(engine) == head()  # a second upgrade changes nothing
    engine.dispose()
