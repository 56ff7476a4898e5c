"""Every article dimension for every model: a value and its basis (fact, proxy or none), source and as-of date.

A `fact` cell rests on a sourced, dated fact about this model (or its licence, offering or developer) that answers
the dimension directly. A `proxy` cell names what stands in for the missing fact: another fact, or the maintainers'
reading of what an article says about all open or all closed models, cited by article line. A `none` cell says
the store has nothing to go on. Scores (0..1, 1 strong) exist only where a fact or a proxy has a scale.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from llmcompare import style
from llmcompare.config import PROJECT_ROOT
from llmcompare.decide.criteria import CUSTOMISATION, PERMISSION
from llmcompare.decide.policy_cells import first_word
from llmcompare.io.readers import read_yaml
from llmcompare.store.models import OPEN_WEIGHTS

FACT, PROXY, NONE = "fact", "proxy", "none"
BASES = (FACT, PROXY, NONE)
DIMENSIONS_FILE = PROJECT_ROOT / "data" / "curated" / "dimensions.yaml"
COLUMNS = [
    "model_id", "model", "access", "dimension_id", "dimension", "group", "value", "score", "basis", "source",
    "source_url", "as_of", "proxy_for",
]  # fmt: skip
EXPORT_COLUMNS = ["model", "dimension", "value", "basis", "source", "as_of", "source_url", "proxy_for"]
# The radar's axes: each rests on its own fact, so no two axes can always match.
RADAR_AXES = (
    "access", "licensing", "cost", "frontier-performance", "transparency", "code-access", "data-privacy",
    "computational-requirements", "multilingual", "innovation-speed", "interoperability",
)  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """One model on one dimension."""

    value: str
    basis: str
    source: str | None = None
    source_url: str | None = None
    as_of: object = None
    score: float = math.nan
    proxy_for: str = ""  # for a proxy: what stands in for what


@dataclass(frozen=True)
class Inputs:
    """What the cells are made from: the advisor's facts, the extra per-model facts and the dimensions."""

    facts: pd.DataFrame  # decide_queries.decision_facts
    extra: pd.DataFrame  # dimension_queries.dimension_inputs, first item
    refs: dict[str, tuple[str, str | None]]  # source id -> (title, link)
    dims: pd.DataFrame  # queries.dimensions
    lines: dict[str, list[dict]] = field(default_factory=dict)  # dimension id -> article lines
    policies: dict = field(default_factory=dict)  # (provider key, dimension) -> cell, see policy_by_dimension


def article_lines(path: Path = DIMENSIONS_FILE) -> dict[str, list[dict]]:
    """Dimension id -> the article lines it comes from (article, line, quote), from the curated file."""
    return {d["id"]: list(d.get("lines") or []) for d in read_yaml(path)}


def _src(refs: dict, source_id: object) -> tuple[str | None, str | None]:
    return refs.get(source_id, (None, None)) if isinstance(source_id, str) else (None, None)


def _missing(value: object) -> bool:
    return style.is_missing(value)


def _fact(row: pd.Series, prefix: str, value: str, score: float = math.nan) -> Cell:
    """A fact whose source sits in the facts frame as <prefix>_source, _url and _as_of."""
    return Cell(value, FACT, row.get(f"{prefix}_source"), row.get(f"{prefix}_url"), row.get(f"{prefix}_as_of"), score)


def _by_id(row, ctx, key: str, value: str, score: float = math.nan, *, as_of=None, basis=FACT, proxy_for="") -> Cell:
    """A cell whose source is the store's source <key>_source_id, dated <key>_as_of unless as_of is given; a source
    the store does not know leaves no fact."""
    title, url = _src(ctx.refs, row.get(f"{key}_source_id"))
    when = row.get(f"{key}_as_of") if as_of is None else as_of
    return Cell(value, basis if title else NONE, title, url, when, score, proxy_for)


def _as_proxy(cell: Cell, proxy_for: str) -> Cell:
    return replace(cell, basis=PROXY, proxy_for=proxy_for)


def _price_proxy(row, text: str, score: float, proxy_for: str) -> Cell:
    """A proxy resting on the model's price listing."""
    return Cell(text, PROXY, row.get("price_source"), row.get("price_url"), row.get("price_as_of"), score, proxy_for)


def _open(row: pd.Series) -> bool:
    return row["access"] == OPEN_WEIGHTS


def _model_fact(row: pd.Series, ctx: Inputs, value: str, score: float = math.nan) -> Cell:
    """A fact resting on the model's own catalogue entry (its access type and developer)."""
    return _by_id(row, ctx, "model", value, score)


def _licence_terms(row: pd.Series) -> str:
    words = style.COMMERCIAL_SHORT
    return (
        f"{row['license']}: commercial use {words.get(row['commercial_use'], row['commercial_use']).lower()}, "
        f"modification {words.get(row['modification'], row['modification']).lower()}, "
        f"redistribution {words.get(row['redistribution'], row['redistribution']).lower()}"
    )


