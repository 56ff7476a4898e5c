"""Read queries for pages, exports and reports: DataFrames and small dataclasses, filtered in SQL, never streamlit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, Executable, Select, Subquery, and_, case, func, inspect, select, union_all

from llmcompare.identity.corrections import artefact_reasons
from llmcompare.store import models as m
from llmcompare.store.models import FACTS_VERSION_KEY, SEED_DIGEST_KEY

ARENA_BENCHMARK = "lmarena_text"
EU_OSAI, OUC = "eu_osai", "ouc"
OPENNESS_SCHEMES = (EU_OSAI, OUC)  # preferred first: the EU index supersedes Opening up ChatGPT
TOTAL_DOMAIN = "Total"
GRADE_POINTS = {"open": 1.0, "partial": 0.5, "closed": 0.0}
BLEND_INPUT_SHARE = 0.75  # 3 input tokens for every output token, the usual blended-price convention

CATALOG_COLUMNS = [
    "model_id", "model", "developer", "access", "license", "commercial_use", "user_threshold",
    "input_usd_per_1m", "output_usd_per_1m", "price_as_of", "price_provider", "context_window", "arena_score",
    "openness", "openness_scheme", "fmti_latest", "fmti_edition",
    "license_source", "price_source", "context_source", "arena_source", "openness_source", "fmti_source",
    "arena_as_of", "openness_as_of", "fmti_as_of",
]  # fmt: skip


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from: a title to show, a link to follow (None for offline sources) and an export reference."""

    title: str
    url: str | None
    ref: str


@dataclass(frozen=True)
class Headline:
    """The store at a glance, for the home page and the sidebar."""

    models: int
    open_weights: int
    api_only: int
    developers: int
    licenses: int
    price_points: int
    benchmarks: int
    benchmark_results: int
    sources: int
    oldest_fact: date | None
    newest_fact: date | None


def read_frame(conn: Connection, stmt: Executable) -> pd.DataFrame:
    """Run a select and return its rows as a DataFrame with the selected column names."""
    result = conn.execute(stmt)
    # Plain tuples: pandas probes every SQLAlchemy Row for attributes, which made big frames about 7x slower to build.
    return pd.DataFrame([tuple(row) for row in result], columns=list(result.keys()))


def _only(stmt: Select, column, ids: Sequence[str] | None) -> Select:
    return stmt if ids is None else stmt.where(column.in_(list(ids)))


def _source_ref(title: str, url: str | None, path: str | None, commit: str | None) -> SourceRef:
    """A GitHub file becomes a permalink; other paths are written beside the URL; no URL leaves path or title."""
    if url and path and url.startswith("https://github.com/"):
        link = f"{url.rstrip('/')}/blob/{commit or 'HEAD'}/{path}"
        return SourceRef(title, link, link)
    if url:
        return SourceRef(title, url, f"{url} ({path})" if path else url)
    return SourceRef(title, None, path or title)


def source_refs(conn: Connection) -> dict[str, SourceRef]:
    """All sources by id; the table is small and nearly every fact points into it."""
    rows = conn.execute(select(m.Source.id, m.Source.title, m.Source.url, m.Source.path, m.Source.commit)).all()
    return {r.id: _source_ref(r.title, r.url, r.path, r.commit) for r in rows}


def data_version(engine: Engine) -> str | None:
    """The seed digest the database was built from, plus the last import or rollback; None when not built yet."""
    if not inspect(engine).has_table(m.Meta.__tablename__):
        return None
    with engine.connect() as conn:
        return version_of(conn)


def version_of(conn: Connection) -> str | None:
    """data_version read on an open connection, e.g. inside the transaction about to change the data."""
    keys = (SEED_DIGEST_KEY, FACTS_VERSION_KEY)
    values = dict(conn.execute(select(m.Meta.key, m.Meta.value).where(m.Meta.key.in_(keys))).all())
    seed, facts = values.get(SEED_DIGEST_KEY), values.get(FACTS_VERSION_KEY)
    return f"{seed}+{facts}" if seed and facts else seed


