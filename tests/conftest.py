"""Shared fixtures: a temporary file database built from the hand-made seed, the env that points the app at it, and
fresh empty databases on each backend the store supports (a SQLite file, a throwaway PostgreSQL cluster)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.fakes.postgres import Cluster, bin_dir, start_cluster

ROOT = Path(__file__).resolve().parent.parent
# A Playground view starts loading the bundled model in the background (README: LLMCOMPARE_LOCAL_PRELOAD); in the
# tests it loads only where a test means it to, not in every test process and server that shows the page.
# tests/e2e/test_playground_preload.py turns it on for its own server.
os.environ["LLMCOMPARE_LOCAL_PRELOAD"] = "off"
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


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole run; missing server programs fail the run in CI and skip it elsewhere."""
    bins = bin_dir()
    if bins is None:
        message = "PostgreSQL's initdb and pg_ctl are not installed (make test installs Debian's postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    cluster = start_cluster(bins)
    yield cluster
    cluster.stop()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def empty_database(request: pytest.FixtureRequest, folder: Path) -> str:
    """The URL of a new empty database on the backend the test is parametrized with."""
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'store.db'}"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty database for one test, once as a SQLite file and once on PostgreSQL."""
    return empty_database(request, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """database_url shared by the tests of one module."""
    return empty_database(request, tmp_path_factory.mktemp("db"))


def pytest_report_header(config: pytest.Config) -> str:
    """The CPU kernels torch picked for this run (ATEN_CPU_CAPABILITY can lower them; see test_cpu_kernels.py)."""
    import torch

    return f"torch CPU kernels: {torch.backends.cpu.get_cpu_capability()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under parallel workers, the order in which modules are handed out; a plain run keeps file order.

    Modules marked `long` go first, then the modules with the most tests (xdist's own order, which `make test` turns
    off with --no-loadscope-reorder so that this one holds), browser and slow modules first among equals. Left to the
    count order, the 100-second secrets walk, one test, started last and kept one worker busy while the other idled;
    handing out every module longest first was slower still (565 s against 535 s on 2 cores), as the browser modules
    then all ran at once and slowed each other down. Each module stays whole and in its own order."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    count = Counter(item.module.__name__ for item in items)
    long = {item.module.__name__ for item in items if item.get_closest_marker("long")}
    heavy = {item.module.__name__ for item in items if any(item.get_closest_marker(m) for m in ("slow", "e2e"))}
    items.sort(
        key=lambda item: (
            item.module.__name__ not in long,
            -count[item.module.__name__],
            item.module.__name__ not in heavy,
        )
    )