def _grade(row: pd.Series, ctx: Inputs, group: str, what: str) -> Cell | None:
    value = row.get(f"grade_{group}")
    if _missing(value):
        return None
    text = f"{what}: {value * 100:.0f}% graded open by {row.get('openness_source') or 'the openness index'}"
    return _by_id(row, ctx, "grades", text, float(value))


def _access(row, ctx):
    text = "weights downloadable" if _open(row) else "API only: weights not published"
    return _model_fact(row, ctx, f"{text} ({row['developer']})", 1.0 if _open(row) else 0.0)


def _licensing(row, ctx):
    return _fact(row, "license", _licence_terms(row), row["licence_score"])


def _commercialization(row, ctx):
    cap = "" if _missing(row["user_threshold"]) else f", capped at {style.format_users(row['user_threshold'])}"
    score = PERMISSION.get(row["commercial_use"], math.nan) * (1.0 if not cap else 0.5)
    term = style.COMMERCIAL_SHORT.get(row["commercial_use"], row["commercial_use"])
    return _fact(row, "license", f"commercial use {str(term).lower()}{cap} ({row['license']})", score)


def _legal(row, ctx):
    policy = _policy(row, ctx, "legal-compliance")
    if policy:
        return policy
    duties = "an acceptable-use policy applies" if row["use_policy"] else "no acceptable-use policy"
    who = "you deploy it, so compliance is yours" if _open(row) else "used under the provider's terms"
    return _fact(row, "license", f"{row['license']}: {duties}; {who}")


def _use_cases(row, ctx):
    restricted = "restricted by an acceptable-use policy" if row["use_policy"] else "no use restrictions in the licence"
    return _fact(row, "license", restricted, 0.5 if row["use_policy"] else 1.0)


def _cost(row, ctx):
    if not _missing(row["blended"]):
        text = f"{style.format_usd(row['blended'])} per 1M tokens blended ({row['price_provider']})"
        return _fact(row, "price", text, row["cost_score"])
    if _open(row) and not _missing(row["params_b"]):
        text = f"no list price; self-hosting {row['params_b']:,.0f}B parameters"
        stands_in = "model size stands in for the hardware bill of self-hosting"
        return _by_id(row, ctx, "params", text, as_of=_params_as_of(row), basis=PROXY, proxy_for=stands_in)
    return Cell("no list price in the store", NONE)


def _performance(row, ctx):
    if _missing(row["arena_score"]):
        return Cell("no LMArena text score", NONE)
    return _fact(row, "arena", f"LMArena text {row['arena_score']:.0f}", row["arena_scaled"])


def _transparency(row, ctx):
    docs = _grade(row, ctx, "docs", "model card, datasheet and paper")
    if docs:
        return docs
    if _missing(row["fmti_latest"]):
        return None
    text = f"developer's FMTI total {row['fmti_latest']:.0f}/100 ({row['fmti_edition']})"
    stands = "the developer's transparency index stands in for this model's"
    score = float(row["fmti_latest"]) / 100
    return Cell(text, PROXY, row.get("fmti_source"), row.get("fmti_url"), row.get("fmti_as_of"), score, stands)


def _code_access(row, ctx):
    graded = _grade(row, ctx, "code", "code and weights")
    if graded:
        return graded
    return None if _open(row) else _model_fact(row, ctx, "code and weights not published", 0.0)


def _open_only(text_open: str, closed_dim: str | None = None) -> Callable:
    """Open weights: a fact from the model's access; API-only: the provider's policy facts where there are any."""

    def rule(row, ctx):
        if _open(row):
            return _model_fact(row, ctx, text_open, 1.0)
        return _policy(row, ctx, closed_dim) if closed_dim else None

    return rule


def _customization(row, ctx):
    if not _open(row):
        return _model_fact(row, ctx, "weights not published: only what the vendor exposes", 0.0)
    level = style.COMMERCIAL_SHORT.get(row["modification"], row["modification"])
    score = CUSTOMISATION.get(row["modification"], math.nan)
    return _fact(row, "license", f"weights downloadable; modification {str(level).lower()}", score)


def _fine_tuning(row, ctx):
    return (_customization(row, ctx) if _open(row) else None) or _policy(row, ctx, "fine-tuning-paths")


def _compute(row, ctx):
    if _missing(row["params_b"]):
        return Cell("parameter count not published", NONE)
    active = row.get("params_active_b")
    moe = "" if _missing(active) else f", {active:,.0f}B active per token"
    size = row["params_b"]
    text = f"{size:,.{1 if size < 10 else 0}f}B parameters{moe} (about {size * 2:,.0f} GB of weights at 16 bits)"
    return _by_id(row, ctx, "params", text, row["params_scaled"], as_of=_params_as_of(row))


def _params_as_of(row) -> object:
    """The date of the size's own source where the store has one, else the catalogue entry's."""
    as_of = row.get("params_as_of")
    return row.get("model_as_of") if _missing(as_of) else as_of


