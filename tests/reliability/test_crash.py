"""Crash safety: a process killed with SIGKILL mid-write leaves a database that opens, passes SQLite's
integrity_check and holds the old state or the complete new one, never half of a change; on SQLite and PostgreSQL.

A kill during an import is proven by tests/imports/test_atomic.py; here: build-db and a batch run.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.fakes.dbfile import snapshot
from tests.fakes.openai_server import DEFAULT_TEXT, FakeOpenAIServer
from tests.reliability.conftest import API_KEY, integrity_problems

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "seed"
FIXTURE_SEED = ROOT / "tests" / "fixtures" / "seed"
EXTRA_ALIASES = 300_000  # about 30 MB of pages: a transaction of several seconds, spilling into the WAL
KILL_AT_WAL_BYTES = 6_000_000  # well into the transaction, well before its commit
GIVE_UP_S = 120


def big_seed(target: Path) -> int:
    """The committed seed plus many aliases of its first model; returns the aliases it then holds."""
    shutil.copytree(SEED, target)
    model = next(csv.DictReader((target / "models.csv").open()))["id"]
    with (target / "aliases.csv").open("a", newline="") as out:
        csv.writer(out).writerows(("api", f"Stress alias {k}", model) for k in range(EXTRA_ALIASES))
    with (target / "aliases.csv").open() as f:
        return sum(1 for _ in f) - 1


def kill_when(child: subprocess.Popen, ready, limit_s: float = GIVE_UP_S) -> bool:
    """SIGKILL the child once ready() holds; False if it ended (or time ran out) first."""
    deadline = time.monotonic() + limit_s
    while child.poll() is None and time.monotonic() < deadline:
        if ready():
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
            return True
        time.sleep(0.01)
    child.kill()
    child.wait(10)
    return False


def wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def mid_build(engine: Engine, tmp_path: Path):
    """When a kill lands well inside build-db's transaction: SQLite's WAL has grown, or PostgreSQL runs its aliases."""
    if engine.dialect.name == "sqlite":
        return lambda: wal_bytes(tmp_path / "store.db") > KILL_AT_WAL_BYTES
    busy = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND state = 'active' AND query LIKE 'INSERT INTO aliases%'"
    )

    def ready() -> bool:
        with engine.connect() as conn:
            return conn.execute(busy).scalar_one() > 0

    return ready


@pytest.mark.slow
def test_sigkill_during_build_db_keeps_the_old_database(database_url, tmp_path):
    engine = make_engine(database_url)
    build_db(engine, FIXTURE_SEED)
    before = snapshot(engine)
    aliases = big_seed(tmp_path / "seed")
    env = {**os.environ, "DATABASE_URL": database_url, "LLMCOMPARE_SEED_DIR": str(tmp_path / "seed")}
    child = subprocess.Popen(
        [sys.executable, "-m", "llmcompare", "build-db"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    killed = kill_when(child, mid_build(engine, tmp_path))
    output = child.stdout.read()
    assert killed and child.returncode == -signal.SIGKILL, output
    assert integrity_problems(engine) == []
    after = snapshot(engine)
    if "database built" in output or after != before:  # only a kill after the commit may show the new seed
        assert len(after["aliases"]) == aliases, "a half-built seed survived the kill"
    else:
        assert after == before
    engine.dispose()


BATCH_CHILD = """
import sys
from llmcompare.playground.batch import run_batch
from llmcompare.playground.run import Side
from llmcompare.providers.base import GenerationSettings
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.store.engine import make_engine

url, base_url, key = sys.argv[1:4]
engine = make_engine(url)
settings = GenerationSettings(max_new_tokens=64, timeout_s=30)
sides = [Side(OpenAICompatProvider(f"model-{n}", base_url, key), settings) for n in range(2)]
saved = 0

def report(progress):
    global saved
    if progress.done != saved:
        saved = progress.done
        print("saved", saved, flush=True)

run_batch([f"prompt {i}" for i in range(400)], sides, engine, on_progress=report)
print("finished", flush=True)
"""


@pytest.mark.slow
def test_sigkill_during_a_batch_keeps_every_committed_run_whole(any_store, tmp_path):
    with FakeOpenAIServer() as server:
        server.script.token_delay_s = 0.005  # each run streams for a while, so kills land mid-run as well
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                BATCH_CHILD,
                any_store.url.render_as_string(hide_password=False),
                server.base_url,
                API_KEY,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        reported = 0
        try:
            for line in child.stdout:
                if line.startswith("saved"):
                    reported = int(line.split()[1])
                if reported >= 12:
                    os.kill(child.pid, signal.SIGKILL)
                    break
        finally:
            child.wait(GIVE_UP_S)
    assert child.returncode == -signal.SIGKILL
    assert integrity_problems(any_store) == []
    with any_store.connect() as conn:
        runs = conn.execute(text("SELECT id, prompt, stopped FROM runs ORDER BY id")).all()
        sides = conn.execute(
            text("SELECT run_id, position, text, error FROM run_sides ORDER BY run_id, position")
        ).all()
    assert reported <= len(runs) < 400  # every run reported saved is there, the batch did not finish
    assert [prompt for _, prompt, _ in runs] == [f"prompt {i}" for i in range(len(runs))]
    by_run = {}
    for run_id, position, answer, error in sides:
        by_run.setdefault(run_id, []).append((position, answer, error))
    for run_id, _, stopped in runs:
        assert not stopped
        assert by_run[run_id] == [(0, DEFAULT_TEXT, None), (1, DEFAULT_TEXT, None)]
    assert set(by_run) == {run_id for run_id, _, _ in runs}  # no side without its run
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("store.db*")) + repr(snapshot(any_store)).encode()
    assert API_KEY not in stored.decode(errors="replace")
