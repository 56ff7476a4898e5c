"""Concurrent saves, replacements and deletions of advisor scenarios, and concurrent first starts, on one SQLite file
and on one PostgreSQL database.

Each of these reads before it writes (is the name taken? which version is the schema at?). Without taking the
write lock first, SQLite answers such a transaction "database is locked" at once when another writer holds the lock.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import head, migrate
from llmcompare.store.scenarios import Scenario, ScenarioError, delete_scenario, list_scenarios, save_scenario
from tests.reliability.conftest import integrity_problems

pytestmark = pytest.mark.load

WRITERS = 12
ROUNDS = 40


def churn(engine, writer: int, start: threading.Barrier) -> tuple[int, int]:
    """One user: saves its own scenarios, replaces a shared one, and deletes every other own scenario."""
    start.wait()
    refused = 0
    for number in range(ROUNDS):
        save_scenario(engine, Scenario(name=f"w{writer}-s{number}", weights={"cost": 1.0, "quality": number + 1.0}))
        save_scenario(engine, Scenario(name="shared", weights={"cost": float(writer + 1)}), overwrite=True)
        try:
            save_scenario(engine, Scenario(name="first come", weights={"cost": 1.0}))
        except ScenarioError:  # the name is taken: the clear refusal every writer but one must get
            refused += 1
        if number % 2:
            assert delete_scenario(engine, f"w{writer}-s{number}")
    return writer, refused


def test_concurrent_scenario_writers_all_land_and_none_is_locked_out(any_store):
    start = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(churn, any_store, writer, start) for writer in range(WRITERS)]
        refusals = dict(future.result(timeout=300) for future in futures)  # re-raises "database is locked"
    names = {s.name: s for s in list_scenarios(any_store)}
    kept = {f"w{w}-s{n}" for w in range(WRITERS) for n in range(0, ROUNDS, 2)}
    assert set(names) == kept | {"shared", "first come"}
    assert sum(refusals.values()) == WRITERS * ROUNDS - 1  # exactly one save of "first come" won
    assert names["shared"].weights["cost"] in {float(w + 1) for w in range(WRITERS)}
    assert integrity_problems(any_store) == []


def test_processes_starting_at_once_migrate_a_new_database_once(database_url):
    engines = [make_engine(database_url) for _ in range(6)]
    start = threading.Barrier(len(engines))

    def first_start(engine):
        start.wait()
        return migrate(engine)

    with ThreadPoolExecutor(len(engines)) as pool:
        assert [f.result(timeout=120) for f in [pool.submit(first_start, e) for e in engines]] == [head()] * 6
    with engines[0].connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head()]
    for engine in engines:
        engine.dispose()
