"""How stable the advisor's top choice is: random weight perturbations and the smallest single-weight change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from llmcompare.decide.criteria import IDS
from llmcompare.decide.ranking import MAX_WEIGHT, Ranking, masked_totals, tie_key

BISECT_STEPS = 30
CHUNK = 64  # weight columns scored at once: 64 x 47,000 models x 8 bytes stays near 24 MB per array
NUDGE = 1e-9  # relative step past a crossing, to look at the side where the other model is ahead
STEP = 0.01  # flips are reported at the first weight on this grid past the change, as the page shows them


@dataclass(frozen=True)
class WeightFlip:
    """Moving one criterion's weight from `current` to `to` hands the top place to `new_winner`.

    `to` is the first multiple of STEP past the weight where the lead changes (where the lead holds only in a
    narrower window than that, the exact weight): a weight the page can show and a user can set.
    """

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
    """What every winners() call needs, worked out once per check: sorting names and masking scores cost most.

    Its rows are in name order, so that the first of several tied totals (argmax's pick) is the one the ranking
    puts first; `rows` maps them back to the ranking's rows.
    """

    counted: np.ndarray  # filled * mask, in name order
    mask: np.ndarray
    rows: np.ndarray  # the ranking's row of each row here

    @classmethod
    def of(cls, ranking: Ranking) -> _Scorer:
        names = ranking.table["model"].str.lower().to_numpy()
        rows = np.argsort(names, kind="stable")
        return cls((ranking.filled * ranking.mask)[rows], ranking.mask[rows], rows)


def winners(ranking: Ranking | _Scorer, weights: np.ndarray) -> np.ndarray:
    """Row of the top model for each column of weights (k, N); ties go by name, as in the ranking."""
    scorer = ranking if isinstance(ranking, _Scorer) else _Scorer.of(ranking)
    found = [np.zeros(0, dtype=int)]
    for start in range(0, weights.shape[1], CHUNK):  # bounded memory: a (models x columns) block at a time
        t = tie_key(masked_totals(scorer.counted, scorer.mask, weights[:, start : start + CHUNK]))
        found.append(scorer.rows[t.argmax(axis=0)])
    return np.concatenate(found)


def perturbed_winners(
    ranking: Ranking, runs: int, spread: float, seed: int, scorer: _Scorer | None = None
) -> np.ndarray:
    """Winners under `runs` weightings, each weight scaled independently by a factor in [1 - spread, 1 + spread]."""
    w = np.array([ranking.weights[c] for c in IDS])
    factors = np.random.default_rng(seed).uniform(1 - spread, 1 + spread, size=(len(w), runs))
    return winners(scorer or ranking, w[:, None] * factors)


def _crossings(ranking: Ranking, w: np.ndarray, j: int, max_weight: float) -> np.ndarray:
    """Every weight for criterion j in 0..max_weight at which some model's total crosses the leader's.

    With only w_j moving, a model's total is (A + t B) / (C + t D): A and C its weighted points and weights on the
    other criteria, B its points on j and D whether it has any. It equals the leader's where
    (A_k + t B_k)(C_0 + t D_0) = (A_0 + t B_0)(C_k + t D_k), a quadratic in t, so between two neighbouring roots
    no model can overtake the leader: these are the only places to look.
    """
    counted, mask = ranking.filled * ranking.mask, ranking.mask
    a, b = counted @ w - counted[:, j] * w[j], counted[:, j]
    c, d = mask @ w - mask[:, j] * w[j], mask[:, j]
    scored = (c > 0) | (d > 0)  # a model with no score on any criterion never leads
    if not scored[0]:
        return np.zeros(0)
    a, b, c, d = a[scored], b[scored], c[scored], d[scored]
    a0, b0, c0, d0 = a[0], b[0], c[0], d[0]  # row 0 leads and always has a score
    alpha, beta, gamma = b * d0 - b0 * d, a * d0 + b * c0 - a0 * d - b0 * c, a * c0 - a0 * c
    with np.errstate(invalid="ignore", divide="ignore"):
        linear = -gamma / beta
        root = np.sqrt(beta * beta - 4 * alpha * gamma)
        quadratic = np.concatenate([(-beta - root) / (2 * alpha), (-beta + root) / (2 * alpha)])
    flat = np.abs(alpha) <= 1e-12 * (np.abs(beta) + np.abs(gamma) + 1e-300)
    found = np.concatenate([linear[flat], quadratic[np.concatenate([~flat, ~flat])]])
    return np.unique(found[np.isfinite(found) & (found >= 0) & (found <= max_weight)])


def _flip(ranking: Ranking, j: int, max_weight: float, scorer: _Scorer) -> WeightFlip | None:
    """The nearest weight for criterion j (within 0..max_weight) at which another model takes the top place.

    Around each crossing (just before, just after, and midway to the next), nearest first and a batch at a time,
    the leader is checked; the nearest place where another model leads is then narrowed down by bisection from the
    farthest place checked on that side where the leader still leads.
    """
    w = np.array([ranking.weights[c] for c in IDS])
    nudge = NUDGE * max(max_weight, 1.0)
    bounds = np.unique(np.concatenate([_crossings(ranking, w, j, max_weight), [0.0, w[j], max_weight]]))
    # Each crossing's two sides, and the middle of each stretch between crossings, where a model that is ahead is
    # furthest from the leader's rounded total (close to a crossing the rounding still calls it a tie).
    points = np.concatenate([bounds - nudge, bounds + nudge, (bounds[1:] + bounds[:-1]) / 2, bounds])
    points = np.unique(np.clip(points, 0, max_weight))
    points = points[np.argsort(np.abs(points - w[j]), kind="stable")]
    held = {-1.0: w[j], 1.0: w[j]}  # per side, the farthest place checked where the leader still leads
    for start in range(0, len(points), CHUNK):
        batch = points[start : start + CHUNK]
        trials = np.repeat(w[:, None], len(batch), axis=1)
        trials[j] = batch
        top = winners(scorer, trials)
        top[trials.sum(axis=0) <= 0] = 0  # all weights at zero ranks nothing, so it cannot hand over the lead
        changed = np.flatnonzero(top != 0)
        for point in batch[: changed[0] if changed.size else len(batch)]:  # nearest first: each is the farthest yet
            held[1.0 if point >= w[j] else -1.0] = point
        if changed.size:
            outside = float(batch[changed[0]])
            inside = held[1.0 if outside >= w[j] else -1.0]
            return _reported(ranking, j, w, _narrowed(j, w, inside, outside, scorer), max_weight, scorer)
    return None


def _narrowed(j: int, w: np.ndarray, inside: float, outside: float, scorer: _Scorer) -> float:
    """Bisect between a weight where the leader leads and one where it does not, down to where the lead changes."""
    for _ in range(BISECT_STEPS):
        middle = (inside + outside) / 2
        if _winner_at(j, w, middle, scorer) == 0:
            inside = middle
        else:
            outside = middle
    return outside


def _reported(
    ranking: Ranking, j: int, w: np.ndarray, outside: float, max_weight: float, scorer: _Scorer
) -> WeightFlip:
    """The flip at the first STEP past `outside`, away from the current weight, if the lead is changed there too."""
    up = outside > w[j]
    near = np.floor(outside / STEP) if up else np.ceil(outside / STEP)  # the grid step on outside or just inside
    for steps in (near, near + 1) if up else (near, near - 1):
        snapped = float(np.clip(round(steps * STEP, 10), 0, max_weight))
        if (snapped > w[j]) == up and snapped != w[j] and (new := _winner_at(j, w, snapped, scorer)) != 0:
            break
    else:
        snapped, new = outside, _winner_at(j, w, outside, scorer)
    return WeightFlip(IDS[j], float(w[j]), snapped, ranking.table["model_id"].iloc[new])


def _winner_at(j: int, w: np.ndarray, weight: float, scorer: _Scorer) -> int:
    trial = w.copy()
    trial[j] = weight
    return int(winners(scorer, trial[:, None])[0])


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
