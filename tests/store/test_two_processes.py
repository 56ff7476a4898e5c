"""Two app processes on one PostgreSQL database: an import applied through one shows in the other, whose cached
pages refresh because the data version lives in the database, not in either process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.postgres import Cluster
from tests.imports.conftest import FIXTURE_SEED, new_store
from tests.imports.files import FIXTURE_MAP, litellm_map

ROOT = Path(__file__).resolve().parents[2]
# A long-lived app process: it renders the Home page each time it reads a line, with Streamlit's caches kept.
APP_PROCESS = """
import json, sys
from streamlit.testing.v1 import AppTest
for _ in sys.stdin:
    at = AppTest.from_file("app.py", default_timeout=60).run()
    print(json.dumps({"error": [e.value for e in at.exception], "text": [m.value for m in at.markdown]}), flush=True)
"""

pytestmark = pytest.mark.postgres


def home_page(app: subprocess.Popen) -> str:
    app.stdin.write("render\n")
    app.stdin.flush()
    page = json.loads(app.stdout.readline())
    assert page["error"] == []
    return "\n".join(page["text"])


def test_an_import_through_one_process_shows_in_the_other(postgres: Cluster, tmp_path):
    url = postgres.new_database()
    new_store(url).dispose()
    env = {**os.environ, "DATABASE_URL": url, "LLMCOMPARE_SEED_DIR": str(FIXTURE_SEED)}
    (tmp_path / "map.json").write_bytes(litellm_map(FIXTURE_MAP))
    app = subprocess.Popen(
        [sys.executable, "-c", APP_PROCESS], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert "No import since the database was built from the seed." in home_page(app)
        imported = subprocess.run(
            [sys.executable, "-m", "llmcompare", "import", "litellm", str(tmp_path / "map.json"), "--yes"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert imported.returncode == 0, imported.stderr
        assert "Last import: #1, litellm file `map.json`" in home_page(app)
    finally:
        app.stdin.close()
        app.wait(timeout=60)
