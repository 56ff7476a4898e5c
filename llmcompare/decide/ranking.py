"""The advisor: hard constraints, a weighted ranking with each criterion's contribution, reasons and sensitivity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from llmcompare import style
from llmcompare.decide.criteria import BY_ID, CRITERIA, IDS, Criterion, criterion_citation, score_matrix
from llmcompare.store.models import OPEN_WEIGHTS

MISSING_POLICIES = {
    "average": "Count it as the catalogue average",
    "worst": "Count it as the worst score (0)",
    "exclude": "Leave it out for that model and scale up its other weights",
}
MAX_WEIGHT = 10
DEFAULT_WEIGHTS = {
    "quality": 5,
    "cost": 4,
    "openness": 1,
    "transparency": 1,
    "licence": 2,
    "data_control": 2,
    "customisation": 1,
    "vendor_support": 1,
    "context": 1,
    "latency": 0,
}
DECIMALS = 9  # totals equal to this many decimals are a tie, so float noise never reorders equal models


class AdvisorError(ValueError):
    """Settings the advisor cannot work with, worded for the user."""


@dataclass(frozen=True)
class Constraints:
    """Hard limits: a model that breaks one is left out of the ranking, with the reason shown."""

    commercial_use: bool = False  # the licence must allow commercial use (conditions allowed)
    self_hostable: bool = False  # the weights must be downloadable
    max_price: float | None = None  # blended USD per 1M tokens; an unknown price fails
    min_context: int | None = None  # tokens; an unknown window fails
    min_user_cap: int | None = None  # a licence may not cap monthly users below this
    exclude_developers: tuple[str, ...] = ()
    min_coverage: float = 0.0  # share of the total weight that must rest on facts the store holds

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return {**asdict(self), "exclude_developers": list(self.exclude_developers)}

    @classmethod
    def from_dict(cls, raw: Mapping) -> Constraints:
        """Build from stored JSON; unknown keys are an error rather than silently ignored."""
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise AdvisorError(f"Unknown constraint(s): {', '.join(sorted(unknown))}.")
        values = dict(raw)
        values["exclude_developers"] = tuple(values.get("exclude_developers") or ())
        return cls(**values)


def describe_constraints(limits: Constraints) -> list[str]:
    """Each must-have in plain words, for reports; empty when none is set."""
    lines = []
    if limits.commercial_use:
        lines.append("The licence must allow commercial use (conditions such as attribution are accepted).")
    if limits.self_hostable:
        lines.append("The weights must be downloadable, so the model can run on our own servers.")
    if limits.max_price is not None:
        lines.append(
            f"The blended price must be at most ${limits.max_price:,.2f} per 1M tokens "
            "(3 input tokens to 1 output); a model without a known price is left out."
        )
    if limits.min_context:
        lines.append(f"The context window must hold at least {limits.min_context:,} tokens; unknown windows fail.")
    if limits.min_user_cap:
        lines.append(f"The licence may not cap the product below {limits.min_user_cap:,} monthly active users.")
    if limits.exclude_developers:
        lines.append(f"Models from these developers are left out: {', '.join(limits.exclude_developers)}.")
    if limits.min_coverage:
        lines.append(f"At least {limits.min_coverage:.0%} of the total weight must rest on facts the store holds.")
    return lines


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Every criterion's weight (missing ones 0); raises AdvisorError for unknown names, negatives or all zero."""
    unknown = set(weights) - set(IDS)
    if unknown:
        raise AdvisorError(f"Unknown criteria: {', '.join(sorted(unknown))}.")
    full = {c: float(weights.get(c, 0)) for c in IDS}
    if any(not np.isfinite(v) or v < 0 for v in full.values()):
        raise AdvisorError("Weights must be zero or more.")
    if sum(full.values()) <= 0:
        raise AdvisorError("Give at least one criterion a weight above zero.")
    return full


