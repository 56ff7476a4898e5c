"""How stable the advisor's top choice is: random weight perturbations and the smallest single-weight change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from llmcompare.decide.criteria import IDS
from llmcompare.decide.ranking import MAX_WEIGHT, Ranking, masked_totals, tie_key

GRID_POINTS = 201
BISECT_STEPS = 30
CHUNK = 64  # weight columns scored at once: 64 x 47,000 models x 8 bytes stays near 24 MB per array


@dataclass(frozen=True)
class WeightFlip:
    """Moving one criterion's weight from `current` to `to` hands the top place to `new_winner`."""

    criterion: str
    current: float
    to: float
    new_winner: str

    @property
    def change(self) -> float:
        return self.to - self.current


@dataclass(frozen=True)
class Sensitivity:
    """The share of perturbed weightings that keep the winner, who wins the others, and single-weight flips."""

    winner: str
    runs: int
    spread: float
    kept: float
    challengers: dict[str, int]  # model id -> runs it won instead, most first
    flips: tuple[WeightFlip, ...]  # one per criterion that can flip the winner within 0..MAX_WEIGHT, smallest first


@dataclass(frozen=True)
class _Scorer:
    """What every winners() call needs, worked out once per check: sorting names and masking scores cost most."""

    counted: np.ndarray  # filled * mask
    mask: np.ndarray
    by_name: np.ndarray  # each ranked row's place in name order, for breaking ties as the ranking does

    @classmethod
    def of(cls, ranking: Ranking) -> _Scorer:
        names = ranking.table["model"].str.lower().to_numpy()
        by_name = np.argsort(np.argsort(names, kind="stable"), kind="stable")
        return cls(ranking.filled * ranking.mask, ranking.mask, by_name)


def winners(ranking: Ranking | _Scorer, weights: np.ndarray) -> np.ndarray:
    """Row of the top model for each column of weights (k, N); ties go by name, as in the ranking."""
    scorer = ranking if isinstance(ranking, _Scorer) else _Scorer.of(ranking)
    found = [np.zeros(0, dtype=int)]
    for start in range(0, weights.shape[1], CHUNK):  # bounded memory: a (models x columns) block at a time
        t = tie_key(masked_totals(scorer.counted, scorer.mask, weights[:, start : start + CHUNK]))
        tied = t == t.max(axis=0)
        found.append(np.where(tied, scorer.by_name[:, None], len(scorer.by_name)).argmin(axis=0))
    return np.concatenate(found)


def perturbed_winners(
    ranking: Ranking, runs: int, spread: float, seed: int, scorer: _Scorer | None = None
) -> np.ndarray:
    """Winners under `runs` weightings, each weight scaled independently by a factor in [1 - spread, 1 + spread]."""
    w = np.array([ranking.weights[c] for c in IDS])
    factors = np.random.default_rng(seed).uniform(1 - spread, 1 + spread, size=(len(w), runs))
    return winners(scorer or ranking, w[:, None] * factors)


def _flip(ranking: Ranking, j: int, max_weight: float, scorer: _Scorer) -> WeightFlip | None:
    """The nearest weight for criterion j (within 0..max_weight) at which another model takes the top place."""
    w = np.array([ranking.weights[c] for c in IDS])
    grid = np.union1d(np.linspace(0, max_weight, GRID_POINTS), [w[j]])
    trials = np.repeat(w[:, None], len(grid), axis=1)
    trials[j] = grid
    top = winners(scorer, trials)
    top[trials.sum(axis=0) <= 0] = 0  # all weights at zero ranks nothing, so it cannot hand over the lead
    changed = np.flatnonzero(top != 0)
    if changed.size == 0:
        return None
    target = changed[np.argmin(np.abs(grid[changed] - w[j]))]
    inside, outside = w[j], grid[target]
    for _ in range(BISECT_STEPS):  # narrow the grid step down to the exact weight where the lead changes
        middle = (inside + outside) / 2
        trial = w.copy()
        trial[j] = middle
        if winners(scorer, trial[:, None])[0] == 0:
            inside = middle
        else:
            outside = middle
    trial = w.copy()
    trial[j] = outside
    new = winners(scorer, trial[:, None])[0]
    return WeightFlip(IDS[j], float(w[j]), float(outside), ranking.table["model_id"].iloc[new])


def sensitivity(
    ranking: Ranking, runs: int = 1000, spread: float = 0.2, seed: int = 0, max_weight: float = MAX_WEIGHT
) -> Sensitivity | None:
    """Stability of the top choice; None when fewer than two models are ranked."""
    if len(ranking.table) < 2:
        return None
    scorer = _Scorer.of(ranking)
    top = perturbed_winners(ranking, runs, spread, seed, scorer)
    ids = ranking.table["model_id"].to_numpy()
    others, counts = np.unique(top[top != 0], return_counts=True)
    challengers = {ids[i]: int(n) for i, n in sorted(zip(others, counts, strict=True), key=lambda p: -p[1])}
    flips = [f for j in range(len(IDS)) if (f := _flip(ranking, j, max_weight, scorer)) is not None]
    return Sensitivity(
        winner=ids[0],
        runs=runs,
        spread=spread,
        kept=float(np.mean(top == 0)),
        challengers=challengers,
        flips=tuple(sorted(flips, key=lambda f: abs(f.change))),
    )
