"""Read queries behind the dimension table: per-model facts the advisor's table does not carry, each with its source."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from llmcompare.store import models as m
from llmcompare.store.intervals import interval_bounds
from llmcompare.store.queries import OPENNESS_SCHEMES, current_grades, read_frame, source_refs

# Ability across languages: the mean of a model's LMArena ratings in the non-English language categories where the
# store has them, else a multilingual benchmark (MGSM, maths in ten languages).
LANGUAGE_PREFIX = "lmarena_language_"
NOT_OTHER_LANGUAGES = ("lmarena_language_english",)
MULTILINGUAL_BENCHMARKS = ("mgsm",)
# Where a model is strong: LMArena's category boards (tasks, languages, industries) against its overall board.
ARENA_OVERALL = "lmarena_text"
CATEGORY_PREFIX = "lmarena_"
STRENGTHS_SHOWN = 2
ACTIVE_PARAMS = "params_active_b"  # llmcompare.facts.model_sizes
CADENCE_DAYS = 365
# Openness-index dimensions grouped by the article dimension they answer (both indexes' names).
GRADE_GROUPS = {
    "code": ("code", "trainingcode", "opencode", "weights_endmodel", "weights_basemodel", "llmweights", "rlweights"),
    "data": ("datasources_basemodel", "datasources_endmodel", "datasheet", "llmdata", "rldata"),
    "repro": ("trainingcode", "code", "datasources_basemodel", "datasources_endmodel", "llmdata", "paper", "preprint"),
    "docs": ("modelcard", "datasheet", "paper"),
}
GRADE_POINTS = {"open": 1.0, "partial": 0.5, "closed": 0.0}


def _models(conn) -> pd.DataFrame:
    """Per model: its own source and date, release date, size and developer's country, each with its source id."""
    dev = aliased(m.Developer)
    params_src = aliased(m.Source)
    stmt = select(
        m.Model.id.label("model_id"),
        m.Model.family,
        m.Model.source_id.label("model_source_id"),
        m.Model.as_of.label("model_as_of"),
        m.Model.release_date,
        m.Model.release_source_id,
        m.Model.params_source_id,
        params_src.as_of.label("params_as_of"),
        params_src.retrieved.label("params_retrieved"),
        dev.country,
        dev.source_id.label("developer_source_id"),
        dev.as_of.label("developer_as_of"),
    ).join(dev, dev.id == m.Model.developer_id)
    stmt = stmt.outerjoin(params_src, params_src.id == m.Model.params_source_id)
    frame = read_frame(conn, stmt)
    # A page that states no date is dated by the day it was read.
    frame["params_as_of"] = frame["params_as_of"].where(frame["params_as_of"].notna(), frame["params_retrieved"])
    return frame.drop(columns="params_retrieved")


def _active_params(conn) -> pd.DataFrame:
    """Per model: the parameters active per token of a mixture-of-experts model, where a source gives them."""
    f = m.ModelFact
    rows = read_frame(conn, select(f.model_id, f.number.label(ACTIVE_PARAMS)).where(f.attribute == ACTIVE_PARAMS))
    return rows.drop_duplicates("model_id")


def _grades(conn) -> pd.DataFrame:
    """Per model: the mean grade (open 1, partial 0.5, closed 0) of each group of openness dimensions."""
    g = current_grades().c
    rows = read_frame(
        conn,
        select(g.model_id, g.scheme, g.dimension, g.grade, g.as_of, g.source_id).where(
            g.grade.is_not(None), g.scheme.in_(OPENNESS_SCHEMES)
        ),
    )
    if rows.empty:
        return pd.DataFrame(columns=["model_id"])
    rows["rank"] = rows["scheme"].map(OPENNESS_SCHEMES.index)
    best = rows[rows["rank"] == rows.groupby("model_id")["rank"].transform("min")].copy()  # one index per model
    best["points"] = best["grade"].map(GRADE_POINTS)
    out = best.groupby("model_id").agg(grades_as_of=("as_of", "max"), grades_source_id=("source_id", "max"))
    for group, names in GRADE_GROUPS.items():
        out[f"grade_{group}"] = best[best["dimension"].isin(names)].groupby("model_id")["points"].mean()
    return out.reset_index()


