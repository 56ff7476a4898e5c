"""Batch mode: read prompts from an uploaded CSV or text file, then run every side over each of them and save each run.

Bad files are refused whole with a message per problem, so nothing runs on half-read input.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from llmcompare.io.errors import FormatError
from llmcompare.io.readers import csv_records, decode
from llmcompare.playground.run import PlaygroundRun, Side
from llmcompare.providers.base import RunResult
from llmcompare.store.runs import save_run

MAX_PROMPTS = 500
MAX_BYTES = 1_000_000
PROMPT_COLUMN = "prompt"
POLL_S = 0.1
# Progress reports at most this often within a prompt (and once as each prompt starts): reporting every token
# made the page redraw its progress bar about 70 times a second, CPU the local model needs.
PROGRESS_S = 0.25


@dataclass(frozen=True)
class PromptFile:
    """The prompts read from a file, or the problems that stop it from being used (then prompts is empty)."""

    prompts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_blank: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _csv_prompts(text: str) -> tuple[list[str], list[str]]:
    """Prompts from the `prompt` column, with any problem found; blank cells come back as empty strings."""
    try:
        rows = csv_records(text, "the CSV")
    except FormatError as exc:
        return [], [f"The CSV could not be read at line {exc.row}: {exc.reason}. Check the quoting there."]
    if not rows:
        return [], []
    header = [name.strip().lower() for name in rows[0]]
    if PROMPT_COLUMN not in header:
        found = ", ".join(f"`{name}`" for name in rows[0] if name.strip()) or "nothing"
        return [], [
            f"The CSV has no `{PROMPT_COLUMN}` column (its header holds {found}). "
            f"Name the column with the prompts `{PROMPT_COLUMN}`."
        ]
    column = header.index(PROMPT_COLUMN)
    return [row[column] if column < len(row) else "" for row in rows[1:]], []


def read_prompts(name: str, data: bytes, max_prompts: int = MAX_PROMPTS, max_bytes: int = MAX_BYTES) -> PromptFile:
    """Prompts from a CSV with a `prompt` column (by .csv extension) or a text file with one prompt per line."""
    if len(data) > max_bytes:
        return PromptFile(problems=[f"{name} is {len(data):,} bytes; the limit is {max_bytes:,} bytes."])
    try:
        text = decode(data, name)
    except FormatError as exc:
        return PromptFile(problems=[f"{exc}."])
    if name.lower().endswith(".csv"):
        cells, problems = _csv_prompts(text)
    else:
        cells, problems = text.splitlines(), []
    if problems:
        return PromptFile(problems=problems)
    prompts = [cell.strip() for cell in cells if cell.strip()]
    if not prompts:
        return PromptFile(problems=[f"{name} holds no prompts."])
    if len(prompts) > max_prompts:
        return PromptFile(
            problems=[
                f"{name} holds {len(prompts):,} prompts; the limit is {max_prompts}. Split it into smaller files."
            ]
        )
    return PromptFile(prompts=prompts, skipped_blank=len(cells) - len(prompts))


@dataclass(frozen=True)
class BatchProgress:
    """Where a batch is: prompts finished out of total, the one running now, and seconds since the start."""

    done: int
    total: int
    current: str | None
    elapsed_s: float


@dataclass
class BatchResult:
    """The runs a batch saved, in prompt order; stopped when it ended before the last prompt."""

    runs: list[tuple[int, RunResult]] = field(default_factory=list)
    stopped: bool = False


def _save_when_ended(comparison: PlaygroundRun, engine: Engine, batch: BatchResult, who: str | None) -> None:
    """Stop the comparison and save what it produced; a worker that would not end leaves nothing to save."""
    if comparison.stop():
        result = comparison.result()
        batch.runs.append((save_run(engine, result, who), result))
        batch.stopped = batch.stopped or result.stopped


def run_batch(
    prompts: Sequence[str],
    sides: Sequence[Side],
    engine: Engine,
    *,
    stop: threading.Event | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    batch: BatchResult | None = None,
    poll_s: float = POLL_S,
    who: str | None = None,
) -> BatchResult:
    """Run every side over each prompt in turn, saving each run; on_progress is called as each prompt starts, then
    about every PROGRESS_S while it runs, and once at the end.

    A stop (the event, or an exception raised by on_progress, which is how a UI rerun interrupts) ends the run in
    progress within a second; that partial run is saved as stopped, and no worker is left running. Pass `batch` to
    keep the runs saved so far even when on_progress raises. `who` is recorded with each run.
    """
    stop = stop or threading.Event()
    batch = batch if batch is not None else BatchResult()
    started = time.perf_counter()
    for prompt in prompts:
        if stop.is_set():
            batch.stopped = True
            break
        comparison = PlaygroundRun(prompt, sides).start()
        reported = float("-inf")
        try:
            while not comparison.finished and not stop.is_set():
                comparison.poll(poll_s)
                now = time.perf_counter()
                if on_progress and now - reported >= PROGRESS_S:
                    reported = now
                    on_progress(BatchProgress(len(batch.runs), len(prompts), prompt, now - started))
        finally:
            _save_when_ended(comparison, engine, batch, who)
    if on_progress:
        on_progress(BatchProgress(len(batch.runs), len(prompts), None, time.perf_counter() - started))
    return batch


def results_frame(batch: BatchResult) -> pd.DataFrame:
    """One row per run: the prompt, then each side's answer, metrics, cost and error, for the table and download."""
    rows = []
    for run_id, result in batch.runs:
        row: dict[str, object] = {"run_id": run_id, "prompt": result.prompt, "wall_s": result.wall_s}
        for position, side in enumerate(result.sides):
            prefix = f"side{position + 1}_"
            row |= {
                f"{prefix}model": side.spec,
                f"{prefix}answer": side.text,
                f"{prefix}ttft_s": side.ttft_s,
                f"{prefix}total_s": side.total_s,
                f"{prefix}output_tokens": side.output_tokens,
                f"{prefix}tokens_per_s": side.tokens_per_s,
                f"{prefix}tokens_estimated": side.tokens_estimated,
                f"{prefix}cost_usd": side.cost_usd,
                f"{prefix}error": side.error,
            }
        rows.append(row)
    return pd.DataFrame(rows)
