"""Saved scenarios in a real SQLite file: the v3 migration, save/load/list/delete, clear errors and the examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmcompare.decide import ranking as decide
from llmcompare.io.errors import FormatError
from llmcompare.store.decide_queries import decision_facts
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate
from llmcompare.store.scenarios import (
    Scenario,
    ScenarioError,
    delete_scenario,
    ensure_examples,
    list_scenarios,
    load_scenario,
    read_examples,
    save_scenario,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "curated" / "scenarios.yaml"
BANK = Scenario(
    name="Bank",
    description="Keeps data in house.",
    weights={"quality": 5, "licence": 3},
    constraints={"self_hostable": True, "min_user_cap": 1_000_000_000},
    shortlist=["llama-3.1-8b-instruct"],
    missing_policy="worst",
)


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_save_and_load_round_trip(engine):
    saved = save_scenario(engine, BANK)
    loaded = load_scenario(engine, "bank")  # names match regardless of case
    assert loaded == saved
    assert (loaded.weights, loaded.constraints, loaded.shortlist) == (BANK.weights, BANK.constraints, BANK.shortlist)
    assert loaded.missing_policy == "worst" and loaded.created_at is not None


def test_duplicate_names_are_refused_unless_replacing(engine):
    first = save_scenario(engine, BANK)
    with pytest.raises(ScenarioError, match="already exists"):
        save_scenario(engine, Scenario(name="  BANK ", weights={"cost": 1}))
    replaced = save_scenario(engine, Scenario(name="Bank", weights={"cost": 1}), overwrite=True)
    assert replaced.weights == {"cost": 1}
    assert replaced.created_at == first.created_at and replaced.updated_at >= first.updated_at
    assert [s.name for s in list_scenarios(engine)] == ["Bank"]


def test_names_match_regardless_of_case_in_any_script(engine):
    save_scenario(engine, Scenario(name="Ärzte-Praxis Straße", weights={"cost": 1}))
    assert load_scenario(engine, "ÄRZTE-PRAXIS STRASSE").name == "Ärzte-Praxis Straße"
    with pytest.raises(ScenarioError, match="already exists"):
        save_scenario(engine, Scenario(name="ärzte-praxis straße", weights={"cost": 2}))
    replaced = save_scenario(engine, Scenario(name="ärzte-praxis straße", weights={"cost": 2}), overwrite=True)
    assert [(s.name, s.weights) for s in list_scenarios(engine)] == [(replaced.name, {"cost": 2})]
    assert delete_scenario(engine, "ÄRZTE-praxis straße") and list_scenarios(engine) == []


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (Scenario(name="   ", weights={"cost": 1}), "Give the scenario a name"),
        (Scenario(name="x" * 81, weights={"cost": 1}), "80 characters"),
        (
            Scenario(name="ok", weights={"cost": "high"}),
            r"weights.cost cannot be saved: Input should be a valid num",
        ),
        (Scenario(name="ok", weights={"cost": 1}, constraints={"max_cost": 3}), "constraints.max_cost"),
        (Scenario(name="ok", weights={"cost": -1}), "greater than or equal to 0"),
        (Scenario(name="ok", weights={"cost": 1}, missing_policy="ignore"), "missing_policy"),
        (Scenario(name="ok", weights={"cost": 1}, shortlist=[1, 2]), "shortlist"),
    ],
)
def test_bad_scenarios_write_nothing(engine, scenario, message):
    with pytest.raises(ScenarioError, match=message):
        save_scenario(engine, scenario)
    assert list_scenarios(engine) == []


def test_list_and_delete(engine):
    save_scenario(engine, Scenario(name="zeta", weights={"cost": 1}))
    save_scenario(engine, Scenario(name="Alpha", weights={"cost": 1}))
    assert [s.name for s in list_scenarios(engine)] == ["Alpha", "zeta"]
    assert delete_scenario(engine, "ALPHA") is True
    assert delete_scenario(engine, "alpha") is False
    assert [s.name for s in list_scenarios(engine)] == ["zeta"]


def test_examples_are_added_once_and_never_overwrite_a_users_scenario(engine):
    examples = read_examples(EXAMPLES)
    assert 2 <= len(examples) <= 3
    mine = Scenario(name=examples[0].name, weights={"cost": 9}, description="my own")
    save_scenario(engine, mine)
    added = ensure_examples(engine, EXAMPLES)
    assert added == [e.name for e in examples[1:]]
    assert ensure_examples(engine, EXAMPLES) == []
    assert load_scenario(engine, mine.name).weights == {"cost": 9}
    delete_scenario(engine, examples[1].name)
    assert ensure_examples(engine, EXAMPLES) == []
    assert load_scenario(engine, examples[1].name) is None


def test_every_example_is_a_valid_advisor_setting(fixture_db):
    facts = decision_facts(fixture_db.engine)
    for example in read_examples(EXAMPLES):
        assert example.description, example.name
        limits = decide.Constraints.from_dict(example.constraints)
        ranking = decide.rank_models(facts, example.weights, limits, example.missing_policy, example.shortlist)
        assert len(ranking.table) + len(ranking.excluded) == len(facts)


def test_a_bad_example_file_names_the_file_entry_and_field(tmp_path):
    path = tmp_path / "scenarios.yaml"
    path.write_text(
        "- name: ok\n  weights: {cost: 1}\n- name: bad\n  weights: {cost: 1}\n  constraints: {min_context: -5}\n"
    )
    with pytest.raises(FormatError, match=r"scenarios.yaml, row 2, field 'constraints.min_context'"):
        read_examples(path)