def _benchmark(conn, benchmark_ids: tuple[str, ...], prefix: str) -> pd.DataFrame:
    """Per model: the newest score on the first of these benchmarks it has, with the benchmark's name."""
    r, d = m.BenchmarkResult, m.BenchmarkDef
    stmt = select(r.model_id, r.benchmark_id, d.name.label(f"{prefix}_name"), r.score, r.as_of, r.source_id)
    scores = read_frame(conn, stmt.join(d, d.id == r.benchmark_id).where(r.benchmark_id.in_(benchmark_ids)))
    scores["rank"] = scores["benchmark_id"].map(benchmark_ids.index)
    scores = scores.sort_values(["model_id", "rank", "as_of", "score"], ascending=[True, True, False, False])
    scores = scores.drop_duplicates("model_id").drop(columns=["rank", "benchmark_id"])
    return scores.rename(columns={"score": prefix, "as_of": f"{prefix}_as_of", "source_id": f"{prefix}_source_id"})


def _languages(conn) -> pd.DataFrame:
    """Per model: the mean of its newest LMArena ratings in non-English language categories, and how many."""
    r = m.BenchmarkResult
    stmt = select(r.model_id, r.benchmark_id, r.score, r.as_of, r.source_id).where(
        r.benchmark_id.like(f"{LANGUAGE_PREFIX}%"), r.benchmark_id.not_in(NOT_OTHER_LANGUAGES)
    )
    rows = read_frame(conn, stmt).sort_values(["model_id", "benchmark_id", "as_of"], ascending=[True, True, False])
    rows = rows.drop_duplicates(["model_id", "benchmark_id"])
    if rows.empty:
        return pd.DataFrame(columns=["model_id", "multilingual", "multilingual_name", "multilingual_as_of"])
    per_model = rows.groupby("model_id").agg(
        multilingual=("score", "mean"),
        languages=("benchmark_id", "size"),
        multilingual_as_of=("as_of", "max"),
        multilingual_source_id=("source_id", "max"),
    )
    per_model["multilingual_name"] = per_model["languages"].map(
        lambda n: f"mean LMArena rating over {n} non-English language categories"
    )
    return per_model.drop(columns="languages").reset_index()


def _multilingual(conn) -> pd.DataFrame:
    """Language categories first, the multilingual benchmark where a model has none; `multilingual_kind` says
    which, so that scores are scaled only against scores of the same kind."""
    arena = _languages(conn).assign(multilingual_kind="arena")
    bench = _benchmark(conn, MULTILINGUAL_BENCHMARKS, "multilingual").assign(multilingual_kind="benchmark")
    return pd.concat([arena, bench[~bench["model_id"].isin(arena["model_id"])]], ignore_index=True)


def _ranked(rows: pd.DataFrame) -> pd.DataFrame:
    """Rank within each board (benchmark and date): 1 is the highest rating; n is how many models it rates."""
    group = rows.groupby(["benchmark_id", "as_of"])["score"]
    return rows.assign(rank=group.rank(ascending=False, method="min").astype(int), n=group.transform("size"))


def _strength_text(row) -> str:
    bounds = interval_bounds(row["setting"])
    interval = f", 95% CI {bounds[0]:.0f} to {bounds[1]:.0f}" if bounds else ""
    return f"{row['category']} #{row['rank']} of {row['n']} ({row['score']:.0f}{interval})"


