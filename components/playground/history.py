"""History page pieces: the filter bar, the runs table with row selection, and one stored run shown again."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from components.playground.panel import ShownRun, show_run, spec_label
from components.shell import ui
from components.shell.ui import inert_markdown
from llmcompare.store.history import LIST_LIMIT, SEARCH_MAX_CHARS, RunFilter, StoredRun, load_run, run_models

ERROR_CHOICES = {"any": "All runs", "with": "With an error", "without": "Without errors"}
VERDICT_WORDS = {"a": "left better", "b": "right better", "tie": "tie", "both_bad": "both bad"}
TABLE_COLUMNS = {
    "run_id": st.column_config.NumberColumn("Run", format="%d", width="small"),
    "created_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
    "errors": st.column_config.NumberColumn("Errors", help="Sides that ended with an error", width="small"),
    "votes": st.column_config.NumberColumn("Votes", width="small"),
    "wall_s": st.column_config.NumberColumn("Wall s", format="%.1f", width="small"),
    "prompt": st.column_config.TextColumn("Prompt", width="medium"),
    "models": st.column_config.TextColumn("Left vs right", width="large"),
    "stopped": st.column_config.CheckboxColumn("Stopped", width="small"),
}


@dataclass
class HistoryState:
    """The ?run= value the table last published, so that clearing the row also clears the link."""

    published: str | None = None

    def current(self, picked: int | None) -> int | None:
        """The run to show: the table's pick (mirrored in ?run=), else the run the URL names."""
        if picked is not None:
            self.published = st.query_params["run"] = str(picked)
            return picked
        linked = st.query_params.get("run", "")
        if linked and linked == self.published:
            st.query_params.pop("run")
            self.published = None
            return None
        if linked and not linked.isdigit():
            st.warning(inert_markdown(f"{linked!r} is not a run number."), icon=":material/link_off:")
        return int(linked) if linked.isdigit() else None


def filter_bar(engine: Engine) -> RunFilter:
    """Search text, model, errors and a date range, in one row."""
    text_col, model_col, error_col, date_col = st.columns([3, 3, 2, 3], vertical_alignment="bottom")
    text = text_col.text_input(
        "Search", key="history.q", placeholder="Words in a prompt or an answer", max_chars=SEARCH_MAX_CHARS
    )
    models = [""] + run_models(engine)
    model = model_col.selectbox(
        "Model", models, key="history.model", format_func=lambda spec: spec_label(spec) if spec else "Any model"
    )
    errors = error_col.selectbox("Errors", list(ERROR_CHOICES), format_func=ERROR_CHOICES.get, key="history.errors")
    dates = date_col.date_input("Dates", value=(), key="history.dates", format="YYYY-MM-DD")
    since, until = (list(dates) + [None, None])[:2] if isinstance(dates, tuple) else (dates, dates)
    return RunFilter(text=text, model=model or None, errors=errors, since=since, until=until)


def runs_table(runs: pd.DataFrame) -> int | None:
    """The runs, newest first; returns the id of the row the user picked."""
    models = runs["left"].map(spec_label) + " vs " + runs["right"].map(spec_label)
    shown = runs.assign(prompt=runs["prompt"].str.slice(0, 200), models=models)[list(TABLE_COLUMNS)]
    picked = ui.show_table(
        shown,
        "llm-playground-history",
        download=runs,
        key="history.table",
        column_config=TABLE_COLUMNS,
        on_select="rerun",
        selection_mode="single-row",
    )
    if len(runs) == LIST_LIMIT:
        st.caption(f"The newest {LIST_LIMIT} matching runs; narrow the filters to see older ones.")
    rows = [i for i in picked.selection.rows if i < len(runs)]
    return int(runs["run_id"].iloc[rows[0]]) if rows else None


def _verdicts(stored: StoredRun) -> str:
    counts = pd.Series(stored.votes).map(VERDICT_WORDS).value_counts()
    return ", ".join(f"{word} × {count}" for word, count in counts.items())


def show_stored(engine: Engine, run_id: int) -> None:
    """A stored run as the playground showed it, its votes, and a way to send it again."""
    stored = load_run(engine, run_id)
    if stored is None:
        ui.empty_state(f"There is no run #{run_id}. It may come from another database.", icon=":material/search_off:")
        return
    result = stored.result
    st.subheader(f"Run #{stored.id}")
    st.caption(
        f"{result.created_at:%Y-%m-%d %H:%M} UTC · wall time {result.wall_s:.2f} s"
        + (" · stopped before the end" if result.stopped else "")
        + (f" · blind votes: {_verdicts(stored)}" if stored.votes else "")
    )
    st.markdown("**Prompt**")
    st.code(result.prompt, language=None, wrap_lines=True)
    show_run(ShownRun(stored.id, result, tuple(range(len(result.sides)))))
    st.page_link(
        "views/playground.py",
        label="Send this prompt again in the playground",
        icon=":material/replay:",
        query_params={"from_run": str(stored.id)},
    )