def headline_figures(engine: Engine) -> Headline:
    """Counts and the date range of every dated fact."""
    fact_tables = (m.Model, m.License, m.Price, m.BenchmarkResult, m.OpennessGrade, m.TransparencyScore, m.Dimension)
    dates = union_all(
        *(select(func.min(t.as_of).label("lo"), func.max(t.as_of).label("hi")) for t in fact_tables)
    ).subquery()
    with engine.connect() as conn:
        by_access = dict(conn.execute(select(m.Model.access, func.count()).group_by(m.Model.access)).all())
        spans = conn.execute(select(dates.c.lo, dates.c.hi)).all()
        los = [d for d, _ in spans if d is not None]
        his = [d for _, d in spans if d is not None]
        return Headline(
            models=sum(by_access.values()),
            open_weights=by_access.get(m.OPEN_WEIGHTS, 0),
            api_only=by_access.get(m.API_ONLY, 0),
            developers=conn.scalar(select(func.count(func.distinct(m.Model.developer_id)))),
            licenses=conn.scalar(select(func.count()).select_from(m.License)),
            price_points=conn.scalar(select(func.count()).select_from(m.Price)),
            benchmarks=conn.scalar(select(func.count(func.distinct(m.BenchmarkResult.benchmark_id)))),
            benchmark_results=conn.scalar(select(func.count()).select_from(m.BenchmarkResult)),
            sources=conn.scalar(select(func.count()).select_from(m.Source)),
            oldest_fact=_as_date(min(los)) if los else None,
            newest_fact=_as_date(max(his)) if his else None,
        )


def _as_date(value: date | str) -> date:
    # A UNION loses the column type, so SQLite hands back ISO strings.
    return value if isinstance(value, date) else date.fromisoformat(value)


def blended_price(input_usd: pd.Series | float, output_usd: pd.Series | float) -> pd.Series | float:
    """Price per 1M tokens at 3 input : 1 output."""
    return BLEND_INPUT_SHARE * input_usd + (1 - BLEND_INPUT_SHARE) * output_usd


def _current_prices(conn: Connection, ids: Sequence[str] | None) -> pd.DataFrame:
    """One price per model: newest date, first party preferred, else the cheapest blended offering; no artefacts."""
    newest = _only(
        select(m.Price.model_id, func.max(m.Price.as_of).label("as_of")).group_by(m.Price.model_id),
        m.Price.model_id,
        ids,
    ).subquery()
    stmt = select(
        m.Price.model_id,
        m.Price.provider,
        m.Price.first_party,
        m.Price.offering,
        m.Price.input_usd_per_1m,
        m.Price.output_usd_per_1m,
        m.Price.context_window.label("offering_context"),
        m.Price.as_of,
        m.Price.source_id,
    ).join(newest, and_(m.Price.model_id == newest.c.model_id, m.Price.as_of == newest.c.as_of))
    points = read_frame(conn, stmt)
    # Artefact prices (per-request, free tiers, reviewed flags) stay in the history but never stand for a model.
    points = points[pd.Series([r is None for r in artefact_reasons(points)], index=points.index, dtype=bool)]
    points["blended"] = blended_price(points["input_usd_per_1m"], points["output_usd_per_1m"])
    points = points.sort_values(["model_id", "first_party", "blended", "offering"], ascending=[True, False, True, True])
    return points.drop_duplicates("model_id")


def _latest_arena(conn: Connection, ids: Sequence[str] | None) -> pd.DataFrame:
    result = m.BenchmarkResult
    stmt = select(result.model_id, result.score, result.as_of, result.source_id).where(
        result.benchmark_id == ARENA_BENCHMARK
    )
    scores = read_frame(conn, _only(stmt, result.model_id, ids))
    scores = scores.sort_values(["model_id", "as_of", "score"], ascending=[True, False, False])
    return scores.drop_duplicates("model_id")


def current_grades() -> Subquery:
    """The newest grade of each model, index and dimension: an imported edition supersedes older grades."""
    g = m.OpennessGrade
    newest_first = func.row_number().over(
        partition_by=(g.model_id, g.scheme, g.dimension), order_by=(g.as_of.desc(), g.id.desc())
    )
    ranked = select(g, newest_first.label("rank")).subquery()
    return select(ranked).where(ranked.c.rank == 1).subquery("grades")