def _strengths(conn) -> pd.DataFrame:
    """Per model: the LMArena categories where it ranks best against its own overall rank on the same board.

    Ranks count the models of this catalogue rated on that board (a percentile, so boards of different sizes
    compare). A model with no category rating, or no overall rating on the categories' board, has no row."""
    r, d = m.BenchmarkResult, m.BenchmarkDef
    stmt = select(r.model_id, r.benchmark_id, d.name.label("category"), r.score, r.setting, r.as_of, r.source_id)
    rows = read_frame(conn, stmt.join(d, d.id == r.benchmark_id).where(r.benchmark_id.like(f"{CATEGORY_PREFIX}%")))
    columns = ["model_id", "strengths", "strength_score", "strength_as_of", "strength_source_id"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.dropna(subset=["score"]).sort_values("score", ascending=False)
    rows = _ranked(rows.drop_duplicates(["model_id", "benchmark_id", "as_of"]))  # one rating per model and board
    rows["percentile"] = (rows["rank"] - 1) / (rows["n"] - 1).clip(lower=1)
    overall = rows[rows["benchmark_id"] == ARENA_OVERALL][["model_id", "as_of", "rank", "n", "percentile"]]
    categories = rows[(rows["benchmark_id"] != ARENA_OVERALL) & rows["setting"].notna()]
    categories = categories.merge(overall, on=["model_id", "as_of"], suffixes=("", "_overall"))
    categories = categories[categories["as_of"] == categories.groupby("model_id")["as_of"].transform("max")]
    categories = categories.assign(
        category=categories["category"].str.replace("LMArena ", "", regex=False),
        gain=categories["percentile_overall"] - categories["percentile"],
    ).sort_values(["model_id", "gain", "percentile"], ascending=[True, False, True])
    out = []
    for model_id, group in categories.groupby("model_id", sort=True):
        best = group.head(STRENGTHS_SHOWN)
        first = best.iloc[0]
        lead = (
            "strongest against its overall rank"
            if first["gain"] > 0
            else "first overall"
            if first["rank_overall"] == 1
            else "no category ranks it above its overall rank"
        )
        text = (
            f"{lead} (#{first['rank_overall']} of {first['n_overall']} overall): "
            + "; ".join(_strength_text(row) for _, row in best.iterrows())
            + f"; {len(group)} categories on LMArena's board of {first['as_of']}"
        )
        out.append((model_id, text, 1.0 - float(first["percentile"]), first["as_of"], first["source_id"]))
    return pd.DataFrame(out, columns=columns)


def _cadence(models: pd.DataFrame, developers: pd.Series) -> pd.DataFrame:
    """Per model: how many models its developer released in the year before the newest release date in the store."""
    dated = models.assign(developer_id=developers.to_numpy()).dropna(subset=["release_date"])
    if dated.empty:
        return pd.DataFrame({"model_id": models["model_id"], "cadence": float("nan")})
    released = pd.to_datetime(dated["release_date"])
    newest = released.max()
    recent = dated[released > newest - pd.Timedelta(days=CADENCE_DAYS)]
    counts = recent.groupby("developer_id").size()
    # The source that dates most of the developer's releases stands behind the count.
    sources = dated.groupby("developer_id")["release_source_id"].agg(
        lambda s: s.mode().iloc[0] if s.notna().any() else None
    )
    by_model = pd.Series(developers.to_numpy(), index=models["model_id"])
    return pd.DataFrame(
        {
            "model_id": by_model.index,
            "cadence": by_model.map(
                lambda d: float(counts.get(d, 0)) if d in sources.index else float("nan")
            ).to_numpy(),
            "cadence_source_id": by_model.map(sources).to_numpy(),
            "cadence_until": newest.date().isoformat(),
        }
    )


def dimension_inputs(engine: Engine) -> tuple[pd.DataFrame, dict[str, tuple[str, str | None]]]:
    """Per-model facts for the dimension table, and every source id as (title, link)."""
    with engine.connect() as conn:
        models = _models(conn)
        developers = read_frame(conn, select(m.Model.id.label("model_id"), m.Model.developer_id))
        grades = _grades(conn)
        multilingual = _multilingual(conn)
        strengths = _strengths(conn)
        active = _active_params(conn)
        family = read_frame(
            conn,
            select(m.Model.family, func.count().label("family_size"))
            .where(m.Model.family.is_not(None))
            .group_by(m.Model.family),
        )
        refs = source_refs(conn)
    developers = developers.set_index("model_id").loc[models["model_id"], "developer_id"]
    frame = models.merge(grades, on="model_id", how="left").merge(multilingual, on="model_id", how="left")
    frame = frame.merge(strengths, on="model_id", how="left").merge(active, on="model_id", how="left")
    frame = frame.merge(family, on="family", how="left").merge(_cadence(models, developers), on="model_id", how="left")
    return frame, {sid: (r.title, r.url) for sid, r in refs.items()}
