"""Crash safety: a process killed with SIGKILL mid-write leaves a database that opens, passes integrity_check and
holds the old state or the complete new one, never half of a change.

A kill during an import is proven by tests/imports/test_atomic.py; here: build-db and a batch run.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.fakes.dbfile import snapshot
from tests.fakes.openai_server import DEFAULT_TEXT, FakeOpenAIServer
from tests.reliability.conftest import API_KEY, runs_engine_at

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "seed"
FIXTURE_SEED = ROOT / "tests" / "fixtures" / "seed"
EXTRA_ALIASES = 300_000  # about 30 MB of pages: a transaction of several seconds, spilling into the WAL
KILL_AT_WAL_BYTES = 6_000_000  # well into the transaction, well before its commit
GIVE_UP_S = 120


def integrity(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() + conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


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


@pytest.mark.slow
def test_sigkill_during_build_db_keeps_the_old_database(tmp_path):
    db = tmp_path / "store.db"
    engine = make_engine(f"sqlite:///{db}")
    build_db(engine, FIXTURE_SEED)
    engine.dispose()
    before = snapshot(db)
    aliases = big_seed(tmp_path / "seed")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "LLMCOMPARE_SEED_DIR": str(tmp_path / "seed")}
    child = subprocess.Popen(
        [sys.executable, "-m", "llmcompare", "build-db"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    killed = kill_when(child, lambda: wal_bytes(db) > KILL_AT_WAL_BYTES)
    output = child.stdout.read()
    assert killed and child.returncode == -signal.SIGKILL, output
    assert integrity(db) == [("ok",)]
    after = snapshot(db)
    if "database built" in output or after != before:  # only a kill after the commit may show the new seed
        assert len(after["aliases"]) == aliases, "a half-built seed survived the kill"
    else:
        assert after == before


BATCH_CHILD = """
import sys
from llmcompare.playground.batch import run_batch
from llmcompare.playground.run import Side
from llmcompare.providers.base import GenerationSettings
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.store.engine import make_engine

db, base_url, key = sys.argv[1:4]
engine = make_engine(f"sqlite:///{db}")
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
def test_sigkill_during_a_batch_keeps_every_committed_run_whole(tmp_path):
    db = tmp_path / "runs.db"
    runs_engine_at(db).dispose()
    with FakeOpenAIServer() as server:
        server.script.token_delay_s = 0.005  # each run streams for a while, so kills land mid-run as well
        child = subprocess.Popen(
            [sys.executable, "-c", BATCH_CHILD, str(db), server.base_url, API_KEY],
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
    assert integrity(db) == [("ok",)]
    conn = sqlite3.connect(db)
    try:
        runs = conn.execute("SELECT id, prompt, stopped FROM runs ORDER BY id").fetchall()
        sides = conn.execute("SELECT run_id, position, text, error FROM run_sides ORDER BY run_id, position").fetchall()
    finally:
        conn.close()
    assert reported <= len(runs) < 400  # every run reported saved is there, the batch did not finish
    assert [prompt for _, prompt, _ in runs] == [f"prompt {i}" for i in range(len(runs))]
    by_run = {}
    for run_id, position, text, error in sides:
        by_run.setdefault(run_id, []).append((position, text, error))
    for run_id, _, stopped in runs:
        assert not stopped
        assert by_run[run_id] == [(0, DEFAULT_TEXT, None), (1, DEFAULT_TEXT, None)]
    assert set(by_run) == {run_id for run_id, _, _ in runs}  # no side without its run
    assert API_KEY.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("runs.db*"))
