"""Frozen Alembic revisions on SQLite and PostgreSQL: user data survives every step from the first revision, old
schema_version databases are adopted, and the ORM models cannot drift from the newest revision."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import llmcompare
from llmcompare.providers.base import RunResult
from llmcompare.store import models as m
from llmcompare.store.engine import make_engine
from llmcompare.store.history import list_runs, vote_frame
from llmcompare.store.migrations import LEGACY_REVISIONS, head, migrate, scripts
from llmcompare.store.runs import save_run
from llmcompare.store.scenarios import list_scenarios
from tests.fakes.results import side_result

D = date(2025, 3, 1)
WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
# Written with plain table constructs of the columns each revision made, never with today's ORM models.
FACTS = [
    ("sources", {"id": "src", "title": "A source", "retrieved": D}),
    ("developers", {"id": "acme", "name": "Acme", "source_id": "src", "as_of": D}),
    (
        "licenses",
        {
            "id": "mit", "name": "MIT", "kind": "permissive", "osi_approved": True, "commercial_use": "yes",
            "use_policy": False, "modification": "yes", "redistribution": "yes", "summary": "Short.",
            "source_id": "src", "as_of": D,
        },
    ),
    (
        "models",
        {"id": "acme-1", "name": "Acme 1", "developer_id": "acme", "access": "open_weights", "license_id": "mit",
         "source_id": "src", "as_of": D},
    ),
    (
        "prices",
        {"model_id": "acme-1", "provider": "acme", "first_party": True, "offering": "acme/acme-1",
         "input_usd_per_1m": 0.5, "output_usd_per_1m": 1.5, "as_of": D, "source_id": "src"},
    ),
    (
        "openness",
        {"model_id": "acme-1", "scheme": "eu_osai", "system_name": "Acme 1", "dimension": "weights",
         "grade": "open", "as_of": D, "source_id": "src"},
    ),
    ("meta", {"key": "seed_digest", "value": "abc"}),
]  # fmt: skip
RUN = {"prompt": "Explain WAL", "created_at": WHEN, "wall_s": 1.5, "stopped": False, "settings": {"seed": 3}}
SIDE = {"provider_spec": "local:bundled", "model_name": "bundled", "text": "It logs ahead.",
        "total_s": 1.2, "cost_basis": "local", "stopped": False}  # fmt: skip
SCENARIO = {"name": "Bank", "description": "In house.", "weights": {"cost": 2.0}, "constraints": {},
            "shortlist": ["acme-1"], "missing_policy": "worst", "created_at": WHEN, "updated_at": WHEN}  # fmt: skip


TYPES = {datetime: sa.DateTime(timezone=True), date: sa.Date(), bool: sa.Boolean(), dict: sa.JSON(), list: sa.JSON()}


def table(name: str, row: dict) -> sa.TableClause:
    """A bare table of the row's columns, typed by their values (dates, flags and JSON read back as written)."""
    return sa.table(name, *(sa.column(k, TYPES.get(type(v))) for k, v in row.items()))


def insert(conn: sa.Connection, name: str, row: dict) -> None:
    conn.execute(sa.insert(table(name, row)).values(row))


def revisions() -> list[str]:
    return [script.revision for script in reversed(list(scripts().walk_revisions()))]


def add_facts(conn: sa.Connection) -> None:
    for name, row in FACTS:
        insert(conn, name, row)


def add_run(conn: sa.Connection) -> None:
    run_id = conn.execute(sa.insert(table("runs", RUN)).values(RUN).returning(sa.column("id"))).scalar_one()
    for position in (0, 1):
        insert(conn, "run_sides", {**SIDE, "run_id": run_id, "position": position})
    insert(conn, "votes", {"run_id": run_id, "winner": "a", "created_at": WHEN})


def add_scenario(conn: sa.Connection) -> None:
    insert(conn, "scenarios", SCENARIO)


# What users wrote at each of the first revisions: facts at 0001, a run with a vote at 0002, a scenario at 0003.
STAGES = [("0001", add_facts), ("0002", add_run), ("0003", add_scenario)]


def fill(engine: sa.Engine, upto: str) -> int:
    """Step through the first revisions up to `upto`, writing each one's data; return how many stages ran."""
    done = 0
    for revision, add in STAGES:
        if revisions().index(revision) > revisions().index(upto):
            break
        assert migrate(engine, revision) == revision
        with engine.begin() as conn:
            add(conn)
        done += 1
    return done


