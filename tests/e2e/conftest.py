"""Playwright in Debian Chromium against real `streamlit run` servers on free local ports."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from bench.local_server import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.conftest import FIXTURE_SEED, FixtureDB

START_TIMEOUT_S = 60
TIMEOUT_MS = 90_000  # for any wait in a browser test: a cold page on a 2-core machine running two workers is slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Use the system Chromium: `playwright install` needs a download, which is impossible offline."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A common laptop screen."""
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    """Playwright's context, patient enough for a machine that runs two test workers, their servers and browsers."""
    context.set_default_timeout(TIMEOUT_MS)
    return context


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


@contextmanager
def streamlit_server(db, log: Path, env: dict[str, str] | None = None, port: int | None = None) -> Iterator[Server]:
    """Start `streamlit run app.py` against the fixture database (plus any extra env); stop it (by PID) afterwards.

    port: a port chosen beforehand, for a server whose own URL must be known first (a sign-in redirect).
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none"]
    command += ["--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **db.env(), **(env or {})}, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        if not wait_healthy(url, START_TIMEOUT_S, alive=lambda: proc.poll() is None):
            pytest.fail(f"streamlit did not start; log:\n{log.read_text()}")
        yield Server(url=url, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def private_db(folder: Path) -> Iterator[FixtureDB]:
    """A fixture database of one's own, for tests whose runs and votes must not mix with other tests' runs."""
    path = folder / "llmcompare.db"
    engine = make_engine(f"sqlite:///{path}")
    build_db(engine, FIXTURE_SEED)
    try:
        yield FixtureDB(url=f"sqlite:///{path}", path=path, engine=engine, seed_dir=FIXTURE_SEED)
    finally:
        engine.dispose()


@contextmanager
def private_server(folder: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A server on a database of its own in folder, with a test API key unless env says otherwise."""
    with private_db(folder) as db:
        settings = {"OPENAI_API_KEY": "sk-e2e-not-a-real-key", "HF_HUB_OFFLINE": "1", **(env or {})}
        with streamlit_server(db, folder / "streamlit.log", settings) as server:
            yield server


@pytest.fixture(scope="session")
def app_server(fixture_db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server shared by the interaction tests."""
    with streamlit_server(fixture_db, tmp_path_factory.mktemp("server") / "streamlit.log") as server:
        yield server


@pytest.fixture
def fresh_server(fixture_db, tmp_path: Path) -> Iterator[Server]:
    """A server nobody has visited yet, so the test's first request is the server's first request."""
    with streamlit_server(fixture_db, tmp_path / "streamlit.log") as server:
        yield server
