"""Read back stored playground runs: list and filter them, load one with both sides and its votes, list all votes."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Engine, exists, func, select
from sqlalchemy.orm import Session, aliased

from llmcompare.providers.base import GenerationSettings, RunResult, SideResult
from llmcompare.store.queries import read_frame
from llmcompare.store.runs import Run, RunSide, Vote

ErrorFilter = Literal["any", "with", "without"]
LIST_LIMIT = 500
# A search longer than this is surely a paste gone wrong.
SEARCH_MAX_CHARS = 1_000
RUN_COLUMNS = ["run_id", "created_at", "prompt", "left", "right", "wall_s", "errors", "stopped", "votes"]


@dataclass(frozen=True)
class RunFilter:
    """What the history list shows: text in the prompt or an answer, a model on either side, errors, a date range."""

    text: str = ""
    model: str | None = None
    errors: ErrorFilter = "any"
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if len(self.text) > SEARCH_MAX_CHARS:
            raise ValueError(f"The search text is {len(self.text):,} characters long; at most {SEARCH_MAX_CHARS:,}.")


@dataclass(frozen=True)
class StoredRun:
    """One stored run as the playground showed it, plus the blind votes cast on it (a = side 0, b = side 1)."""

    id: int
    result: RunResult
    votes: list[str]


def _utc(value: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _conditions(wanted: RunFilter) -> list[Any]:
    """The filter's conditions that SQL can check alike on every database; the text search is _text_matches."""
    found: list[Any] = []
    if wanted.model:
        found.append(exists().where(RunSide.run_id == Run.id, RunSide.provider_spec == wanted.model))
    if wanted.errors != "any":
        failed = exists().where(RunSide.run_id == Run.id, RunSide.error.is_not(None))
        found.append(failed if wanted.errors == "with" else ~failed)
    if wanted.since:
        found.append(Run.created_at >= _day_start(wanted.since))
    if wanted.until:
        found.append(Run.created_at < _day_start(wanted.until + timedelta(days=1)))
    return found


def _text_matches(conn: Connection, text: str) -> set[int]:
    """Runs whose prompt or an answer holds text, whatever the case in any script ("ÄRZTE" finds "ärzte", "STRASSE"
    finds "Straße"). Python's str.casefold does it: SQLite's lower() folds only A-Z and PostgreSQL's folds by the
    server's locale, and neither maps ß to ss."""
    needle = text.casefold()
    streamed = {"yield_per": 1000}
    found = {
        i
        for i, prompt in conn.execute(select(Run.id, Run.prompt), execution_options=streamed)
        if needle in prompt.casefold()
    }
    answers = conn.execute(select(RunSide.run_id, RunSide.text), execution_options=streamed)
    return found | {i for i, answer in answers if needle in answer.casefold()}


def list_runs(engine: Engine, wanted: RunFilter | None = None, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The newest runs matching the filter, one row each: RUN_COLUMNS, with each side named by its spec."""
    wanted = wanted or RunFilter()
    text = wanted.text.strip()
    left, right = aliased(RunSide), aliased(RunSide)
    error_count = select(func.count()).where(RunSide.run_id == Run.id, RunSide.error.is_not(None)).scalar_subquery()
    vote_count = select(func.count()).where(Vote.run_id == Run.id).scalar_subquery()
    stmt = (
        select(
            Run.id.label("run_id"),
            Run.created_at,
            Run.prompt,
            left.provider_spec.label("left"),
            right.provider_spec.label("right"),
            Run.wall_s,
            error_count.label("errors"),
            Run.stopped,
            vote_count.label("votes"),
        )
        .outerjoin(left, (left.run_id == Run.id) & (left.position == 0))
        .outerjoin(right, (right.run_id == Run.id) & (right.position == 1))
        .where(*_conditions(wanted))
        .order_by(Run.created_at.desc(), Run.id.desc())
    )
    with engine.connect() as conn:
        if not text:
            frame = read_frame(conn, stmt.limit(limit))
        else:
            frame = read_frame(conn, stmt)
            frame = frame[frame["run_id"].isin(_text_matches(conn, text))].head(limit).reset_index(drop=True)
    frame["created_at"] = pd.to_datetime(frame["created_at"].map(_utc), utc=True)
    return frame[RUN_COLUMNS]


def count_runs(engine: Engine) -> int:
    """How many runs are stored."""
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Run)) or 0


def run_models(engine: Engine) -> list[str]:
    """Every provider spec that appears in a stored run, for the model filter."""
    with engine.connect() as conn:
        return list(conn.scalars(select(RunSide.provider_spec).distinct().order_by(RunSide.provider_spec)))


_SETTING_NAMES = {f.name for f in fields(GenerationSettings)}


def _settings(stored: dict[str, Any], position: int) -> GenerationSettings:
    """A side's generation settings from the run's JSON; defaults where an older run did not record one."""
    sides = stored.get("sides", [])
    raw = sides[position] if position < len(sides) else {}
    return GenerationSettings(**{k: v for k, v in raw.items() if k in _SETTING_NAMES})


def _side_result(row: RunSide, settings: GenerationSettings) -> SideResult:
    return SideResult(
        spec=row.provider_spec,
        model_name=row.model_name,
        settings=settings,
        text=row.text,
        ttft_s=row.ttft_s,
        total_s=row.total_s,
        input_tokens=row.input_tokens,
        output_tokens=row.output_tokens,
        tokens_per_s=row.tokens_per_s,
        cost_usd=row.cost_usd,
        cost_basis=row.cost_basis,
        error=row.error,
        stopped=row.stopped,
        tokens_estimated=row.tokens_estimated,
    )


def load_run(engine: Engine, run_id: int) -> StoredRun | None:
    """One run with both sides, as a RunResult the playground can show again; None when there is no such run."""
    with Session(engine) as session:
        run = session.get(Run, run_id)
        if run is None:
            return None
        sides = [_side_result(row, _settings(run.settings, row.position)) for row in run.sides]
        votes = list(session.scalars(select(Vote.winner).where(Vote.run_id == run_id).order_by(Vote.id)))
        result = RunResult(run.prompt, _utc(run.created_at), run.wall_s, sides, run.stopped)
        return StoredRun(run.id, result, votes)


def vote_frame(engine: Engine) -> pd.DataFrame:
    """Every vote with the models of side 0 (model_a) and side 1 (model_b), oldest first."""
    a, b = aliased(RunSide), aliased(RunSide)
    stmt = (
        select(
            Vote.run_id,
            Vote.winner,
            Vote.created_at,
            a.provider_spec.label("model_a"),
            b.provider_spec.label("model_b"),
        )
        .join(a, (a.run_id == Vote.run_id) & (a.position == 0))
        .join(b, (b.run_id == Vote.run_id) & (b.position == 1))
        .order_by(Vote.id)
    )
    with engine.connect() as conn:
        return read_frame(conn, stmt)