def constraint_failures(facts: pd.DataFrame, limits: Constraints, shortlist: Sequence[str] = ()) -> pd.Series:
    """Per model (index model_id), why it breaks the constraints, '' when it meets all of them."""
    checks: list[pd.Series] = []

    def fail(mask: pd.Series, why: pd.Series | str) -> None:
        reason = why if isinstance(why, pd.Series) else pd.Series(why, index=facts.index)
        checks.append(reason.where(mask.fillna(True).astype(bool), ""))

    if limits.commercial_use:
        fail(facts["commercial_use"] == "no", "its licence does not allow commercial use")
    if limits.self_hostable:
        fail(facts["access"] != OPEN_WEIGHTS, "API only: it cannot run on your own servers")
    if limits.max_price is not None:
        price = facts["blended"].map(lambda p: f"{style.format_usd(p)} per 1M tokens is over the budget")
        fail(
            facts["blended"].isna() | (facts["blended"] > limits.max_price),
            price.where(facts["blended"].notna(), "no price on record"),
        )
    if limits.min_context is not None:
        window = facts["context_window"].astype(float)
        text = window.map(lambda w: f"its context window ({style.format_tokens(w)}) is too small")
        fail(window.isna() | (window < limits.min_context), text.where(window.notna(), "no context window on record"))
    if limits.min_user_cap is not None:
        cap = facts["user_threshold"].astype(float)
        fail(
            cap.notna() & (cap < limits.min_user_cap),
            cap.map(lambda c: f"its licence caps use at {style.format_users(c)}"),
        )
    if limits.exclude_developers:
        fail(facts["developer"].isin(limits.exclude_developers), "its developer is excluded")
    if shortlist:
        fail(~facts["model_id"].isin(shortlist), "not on the shortlist")
    joined = ["; ".join(r for r in row if r) for row in zip(*checks, strict=True)] if checks else [""] * len(facts)
    return pd.Series(joined, index=facts["model_id"], dtype=object)


@dataclass(frozen=True)
class Ranking:
    """The ranked models, best first, with points per criterion that add up to each model's score out of 100."""

    table: pd.DataFrame  # rank, model_id, model, developer, access, score, coverage, missing
    points: pd.DataFrame  # index model_id, columns criterion ids; NaN where the criterion was left out
    missing: pd.DataFrame  # index model_id, columns criterion ids; True where a weighted fact is missing
    excluded: pd.DataFrame  # model_id, model, developer, access, reason
    weights: dict[str, float]
    policy: str
    filled: np.ndarray  # scores after the missing-data policy, rows in ranked order
    mask: np.ndarray  # 1 where a criterion counts for that model

    @property
    def winner(self) -> str | None:
        """The top model's id, None when nothing is left to rank."""
        return None if self.table.empty else self.table["model_id"].iloc[0]


def _fill(scores: pd.DataFrame, means: pd.Series, policy: str) -> tuple[np.ndarray, np.ndarray]:
    """Scores with the gaps handled as the policy says, and the mask of criteria that count per model."""
    missing = scores.isna().to_numpy()
    if policy == "average":
        return scores.fillna(means).fillna(0.0).to_numpy(), np.ones_like(missing, dtype=float)
    if policy == "worst":
        return scores.fillna(0.0).to_numpy(), np.ones_like(missing, dtype=float)
    return scores.fillna(0.0).to_numpy(), (~missing).astype(float)


