"""Provider data-handling terms and per-model lifecycle facts, as tables for pages, charts and exports.

provider_policies(engine) is the provider x attribute matrix, one row per cell:
    provider        provider id ('openai', 'amazon-bedrock', ...)
    provider_name   display name
    attribute       one of ATTRIBUTES (in that order), label in attribute_label
    value           a short statement; for basis 'none' it says that the pages searched did not say
    answer          'yes' | 'no' | 'conditional' for facts, None for 'none'
    basis           'fact' | 'none'
    source          the page's URL (None for 'none')
    source_id       the source row's id
    as_of           the date the page states, or None when it shows none (or for 'none')
    retrieved       when the page was read
    quote           a short verbatim line from the page
model_facts(engine, attributes) is one row per model fact: model_id, model, attribute, value, number, detail,
as_of, source_id, source.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, select

from llmcompare.store import models as m
from llmcompare.store.policy_tables import ATTRIBUTES

POLICY_COLUMNS = [
    "provider",
    "provider_name",
    "attribute",
    "attribute_label",
    "value",
    "answer",
    "basis",
    "source",
    "source_id",
    "as_of",
    "retrieved",
    "quote",
]
MODEL_FACT_COLUMNS = ["model_id", "model", "attribute", "value", "number", "detail", "as_of", "source_id", "source"]


def provider_policies(engine: Engine) -> pd.DataFrame:
    """Every provider x attribute cell with its basis and source, providers A-Z, attributes in ATTRIBUTES order."""
    p, s = m.ProviderPolicy, m.Source
    stmt = select(
        p.provider,
        p.provider_name,
        p.attribute,
        p.value,
        p.answer,
        p.basis,
        s.url.label("source"),
        p.source_id,
        p.as_of,
        s.retrieved,
        p.quote,
    ).outerjoin(s, s.id == p.source_id)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=POLICY_COLUMNS)
    frame["attribute_label"] = frame["attribute"].map(ATTRIBUTES).fillna(frame["attribute"])
    order = {name: i for i, name in enumerate(ATTRIBUTES)}
    frame["_order"] = frame["attribute"].map(order)
    frame = frame.sort_values(["provider_name", "_order"], kind="stable")
    return frame[POLICY_COLUMNS].reset_index(drop=True)


def model_facts(engine: Engine, attributes: Iterable[str] | None = None) -> pd.DataFrame:
    """Sourced per-model facts (hosts, deprecation dates, training compute and cost, Hub likes, derivatives)."""
    f, s, mod = m.ModelFact, m.Source, m.Model
    stmt = (
        select(
            f.model_id,
            mod.name.label("model"),
            f.attribute,
            f.value,
            f.number,
            f.detail,
            f.as_of,
            f.source_id,
            s.url.label("source"),
        )
        .join(mod, mod.id == f.model_id)
        .join(s, s.id == f.source_id)
        .order_by(f.model_id, f.attribute, f.detail)
    )
    if attributes is not None:
        stmt = stmt.where(f.attribute.in_(list(attributes)))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    return frame if not frame.empty else pd.DataFrame(columns=MODEL_FACT_COLUMNS)
