"""One model's fact sheet: every fact the store holds about it, each with its source and as-of date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from llmcompare.identity.corrections import Corrections, reviewed_corrections
from llmcompare.store import models as m
from llmcompare.store.queries import (
    SourceRef,
    catalog,
    current_grades,
    price_history,
    read_frame,
    source_refs,
    with_sources,
)


@dataclass(frozen=True)
class LicenseTerms:
    """A licence's structured terms with their provenance."""

    id: str
    name: str
    kind: str
    spdx_id: str | None
    osi_approved: bool
    commercial_use: str
    user_threshold_mau: int | None
    use_policy: bool
    modification: str
    redistribution: str
    attribution: str | None
    summary: str
    text_url: str | None
    source: SourceRef
    as_of: date


@dataclass(frozen=True)
class Cited:
    """One value with its source and as-of date."""

    value: object
    source: SourceRef | None
    as_of: date | None


@dataclass(frozen=True)
class ModelDetail:
    """Everything about one model; each table carries source, source_url and as_of columns."""

    model_id: str
    name: str
    developer: str
    family: str | None
    access: str
    summary: pd.Series  # the model's catalogue row: current price, scores, and a source per fact
    identity: Cited  # the model record itself
    release_date: Cited
    params_b: Cited
    context_window: Cited
    license: LicenseTerms
    prices: pd.DataFrame  # every dated price point, oldest first
    benchmarks: pd.DataFrame
    openness: pd.DataFrame
    transparency: pd.DataFrame  # the developer's FMTI scores
    aliases: pd.DataFrame
    overrides: tuple[Override, ...] = ()  # where a reviewed correction replaced what a source said


@dataclass(frozen=True)
class Override:
    """A source value the correction file replaced on this model: what, from what, to what, why, and the evidence."""

    fact: str
    source_value: object
    value: object
    reason: str
    evidence_url: str
    evidence_quote: str


def overrides_for(model_id: str, fixes: Corrections) -> tuple[Override, ...]:
    """The corrections and lineage entries that changed this model's facts."""
    out = [
        Override(c.field, c.source_value, c.value, c.reason, c.evidence.url, c.evidence.quote)
        for c in fixes.for_model(model_id)
    ]
    for entry in fixes.lineage:
        if entry.model == model_id:
            licence = entry.own_license or f"the licence of its base model {entry.base}"
            reason = f"A derivative of {entry.base}; it takes {licence}."
            out.append(Override("license_id", None, licence, reason, entry.evidence.url, entry.evidence.quote))
    return tuple(out)


def _benchmarks(conn: Connection, model_id: str, refs: dict[str, SourceRef]) -> pd.DataFrame:
    result, bench = m.BenchmarkResult, m.BenchmarkDef
    stmt = (
        select(bench.name.label("benchmark"), result.score, bench.unit, result.setting, result.as_of, result.source_id)
        .join(bench, result.benchmark_id == bench.id)
        .where(result.model_id == model_id)
        .order_by(bench.name, result.as_of.desc())
    )
    return with_sources(read_frame(conn, stmt), refs)


def _openness(conn: Connection, model_id: str, refs: dict[str, SourceRef]) -> pd.DataFrame:
    g = current_grades().c
    stmt = (
        select(g.scheme, g.system_name, g.dimension, g.grade, g.evidence_url, g.as_of, g.source_id)
        .where(g.model_id == model_id)
        .order_by(g.scheme, g.id)
    )
    return with_sources(read_frame(conn, stmt), refs)


def _transparency(conn: Connection, developer_id: str, refs: dict[str, SourceRef]) -> pd.DataFrame:
    t = m.TransparencyScore
    stmt = (
        select(t.edition, t.domain, t.score, t.max_score, t.as_of, t.source_id)
        .where(t.developer_id == developer_id)
        .order_by(t.as_of, t.id)
    )
    return with_sources(read_frame(conn, stmt), refs)


def _license_terms(lic: m.License, refs: dict[str, SourceRef]) -> LicenseTerms:
    fields = {name: getattr(lic, name) for name in LicenseTerms.__dataclass_fields__ if name != "source"}
    return LicenseTerms(**fields, source=refs[lic.source_id])


def _context(model: m.Model, summary: pd.Series, prices: pd.DataFrame, refs: dict[str, SourceRef]) -> Cited:
    """The model record's context window, or, as in the catalogue, the current offering's with its price source."""
    if model.context_window is not None:
        return Cited(model.context_window, refs.get(model.context_source_id or ""), model.as_of)
    current = prices[(prices["as_of"] == summary["price_as_of"]) & (prices["provider"] == summary["price_provider"])]
    if current.empty or pd.isna(summary["context_window"]):
        return Cited(None, None, None)
    point = current.iloc[0]
    return Cited(int(summary["context_window"]), SourceRef(point["source"], point["source_url"], ""), point["as_of"])


def model_detail(engine: Engine, model_id: str) -> ModelDetail | None:
    """Everything about one model, or None when the id is unknown."""
    with Session(engine) as session:
        model = session.get(m.Model, model_id)
        if model is None:
            return None
        conn = session.connection()
        refs = source_refs(conn)
        benchmarks = _benchmarks(conn, model_id, refs)
        openness = _openness(conn, model_id, refs)
        transparency = _transparency(conn, model.developer_id, refs)
        alias = m.Alias
        aliases = read_frame(
            conn, select(alias.scheme, alias.name).where(alias.model_id == model_id).order_by("scheme")
        )
        developer, licence = model.developer.name, _license_terms(model.license, refs)
    prices = price_history(engine, model_id)
    summary = catalog(engine, [model_id]).iloc[0]
    cite = lambda value, sid: Cited(value, refs.get(sid or ""), model.as_of)  # noqa: E731
    return ModelDetail(
        model_id=model.id,
        name=model.name,
        developer=developer,
        family=model.family,
        access=model.access,
        summary=summary,
        identity=cite(model.name, model.source_id),
        release_date=cite(model.release_date, model.release_source_id),
        params_b=cite(model.params_b, model.params_source_id),
        context_window=_context(model, summary, prices, refs),
        license=licence,
        prices=prices,
        benchmarks=benchmarks,
        openness=openness,
        transparency=transparency,
        aliases=aliases,
        overrides=overrides_for(model.id, reviewed_corrections()),
    )
