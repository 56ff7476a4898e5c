"""Shared pieces of the reliability tests: the fake server, the tiny model, a runs database file, thread checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from llmcompare.providers.local_hf import LocalHFProvider, LocalModel, load_local
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate
from tests.fakes.openai_server import fake_openai
from tests.fakes.tiny_model import tiny_model_dir

__all__ = ["fake_openai", "tiny_model_dir"]

# Unique, so that a leak anywhere (message, event, database file) is found by a plain substring search.
API_KEY = "sk-reliability-5b1e0c7d93f24a68"
# Threads the test harness owns: the fake server's, which live on after a client leaves.
HARNESS_THREADS = ("fake-openai",)


def app_threads() -> set[threading.Thread]:
    """Live threads that are not the harness's own."""
    return {t for t in threading.enumerate() if not t.name.startswith(HARNESS_THREADS)}


def leftover_threads(before: set[threading.Thread], grace_s: float = 2.0) -> list[str]:
    """Names of threads started since `before` that are still alive after a short grace period to end."""
    deadline = time.monotonic() + grace_s
    while (extra := app_threads() - before) and time.monotonic() < deadline:
        for thread in extra:
            thread.join(max(0.0, deadline - time.monotonic()))
    return sorted(t.name for t in app_threads() - before)


@pytest.fixture(scope="session")
def tiny_loaded(tiny_model_dir: Path) -> LocalModel:  # noqa: F811
    """The tiny GPT-2, loaded once."""
    return load_local(str(tiny_model_dir))


@pytest.fixture(scope="session")
def tiny_local(tiny_loaded: LocalModel, tiny_model_dir: Path) -> LocalHFProvider:  # noqa: F811
    """The tiny GPT-2 as a local side."""
    return LocalHFProvider(tiny_loaded, f"local:{tiny_model_dir}")


def runs_engine_at(path: Path) -> Engine:
    """A migrated store in a real SQLite file."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    return engine


@pytest.fixture
def runs_db(tmp_path: Path) -> Iterator[Engine]:
    """A fresh runs database file per test."""
    engine = runs_engine_at(tmp_path / "runs.db")
    yield engine
    engine.dispose()


@pytest.fixture
def any_store(database_url: str) -> Iterator[Engine]:
    """A fresh migrated store per test, once in a SQLite file and once on PostgreSQL."""
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def integrity_problems(engine: Engine) -> list[tuple]:
    """SQLite's own integrity and foreign-key checks; PostgreSQL checks both on every write, so it has none to run."""
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as conn:
        checked = conn.exec_driver_sql("PRAGMA integrity_check").all()
        return [row for row in checked if tuple(row) != ("ok",)] + conn.exec_driver_sql(
            "PRAGMA foreign_key_check"
        ).all()


def file_bytes(db: Path) -> bytes:
    """The database file with its WAL and shared-memory files, for leak searches."""
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))
