"""The two-column answer panel: both sides stream live into their own column, then show metrics; blind voting."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st
from sqlalchemy import Engine

from components.shell import auth
from components.shell.ui import inert_markdown
from llmcompare import style
from llmcompare.playground.batch import BatchResult
from llmcompare.playground.run import PlaygroundRun, Side
from llmcompare.providers.base import (
    OPENAI_BASE_URL,
    DoneEvent,
    ErrorEvent,
    RunResult,
    SideResult,
    SpecError,
    TokenEvent,
    parse_spec,
)
from llmcompare.store.runs import save_run, save_vote

POLL_S = 0.1
# Redraws of the answers, at most 5 a second: each one re-sends and re-renders every answer in full, which on a
# 2-core machine took CPU from the local model (38 tokens/s at 12 redraws a second, 50 at 2, about 59 without a page).
REDRAW_S = 0.2
CURSOR = "▌"
BLIND_LABELS = ("A", "B")
ESTIMATED_NOTE = (
    "Estimated: the server reported no token counts, so the output was counted here (with the model's own "
    "tokenizer where one is at hand, else one token per streamed chunk)."
)
VOTE_BUTTONS = (("a", "A is better"), ("b", "B is better"), ("tie", "Tie"), ("both_bad", "Both bad"))


@dataclass
class ShownRun:
    """The run on screen: which side each column shows, whether names are hidden, and the vote once cast."""

    run_id: int
    result: RunResult
    order: tuple[int, ...]
    blind: bool = False
    verdict: str | None = None  # the stored winner: a = side 0, b = side 1, tie or both_bad

    @property
    def hidden(self) -> bool:
        return self.blind and self.verdict is None


@dataclass
class PlaygroundState:
    """The playground page's state: the query parameters last applied (and any seeded but not drawn yet), the run on
    screen, the last batch, and the run in progress, if any."""

    applied: str | None = None
    pending: str | None = None  # seeded from the URL, not yet drawn
    shown: ShownRun | None = None
    batch: BatchResult | None = None
    loaded_from: int | None = None
    busy: threading.Lock = field(default_factory=threading.Lock, repr=False)
    stop: threading.Event | None = field(default=None, repr=False)

    @contextmanager
    def running(self, stop: threading.Event) -> Iterator[None]:
        """Mark a run in progress, stoppable through `stop`, until its results are stored."""
        with self.busy:
            self.stop = stop
            try:
                yield
            finally:
                self.stop = None

    def settle(self, timeout_s: float = 5.0) -> None:
        """Stop a run that a rerun interrupted and wait until it is stored, so that this run shows its results.

        With fast reruns Streamlit starts the new script run while the interrupted one is still in its `finally`.
        """
        if self.stop is not None:
            self.stop.set()
        if self.busy.acquire(timeout=timeout_s):
            self.busy.release()


@dataclass
class _Column:
    title: st.delta_generator.DeltaGenerator
    body: st.delta_generator.DeltaGenerator
    foot: st.delta_generator.DeltaGenerator


def spec_label(spec: str) -> str:
    """A short name for a provider spec: 'bundled (local)', 'gpt-4o-mini (OpenAI)', 'llama3 @ localhost:11434'."""
    try:
        parsed = parse_spec(spec)
    except SpecError:
        return spec
    if parsed.kind == "local":
        return f"{Path(parsed.target).name or parsed.target} (local)"
    if parsed.base_url in (None, OPENAI_BASE_URL):
        return f"{parsed.target} (OpenAI)"
    return f"{parsed.target} @ {urlparse(parsed.base_url).netloc}"


def column_order(n_sides: int, blind: bool) -> tuple[int, ...]:
    """Side index per column: as chosen, or shuffled for a blind run."""
    order = list(range(n_sides))
    if blind:
        random.shuffle(order)
    return tuple(order)


def _columns(n: int) -> list[_Column]:
    """n bordered columns, each with placeholders for a title, the answer and its metrics."""
    slots = []
    for column in st.columns(n):
        box = column.container(border=True)
        slots.append(_Column(box.empty(), box.empty(), box.empty()))
    return slots


def _title(spec: str, name: str, col: int, blind: bool, hidden: bool) -> str:
    """The column heading: "Answer A" while blind, the model (after "A:" once revealed) otherwise."""
    label = BLIND_LABELS[col]
    if hidden:
        return f"#### Answer {label}"
    icon = ":material/computer:" if spec.startswith("local:") else ":material/cloud:"
    return inert_markdown(f"#### {icon} {f'{label}: ' if blind else ''}{name}\n`{spec}`")


def _stream(comparison: PlaygroundRun, slots: list[_Column], order: tuple[int, ...]) -> None:
    """Redraw the columns whose text changed, at most every REDRAW_S, until every side is done. Each redraw, and the
    ticker once a second, is where Streamlit raises on a Stop click, a widget change or leaving the page."""
    ticker = st.empty()
    texts = ["" for _ in comparison.sides]
    done: set[int] = set()
    changed: set[int] = set()
    started = drawn = time.perf_counter()
    shown_second = -1
    while not comparison.finished:
        for event in comparison.poll(POLL_S):
            if isinstance(event, TokenEvent):
                texts[event.side] += event.text
            elif isinstance(event, ErrorEvent):
                slots[order.index(event.side)].foot.error(inert_markdown(event.message), icon=":material/error:")
            elif isinstance(event, DoneEvent):
                done.add(event.side)
            changed.add(event.side)
        if time.perf_counter() - drawn < REDRAW_S and not comparison.finished:
            continue
        for side in changed:
            slots[order.index(side)].body.markdown(inert_markdown(texts[side]) + ("" if side in done else f" {CURSOR}"))
        changed.clear()
        drawn = time.perf_counter()
        if int(drawn - started) != shown_second:  # once a second: each call is one more message to the browser
            shown_second = int(drawn - started)
            ticker.caption(f":material/progress_activity: Running for {shown_second} s")
    ticker.empty()


def run_live(state: PlaygroundState, engine: Engine, prompt: str, sides: list[Side], blind: bool) -> None:
    """Run every side at once, streaming into the columns, then show the metrics. Only this thread touches st.*.

    However the loop ends (done, Stop, a rerun, the page left), `finally` stops both sides within a second and
    stores what they wrote as the run on screen.
    """
    order = column_order(len(sides), blind)
    slots = _columns(len(order))
    for col, index in enumerate(order):
        provider = sides[index].provider
        slots[col].title.markdown(_title(provider.spec, provider.model_name, col, blind, blind))
        slots[col].body.markdown(f"_waiting for the first token_ {CURSOR}")
    comparison = PlaygroundRun(prompt, sides)
    shown = None
    with state.running(comparison.stop_event):
        comparison.start()
        try:
            _stream(comparison, slots, order)
        finally:
            if comparison.stop():
                result = comparison.result()
                shown = state.shown = ShownRun(save_run(engine, result, auth.who()), result, order, blind)
    if shown:
        show_run(shown, slots)


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def _count(value: int | float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _figures(side: SideResult) -> dict[str, str]:
    estimated = " (estimated)" if side.tokens_estimated else ""
    return {
        "First token": _seconds(side.ttft_s),
        "Total time": _seconds(side.total_s),
        "Tokens/s": _count(side.tokens_per_s, 1) + (estimated if side.tokens_per_s is not None else ""),
        "Output tokens": _count(side.output_tokens) + (estimated if side.output_tokens is not None else ""),
        "Input tokens": _count(side.input_tokens),
        "Cost": style.format_run_cost(side.cost_usd),
    }


def side_metrics(side: SideResult) -> None:
    """Time to first token, total time, speed, tokens and cost in a small grid, with the price behind the cost."""
    figures = list(_figures(side).items())
    for row in (figures[:3], figures[3:]):
        for column, (label, value) in zip(st.columns(3), row, strict=True):
            column.markdown(f":gray[{label}]  \n**{value}**")
    st.caption(f"Cost basis: {side.cost_basis}.")
    if side.tokens_estimated:
        st.caption(ESTIMATED_NOTE)
    if side.error:
        st.error(inert_markdown(side.error), icon=":material/error:")
    elif side.stopped:
        st.warning("Stopped before the end.", icon=":material/stop_circle:")


def show_run(shown: ShownRun, slots: list[_Column] | None = None) -> None:
    """A finished run: each column's answer, then its metrics (held back in a blind run until the vote)."""
    slots = slots or _columns(len(shown.order))
    for col, side_index in enumerate(shown.order):
        side = shown.result.sides[side_index]
        slots[col].title.markdown(_title(side.spec, side.model_name, col, shown.blind, shown.hidden))
        slots[col].body.markdown(inert_markdown(side.text) or "_no text_")
        with slots[col].foot.container():
            if shown.hidden:
                st.caption("Metrics and names appear after your vote.")
            else:
                side_metrics(side)
    slowest = max((side.total_s for side in shown.result.sides), default=0.0)
    st.caption(
        f"Wall time of the run: {shown.result.wall_s:.2f} s with both sides generating at once; "
        f"the slower side's total time: {slowest:.2f} s."
    )


