"""Local models loaded in one server process, by source: each loads once, however many sessions ask for it at once,
and the page may start a load in the background so that the first run does not wait for it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from llmcompare.providers.local_hf import LocalModel, load_local

LOADING = "loading"


class ModelShelf:
    """Loaded local models by source, with one lock per source.

    loader: load_local, or a function with its signature (a test's counting wrapper).
    """

    def __init__(self, loader: Callable[..., LocalModel] = load_local) -> None:
        self._loader = loader
        self._models: dict[str, LocalModel] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._failed: dict[str, str] = {}
        self._busy: set[str] = set()
        self._guard = threading.Lock()

    def get(self, source: str) -> LocalModel | None:
        return self._models.get(source)

    def state(self, source: str) -> str | None:
        """LOADING while a load runs, the error message of the last failed one, or None (loaded, or not asked for)."""
        with self._guard:
            if source in self._busy:
                return LOADING
            return self._failed.get(source)

    def load(self, source: str, on_status: Callable[[str], None] | None = None, **options: Any) -> LocalModel:
        """The model, loaded now unless it is already; a second caller waits for the first one's load.

        A failed load raises its error (ProviderError for a model that cannot be read); the next call tries again.
        """
        with self._guard:
            lock = self._locks.setdefault(source, threading.Lock())
        with lock:
            if source in self._models:
                return self._models[source]
            with self._guard:
                self._busy.add(source)
                self._failed.pop(source, None)
            try:
                self._models[source] = self._loader(source, on_status=on_status, **options)
            except Exception as exc:
                with self._guard:
                    self._failed[source] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise
            finally:
                with self._guard:
                    self._busy.discard(source)
            return self._models[source]

    def start(self, source: str, **options: Any) -> bool:
        """Begin loading in a background thread; False when the model is loaded, loading or failed last time (a run
        tries a failed one again, and shows why it fails)."""
        with self._guard:
            if source in self._models or source in self._busy or source in self._failed:
                return False
            self._busy.add(source)  # at once, so that a second page view does not start a second thread

        def run() -> None:
            # A failure is kept in self._failed for the page to show, and a run raises it again; the load clears
            # the busy mark when it ends, as any load does.
            with contextlib.suppress(Exception):
                self.load(source, **options)

        threading.Thread(target=run, name="llmcompare-preload", daemon=True).start()
        return True