def _openness(conn: Connection, ids: Sequence[str] | None) -> pd.DataFrame:
    """Percentage of points over graded dimensions (open 1, partial 0.5, closed 0), EU OSAI preferred over OUC."""
    grade = current_grades().c
    points = case(*((grade.grade == g, p) for g, p in GRADE_POINTS.items()))
    stmt = (
        select(
            grade.model_id,
            grade.scheme,
            (func.avg(points) * 100).label("openness"),
            func.max(grade.as_of).label("as_of"),
            func.max(grade.source_id).label("source_id"),
        )
        .where(grade.grade.is_not(None), grade.scheme.in_(OPENNESS_SCHEMES))
        .group_by(grade.model_id, grade.scheme)
    )
    scores = read_frame(conn, _only(stmt, grade.model_id, ids))
    scores["rank"] = scores["scheme"].map(OPENNESS_SCHEMES.index)
    return scores.sort_values(["model_id", "rank"]).drop_duplicates("model_id").drop(columns="rank")


def _latest_fmti(conn: Connection, developer_ids: Sequence[str]) -> pd.DataFrame:
    """Each developer's Total from its newest FMTI edition, scaled to 100."""
    score = m.TransparencyScore
    stmt = select(score.developer_id, score.edition, score.score, score.max_score, score.as_of, score.source_id).where(
        score.domain == TOTAL_DOMAIN, score.developer_id.in_(list(developer_ids))
    )
    totals = read_frame(conn, stmt)
    totals["fmti"] = totals["score"] * 100.0 / totals["max_score"]
    return totals.sort_values(["developer_id", "as_of"], ascending=[True, False]).drop_duplicates("developer_id")


def _model_rows(conn: Connection, ids: Sequence[str] | None) -> pd.DataFrame:
    stmt = (
        select(
            m.Model.id.label("model_id"),
            m.Model.name.label("model"),
            m.Model.developer_id,
            m.Developer.name.label("developer"),
            m.Model.access,
            m.License.name.label("license"),
            m.License.commercial_use,
            m.License.user_threshold_mau.label("user_threshold"),
            m.License.source_id.label("license_source_id"),
            m.Model.context_window,
            m.Model.context_source_id,
        )
        .join(m.Developer, m.Model.developer_id == m.Developer.id)
        .join(m.License, m.Model.license_id == m.License.id)
        .order_by(func.lower(m.Model.name))
    )
    return read_frame(conn, _only(stmt, m.Model.id, ids))


def _pick(frame: pd.DataFrame, key: str, columns: dict[str, str]) -> pd.DataFrame:
    """Keep the join key plus the renamed columns, so merges never collide."""
    return frame[[key, *columns]].rename(columns=columns)


