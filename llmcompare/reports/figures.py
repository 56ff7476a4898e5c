"""Charts as PNG or SVG through kaleido, driving the system Chromium so nothing is downloaded.

Starting the browser is most of an image's cost (3.5-4.7 s against 0.2-0.35 s for a chart drawn by a browser that
is already up, measured on a 2-core AMD EPYC), so one headless Chromium is started on the first image a process
asks for and kept until the process ends. A failed or timed-out drawing closes it; the next image starts a new one.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import gc
import os
import threading
import weakref
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import plotly.graph_objects as go

from llmcompare.reports.build import ReportError
from llmcompare.reports.chromium import find_chromium

IMAGE_FORMATS = ("png", "svg")
SIZE = {"width": 1100, "height": 600}
START_TIMEOUT_S = 60.0
DRAW_TIMEOUT_S = 60.0


class _Browser:
    """One kaleido browser on an event loop of its own thread; callers from any thread take turns."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        atexit.register(self.close)

    def draw(self, fig: dict, opts: dict) -> bytes:
        with self._lock:
            try:
                if self._kaleido is None:
                    self._open()
                return self._call(self._kaleido.calc_fig(fig, opts=opts), DRAW_TIMEOUT_S)
            except BaseException:
                self._close()  # a browser that failed once is not trusted with the next chart
                raise

    def close(self) -> None:
        with self._lock:
            self._close()

    def _open(self) -> None:
        import kaleido  # imported on first use: it pulls in the browser driver

        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(_report_unless_closing)
        self._thread = threading.Thread(target=self._loop.run_forever, name="chart-images", daemon=True)
        self._thread.start()
        browser = kaleido.Kaleido(n=1, timeout=DRAW_TIMEOUT_S)
        self._call(browser.open(), START_TIMEOUT_S)
        self._kaleido = browser

    def _call(self, coroutine: Any, timeout_s: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=timeout_s)
        except FutureTimeout:
            _CLOSING.add(self._loop)  # a timed-out browser is closed next (see draw): the drawing cut short fails
            future.cancel()
            raise TimeoutError(f"no image after {timeout_s:.0f} s") from None

    def _close(self) -> None:
        """Close the browser, end every task left on the loop, then stop and close the loop itself.

        Left to themselves, a timed-out browser's tasks and transports were finalized whenever the garbage collector
        next ran, once in the middle of a compile in the main thread, which CPython 3.11 then failed with "AST
        constructor recursion depth mismatch". So they are ended here and collected at once.
        """
        loop, thread, browser = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None or thread is None:
            return
        _CLOSING.add(loop)
        with contextlib.suppress(Exception):  # the loop is stopped below either way
            asyncio.run_coroutine_threadsafe(_shut_down(browser), loop).result(timeout=15)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=15)
        if not thread.is_alive():
            loop.close()
        gc.collect()  # the old browser's transports and tasks are finalized here, not in the middle of other work


# Loops whose browser is being closed: what goes wrong on them then is the closing, expected and not reported.
_CLOSING: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def _report_unless_closing(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """A chart still drawing when its browser closes (a timeout, the process ending) fails with the closed channel,
    and its task is reported as "never retrieved" when collected; such reports are dropped, any other goes on."""
    if loop not in _CLOSING:
        loop.default_exception_handler(context)


async def _shut_down(browser: Any) -> None:
    if browser is not None:
        with contextlib.suppress(Exception):  # a browser that will not close cleanly still has its tasks ended
            await browser.close()
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


_browser = _Browser()


def figure_image(fig: go.Figure, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes; raises ReportError when no browser is there to draw it."""
    if fmt not in IMAGE_FORMATS:
        raise ReportError(f"Unknown image format {fmt!r}: use png or svg.")
    browser = os.environ.get("BROWSER_PATH") or find_chromium()
    if browser is None:
        raise ReportError("PNG and SVG charts need Chromium (apt-get install chromium); the HTML report holds them.")
    os.environ["BROWSER_PATH"] = browser  # choreographer (kaleido's browser driver) reads it; it never downloads
    try:
        return _browser.draw(fig.to_dict(), {"format": fmt, "scale": 2 if fmt == "png" else 1, **SIZE})
    except Exception as exc:  # kaleido wraps browser failures in several types; the user needs one message
        raise ReportError(f"The chart could not be drawn: {exc}") from exc
