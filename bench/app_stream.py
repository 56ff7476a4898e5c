"""The local model's speed as a user sees it: the playground in Chromium, against the provider with no page at all.

The server runs as `make run` runs it (the project's .streamlit/config.toml, a private database file); Playwright
drives Debian's /usr/bin/chromium through a few runs of the bundled model (the other side is an API with no key,
which fails at once), and the tokens/s come from the runs the app stored. The same prompts then go through
`run_comparison` in this process. Both generate the same number of tokens (the story prompts rarely stop early).
The server, the browser and the model share this machine's cores, as they do for a user running it locally.
Run `python -m bench.app_stream [--rounds 3]` from the project root after `make model`.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

from bench.startup import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, stop, wait_until_serving
from llmcompare.playground.run import Side, run_comparison
from llmcompare.providers.base import GenerationSettings
from llmcompare.providers.local_hf import LocalHFProvider, load_local

PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle. Version {}."
TOKENS = 256  # the playground's default
TIMEOUT_MS = 180_000
SPECS = {"left": "local:bundled", "right": "openai:none@http://127.0.0.1:9/v1"}


def in_the_app(rounds: int, folder: Path) -> list[float]:
    """Tokens/s of the local side in each playground run, as stored by the app (the first run loads the model)."""
    db = folder / "bench.db"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    streamlit = str(ROOT / ".venv" / "bin" / "streamlit")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    command = [streamlit, "run", "app.py", "--server.port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, **quiet)
    try:
        wait_until_serving(port, time.perf_counter())
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/playground?{urlencode(SPECS)}", timeout=TIMEOUT_MS)
            prompt = page.get_by_label("Prompt", exact=True)
            prompt.wait_for(timeout=TIMEOUT_MS)
            for i in range(rounds + 1):
                prompt.fill(PROMPT.format(i))
                page.get_by_role("button", name="Run").click()
                wait_for_runs(db, i + 1)
                page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=TIMEOUT_MS)
            browser.close()
    finally:
        stop(process)
    with sqlite3.connect(db) as conn:
        rates = [r for (r,) in conn.execute("SELECT tokens_per_s FROM run_sides WHERE position = 0 ORDER BY run_id")]
    return rates[1:]  # the first run includes loading the model


def wait_for_runs(db: Path, count: int) -> None:
    """Until the app has stored this many runs (it stores each one when both sides are done)."""
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while time.perf_counter() < deadline:
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("SELECT count(*) FROM runs").fetchone()[0] >= count:
                    return
        except sqlite3.OperationalError:  # the app has not created the table yet
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the app stored fewer than {count} runs within {TIMEOUT_MS / 1000:.0f} s")


def bare(rounds: int) -> list[float]:
    """Tokens/s of the same runs through run_comparison, with no server or browser."""
    provider = LocalHFProvider(load_local(), "local:bundled")
    settings = GenerationSettings(max_new_tokens=TOKENS)
    run_comparison("warm up", [Side(provider, GenerationSettings(max_new_tokens=4))])
    runs = [run_comparison(PROMPT.format(i + 1), [Side(provider, settings)]) for i in range(rounds)]
    return [run.sides[0].tokens_per_s for run in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        app = in_the_app(args.rounds, Path(tmp))
    alone = bare(args.rounds)
    a, b = statistics.median(app), statistics.median(alone)
    print(f"local tokens/s in the playground, in Chromium: median {a:.1f} ({', '.join(f'{r:.1f}' for r in app)})")
    print(f"local tokens/s with no page (run_comparison): median {b:.1f} ({', '.join(f'{r:.1f}' for r in alone)})")
    print(f"app in the browser / no page: {a / b:.2f} (reported; the server and browser share the 2 cores)")


if __name__ == "__main__":
    sys.exit(main())
