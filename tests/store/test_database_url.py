"""A wrong or unreachable DATABASE_URL gets one line that says why, from the engine factory, the command line and
the app, never a driver traceback, and never the password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from llmcompare.store.engine import StoreUnavailable, make_engine
from tests.fakes.postgres import Cluster, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "not-the-password-7f3c"
# How each URL goes wrong, and the words of the reason the user sees.
CASES = {
    "unknown driver": (lambda pg: f"postgresql+nodriver://postgres:{SECRET}@127.0.0.1/x", "Can't load plugin"),
    "refused port": (lambda pg: pg.url(password=SECRET, port=free_port()), "Connection refused"),
    "wrong password": (lambda pg: pg.url(password=SECRET), "password authentication failed"),
}

pytestmark = pytest.mark.postgres


@pytest.fixture(params=sorted(CASES))
def bad_url(request: pytest.FixtureRequest, postgres: Cluster) -> tuple[str, str]:
    make_url, reason = CASES[request.param]
    return make_url(postgres), reason


def test_the_engine_factory_says_why_in_one_line(bad_url):
    url, reason = bad_url
    with pytest.raises(StoreUnavailable) as raised:
        make_engine(url)
    message = str(raised.value)
    assert reason in message and "\n" not in message and SECRET not in message


def test_the_command_line_prints_one_line_and_no_traceback(bad_url, tmp_path):
    url, reason = bad_url
    env = {**os.environ, "DATABASE_URL": url, "LLMCOMPARE_SEED_DIR": str(ROOT / "tests" / "fixtures" / "seed")}
    done = subprocess.run(
        [sys.executable, "-m", "llmcompare", "build-db"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: ") and reason in line and SECRET not in line


def test_the_app_shows_the_reason_instead_of_a_traceback(bad_url, monkeypatch):
    url, reason = bad_url
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    assert reason in error.value and SECRET not in error.value
