"""Shared fixtures: a temporary file database built from the hand-made seed, and the env that points the app at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SEED = ROOT / "tests" / "fixtures" / "seed"


@dataclass(frozen=True)
class FixtureDB:
    """A built fixture database: its URL, file, engine and the seed it came from."""

    url: str
    path: Path
    engine: Engine
    seed_dir: Path

    def env(self) -> dict[str, str]:
        """The variables that make the app (via Settings.from_mapping) use this database."""
        return {"DATABASE_URL": self.url, "LLMCOMPARE_SEED_DIR": str(self.seed_dir)}


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureDB]:
    """A real SQLite file (never sqlite://, whose single-thread pool hides tables from other threads)."""
    path = tmp_path_factory.mktemp("db") / "llmcompare.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    build_db(engine, FIXTURE_SEED)
    yield FixtureDB(url=url, path=path, engine=engine, seed_dir=FIXTURE_SEED)
    engine.dispose()


@pytest.fixture
def engine(fixture_db: FixtureDB) -> Engine:
    return fixture_db.engine


@pytest.fixture
def app_env(fixture_db: FixtureDB, monkeypatch: pytest.MonkeyPatch) -> FixtureDB:
    """Point the app's settings at the fixture database for one test."""
    for name, value in fixture_db.env().items():
        monkeypatch.setenv(name, value)
    return fixture_db
