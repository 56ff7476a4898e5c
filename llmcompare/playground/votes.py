"""Blind-vote results: win rates per model and Bradley-Terry scores with seeded bootstrap 95% intervals.

A vote row names the two models shown (model_a = side 0, model_b = side 1) and the winner: a, b, tie or both_bad.
Ties count half a win to each model. "Both bad" votes are counted per model but say nothing about which model is
stronger, so they stay out of the Bradley-Terry fit. A model facing itself is left out of both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_VOTES = 10  # votes with a winner or a tie before Bradley-Terry scores are shown
BOOTSTRAP_ROUNDS = 200
SEED = 0
L2 = 0.1  # a gentle pull towards the average keeps a model that never lost (or never won) finite
ELO_SCALE = 400 / np.log(10)  # natural-log strengths to the Elo-like scale arenas publish
ELO_BASE = 1000.0
VOTE_COLUMNS = ["winner", "model_a", "model_b"]


@dataclass(frozen=True)
class VoteSummary:
    """Win rates always; Bradley-Terry scores once there are enough comparable votes, else how many are missing."""

    win_rates: pd.DataFrame
    scores: pd.DataFrame | None
    comparable: int
    needed: int


def _matches(votes: pd.DataFrame) -> pd.DataFrame:
    """Votes between two different models."""
    return votes[votes["model_a"] != votes["model_b"]]


def comparable_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """The votes a Bradley-Terry fit can use: two different models, and a winner or a tie."""
    matches = _matches(votes)
    return matches[matches["winner"].isin(["a", "b", "tie"])]


def keyed_votes(votes: pd.DataFrame, key: Callable[[str], str]) -> pd.DataFrame:
    """Votes whose model_a / model_b (provider specs as stored) are replaced by their grouping key.

    Every win-rate table (Votes page, export, Trade-offs, report) groups by the same key: the identity module's
    `model_key`, so one model reached through two specs is one row."""
    if votes.empty:
        return votes
    return votes.assign(model_a=votes["model_a"].map(key), model_b=votes["model_b"].map(key))


def named_votes(sides: pd.DataFrame, votes: pd.DataFrame, name: str = "model_name") -> pd.DataFrame:
    """Votes (run_id, winner) joined to the `name` column of each run's side 0 and side 1, as VOTE_COLUMNS.

    Votes on a run without both sides named are dropped."""
    if sides.empty or votes.empty:
        return pd.DataFrame(columns=VOTE_COLUMNS)
    who = sides.pivot_table(index="run_id", columns="position", values=name, aggfunc="first")
    who = who.reindex(columns=[0, 1]).dropna().rename(columns={0: "model_a", 1: "model_b"})
    joined = votes[["run_id", "winner"]].join(who, on="run_id", how="inner")
    return joined[VOTE_COLUMNS].reset_index(drop=True)


def win_rates(votes: pd.DataFrame) -> pd.DataFrame:
    """Per model: votes, wins, losses, ties, both bad, and win rate = (wins + ties / 2) / (wins + losses + ties)."""
    matches = _matches(votes)
    rows = []
    for own, me, other in (("model_a", "a", "b"), ("model_b", "b", "a")):
        rows.append(
            pd.DataFrame(
                {
                    "model": matches[own],
                    "wins": matches["winner"].eq(me),
                    "losses": matches["winner"].eq(other),
                    "ties": matches["winner"].eq("tie"),
                    "both_bad": matches["winner"].eq("both_bad"),
                }
            )
        )
    counts = pd.concat(rows).groupby("model").sum().astype(int)
    counts.insert(0, "votes", counts.sum(axis=1))
    decided = counts["wins"] + counts["losses"] + counts["ties"]
    counts["win_rate"] = ((counts["wins"] + counts["ties"] / 2) / decided.where(decided > 0)).astype(float)
    return counts.sort_values(["win_rate", "votes"], ascending=False, na_position="last").reset_index()


def _pair_outcomes(votes: pd.DataFrame, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per comparable vote: side 0's model index, side 1's, and side 0's score (1 win, 0.5 tie, 0 loss)."""
    i = votes["model_a"].map(index).to_numpy(dtype=int)
    j = votes["model_b"].map(index).to_numpy(dtype=int)
    score = votes["winner"].map({"a": 1.0, "tie": 0.5, "b": 0.0}).to_numpy(dtype=float)
    return i, j, score


def fit_strengths(
    i: np.ndarray, j: np.ndarray, score: np.ndarray, n_models: int, l2: float = L2, iterations: int = 100
) -> np.ndarray:
    """Bradley-Terry log-strengths (mean zero) by Newton's method on the penalised log-likelihood."""
    theta = np.zeros(n_models)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(theta[j] - theta[i]))  # chance that i beats j
        residual = score - p
        gradient = np.bincount(i, residual, n_models) - np.bincount(j, residual, n_models) - l2 * theta
        weight = p * (1 - p)
        hessian = np.zeros((n_models, n_models))
        np.add.at(hessian, (i, i), weight)
        np.add.at(hessian, (j, j), weight)
        np.add.at(hessian, (i, j), -weight)
        np.add.at(hessian, (j, i), -weight)
        hessian += l2 * np.eye(n_models)
        # Strengths are only defined up to a constant; the pseudo-inverse takes the step that keeps the mean.
        step = np.linalg.pinv(hessian) @ gradient
        theta += step
        theta -= theta.mean()
        if np.max(np.abs(step)) < 1e-10:
            break
    return theta


def to_elo(theta: np.ndarray) -> np.ndarray:
    """Log-strengths on the Elo-like scale: 1000 on average, +400 for 10-to-1 odds."""
    return ELO_BASE + ELO_SCALE * theta


def bradley_terry(
    votes: pd.DataFrame, rounds: int = BOOTSTRAP_ROUNDS, seed: int = SEED, l2: float = L2
) -> pd.DataFrame:
    """Per model: Bradley-Terry score and a bootstrap 95% interval (votes resampled with replacement, seeded)."""
    usable = comparable_votes(votes)
    models = sorted(set(usable["model_a"]) | set(usable["model_b"]))
    index = {name: k for k, name in enumerate(models)}
    i, j, score = _pair_outcomes(usable, index)
    point = to_elo(fit_strengths(i, j, score, len(models), l2))
    rng = np.random.default_rng(seed)
    samples = np.empty((rounds, len(models)))
    for r in range(rounds):
        pick = rng.integers(0, len(usable), len(usable))
        scores = to_elo(fit_strengths(i[pick], j[pick], score[pick], len(models), l2))
        # A model missing from a resample would sit at the average by default; it says nothing, so leave it out.
        present = np.bincount(np.concatenate([i[pick], j[pick]]), minlength=len(models)) > 0
        samples[r] = np.where(present, scores, np.nan)
    low, high = np.nanpercentile(samples, [2.5, 97.5], axis=0)
    frame = pd.DataFrame({"model": models, "score": point, "low": low, "high": high})
    frame["votes"] = [int(((usable["model_a"] == name) | (usable["model_b"] == name)).sum()) for name in models]
    return frame.sort_values("score", ascending=False).reset_index(drop=True)


def summarise(votes: pd.DataFrame, min_votes: int = MIN_VOTES, seed: int = SEED) -> VoteSummary:
    """Win rates, plus Bradley-Terry scores once min_votes comparable votes exist."""
    comparable = len(comparable_votes(votes))
    enough = comparable >= min_votes
    return VoteSummary(
        win_rates=win_rates(votes),
        scores=bradley_terry(votes, seed=seed) if enough else None,
        comparable=comparable,
        needed=max(0, min_votes - comparable),
    )
