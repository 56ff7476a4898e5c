"""The dimension table: every model on every article dimension, with its basis, and the measures of its coverage."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from llmcompare import style
from llmcompare.decide.criteria import cost_score, licence_score, min_max
from llmcompare.decide.dimensions import (
    BASES,
    COLUMNS,
    EXPORT_COLUMNS,
    FACT,
    PROXY,
    RULES,
    Cell,
    Inputs,
    article_lines,
)
from llmcompare.decide.policy_cells import policy_by_dimension
from llmcompare.store.decide_queries import decision_facts
from llmcompare.store.dimension_queries import dimension_inputs
from llmcompare.store.models import OPEN_WEIGHTS
from llmcompare.store.queries import dimensions

ARENA_TOP = 50


def _scaled(frame: pd.DataFrame) -> pd.DataFrame:
    """0..1 scales over the whole catalogue, so a model's score never depends on which others are shown."""
    params = frame["params_b"].astype(float).where(frame["params_b"].astype(float) > 0)
    return frame.assign(
        licence_score=licence_score(frame),
        cost_score=cost_score(frame),
        arena_scaled=min_max(frame["arena_score"].astype(float)),
        params_scaled=min_max(params, log=True, higher_is_better=False),
        multilingual_scaled=frame.groupby("multilingual_kind")["multilingual"]
        .transform(lambda x: min_max(x.astype(float)))
        .reindex(frame.index),
        cadence_scaled=min_max(np.log1p(frame["cadence"].astype(float))),
        hosts_scaled=min_max(np.log1p(frame["providers"].astype(float))),
    )


def make_inputs(
    facts: pd.DataFrame,
    extra: pd.DataFrame,
    refs: dict[str, tuple[str, str | None]],
    dims: pd.DataFrame,
    policies: pd.DataFrame | None = None,
    lines: dict[str, list[dict]] | None = None,
) -> Inputs:
    """Join the advisor's facts with the extra per-model facts and scale them; provider facts plug in as cells."""
    merged = _scaled(facts.merge(extra, on="model_id", how="left"))
    return Inputs(merged, extra, refs, dims, article_lines() if lines is None else lines, policy_by_dimension(policies))


def stored_policies(engine: Engine) -> pd.DataFrame | None:
    """Provider policy facts (llmcompare.catalog.policies) where this build has them, else None."""
    try:
        from llmcompare.catalog.policies import provider_policies
    except ImportError:  # the provider facts ship separately; without them those cells fall back to proxies
        return None
    return provider_policies(engine)


def load_inputs(engine: Engine, facts: pd.DataFrame | None = None) -> Inputs:
    """Everything the table needs, read from the store (facts: decision_facts when the caller has it)."""
    extra, refs = dimension_inputs(engine)
    facts = decision_facts(engine) if facts is None else facts
    return make_inputs(facts, extra, refs, dimensions(engine), stored_policies(engine))


def _reading(row: dict, dim: dict, ctx: Inputs) -> Cell:
    """The maintainers' reading of the article for this model's side, cited by article and line."""
    is_open = row["access"] == OPEN_WEIGHTS
    side = dim["open_side"] if is_open else dim["closed_side"]
    refs = ctx.lines.get(dim["id"]) or []
    where = "; ".join(f"{r['article']} line {r['line']}" for r in refs) or dim["source"]
    favours = dim["favours"]
    score = 0.5 if favours == "depends" else float((favours == "open") == is_open)
    label = style.access_label(row["access"]).lower()
    return Cell(
        f"maintainers' reading: {side}",
        PROXY,
        f"{dim['source']} ({where})",
        dim.get("source_url"),
        dim["as_of"],
        score,
        f"access type ({label}), read through the article's claim about all {label} models",
    )


def dimension_table(ctx: Inputs, model_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per model and dimension (COLUMNS), in the dimensions' order, for the given models or all."""
    facts = ctx.facts if model_ids is None else ctx.facts.set_index("model_id").loc[list(model_ids)].reset_index()
    rows = []
    dims = ctx.dims.to_dict("records")
    for row in facts.to_dict("records"):  # plain dicts: reading a pandas row per cell was 10x slower
        for dim in dims:
            rule = RULES.get(dim["id"])
            cell = (rule(row, ctx) if rule else None) or _reading(row, dim, ctx)
            if cell.basis == FACT and (style.is_missing(cell.source) or style.is_missing(cell.as_of)):
                cell = Cell(
                    cell.value,
                    PROXY,
                    cell.source,
                    cell.source_url,
                    cell.as_of,
                    cell.score,
                    "a fact without a source or date is not counted as one",
                )
            score = float(cell.score) if cell.score is not None and not style.is_missing(cell.score) else math.nan
            as_of = None if style.is_missing(cell.as_of) else str(cell.as_of)[:10]
            where = (row["model_id"], row["model"], row["access"], dim["id"], dim["name"], dim["group"])
            rows.append((*where, cell.value, score, cell.basis, cell.source, cell.source_url, as_of, cell.proxy_for))
    return pd.DataFrame(rows, columns=COLUMNS)


def export_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The table as exported: model, dimension, value, basis, source, as_of (then link and what a proxy stands for)."""
    return table.rename(columns={"dimension_id": "dimension_key"})[EXPORT_COLUMNS]


def basis_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Per dimension: how many models rest on a fact, a proxy or nothing."""
    counts = table.pivot_table(index="dimension", columns="basis", values="model_id", aggfunc="count", fill_value=0)
    return counts.reindex(columns=list(BASES), fill_value=0)


def dims_present_for_all(table: pd.DataFrame) -> int:
    """How many dimensions have a cell (any basis) for every model in the table."""
    models = table["model_id"].nunique()
    per_dim = table.groupby("dimension_id")["model_id"].nunique()
    return int((per_dim == models).sum())


def fact_share(table: pd.DataFrame) -> float:
    """Share of cells that rest on a fact with a source and a date."""
    sourced = table["basis"].eq(FACT) & table["source"].notna() & table["as_of"].notna()
    return float(sourced.mean()) if len(table) else math.nan


def arena_top(facts: pd.DataFrame, top: int = ARENA_TOP) -> list[str]:
    """The ids of the `top` models with the highest LMArena text score in the store."""
    return facts.dropna(subset=["arena_score"]).nlargest(top, "arena_score")["model_id"].tolist()
