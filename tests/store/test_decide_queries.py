"""The Decide pages' queries against the fixture store, and the playground's tables read when they exist."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from llmcompare.store import decide_queries as dq
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine


def test_decision_facts_carry_each_fact_with_source_and_date(fixture_db):
    facts = dq.decision_facts(fixture_db.engine).set_index("model_id")
    gpt = facts.loc["gpt-4o"]
    assert gpt["blended"] == pytest.approx(4.375)
    assert gpt["first_party_offering"] and gpt["providers"] == 2
    assert gpt["quality"] == 1285 and gpt["quality_as_of"] == date(2025, 8, 4)
    assert gpt["quality_name"] == "LMArena text"
    assert gpt["license_source"] and not gpt["license_source"].startswith("http")
    llama = facts.loc["llama-3.1-8b-instruct"]
    assert not llama["first_party_offering"] and llama["providers"] == 3
    assert (llama["modification"], llama["use_policy"]) == ("yes", True)


def test_a_model_without_its_own_context_cites_the_price_snapshot(fixture_db):
    deepseek = dq.decision_facts(fixture_db.engine).set_index("model_id").loc["deepseek-v3"]
    assert deepseek["context_window"] == 65536 and deepseek["context_as_of"] == deepseek["price_as_of"]


def test_another_benchmark_becomes_the_quality_fact(fixture_db):
    facts = dq.decision_facts(fixture_db.engine, "mmlu")
    assert facts["quality_name"].iloc[0] == "MMLU"
    assert facts["quality"].notna().sum() == 5
    options = dq.benchmark_options(fixture_db.engine)
    assert options["id"].iloc[0] == "lmarena_text" and set(options["id"]) == {"lmarena_text", "mmlu"}


def test_fmti_history_scales_totals_and_counts_access(fixture_db):
    history = dq.fmti_history(fixture_db.engine)
    meta = history[history["developer_id"] == "meta"]
    assert sorted(meta["edition"]) == ["2023-10", "2024-05", "2025-12"]
    assert (meta["open_weights"] == 2).all() and (meta["api_only"] == 0).all()


@pytest.fixture
def with_runs(fixture_db, database_url):
    """A copy of the fixture store with two playground runs, one side failed."""
    engine = make_engine(database_url)
    build_db(engine, fixture_db.seed_dir)
    with engine.begin() as conn:
        for run_id in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO runs (id, prompt, created_at, wall_s, stopped, settings) "
                    "VALUES (:i, 'p', :t, 1, :no, :s)"
                ),
                {"i": run_id, "t": datetime(2026, 11, run_id, 10, tzinfo=UTC), "no": False, "s": "{}"},
            )
        sides = [
            (1, 0, "openai:gpt-4o-mini", "gpt-4o-mini", 0.4, 30.0, None),
            (1, 1, "local:bundled", "bundled", 0.1, 50.0, None),
            (2, 0, "openai:gpt-4o-mini", "GPT-4o-mini", 0.6, 34.0, None),
            (2, 1, "openai:gpt-4o-mini", "gpt-4o-mini", None, None, "401"),
        ]
        for run_id, position, spec, name, ttft, speed, error in sides:
            conn.execute(
                text(
                    "INSERT INTO run_sides (run_id, position, provider_spec, model_name, text, ttft_s, total_s, "
                    "tokens_per_s, cost_basis, error, stopped) "
                    "VALUES (:r, :p, :s, :n, '', :f, 1.0, :v, '', :e, :no)"
                ),
                {"r": run_id, "p": position, "s": spec, "n": name, "f": ttft, "v": speed, "e": error, "no": False},
            )
        conn.execute(
            text("INSERT INTO votes (run_id, winner, created_at) VALUES (1, 'a', :t)"),
            {"t": datetime(2026, 11, 1, 10, 1, tzinfo=UTC)},
        )
    yield engine
    engine.dispose()


def test_measured_latency_comes_from_successful_runs_of_known_models(with_runs):
    facts = dq.decision_facts(with_runs).set_index("model_id")
    mini = facts.loc["gpt-4o-mini"]
    assert mini["latency_s"] == pytest.approx(0.5) and mini["latency_runs"] == 2
    assert mini["speed_tps"] == pytest.approx(32.0)
    assert mini["latency_as_of"] == date(2026, 11, 2) and mini["latency_source"] == dq.RUNS_SOURCE
    assert facts["latency_s"].notna().sum() == 1  # the bundled model is not in the catalogue
    assert len(dq.run_sides(with_runs)) == 4 and len(dq.run_votes(with_runs)) == 1
    assert dq.runs_version(with_runs) == (4, 1)
