"""The advisor's criteria: each turns one kind of fact into a 0..1 score (1 best), NaN where the fact is missing.

Scales are set over every model in the facts frame handed in (the whole catalogue on the pages), never over the
models left after constraints, so that a constraint cannot change another model's score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from llmcompare import style
from llmcompare.store.models import OPEN_WEIGHTS

PRICE_FLOOR_USD = 0.01  # free offerings sit on the log scale at one cent per 1M tokens
PERMISSION = {"yes": 1.0, "conditional": 0.5, "no": 0.0}
# Commercial use, modification and redistribution are the rights most deployments need; a user cap or an
# acceptable-use policy restricts fewer of them, so they weigh less.
LICENCE_TERM_WEIGHTS = {
    "commercial_use": 0.3,
    "modification": 0.25,
    "redistribution": 0.25,
    "user_threshold": 0.1,
    "use_policy": 0.1,
}
CUSTOMISATION = {"yes": 1.0, "conditional": 0.75, "no": 0.25}


@dataclass(frozen=True)
class Criterion:
    """One thing a decision-maker can weigh, with the fact behind it and how that fact becomes a score."""

    id: str
    label: str
    how: str  # the normalisation in plain words, shown beside the weight slider
    score: Callable[[pd.DataFrame], pd.Series]
    fact: Callable[[pd.Series], str]  # the model's fact as text, for reasons
    source: str | None  # the facts column prefix of the source title, link and as-of date (None: derived)
    proxy_for: str = ""  # empty when the score rests on a fact about the model; else what stands in for what


def min_max(values: pd.Series, log: bool = False, higher_is_better: bool = True) -> pd.Series:
    """Scale to 0..1 over the known values (log10 first if asked); a single distinct value scores 1."""
    x = np.log10(values.astype(float)) if log else values.astype(float)
    low, high = x.min(), x.max()
    if pd.isna(low) or high == low:
        return x.where(x.isna(), 1.0)
    scaled = (x - low) / (high - low)
    return scaled if higher_is_better else 1.0 - scaled


def quality_score(facts: pd.DataFrame) -> pd.Series:
    """Quality: the chosen benchmark's score, min-max scaled over the catalogue."""
    return min_max(facts["quality"])


def cost_score(facts: pd.DataFrame) -> pd.Series:
    """Cost: blended price per 1M tokens on a log scale, cheapest 1 and dearest 0; zero counts as one cent."""
    return min_max(facts["blended"].clip(lower=PRICE_FLOOR_USD), log=True, higher_is_better=False)


def openness_score(facts: pd.DataFrame) -> pd.Series:
    """Openness: the openness index percentage divided by 100."""
    return facts["openness"].astype(float) / 100.0


def transparency_score(facts: pd.DataFrame) -> pd.Series:
    """Developer transparency: the developer's latest FMTI total (out of 100) divided by 100."""
    return facts["fmti_latest"].astype(float) / 100.0


def licence_score(facts: pd.DataFrame) -> pd.Series:
    """Licence permissiveness: a weighted mean of five licence terms, each 1 (free), 0.5 (conditional) or 0."""
    terms = {
        "commercial_use": facts["commercial_use"].map(PERMISSION),
        "modification": facts["modification"].map(PERMISSION),
        "redistribution": facts["redistribution"].map(PERMISSION),
        "user_threshold": facts["user_threshold"].isna().map({True: 1.0, False: 0.5}),
        "use_policy": facts["use_policy"].map({False: 1.0, True: 0.0}),
    }
    return sum(LICENCE_TERM_WEIGHTS[name] * value.astype(float) for name, value in terms.items())


def data_control_score(facts: pd.DataFrame) -> pd.Series:
    """Data control: 1 when the weights can be downloaded and run on your own servers, else 0."""
    return (facts["access"] == OPEN_WEIGHTS).astype(float)


def customisation_score(facts: pd.DataFrame) -> pd.Series:
    """Customisation: open weights score by what the licence says about changes (1, 0.75 with conditions,
    0.25 when derivatives may not be shared); API-only models 0."""
    open_weights = facts["access"] == OPEN_WEIGHTS
    return facts["modification"].map(CUSTOMISATION).astype(float).where(open_weights, 0.0)


def vendor_support_score(facts: pd.DataFrame) -> pd.Series:
    """Vendor support: 1 when the developer sells the model itself, 0.5 when only other hosts do, 0 when no one
    lists a price for it."""
    hosted = (facts["providers"] > 0).astype(float) * 0.5
    return hosted.where(~facts["first_party_offering"], 1.0)


def context_score(facts: pd.DataFrame) -> pd.Series:
    """Context window: tokens on a log scale, min-max over the catalogue."""
    return min_max(facts["context_window"].astype(float), log=True)


def latency_score(facts: pd.DataFrame) -> pd.Series:
    """Measured latency: median time to first token from playground runs, log scale, fastest 1."""
    return min_max(facts["latency_s"].astype(float), log=True, higher_is_better=False)


def _quality_fact(r: pd.Series) -> str:
    digits = 0 if r["quality_unit"] == "elo" else 1
    return f"{r['quality_name']} {style.format_number(r['quality'], digits)}"


