"""build-db on a real SQLite file: idempotent, all-or-nothing, migrations versioned."""

import shutil
import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select

from llmcompare.store import models as m
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import MIGRATIONS, migrate
from llmcompare.store.seed_io import SeedError, read_table, write_table

D = date(2025, 1, 1)


def tiny_seed(folder):
    """A minimal but complete seed: one source, developer, licence, model and price."""
    rows = {
        m.Source: [{"id": "src", "title": "T", "url": "https://example.org/x", "retrieved": D}],
        m.Developer: [{"id": "acme", "name": "Acme", "source_id": "src", "as_of": D}],
        m.License: [
            {
                "id": "apache-2.0",
                "name": "Apache 2.0",
                "kind": "permissive",
                "spdx_id": "Apache-2.0",
                "osi_approved": True,
                "commercial_use": "yes",
                "use_policy": False,
                "modification": "yes",
                "redistribution": "yes",
                "summary": "s",
                "source_id": "src",
                "as_of": D,
            }
        ],
        m.Model: [
            {
                "id": "acme-1",
                "name": "Acme 1",
                "developer_id": "acme",
                "access": "open_weights",
                "license_id": "apache-2.0",
                "source_id": "src",
                "as_of": D,
                "params_b": 7.5,
            }
        ],
        m.Price: [
            {
                "model_id": "acme-1",
                "provider": "host",
                "first_party": False,
                "offering": "host/acme-1",
                "input_usd_per_1m": 0.15,
                "output_usd_per_1m": 0.6,
                "as_of": D,
                "source_id": "src",
            }
        ],
    }
    for model in m.SEED_TABLES:
        write_table(folder, model.__table__, rows.get(model, []))
    return folder


@pytest.fixture
def engine(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'store.db'}")


def count(engine, model):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_seed_round_trips_types(tmp_path):
    seed = tiny_seed(tmp_path / "seed")
    (model,) = read_table(seed, m.Model.__table__)
    assert model["params_b"] == 7.5 and model["as_of"] == D and model["release_date"] is None
    (price,) = read_table(seed, m.Price.__table__)
    assert price["input_usd_per_1m"] == 0.15 and price["first_party"] is False


def test_build_is_idempotent(engine, tmp_path):
    seed = tiny_seed(tmp_path / "seed")
    first = build_db(engine, seed)
    second = build_db(engine, seed)
    assert first.loaded and not second.loaded
    assert first.counts["models"] == second.counts["models"] == 1
    assert count(engine, m.Price) == 1


def test_wal_and_foreign_keys_are_on(engine, tmp_path):
    build_db(engine, tiny_seed(tmp_path / "seed"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_bad_seed_changes_nothing(engine, tmp_path):
    seed = tiny_seed(tmp_path / "seed")
    build_db(engine, seed)
    bad = tmp_path / "bad"
    shutil.copytree(seed, bad)
    prices = (bad / "prices.csv").read_text().replace("0.15", "cheap")
    (bad / "prices.csv").write_text(prices)
    (bad / "models.csv").write_text((bad / "models.csv").read_text().replace("Acme 1", "Renamed"))
    with pytest.raises(SeedError, match="prices.csv line 2, column input_usd_per_1m"):
        build_db(engine, bad)
    with engine.connect() as conn:
        assert conn.execute(select(m.Model.name)).scalar_one() == "Acme 1"


def test_dangling_reference_rolls_back(engine, tmp_path):
    seed = tiny_seed(tmp_path / "seed")
    build_db(engine, seed)
    text = (seed / "prices.csv").read_text().replace("acme-1,", "ghost,", 1)
    (seed / "prices.csv").write_text(text)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        build_db(engine, seed)
    assert count(engine, m.Price) == 1 and count(engine, m.Model) == 1


def test_migrations_are_recorded_once(engine, tmp_path):
    assert migrate(engine) == len(MIGRATIONS)
    migrate(engine)
    db = sqlite3.connect(tmp_path / "store.db")
    assert db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_v5_gives_an_older_database_its_indexes(engine, tmp_path):
    build_db(engine, tiny_seed(tmp_path / "seed"))
    db = sqlite3.connect(tmp_path / "store.db")
    # Make it look like a v4 database: the old openness index, none of the new ones.
    for name in ("ix_openness_current", "ix_run_sides_run_position", "ix_run_sides_provider_spec"):
        db.execute(f"DROP INDEX IF EXISTS {name}")
    db.execute("CREATE INDEX ix_openness_model ON openness (model_id)")
    db.execute("DELETE FROM schema_version WHERE version >= 5")
    db.commit()
    migrate(engine)
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_openness_current", "ix_run_sides_run_position", "ix_run_sides_provider_spec"} <= indexes
    assert "ix_openness_model" not in indexes
    plan = " ".join(
        row[3] for row in db.execute("EXPLAIN QUERY PLAN SELECT DISTINCT provider_spec FROM run_sides ORDER BY 1")
    )
    assert "ix_run_sides_provider_spec" in plan and "TEMP B-TREE" not in plan
