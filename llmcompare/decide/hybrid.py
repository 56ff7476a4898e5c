"""Hybrid strategies: a share of the traffic self-hosted, the rest on an API, with some self-hosted traffic falling
back to the API (at peaks or outages). The articles expect such mixes (article-001 line 258, article-004 line 13)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from llmcompare.decide.tco import (
    ApiOption,
    SelfHostOption,
    TcoError,
    Workload,
    api_cost,
    break_even,
    check,
    self_hosted_cost,
)

SHARES = np.round(np.linspace(0.0, 1.0, 21), 2)  # 0%, 5%, ... 100% self-hosted


@dataclass(frozen=True)
class Hybrid:
    """How traffic is split: `share` of it meant for your servers, `fallback` of that part served by the API."""

    share: float
    fallback: float = 0.0

    @property
    def served_in_house(self) -> float:
        """Share of all tokens your own servers actually serve."""
        return self.share * (1.0 - self.fallback)


def check_hybrid(mix: Hybrid) -> None:
    """Raise TcoError for a split the model cannot use."""
    if not 0.0 <= mix.share <= 1.0:
        raise TcoError("The self-hosted share must be between 0% and 100%.")
    if not 0.0 <= mix.fallback < 1.0:
        raise TcoError("The fallback share must be at least 0% and below 100%.")


def hybrid_cost(api: ApiOption, option: SelfHostOption, mix: Hybrid, tokens, input_share: float):
    """Monthly bill of the mix: the API for what it serves, your fleet (kept up whenever share > 0) for the rest."""
    tokens = np.asarray(tokens, dtype=float)
    own = tokens * mix.served_in_house
    bill = api_cost(api, tokens - own, input_share)
    return bill + (self_hosted_cost(option, own) if mix.share > 0 else 0.0)


def break_even_volume(api: ApiOption, option: SelfHostOption, mix: Hybrid, input_share: float) -> float | None:
    """Monthly volume above which the mix costs less than the API alone; None when it never does.

    The mix differs from the API alone only on the tokens served in house, so it pays once those reach the
    plain break-even volume: the total volume is that divided by the share served in house."""
    plain = break_even(api, option, input_share)
    if plain is None or mix.served_in_house <= 0:
        return None
    return plain / mix.served_in_house


@dataclass(frozen=True)
class HybridResult:
    """Per self-hosted share: the monthly bill at your volume and the break-even volume; the cheapest share."""

    by_share: pd.DataFrame  # share, monthly_usd, break_even_tokens
    monthly: float  # at the chosen mix
    api_only: float
    self_only: float
    best_share: float
    break_even_tokens: float | None


def compare_hybrid(api: ApiOption, option: SelfHostOption, workload: Workload, mix: Hybrid) -> HybridResult:
    """The chosen mix against the API alone and self-hosting alone, and every share from 0% to 100%."""
    check(api, option, workload)
    check_hybrid(mix)
    share_in = workload.input_share
    rows = []
    for share in SHARES:
        at = Hybrid(float(share), mix.fallback)
        crossing = break_even_volume(api, option, at, share_in)
        rows.append((float(share), float(hybrid_cost(api, option, at, workload.total, share_in)), crossing))
    table = pd.DataFrame(rows, columns=["share", "monthly_usd", "break_even_tokens"])
    best = table.loc[table["monthly_usd"].idxmin(), "share"]
    crossing = break_even_volume(api, option, mix, share_in)
    return HybridResult(
        by_share=table.astype({"break_even_tokens": float}),
        monthly=float(hybrid_cost(api, option, mix, workload.total, share_in)),
        api_only=float(api_cost(api, workload.total, share_in)),
        self_only=float(hybrid_cost(api, option, Hybrid(1.0, mix.fallback), workload.total, share_in)),
        best_share=float(best),
        break_even_tokens=None if crossing is None or math.isinf(crossing) else crossing,
    )
