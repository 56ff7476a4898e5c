"""A fresh fixture store with the import schema for each test, and a way to see that nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from llmcompare.imports.context import load_context
from llmcompare.imports.plan import Decisions, Plan, build_plan
from llmcompare.imports.upload import Options, Upload
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_SEED = ROOT / "tests" / "fixtures" / "seed"
TODAY = date(2026, 11, 22)


def new_store(url: str) -> Engine:
    """The fixture seed in a new database, with every migration applied."""
    engine = make_engine(url)
    build_db(engine, FIXTURE_SEED)
    return engine


@pytest.fixture
def store(database_url: str) -> Iterator[Engine]:
    engine = new_store(database_url)
    yield engine
    engine.dispose()


def options(**kw) -> Options:
    return Options(**{"as_of": TODAY, "today": TODAY, "max_bytes": 2_000_000, "confirm_unchanged": False, **kw})


def plan_for(engine: Engine, kind: str, name: str, data: bytes, decisions: Decisions | None = None, **kw) -> Plan:
    return build_plan(load_context(engine), Upload(kind, name, data), options(**kw), decisions)
