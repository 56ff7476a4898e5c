"""Batch mode on the playground: upload prompts, run both sides over each with a progress bar, then a results table."""

from __future__ import annotations

import threading

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from components.playground.panel import PlaygroundState, spec_label
from components.shell import auth, ui
from components.shell.ui import inert_markdown
from llmcompare.playground.batch import (
    MAX_BYTES,
    MAX_PROMPTS,
    BatchProgress,
    BatchResult,
    read_prompts,
    results_frame,
    run_batch,
)
from llmcompare.playground.run import Side

PREVIEW_ROWS = 10
SHOWN_COLUMNS = {
    "prompt": st.column_config.TextColumn("Prompt", width="medium"),
    "side1_answer": st.column_config.TextColumn("Left answer", width="medium"),
    "side2_answer": st.column_config.TextColumn("Right answer", width="medium"),
    "side1_total_s": st.column_config.NumberColumn("Left s", format="%.2f"),
    "side2_total_s": st.column_config.NumberColumn("Right s", format="%.2f"),
    "side1_cost_usd": st.column_config.NumberColumn("Left USD", format="%.6f"),
    "side2_cost_usd": st.column_config.NumberColumn("Right USD", format="%.6f"),
    "side1_error": st.column_config.TextColumn("Left error"),
    "side2_error": st.column_config.TextColumn("Right error"),
    "run_id": st.column_config.NumberColumn("Run", format="%d"),
}


def prompt_file() -> list[str] | None:
    """The uploaded prompts, or None (with a message per problem) when there is no usable file."""
    upload = st.file_uploader(
        "Prompts file",
        type=["csv", "txt"],
        key="playground.batch.file",
        help=f"A CSV with a `prompt` column, or a text file with one prompt per line: up to {MAX_PROMPTS} prompts, "
        f"UTF-8, at most {MAX_BYTES // 1_000_000} MB. Blank lines are skipped.",
    )
    if upload is None:
        st.caption(f"Upload a CSV with a `prompt` column or a text file with one prompt per line, up to {MAX_PROMPTS}.")
        return None
    parsed = read_prompts(upload.name, upload.getvalue())
    if not parsed.ok:
        for problem in parsed.problems:
            st.error(inert_markdown(problem), icon=":material/error:")
        st.caption("Nothing was run. Fix the file and upload it again.")
        return None
    skipped = f", {parsed.skipped_blank} blank lines skipped" if parsed.skipped_blank else ""
    with st.expander(inert_markdown(f"{len(parsed.prompts)} prompts read from {upload.name}{skipped}")):
        st.dataframe(pd.DataFrame({"prompt": parsed.prompts[:PREVIEW_ROWS]}), hide_index=True)
        if len(parsed.prompts) > PREVIEW_ROWS:
            st.caption(f"The first {PREVIEW_ROWS} of {len(parsed.prompts)}.")
    return parsed.prompts


def _progress_text(progress: BatchProgress) -> str:
    text = f"{progress.done} of {progress.total} prompts done · {progress.elapsed_s:.0f} s"
    if progress.current:
        now = progress.current if len(progress.current) <= 60 else progress.current[:57] + "..."
        text += f" · now: {now}"
    return inert_markdown(text)


def run_live(state: PlaygroundState, engine: Engine, prompts: list[str], sides: list[Side]) -> None:
    """Run the batch with a progress bar; a Stop click reruns the page, which ends the prompt in progress."""
    state.batch = BatchResult()
    bar = st.progress(0.0, text=f"0 of {len(prompts)} prompts done")

    def update(progress: BatchProgress) -> None:
        bar.progress(progress.done / progress.total, text=_progress_text(progress))

    stop = threading.Event()
    with state.running(stop):
        run_batch(prompts, sides, engine, stop=stop, on_progress=update, batch=state.batch, who=auth.who())


def show_results(batch: BatchResult) -> None:
    """The batch's runs as a table, with every metric in the CSV download."""
    if not batch.runs:
        ui.empty_state("The batch was stopped before any prompt finished.", icon=":material/stop_circle:")
        return
    frame = results_frame(batch)
    errors = int(frame.filter(like="_error").notna().any(axis=1).sum())
    ending = " (stopped early)" if batch.stopped else ""
    left, right = (spec_label(side.spec) for side in batch.runs[0][1].sides)
    st.markdown(f"**{len(frame)}** runs saved to history{ending} · {errors} with an error on a side")
    st.caption(inert_markdown(f"Left: {left} · Right: {right}. The download holds every metric of both sides."))
    shown = frame[[c for c in SHOWN_COLUMNS if c in frame.columns]]
    ui.show_table(
        shown, "llm-playground-batch", download=frame, key="playground.batch.table", column_config=SHOWN_COLUMNS
    )
