"""Serving the app on this machine: Debian's Chromium and its flags, a free loopback port, and the health wait.

One home for what the start-up bench and the browser tests both need to start `streamlit run` and look at it.
It imports nothing of the app, so the benches and the tests can use it before anything else is set up.
"""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Callable

CHROMIUM = "/usr/bin/chromium"
# Headless with no sandbox (a container runs it as root); nothing that reaches out to the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HEALTH = "/_stcore/health"


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, timeout_s: float = 2.0) -> bool:
    """Whether a GET on url answers 200; a refused or slow connection is a no."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(
    base_url: str,
    limit_s: float,
    *,
    pause_s: float = 0.2,
    timeout_s: float = 2.0,
    alive: Callable[[], bool] = lambda: True,
    started: float | None = None,
) -> bool:
    """Poll Streamlit's health endpoint until it answers (True), or the server ends or limit_s passes (False).

    A plain GET, not the browser: Chromium slows its retries after refused connections. started: a
    time.perf_counter() reading to count limit_s from (default: now).
    """
    started = time.perf_counter() if started is None else started
    while not answers(base_url + HEALTH, timeout_s):
        if not alive() or time.perf_counter() - started >= limit_s:
            return False
        time.sleep(pause_s)
    return True
