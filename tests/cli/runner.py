"""`python -m llmcompare ARGS` run inside the test process: the same entry point, parsing, output and exit code.

A new interpreter costs about 1.5 s (most of it importing pandas and SQLAlchemy again), and the suite runs the command
line a few dozen times. The tests that are about the process itself (the `python -m` entry, two processes at once, a
kill in the middle, the database URL a new process reads) still start a real one.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout

from llmcompare.cli.main import main


def run_cli(*args: str, env: Mapping[str, str], check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the command line with env added to the environment for this call only; returns what a process would."""
    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse ends a bad command line this way, as the process would
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    finally:
        os.environ.clear()
        os.environ.update(saved)
    done = subprocess.CompletedProcess(["python", "-m", "llmcompare", *args], code, out.getvalue(), err.getvalue())
    if check:
        done.check_returncode()
    return done
