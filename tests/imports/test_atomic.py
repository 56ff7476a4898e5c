"""All or nothing: an import process killed with SIGKILL in the middle of its transaction leaves the database
exactly as it was, on SQLite (which still passes its integrity check) and on PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.fakes.dbfile import snapshot
from tests.imports.conftest import ROOT, new_store
from tests.imports.files import price_entry

ENTRIES = 20_000  # every one a new price for gpt-4o plus a new alias: 40,000 rows in 80 batches
KILL_AFTER_ROWS = 30_000
CHILD = """
import sys, time
from datetime import date
from pathlib import Path
from llmcompare.imports.apply import apply_plan
from llmcompare.imports.context import load_context
from llmcompare.imports.plan import build_plan
from llmcompare.imports.upload import Options, Upload
from llmcompare.store.engine import make_engine

engine = make_engine(sys.argv[1])
day = date(2026, 11, 22)
plan = build_plan(load_context(engine), Upload("litellm", "big.json", Path(sys.argv[2]).read_bytes()),
                  Options(day, day, 100_000_000))
print("planned", len(plan.writes), flush=True)

def slowly(done, total):
    print("wrote", done, flush=True)
    time.sleep(0.05)  # widen the window so the kill lands mid-transaction, not after commit

apply_plan(engine, plan, progress=slowly)
print("committed", flush=True)
"""


@pytest.mark.slow
def test_sigkill_mid_import_leaves_the_database_as_before(database_url, tmp_path):
    engine = new_store(database_url)
    big = {f"host{i}/gpt-4o": price_entry(f"host{i}", 1 + i / 1e5, 2) for i in range(ENTRIES)}
    (tmp_path / "big.json").write_text(json.dumps(big))
    before = snapshot(engine)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, str(tmp_path / "big.json")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    seen = []
    try:
        for line in child.stdout:
            seen.append(line.strip())
            if line.startswith("wrote") and int(line.split()[1]) >= KILL_AFTER_ROWS:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert seen[0] == f"planned {2 * ENTRIES}" and "committed" not in seen
    if engine.dialect.name == "sqlite":
        assert (tmp_path / "store.db-wal").stat().st_size > 0  # the killed transaction had pages on disk
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]
    assert snapshot(engine) == before
    engine.dispose()
