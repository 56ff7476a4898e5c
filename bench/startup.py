"""Start-up: seconds from a second `make run` to the Home page's title visible in headless Chromium; target < 5 s.

Each round starts the command in its own process group on a free port, polls the page with Playwright driving
Debian's /usr/bin/chromium (already open, as a reader's browser would be), and stops that process group.
`--command streamlit` times the server alone (what `make run` runs once its prerequisites are no-ops).
A second check renders Home and Catalogue through AppTest in a fresh interpreter and reports whether that imported
torch or transformers: the local model must never slow down the pages that do not use it.
Run `python -m bench.startup [--rounds 3]` from the project root after one `make run` has prepared everything.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.local_server import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 5.0
TITLE = "LLM Compare"
LIMIT_S = 60.0
HEAVY = ("torch", "transformers")
IMPORT_CHECK = f"""
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=120).run()
at.switch_page("views/catalogue.py").run()
assert not at.exception, at.exception
print(",".join(m for m in {HEAVY!r} if m in sys.modules) or "none")
"""


def command(kind: str, port: int) -> list[str]:
    if kind == "make":  # -o: take the venv as installed, as on a second run, even if requirements.txt is newer
        return ["make", "-o", ".venv/.installed", "run", f"PORT={port}"]
    streamlit = str(ROOT / ".venv" / "bin" / "streamlit")
    return [streamlit, "run", "app.py", "--server.address", "127.0.0.1", "--server.port", str(port)]


def stop(process: subprocess.Popen) -> None:
    """End the process group this bench started, and nothing else."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_until_serving(port: int, started: float) -> None:
    """Poll Streamlit's health endpoint until it answers; LIMIT_S counts from started."""
    if not wait_healthy(f"http://127.0.0.1:{port}", LIMIT_S, pause_s=0.02, timeout_s=1, started=started):
        raise TimeoutError(f"nothing served on port {port} within {LIMIT_S:.0f} s")


def one_round(browser, kind: str) -> float:
    """Seconds from starting the command to the Home title being visible."""
    port = free_port()
    page = browser.new_page()
    started = time.perf_counter()
    process = subprocess.Popen(
        command(kind, port), cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_serving(port, started)
        page.goto(f"http://127.0.0.1:{port}/", timeout=LIMIT_S * 1000)
        page.get_by_role("heading", name=TITLE).wait_for(state="visible", timeout=LIMIT_S * 1000)
        return time.perf_counter() - started
    finally:
        page.close()
        stop(process)


def heavy_imports() -> str:
    """Which of torch and transformers rendering Home and Catalogue imported, in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", IMPORT_CHECK], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip().splitlines()[-1] if done.returncode == 0 else f"check failed: {done.stderr[-300:]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--command", choices=("make", "streamlit", "both"), default="both")
    args = parser.parse_args()
    kinds = ("make", "streamlit") if args.command == "both" else (args.command,)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for kind in kinds:
                times = [one_round(browser, kind) for _ in range(args.rounds)]
                median = statistics.median(times)
                verdict = "ok" if median < TARGET_S else "MISSED"
                label = "make run" if kind == "make" else "streamlit run"
                print(
                    f"{label:>13} -> Home title visible: median {median:.2f} s of {args.rounds} "
                    f"({', '.join(f'{t:.2f}' for t in times)}), target < {TARGET_S:.0f} s  {verdict}"
                )
        finally:
            browser.close()
    print(f"Home and Catalogue rendered; heavy modules imported: {heavy_imports()}")


if __name__ == "__main__":
    main()