def catalog(engine: Engine, model_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per model with its key facts and a source per fact; CATALOG_COLUMNS in that order."""
    with engine.connect() as conn:
        refs = source_refs(conn)
        out = _model_rows(conn, model_ids)
        prices = _current_prices(conn, model_ids)
        arena = _latest_arena(conn, model_ids)
        openness = _openness(conn, model_ids)
        fmti = _latest_fmti(conn, out["developer_id"].unique().tolist())
    price_cols = {"input_usd_per_1m": "input_usd_per_1m", "output_usd_per_1m": "output_usd_per_1m"}
    price_cols |= {"as_of": "price_as_of", "provider": "price_provider", "source_id": "price_source_id"}
    price_cols |= {"offering_context": "price_context"}
    out = out.merge(_pick(prices, "model_id", price_cols), on="model_id", how="left")
    arena_cols = {"score": "arena_score", "as_of": "arena_as_of", "source_id": "arena_source_id"}
    out = out.merge(_pick(arena, "model_id", arena_cols), on="model_id", how="left")
    openness_cols = {"openness": "openness", "scheme": "openness_scheme", "as_of": "openness_as_of"}
    openness_cols |= {"source_id": "openness_source_id"}
    out = out.merge(_pick(openness, "model_id", openness_cols), on="model_id", how="left")
    fmti_cols = {"fmti": "fmti_latest", "edition": "fmti_edition", "as_of": "fmti_as_of", "source_id": "fmti_source_id"}
    out = out.merge(_pick(fmti, "developer_id", fmti_cols), on="developer_id", how="left")
    # The model record's context window wins; the current offering's window fills the gap and brings its source.
    use_offering = out["context_window"].isna() & out["price_context"].notna()
    out["context_window"] = out["context_window"].where(~use_offering, out["price_context"]).astype("Int64")
    out["context_source_id"] = out["context_source_id"].where(~use_offering, out["price_source_id"])
    out["user_threshold"] = out["user_threshold"].astype("Int64")
    for fact in ("license", "price", "context", "arena", "openness", "fmti"):
        out[f"{fact}_source"] = out[f"{fact}_source_id"].map(
            lambda sid: refs[sid].ref if isinstance(sid, str) else None
        )
    return out[CATALOG_COLUMNS].reset_index(drop=True)


def catalog_lookup(engine: Engine) -> pd.DataFrame:
    """Per model: every alias joined into one searchable string, and how many benchmark results it has."""
    with engine.connect() as conn:
        names: dict[str, list[str]] = {}
        for model_id, name in conn.execute(select(m.Alias.model_id, m.Alias.name)):
            names.setdefault(model_id, []).append(name)  # a plain dict: a pandas join per group was 40x slower
        counts = read_frame(
            conn,
            select(m.BenchmarkResult.model_id, func.count().label("benchmarks")).group_by(m.BenchmarkResult.model_id),
        )
        ids = read_frame(conn, select(m.Model.id.label("model_id")))
    aliases = pd.DataFrame({"model_id": list(names), "aliases": [" | ".join(n) for n in names.values()]})
    out = ids.merge(aliases, how="left").merge(counts, how="left")
    out["aliases"] = out["aliases"].fillna("")
    out["benchmarks"] = out["benchmarks"].fillna(0).astype(int)
    return out


def model_rows(*columns) -> Select:
    """model_id, model, developer and access of every model, then any further columns asked for."""
    names = (m.Model.id.label("model_id"), m.Model.name.label("model"), m.Developer.name.label("developer"))
    return select(*names, m.Model.access, *columns).join(m.Developer, m.Model.developer_id == m.Developer.id)


def model_choices(engine: Engine) -> pd.DataFrame:
    """model_id, model, developer and access of every model, for pickers."""
    with engine.connect() as conn:
        return read_frame(conn, model_rows().order_by(func.lower(m.Model.name)))


def with_sources(frame: pd.DataFrame, refs: dict[str, SourceRef]) -> pd.DataFrame:
    """Swap source_id for the source's title and link."""
    frame = frame.copy()
    frame["source"] = frame["source_id"].map(lambda sid: refs[sid].title)
    frame["source_url"] = frame["source_id"].map(lambda sid: refs[sid].url)
    return frame.drop(columns="source_id")


def price_history(engine: Engine, model_id: str) -> pd.DataFrame:
    """Every dated price point of the model's offerings, oldest first, with blended price, source and artefact.

    artefact says why a listed price is not what the model costs (None for a real price)."""
    p = m.Price
    stmt = (
        select(
            p.offering,
            p.provider,
            p.first_party,
            p.input_usd_per_1m,
            p.output_usd_per_1m,
            p.cached_input_usd_per_1m,
            p.context_window,
            p.as_of,
            p.source_id,
        )
        .where(p.model_id == model_id)
        .order_by(p.as_of, p.offering)
    )
    with engine.connect() as conn:
        points = read_frame(conn, stmt)
        history = with_sources(points.assign(artefact=artefact_reasons(points)), source_refs(conn))
    history["cached_input_usd_per_1m"] = history["cached_input_usd_per_1m"].astype(float)
    history["blended_usd_per_1m"] = blended_price(history["input_usd_per_1m"], history["output_usd_per_1m"])
    return history


def current_prices(history: pd.DataFrame) -> pd.DataFrame:
    """The newest point of each offering in a price history, first party first, then cheapest."""
    latest = history.sort_values("as_of").drop_duplicates("offering", keep="last")
    return latest.sort_values(["first_party", "blended_usd_per_1m"], ascending=[False, True]).reset_index(drop=True)


def dimensions(engine: Engine) -> pd.DataFrame:
    """The qualitative open-vs-closed trade-offs with their sources, grouped."""
    d = m.Dimension
    stmt = select(d.id, d.name, d.group, d.open_side, d.closed_side, d.favours, d.as_of, d.source_id).order_by(
        d.group, d.name
    )
    with engine.connect() as conn:
        return with_sources(read_frame(conn, stmt), source_refs(conn))