def _licence_fact(r: pd.Series) -> str:
    parts = [f"commercial use {style.COMMERCIAL_SHORT.get(r['commercial_use'], r['commercial_use']).lower()}"]
    parts.append(f"modification {style.COMMERCIAL_SHORT.get(r['modification'], r['modification']).lower()}")
    parts.append(f"redistribution {style.COMMERCIAL_SHORT.get(r['redistribution'], r['redistribution']).lower()}")
    if not style.is_missing(r["user_threshold"]):
        parts.append(f"a cap at {style.format_users(r['user_threshold'])}")
    if r["use_policy"]:
        parts.append("an acceptable-use policy")
    return f"{r['license']}: " + ", ".join(parts)


def _support_fact(r: pd.Series) -> str:
    if r["first_party_offering"]:
        return f"{r['developer']} sells it through its own API"
    if r["providers"] > 0:
        return f"sold by {r['providers']} other host(s), not by {r['developer']}"
    return "no provider lists a price for it"


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "quality",
        "Quality",
        "The chosen benchmark score, scaled from the lowest (0) to the highest (1) in the catalogue.",
        quality_score,
        _quality_fact,
        "quality",
    ),
    Criterion(
        "cost",
        "Cost",
        "Blended price per 1M tokens (3 input : 1 output) on a log scale: the cheapest scores 1, the dearest 0.",
        cost_score,
        lambda r: f"{style.format_usd(r['blended'])} per 1M tokens blended",
        "price",
    ),
    Criterion(
        "openness",
        "Openness",
        "Openness grade from the EU Open Source AI Index (or Opening up ChatGPT), as a share of 100%.",
        openness_score,
        lambda r: f"openness {style.format_number(r['openness'], suffix='%')}",
        "openness",
    ),
    Criterion(
        "transparency",
        "Developer transparency",
        "The developer's latest Foundation Model Transparency Index total, as a share of 100.",
        transparency_score,
        lambda r: f"FMTI {style.format_number(r['fmti_latest'])}/100 ({r['fmti_edition']})",
        "fmti",
        "the developer's transparency index stands in for this model's transparency",
    ),
    Criterion(
        "licence",
        "Licence permissiveness",
        "Commercial use 30%, modification 25%, redistribution 25% (allowed 1, with conditions 0.5, not 0), "
        "no user cap 10% (a cap 0.5), no acceptable-use policy 10%.",
        licence_score,
        _licence_fact,
        "license",
    ),
    Criterion(
        "data_control",
        "Data control",
        "1 when the weights can be downloaded and run on your own servers (open weights), 0 for API-only.",
        data_control_score,
        lambda r: style.access_label(r["access"]),
        None,
        "the access type stands in for data control: an API's own data terms are not scored",
    ),
    Criterion(
        "customisation",
        "Customisation",
        "Open weights: 1 when the licence allows changes, 0.75 with conditions, 0.25 when changed copies may not "
        "be shared. API-only: 0.",
        customisation_score,
        lambda r: (
            f"{style.access_label(r['access'])}, modification "
            f"{style.COMMERCIAL_SHORT.get(r['modification'], r['modification']).lower()}"
        ),
        "license",
    ),
    Criterion(
        "vendor_support",
        "Vendor support",
        "1 when the developer sells the model through its own API (a vendor to hold to account), 0.5 when only "
        "other hosts list it, 0 when no one lists a price.",
        vendor_support_score,
        _support_fact,
        "price",
        "a price listing stands in for vendor support (no support terms are in the store)",
    ),
    Criterion(
        "context",
        "Context window",
        "Context window in tokens on a log scale, from the smallest (0) to the largest (1) in the catalogue.",
        context_score,
        lambda r: f"context {style.format_tokens(r['context_window'])}",
        "context",
    ),
    Criterion(
        "latency",
        "Measured latency",
        "Median time to first token over your playground runs, log scale: the fastest 1, the slowest 0.",
        latency_score,
        lambda r: (
            f"median first token after {style.format_number(r['latency_s'], 2)} s "
            f"over {style.format_number(r['latency_runs'])} run(s)"
        ),
        "latency",
    ),
)
BY_ID = {c.id: c for c in CRITERIA}
IDS = tuple(BY_ID)


def score_matrix(facts: pd.DataFrame) -> pd.DataFrame:
    """Every criterion's 0..1 score for every model (index model_id), NaN where the fact is missing."""
    scores = pd.DataFrame({c.id: c.score(facts).astype(float).to_numpy() for c in CRITERIA}, index=facts["model_id"])
    return scores.clip(0.0, 1.0)


def criterion_citation(row: pd.Series, criterion: Criterion) -> str:
    """'(Source title, as of 2025-08-04)' as Markdown with a link where there is one; empty for derived facts."""
    if criterion.source is None:
        return ""
    title = row.get(f"{criterion.source}_source")
    if style.is_missing(title):
        return ""
    url = row.get(f"{criterion.source}_url")
    link = None if style.is_missing(url) or not url else url.replace(" ", "%20").replace(")", "%29")
    name = f"[{title.replace('[', '(').replace(']', ')')}]({link})" if link else title
    as_of = row.get(f"{criterion.source}_as_of")
    return f" ({name}, as of {style.format_date(as_of)})" if not style.is_missing(as_of) else f" ({name})"
