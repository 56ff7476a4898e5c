"""User-written playground data: runs, their sides and blind votes. Never holds an API key."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from llmcompare.providers.base import RunResult, SideResult, valid_text
from llmcompare.store.engine import begin_write
from llmcompare.store.models import Base

WINNERS = ("a", "b", "tie", "both_bad")


class Run(Base):
    """One prompt sent to every side at once."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    prompt: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    wall_s: Mapped[float] = mapped_column(Float)
    stopped: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)  # per-side provider and generation settings, no key
    who: Mapped[str | None] = mapped_column(String(100))  # the signed-in e-mail, or None for the local user
    sides: Mapped[list[RunSide]] = relationship(
        back_populates="run", order_by="RunSide.position", cascade="all, delete-orphan"
    )


class RunSide(Base):
    """What one side answered in a run, with its metrics and error."""

    __tablename__ = "run_sides"
    __table_args__ = (
        # vote_frame() joins each vote to both sides of its run; without it SQLite builds a throwaway index per query.
        Index("ix_run_sides_run_position", "run_id", "position"),
        # run_models() lists the distinct specs for the History filter, in order, straight from the index.
        Index("ix_run_sides_provider_spec", "provider_spec"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 0 = left, 1 = right
    provider_spec: Mapped[str] = mapped_column(String(500))
    model_name: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    ttft_s: Mapped[float | None] = mapped_column(Float)
    total_s: Mapped[float] = mapped_column(Float)
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    tokens_per_s: Mapped[float | None] = mapped_column(Float)
    # True when output_tokens (and tokens_per_s) were counted by the app because the server reported no usage.
    tokens_estimated: Mapped[bool] = mapped_column(default=False, server_default=false())
    cost_usd: Mapped[float | None] = mapped_column(Float)
    cost_basis: Mapped[str] = mapped_column(Text)  # which price and date, or why there is no cost
    error: Mapped[str | None] = mapped_column(Text)
    stopped: Mapped[bool] = mapped_column(default=False)
    run: Mapped[Run] = relationship(back_populates="sides")


class Vote(Base):
    """A blind verdict on a run; a and b mean side 0 and side 1, whatever order the blind view showed."""

    __tablename__ = "votes"
    __table_args__ = (CheckConstraint(f"winner IN {WINNERS}", name="ck_votes_winner"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    winner: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _side_row(position: int, side: SideResult) -> RunSide:
    return RunSide(
        position=position,
        provider_spec=side.spec,
        model_name=side.model_name,
        text=valid_text(side.text),
        ttft_s=side.ttft_s,
        total_s=side.total_s,
        input_tokens=side.input_tokens,
        output_tokens=side.output_tokens,
        tokens_per_s=side.tokens_per_s,
        tokens_estimated=side.tokens_estimated,
        cost_usd=side.cost_usd,
        cost_basis=side.cost_basis,
        error=None if side.error is None else valid_text(side.error),
        stopped=side.stopped,
    )


def run_settings(result: RunResult) -> dict[str, Any]:
    """The settings worth keeping to re-run: per side, the spec and generation settings (which hold no key)."""
    return {"sides": [{"spec": side.spec, **asdict(side.settings)} for side in result.sides]}


def save_run(engine: Engine, result: RunResult, who: str | None = None) -> int:
    """Store a run and its sides in one transaction; return the run's id.

    Text that is not valid Unicode (lone surrogates) cannot be encoded for the database; it is stored with U+FFFD
    in their place rather than losing the whole run.
    """
    run = Run(
        prompt=valid_text(result.prompt),
        created_at=result.created_at,
        wall_s=result.wall_s,
        stopped=result.stopped,
        settings=run_settings(result),
        who=(who or "").strip()[:100] or None,
        sides=[_side_row(position, side) for position, side in enumerate(result.sides)],
    )
    with Session(engine) as session, session.begin():
        begin_write(session)
        session.add(run)
        session.flush()
        return run.id


def save_vote(engine: Engine, run_id: int, winner: str) -> int:
    """Store a blind vote on a run; return its id."""
    if winner not in WINNERS:
        raise ValueError(f"A vote is one of {', '.join(WINNERS)}, not {winner!r}.")
    with Session(engine) as session, session.begin():
        begin_write(session)
        vote = Vote(run_id=run_id, winner=winner, created_at=datetime.now(UTC))
        session.add(vote)
        session.flush()
        return vote.id


def endpoint_spend(engine: Engine, endpoint_name: str, now: datetime | None = None) -> float:
    """USD spent today (UTC) by runs paid with a configured endpoint's key; their specs end in @NAME."""
    now = now or datetime.now(UTC)
    midnight = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)
    stmt = (
        select(func.coalesce(func.sum(RunSide.cost_usd), 0.0))
        .join(Run, Run.id == RunSide.run_id)
        .where(Run.created_at >= midnight, RunSide.provider_spec.like(f"openai:%@{endpoint_name}"))
    )
    with Session(engine) as session:
        return float(session.execute(stmt).scalar_one())
