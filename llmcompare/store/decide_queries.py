"""Read queries for the Decide pages: the advisor's fact table, benchmark choices, FMTI history, price points, runs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, Engine, Integer, cast, func, select, text
from sqlalchemy.orm import aliased

from llmcompare.store import models as m
from llmcompare.store.identity import name_index, spec_identity
from llmcompare.store.queries import (
    ARENA_BENCHMARK,
    TOTAL_DOMAIN,
    SourceRef,
    blended_price,
    catalog,
    read_frame,
    source_refs,
    with_sources,
)

RUNS_SOURCE = "Playground runs stored in this database"
# The playground's tables belong to another module; they are read only when a migration has created them.
RUN_SIDES_SQL = text(
    "SELECT s.run_id, s.position, s.provider_spec, s.model_name, s.ttft_s, s.total_s, s.input_tokens, "
    "s.output_tokens, s.tokens_per_s, s.tokens_estimated, s.cost_usd, s.error, r.created_at "
    "FROM run_sides s JOIN runs r ON r.id = s.run_id ORDER BY s.run_id, s.position"
)
VOTES_SQL = text("SELECT run_id, winner, created_at FROM votes ORDER BY id")
FACT_SOURCES = ("license", "price", "context", "arena", "openness", "fmti")


def _licence_terms(conn: Connection) -> pd.DataFrame:
    """Per model: licence terms, parameters, and the date of the source behind its own context window."""
    lic, context_source = m.License, aliased(m.Source)
    stmt = select(
        m.Model.id.label("model_id"),
        m.Model.developer_id,
        m.Model.params_b,
        lic.kind.label("license_kind"),
        lic.modification,
        lic.redistribution,
        lic.use_policy,
        lic.as_of.label("license_as_of"),
        (m.Model.context_window.is_(None)).label("context_from_price"),
        func.coalesce(context_source.as_of, m.Model.as_of).label("model_context_as_of"),
    ).join(lic, m.Model.license_id == lic.id)
    stmt = stmt.outerjoin(context_source, context_source.id == m.Model.context_source_id)
    return read_frame(conn, stmt)


def _offerings(conn: Connection) -> pd.DataFrame:
    """Per model: whether any dated price point exists, and whether one is sold by the developer itself."""
    stmt = select(
        m.Price.model_id,
        func.max(cast(m.Price.first_party, Integer)).label("first_party_offering"),  # PostgreSQL has no max(boolean)
        func.count(func.distinct(m.Price.provider)).label("providers"),
    ).group_by(m.Price.model_id)
    return read_frame(conn, stmt)


def _latest_scores(conn: Connection, benchmark_id: str) -> pd.DataFrame:
    """Each model's newest score on one benchmark, the best one where a source lists several on that date."""
    r = m.BenchmarkResult
    stmt = select(r.model_id, r.score, r.as_of, r.source_id).where(r.benchmark_id == benchmark_id)
    scores = read_frame(conn, stmt).sort_values(["model_id", "as_of", "score"], ascending=[True, False, False])
    return scores.drop_duplicates("model_id")


def _cited(frame: pd.DataFrame, fact: str, refs: dict[str, SourceRef]) -> pd.DataFrame:
    """Turn a catalogue source reference into a title and a link, so reasons can cite it readably."""
    by_ref = {r.ref: r for r in refs.values()}
    ref = frame[f"{fact}_source"].map(lambda v: by_ref.get(v) if isinstance(v, str) else None)
    frame[f"{fact}_source"] = ref.map(lambda r: r.title if r else None)
    frame[f"{fact}_url"] = ref.map(lambda r: r.url if r else None)
    return frame


