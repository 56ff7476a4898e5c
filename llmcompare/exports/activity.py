"""Tables of what users made in this installation: playground runs, blind votes, win rates and advisor rankings."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from llmcompare import style
from llmcompare.decide.ranking import points_table
from llmcompare.playground.votes import keyed_votes, win_rates
from llmcompare.store.history import vote_frame
from llmcompare.store.identity import model_key, name_index
from llmcompare.store.runs import Run, RunSide, Vote

RUN_COLUMNS = [
    "run_id",
    "created_at",
    "prompt",
    "side",
    "provider_spec",
    "model_name",
    "text",
    "ttft_s",
    "total_s",
    "input_tokens",
    "output_tokens",
    "tokens_per_s",
    "tokens_estimated",
    "cost_usd",
    "cost_basis",
    "error",
    "stopped",
    "votes",
]
SIDE_NAMES = {0: "left", 1: "right"}


def runs_frame(engine: Engine) -> pd.DataFrame:
    """One row per side of every stored run, oldest first, with the answer, every metric and the vote count."""
    votes = select(func.count()).where(Vote.run_id == Run.id).scalar_subquery()
    stmt = (
        select(
            Run.id.label("run_id"),
            Run.created_at,
            Run.prompt,
            RunSide.position.label("side"),
            RunSide.provider_spec,
            RunSide.model_name,
            RunSide.text,
            RunSide.ttft_s,
            RunSide.total_s,
            RunSide.input_tokens,
            RunSide.output_tokens,
            RunSide.tokens_per_s,
            RunSide.tokens_estimated,
            RunSide.cost_usd,
            RunSide.cost_basis,
            RunSide.error,
            RunSide.stopped,
            votes.label("votes"),
        )
        .join(RunSide, RunSide.run_id == Run.id)
        .order_by(Run.id, RunSide.position)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).all(), columns=RUN_COLUMNS)
    frame["side"] = frame["side"].map(SIDE_NAMES)
    return frame


def votes_frame(engine: Engine) -> pd.DataFrame:
    """Every blind vote: the run, when, the winner (a = left side, b = right side) and both sides' models."""
    return vote_frame(engine)[["run_id", "created_at", "winner", "model_a", "model_b"]]


def win_rate_frame(engine: Engine) -> pd.DataFrame:
    """Per model (the identity module's grouping key): votes, wins, losses, ties, both bad and win rate.

    The same table the Votes page, the Trade-offs page and the report show."""
    index = name_index(engine)
    return win_rates(keyed_votes(vote_frame(engine), lambda spec: model_key(index, spec)))


def ranking_frame(ranking) -> pd.DataFrame:
    """An advisor ranking as a flat table: rank, model, score, coverage, missing facts and points per criterion."""
    table = points_table(ranking)
    table["access"] = table["access"].map(style.access_label)
    return table