def _vote(shown: ShownRun, engine: Engine, shown_winner: str) -> None:
    """Store a blind vote, translating the shown label (A = first column) to the side it stood for."""
    if shown_winner in ("a", "b"):
        side = shown.order[BLIND_LABELS.index(shown_winner.upper())]
        winner = "a" if side == 0 else "b"
    else:
        winner = shown_winner
    save_vote(engine, shown.run_id, winner)
    shown.verdict = winner


def vote_bar(shown: ShownRun, engine: Engine) -> None:
    """Vote buttons under a blind run; after the vote, the names behind A and B."""
    if not shown.blind:
        return
    if shown.hidden:
        st.markdown("**Which answer is better?**")
        for column, (code, label) in zip(st.columns(len(VOTE_BUTTONS)), VOTE_BUTTONS, strict=True):
            column.button(
                label, key=f"playground.vote.{code}", on_click=_vote, args=(shown, engine, code), width="stretch"
            )
        return
    names = [shown.result.sides[side].model_name for side in shown.order]
    verdict = {"tie": "a tie", "both_bad": "both bad"}.get(shown.verdict or "")
    if verdict is None:
        winner_col = shown.order.index(0 if shown.verdict == "a" else 1)
        verdict = f"{BLIND_LABELS[winner_col]} ({names[winner_col]})"
    reveal = f"Vote saved: {verdict}. A was **{names[0]}**, B was **{names[1]}**."
    st.success(inert_markdown(reveal), icon=":material/how_to_vote:")