def decision_facts(
    engine: Engine, benchmark_id: str = ARENA_BENCHMARK, catalogue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per model with every fact the advisor scores, each with its source title, link and as-of date.

    catalogue: `catalog(engine)` when the caller already has it (the app caches it), to save reading it again."""
    facts = catalog(engine) if catalogue is None else catalogue.copy()
    with engine.connect() as conn:
        refs = source_refs(conn)
        terms = _licence_terms(conn)
        offerings = _offerings(conn)
        quality = _latest_scores(conn, benchmark_id)
        bench = conn.execute(select(m.BenchmarkDef.name, m.BenchmarkDef.unit).where(m.BenchmarkDef.id == benchmark_id))
        bench_name, bench_unit = bench.one_or_none() or (benchmark_id, "")
    for fact in FACT_SOURCES:
        facts = _cited(facts, fact, refs)
    facts = facts.merge(terms, on="model_id", how="left").merge(offerings, on="model_id", how="left")
    facts["first_party_offering"] = facts["first_party_offering"].fillna(0).astype(bool)
    facts["providers"] = facts["providers"].fillna(0).astype(int)
    facts["blended"] = blended_price(facts["input_usd_per_1m"], facts["output_usd_per_1m"])
    facts["context_as_of"] = facts["price_as_of"].where(facts["context_from_price"], facts["model_context_as_of"])
    facts.loc[facts["context_window"].isna(), "context_as_of"] = None
    quality = quality.rename(columns={"score": "quality", "as_of": "quality_as_of", "source_id": "quality_source_id"})
    facts = facts.merge(quality, on="model_id", how="left")
    facts["quality_source"] = facts["quality_source_id"].map(lambda s: refs[s].title if isinstance(s, str) else None)
    facts["quality_url"] = facts["quality_source_id"].map(lambda s: refs[s].url if isinstance(s, str) else None)
    facts["quality_name"], facts["quality_unit"] = bench_name, bench_unit
    facts = facts.merge(measured_latency(engine, facts), on="model_id", how="left")
    return facts.drop(columns=["quality_source_id", "context_from_price", "model_context_as_of"])


def benchmark_options(engine: Engine) -> pd.DataFrame:
    """Benchmarks with how many models they score, most-covered first: for the quality picker."""
    r, d = m.BenchmarkResult, m.BenchmarkDef
    stmt = (
        select(d.id, d.name, d.unit, func.count(func.distinct(r.model_id)).label("models"))
        .join(r, r.benchmark_id == d.id)
        .group_by(d.id, d.name, d.unit)
        .order_by(func.count(func.distinct(r.model_id)).desc(), d.name)
    )
    with engine.connect() as conn:
        return read_frame(conn, stmt)


def fmti_history(engine: Engine) -> pd.DataFrame:
    """Every developer's FMTI total per edition (scaled to 100), with how many open and closed models it has."""
    t = m.TransparencyScore
    stmt = (
        select(
            m.Developer.id.label("developer_id"),
            m.Developer.name.label("developer"),
            t.edition,
            t.score,
            t.max_score,
            t.as_of,
            t.source_id,
        )
        .join(m.Developer, m.Developer.id == t.developer_id)
        .where(t.domain == TOTAL_DOMAIN)
        .order_by(t.as_of, m.Developer.name)
    )
    access = select(m.Model.developer_id, m.Model.access, func.count().label("n")).group_by(
        m.Model.developer_id, m.Model.access
    )
    with engine.connect() as conn:
        totals = with_sources(read_frame(conn, stmt), source_refs(conn))
        counts = read_frame(conn, access)
    totals["fmti"] = totals["score"] * 100.0 / totals["max_score"]
    mix = counts.pivot_table(index="developer_id", columns="access", values="n", fill_value=0)
    mix = mix.reindex(columns=list(m.ACCESS_TYPES), fill_value=0).reset_index()
    return totals.merge(mix, on="developer_id", how="left").fillna({a: 0 for a in m.ACCESS_TYPES})


def price_points(engine: Engine, model_ids: Sequence[str]) -> pd.DataFrame:
    """Every dated price point of these models, with blended price, access and source; oldest first."""
    p = m.Price
    stmt = (
        select(
            p.model_id,
            m.Model.name.label("model"),
            m.Model.access,
            p.provider,
            p.first_party,
            p.offering,
            p.input_usd_per_1m,
            p.output_usd_per_1m,
            p.as_of,
            p.source_id,
        )
        .join(m.Model, m.Model.id == p.model_id)
        .where(p.model_id.in_(list(model_ids)))
        .order_by(p.as_of, p.offering)
    )
    with engine.connect() as conn:
        points = with_sources(read_frame(conn, stmt), source_refs(conn))
    points["blended"] = blended_price(points["input_usd_per_1m"], points["output_usd_per_1m"])
    return points


def licence_terms(engine: Engine) -> pd.DataFrame:
    """Each licence in use with its structured terms, how many models use it, and its source."""
    lic = m.License
    stmt = (
        select(
            lic.id,
            lic.name,
            lic.kind,
            lic.commercial_use,
            lic.user_threshold_mau,
            lic.modification,
            lic.redistribution,
            lic.use_policy,
            lic.as_of,
            lic.source_id,
            func.count(m.Model.id).label("models"),
        )
        .join(m.Model, m.Model.license_id == lic.id)
        .group_by(lic.id)
        .order_by(func.count(m.Model.id).desc(), lic.name)
    )
    with engine.connect() as conn:
        return with_sources(read_frame(conn, stmt), source_refs(conn))


def run_sides(engine: Engine) -> pd.DataFrame:
    """Every side of every playground run, empty when the playground's tables do not exist yet.

    model_id and model_name come from the identity module (the catalogue model the side's spec reaches, and the
    one grouping key every runs and votes table uses); the name the provider reported stays in reported_name."""
    with engine.connect() as conn:
        result = conn.execute(RUN_SIDES_SQL)
        sides = pd.DataFrame(result.all(), columns=list(result.keys()))
    index = name_index(engine)
    found = [spec_identity(index, spec) for spec in sides["provider_spec"]]
    sides = sides.rename(columns={"model_name": "reported_name"})
    sides["model_id"] = [model_id for model_id, _ in found]
    sides["model_name"] = [key for _, key in found]
    return sides


def run_votes(engine: Engine) -> pd.DataFrame:
    """Every blind vote."""
    with engine.connect() as conn:
        result = conn.execute(VOTES_SQL)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def measured_latency(engine: Engine, facts: pd.DataFrame) -> pd.DataFrame:
    """Per catalogue model, median time to first token and tokens/s of successful runs; no rows when none ran."""
    columns = ["model_id", "latency_s", "speed_tps", "latency_runs", "latency_as_of", "latency_source"]
    sides = run_sides(engine)
    if sides.empty:
        return pd.DataFrame(columns=columns)
    ok = sides[sides["model_id"].isin(facts["model_id"]) & sides["error"].isna() & sides["ttft_s"].notna()]
    if ok.empty:
        return pd.DataFrame(columns=columns)
    grouped = ok.groupby("model_id").agg(
        latency_s=("ttft_s", "median"),
        speed_tps=("tokens_per_s", "median"),
        latency_runs=("ttft_s", "size"),
        latency_as_of=("created_at", "max"),
    )
    grouped["latency_as_of"] = pd.to_datetime(grouped["latency_as_of"]).dt.date
    grouped["latency_source"] = RUNS_SOURCE
    return grouped.reset_index()[columns]


def runs_version(engine: Engine) -> tuple[int, int]:
    """How many run sides and votes exist: changes whenever the playground stores something, for cache keys."""
    with engine.connect() as conn:
        sides, votes = (
            conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() for table in ("run_sides", "votes")
        )
    return sides, votes