def assert_data_survived(engine: sa.Engine, stages: int = len(STAGES)) -> None:
    """Every row written along the way reads back the same, through raw SQL and through the app's own queries."""
    with engine.connect() as conn:
        for name, row in FACTS:
            stored = conn.execute(sa.select(table(name, row))).mappings().one()
            assert dict(stored) == row, name
        assert conn.execute(sa.select(m.Price.import_id)).one() == conn.execute(sa.select(m.Model.import_id)).one()
    assert list_runs(engine)["prompt"].tolist() == (["Explain WAL"] if stages > 1 else [])
    assert vote_frame(engine)["winner"].tolist() == (["a"] if stages > 1 else [])
    scenarios = [(s.name, s.weights, s.shortlist) for s in list_scenarios(engine)]
    assert scenarios == ([("Bank", {"cost": 2.0}, ["acme-1"])] if stages > 2 else [])


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_a_first_revision_database_with_user_data_upgrades_step_by_step(engine):
    fill(engine, "0003")
    for revision in revisions()[len(STAGES) :]:
        assert migrate(engine, revision) == revision
    assert migrate(engine) == head()
    assert_data_survived(engine)
    save_run(engine, RunResult("Again", WHEN, 1.0, [side_result("local:bundled", "ok")]))  # new ids do not clash
    assert sorted(list_runs(engine)["prompt"]) == ["Again", "Explain WAL"]


def test_migrate_is_recorded_once_and_runs_again_as_a_no_op(engine):
    assert migrate(engine) == migrate(engine) == head()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [head()]


@pytest.mark.parametrize("version", sorted(LEGACY_REVISIONS))
def test_a_schema_version_database_is_adopted_and_upgraded(engine, version):
    """A database from before Alembic: its highest schema_version becomes the matching revision, then on to head."""
    stages = fill(engine, LEGACY_REVISIONS[version])
    migrate(engine, LEGACY_REVISIONS[version])
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"))
        for number in range(1, version + 1):
            conn.execute(sa.text("INSERT INTO schema_version VALUES (:v, 'then')"), {"v": number})
    assert migrate(engine) == head()
    inspector = sa.inspect(engine)
    assert not inspector.has_table("schema_version")
    indexes = {i["name"] for name in ("openness", "run_sides") for i in inspector.get_indexes(name)}
    assert {"ix_openness_current", "ix_run_sides_run_position", "ix_run_sides_provider_spec"} <= indexes
    assert "ix_openness_model" not in indexes
    assert_data_survived(engine, stages)


def every_model() -> sa.MetaData:
    """The ORM metadata with every table declared anywhere in the package, wherever its module lives."""
    for module in pkgutil.walk_packages(llmcompare.__path__, "llmcompare."):
        if module.name != "llmcompare.__main__":
            importlib.import_module(module.name)
    return m.Base.metadata


def test_the_orm_models_match_the_newest_revision(engine):
    """Autogenerate finds nothing to do: a model change without a revision (or the reverse) fails here."""
    metadata = every_model()
    assert {"runs", "scenarios", "imports"} <= set(metadata.tables)
    migrate(engine)
    with engine.connect() as conn:
        compare_type = same_type_on_sqlite if engine.dialect.name == "sqlite" else True
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": compare_type}), metadata)
    if engine.dialect.name == "sqlite":
        diff = without_descending_index(engine, diff)
    assert diff == []


def same_type_on_sqlite(context, inspected, metadata, inspected_type, metadata_type) -> bool | None:
    """SQLite ignores VARCHAR lengths, so revision 0006 leaves them as declared there; compare the rest."""
    if isinstance(inspected_type, sa.String) and isinstance(metadata_type, sa.String):
        return isinstance(inspected_type, sa.Text) != isinstance(metadata_type, sa.Text)
    return None


def without_descending_index(engine: sa.Engine, diff: list) -> list:
    """SQLite's reflection drops DESC from index columns, so autogenerate sees ix_openness_current as changed;
    check its columns and their order straight from SQLite instead."""
    with engine.connect() as conn:
        columns = conn.exec_driver_sql("PRAGMA index_xinfo(ix_openness_current)").all()
    assert [(c.name, c.desc) for c in columns if c.key] == [
        ("model_id", 0),
        ("scheme", 0),
        ("dimension", 0),
        ("as_of", 1),
        ("id", 1),
    ]
    return [d for d in diff if not (d[0] in ("add_index", "remove_index") and d[1].name == "ix_openness_current")]