def totals(filled: np.ndarray, mask: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean score per model: weights (k,) give (n,), weights (k, N) give (n, N); NaN where nothing counts."""
    return masked_totals(filled * mask, mask, weights)


def masked_totals(counted: np.ndarray, mask: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """totals() from filled * mask, for callers that score the same models under many weightings."""
    num = counted @ weights
    den = mask @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def tie_key(total: np.ndarray) -> np.ndarray:
    """Totals rounded to DECIMALS, with no score as minus infinity: the value rankings compare."""
    return np.round(np.where(np.isnan(total), -np.inf, total), DECIMALS)


def competition_rank(total: np.ndarray) -> np.ndarray:
    """1 + the number of models with a higher total; tied models, and models with no score, share a rank."""
    t = tie_key(total)
    # Sorted search, not an n x n comparison: tens of thousands of models would need gigabytes for the matrix.
    return 1 + len(t) - np.searchsorted(np.sort(t), t, side="right")


def rank_models(
    facts: pd.DataFrame,
    weights: Mapping[str, float],
    limits: Constraints = Constraints(),
    policy: str = "average",
    shortlist: Sequence[str] = (),
) -> Ranking:
    """Score every model that meets the constraints and rank them, best first; ties go by name."""
    full = check_weights(weights)
    if policy not in MISSING_POLICIES:
        raise AdvisorError(f"Unknown missing-data policy {policy!r}.")
    everything = score_matrix(facts)
    w = np.array([full[c] for c in IDS])
    coverage = (everything.notna().to_numpy() * w).sum(axis=1) / w.sum()
    failures = constraint_failures(facts, limits, shortlist).to_numpy(dtype=object, copy=True)
    thin = (failures == "") & (np.round(coverage, DECIMALS) < limits.min_coverage)
    failures[thin] = [f"its facts carry only {share:.0%} of the weight" for share in coverage[thin]]
    keep = failures == ""
    scores = everything[keep]
    filled, mask = _fill(scores, everything.mean(), policy)
    total = totals(filled, mask, w)
    rows = facts[keep].reset_index(drop=True)
    order = np.lexsort((rows["model"].str.lower().to_numpy(), -tie_key(total)))
    total, filled, mask, rows = total[order], filled[order], mask[order], rows.iloc[order].reset_index(drop=True)
    den = mask @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        points = np.where(mask > 0, filled * mask * w / den[:, None] * 100, np.nan)
    missing = scores.iloc[order].isna().to_numpy() & (w > 0)
    ids = pd.Index(rows["model_id"], name="model_id")
    table = rows[["model_id", "model", "developer", "access"]].assign(
        score=total * 100,
        coverage=coverage[keep][order],
        missing=[", ".join(BY_ID[c].label for c, gap in zip(IDS, row, strict=True) if gap) for row in missing],
    )
    table.insert(0, "rank", competition_rank(total))
    dropped = facts[~keep][["model_id", "model", "developer", "access"]].assign(reason=failures[~keep])
    return Ranking(
        table=table,
        points=pd.DataFrame(points, index=ids, columns=list(IDS)),
        missing=pd.DataFrame(missing, index=ids, columns=list(IDS)),
        excluded=dropped.reset_index(drop=True),
        weights=full,
        policy=policy,
        filled=filled,
        mask=mask,
    )


def points_table(ranking: Ranking) -> pd.DataFrame:
    """The ranking with one column of points per weighted criterion (by label), coverage in % of the weight."""
    weighted = [c for c, w in ranking.weights.items() if w > 0]
    points = ranking.points[weighted].round(1).rename(columns=lambda c: BY_ID[c].label)
    table = ranking.table.set_index("model_id").join(points).reset_index()
    table["score"] = table["score"].round(1)
    table["coverage"] = (table["coverage"] * 100).round().astype(int)
    return table


def _missing_note(policy: str, points: float) -> str:
    if policy == "average":
        return f"counted as the catalogue average (+{points:.1f} points)"
    if policy == "worst":
        return "counted as the worst score (0 points)"
    return "left out; its weight went to the other criteria"


def _proxy_note(criterion: Criterion) -> str:
    """' (a proxy: ...)' for a criterion scored from something that stands in for the fact; empty for facts."""
    return f" (a proxy: {criterion.proxy_for})" if criterion.proxy_for else ""


def reasons(ranking: Ranking, facts: pd.DataFrame, model_id: str, strongest: int = 3) -> list[str]:
    """Plain-language reasons for a model's score, each citing the fact, its source and its date (Markdown)."""
    row = facts.set_index("model_id").loc[model_id]
    row["model_id"] = model_id
    points, gaps = ranking.points.loc[model_id], ranking.missing.loc[model_id]
    weighted = [c for c in CRITERIA if ranking.weights[c.id] > 0]
    known = sorted((c for c in weighted if not gaps[c.id]), key=lambda c: -np.nan_to_num(points[c.id]))
    strong = [c for c in known[:strongest] if points[c.id] > 0]
    lines = [
        f"**{c.label}** +{points[c.id]:.1f} points: {c.fact(row)}{criterion_citation(row, c)}{_proxy_note(c)}."
        for c in strong
    ]
    raw = dict(zip(IDS, ranking.filled[ranking.points.index.get_loc(model_id)], strict=True))
    weak = [c for c in known if c not in strong and raw[c.id] < 0.5]
    if weak:
        c = min(weak, key=lambda c: raw[c.id])
        lines.append(
            f"Held back by **{c.label.lower()}** ({raw[c.id]:.2f} of 1): {c.fact(row)}{criterion_citation(row, c)}"
            f"{_proxy_note(c)}."
        )
    for c in weighted:
        if gaps[c.id]:
            lines.append(f"**{c.label}**: not on record, {_missing_note(ranking.policy, np.nan_to_num(points[c.id]))}.")
    return lines


def lead_reason(ranking: Ranking) -> str | None:
    """Why the winner is ahead of the runner-up, in the criteria that separate them most."""
    if len(ranking.table) < 2:
        return None
    first, second = ranking.table.iloc[0], ranking.table.iloc[1]
    diff = (ranking.points.iloc[0].fillna(0) - ranking.points.iloc[1].fillna(0)).sort_values()
    ahead = [f"{BY_ID[c].label.lower()} (+{d:.1f})" for c, d in diff[::-1].items() if d > 0.05][:2]
    behind = [f"{BY_ID[c].label.lower()} ({d:.1f})" for c, d in diff.items() if d < -0.05][:2]
    text = f"{first['model']} leads {second['model']} by {first['score'] - second['score']:.1f} points"
    text += f", mostly on {' and '.join(ahead)}" if ahead else ""
    return text + (f"; {second['model']} is ahead on {' and '.join(behind)}." if behind else ".")