def _specialisation(row, ctx):
    """Where LMArena's category boards show the model strongest against its overall rank; else its size, a proxy."""
    if not _missing(row.get("strengths")):
        return _by_id(row, ctx, "strength", row["strengths"], row.get("strength_score", math.nan))
    cell = _compute(row, ctx)
    if cell.basis == NONE:
        return None
    return _as_proxy(cell, "model size stands in for how cheaply it can be specialised and run")


def _multilingual(row, ctx):
    if _missing(row.get("multilingual")):
        return Cell("no multilingual benchmark result", NONE)
    text = f"{row['multilingual_name']}: {row['multilingual']:.1f}"  # a mean rating, or a percentage
    return _by_id(row, ctx, "multilingual", text, row["multilingual_scaled"])


def _innovation(row, ctx):
    if _missing(row.get("cadence")):
        return None
    text = (
        f"{row['developer']}: {row['cadence']:.0f} model(s) with a recorded release date in the year to "
        f"{row['cadence_until']}"
    )
    return _by_id(row, ctx, "cadence", text, row["cadence_scaled"], as_of=row.get("cadence_until"))


def _hosts(row, ctx, proxy_for: str) -> Cell:
    text = f"sold by {row['providers']} provider(s) in the price map"
    return _price_proxy(row, text, row["hosts_scaled"], proxy_for)


def _integration(row, ctx):
    if row["providers"] > 0:
        return _fact(row, "price", f"ready API from {row['providers']} provider(s), e.g. {row['price_provider']}")
    return None


def _interoperability(row, ctx):
    policy = _policy(row, ctx, "interoperability")
    if policy:
        return policy
    return _hosts(row, ctx, "independent hosts stand in for how easily you can move it") if row["providers"] else None


def _scalability(row, ctx):
    if not row["providers"]:
        return None
    return _hosts(row, ctx, "the hosts that sell it stand in for the capacity you can buy")


def _reliability(row, ctx):
    return _policy(row, ctx, "reliability") or _support_proxy(
        row, ctx, "a vendor's own offering stands in for a reliability commitment"
    )


def _support(row, ctx):
    return _policy(row, ctx, "support") or _support_proxy(row, ctx, "a price listing stands in for vendor support")


def _support_proxy(row, ctx, proxy_for: str) -> Cell | None:
    if not row["first_party_offering"]:
        return None
    text = f"{row['developer']} sells it through its own API"
    return _price_proxy(row, text, 1.0, proxy_for)


def _backing(row, ctx):
    where = "" if _missing(row.get("country")) else f" ({row['country']})"
    sells = "sells it through its own API" if row["first_party_offering"] else "no own API offering listed"
    text = f"developed by {row['developer']}{where}; {sells}"
    return _by_id(row, ctx, "developer", text)


def _community(row, ctx):
    if not _open(row):
        return _model_fact(row, ctx, f"controlled by {row['developer']} alone (weights not published)", 0.0)
    size = row.get("family_size")
    if _missing(size) or size < 2:
        return None
    text = f"{size:.0f} models of the {row['family']} family in the catalogue"
    return _model_fact(row, ctx, text)


def _community_support(row, ctx):
    policy = _policy(row, ctx, "community-support")
    if policy or not _open(row):
        return policy
    cell = _community(row, ctx)
    return None if cell is None else _as_proxy(cell, "the size of the model family stands in for community activity")


def _policy(row, ctx: Inputs, dimension: str) -> Cell | None:
    """The API provider's policy facts on this dimension; open-weights models are not bound by a provider."""
    cell = None if _open(row) else ctx.policies.get((first_word(row["developer"]), dimension))
    if not cell:
        return None
    return Cell(str(cell["value"]), str(cell["basis"]), str(cell["source"]), None, cell["as_of"])


RULES: dict[str, Callable[[pd.Series, Inputs], Cell | None]] = {
    "access": _access,
    "licensing": _licensing,
    "code-access": _code_access,
    "transparency": _transparency,
    "legal-compliance": _legal,
    "commercialization": _commercialization,
    "cost": _cost,
    "computational-requirements": _compute,
    "integration": _integration,
    "scalability": _scalability,
    "performance-optimization": lambda r, c: _customization(r, c) if _open(r) else None,
    "model-specialisation": _specialisation,
    "customization": _customization,
    "security-privacy": _open_only("runs on your own servers: prompts stay in-house", "security-privacy"),
    "data-ownership": _open_only("self-hosted: your data never leaves you", "data-ownership"),
    "data-privacy": lambda r, c: _grade(r, c, "data", "training data and datasheet"),
    "ethics-bias": lambda r, c: _grade(r, c, "docs", "auditable model card, datasheet and paper"),
    "frontier-performance": _performance,
    "reproducibility": lambda r, c: _grade(r, c, "repro", "training code, data and paper"),
    "reliability": _reliability,
    "use-cases": _use_cases,
    "community": _community,
    "community-support": _community_support,
    "support": _support,
    "innovation-speed": _innovation,
    "interoperability": _interoperability,
    "commercial-backing": _backing,
    "multilingual": _multilingual,
    "fine-tuning-paths": _fine_tuning,
}
