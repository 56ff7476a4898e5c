"""The playground's local models: one shelf per server process, loaded on the first run or, for the bundled model,
in the background as soon as a side shows it; the side's note says which."""

from __future__ import annotations

import time

import streamlit as st

from components.playground.panel import inert_markdown
from components.shell import data
from llmcompare.providers.base import BUNDLED, ProviderError
from llmcompare.providers.local_hf import LocalModel
from llmcompare.providers.shelf import LOADING, ModelShelf

POLL_S = 1.0  # how often a side's note looks again while its model loads in the background


# The shelf, not load_local itself, is the cached resource: Streamlit replays elements drawn inside a cached
# function, so the progress box must be drawn outside it.
@st.cache_resource(show_spinner=False)
def _shelf() -> ModelShelf:
    return ModelShelf()


def local_model(source: str) -> LocalModel:
    """A local model loaded once per process; the first load shows its progress instead of a frozen page."""
    shelf = _shelf()
    loaded = shelf.get(source)
    if loaded is not None:
        return loaded
    started = time.perf_counter()
    with st.status(inert_markdown(f"Loading {source}..."), expanded=False) as box:
        try:
            # LLMCOMPARE_LOCAL_PRECISION and _THREADS apply to models loaded after they change.
            options = data.settings().local_options
            loaded = shelf.load(source, lambda message: box.update(label=inert_markdown(message)), **options)
        except ProviderError:
            box.update(label=inert_markdown(f"Could not load {source}"), state="error")
            raise
        took = time.perf_counter() - started
        box.update(label=inert_markdown(f"{loaded.name} loaded in {took:.0f} s, runs {loaded.path}"), state="complete")
    return loaded


def preload(source: str) -> None:
    """Start loading the bundled model in the background when the server's settings allow; other sources (any
    Hugging Face id or folder, which a link may have typed) load only when a run asks for them."""
    settings = data.settings()
    if source == BUNDLED and settings.local_preload:
        _shelf().start(source, **settings.local_options)


def _note(source: str, cost: str) -> str:
    shelf = _shelf()
    if loaded := shelf.get(source):
        return f"{cost}. Runs {loaded.path}."
    state = shelf.state(source)
    if state == LOADING:
        return f"{cost}. Loading in the background; a run started now waits for it."
    if state:
        return f"{cost}. Loading failed: {state}. A run tries again."
    return f"{cost}. Loads on the first run."


@st.fragment(run_every=POLL_S)
def _live_note(source: str, cost: str) -> None:
    if _shelf().state(source) != LOADING:
        # One rerun of the page draws the settled note without this timer. A fragment never runs while the page's
        # script does, so this cannot cut a run short, and a prompt being typed keeps its text.
        st.rerun()
    st.caption(inert_markdown(_note(source, cost)))


def show_note(source: str, cost: str) -> None:
    """The side's cost and how its model runs; while it loads in the background, the note looks again each second,
    and the page reruns once when the load ends, so that it turns into "Runs ..." without a click."""
    if _shelf().state(source) == LOADING:
        _live_note(source, cost)
    else:
        # The note names the model as typed, or as a link put it: shown inert.
        st.caption(inert_markdown(_note(source, cost)))
