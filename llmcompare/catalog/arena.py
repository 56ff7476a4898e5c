"""The arena's dated versions and categories as frames: the open-closed gap over time, how the top of each board
splits among developers, category strengths with their intervals, and the release dates behind each cadence."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select

from llmcompare.store import models as m
from llmcompare.store.intervals import interval_bounds
from llmcompare.store.queries import ARENA_BENCHMARK, model_rows, read_frame, source_refs

CATEGORY_PREFIX = "lmarena_"
GROUPS = {"task": "Task", "language": "Language", "industry": "Domain"}
DAYS_PER_MONTH = 365.25 / 12
FIRST_SEEN = "first seen on the arena"
RELEASED = "release date"
TOP_SIZES = (10, 20)
CONCENTRATION_COLUMNS = [
    "as_of", "source_id", "source", "top", "models", "developers", "leader", "leader_models", "leader_share", "hhi",
    "open_models", "closed_models", "split",
]  # fmt: skip


def _scores(engine: Engine, benchmark_ids: Sequence[str] | None, model_ids: Sequence[str] | None) -> pd.DataFrame:
    """Benchmark rows with the model's name, access and developer, the interval bounds and the source title."""
    r = m.BenchmarkResult
    stmt = (
        select(
            r.model_id,
            m.Model.name.label("model"),
            m.Model.access,
            m.Developer.name.label("developer"),
            m.Model.release_date,
            r.benchmark_id,
            m.BenchmarkDef.name.label("benchmark"),
            r.score,
            r.setting,
            r.as_of,
            r.source_id,
        )
        .join(m.Model, m.Model.id == r.model_id)
        .join(m.Developer, m.Developer.id == m.Model.developer_id)
        .join(m.BenchmarkDef, m.BenchmarkDef.id == r.benchmark_id)
    )
    if benchmark_ids is not None:
        stmt = stmt.where(r.benchmark_id.in_(benchmark_ids))
    if model_ids is not None:
        stmt = stmt.where(r.model_id.in_(model_ids))
    with engine.connect() as conn:
        frame = read_frame(conn, stmt)
        refs = source_refs(conn)
    bounds = frame["setting"].map(interval_bounds)
    frame["lower"] = bounds.map(lambda b: b[0] if b else None).astype(float)
    frame["upper"] = bounds.map(lambda b: b[1] if b else None).astype(float)
    frame["source"] = frame["source_id"].map(lambda s: refs[s].title)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    return frame.drop(columns=["setting"])


def arena_versions(engine: Engine) -> pd.DataFrame:
    """Every dated rating on the overall arena board: one row per model and version."""
    return _scores(engine, [ARENA_BENCHMARK], None).sort_values(["as_of", "score"], ascending=[True, False])


def gap_over_time(versions: pd.DataFrame) -> pd.DataFrame:
    """Per arena version: the best open and the best closed model, the gap in points and in months.

    Months: how long before the version date the closed side first reached the best open model's rating: the
    earliest of the closed models rated at least as high (its release date where known, else the first version
    that lists it, which makes the figure a lower bound). Every rating in a row comes from one version, so boards
    fitted at different times are never compared."""
    columns = ["model_id", "model", "access", "score", "release_date", "as_of", "source_id", "source"]
    # Only the columns used, with each model's first version beside it: slicing a wide frame 39 times was slow.
    versions = versions[columns].assign(first_seen=versions.groupby("model_id")["as_of"].transform("min"))
    rows = []
    for (as_of, source_id), board in versions.groupby(["as_of", "source_id"], sort=True):
        open_ = board[board["access"] == m.OPEN_WEIGHTS]
        closed = board[board["access"] == m.API_ONLY]
        if open_.empty or closed.empty:
            continue
        best_open, best_closed = open_.loc[open_["score"].idxmax()], closed.loc[closed["score"].idxmax()]
        matched = closed[closed["score"] >= best_open["score"]]
        row = {
            "as_of": as_of,
            "source_id": source_id,
            "source": board["source"].iloc[0],
            "models": len(board),
            "best_open": best_open["model"],
            "open_score": best_open["score"],
            "best_closed": best_closed["model"],
            "closed_score": best_closed["score"],
            "gap_points": best_closed["score"] - best_open["score"],
        }
        row |= _months_behind(as_of, matched, best_open["score"] >= best_closed["score"])
        rows.append(row)
    return pd.DataFrame(rows)


def _months_behind(as_of, matched: pd.DataFrame, open_leads: bool) -> dict:
    """The earliest closed model rated at least as high as the best open one, dated; zero months when open leads."""
    if open_leads or matched.empty:
        return {"gap_months": 0.0, "matched_closed": None, "matched_date": None, "date_basis": None}
    dated = matched.assign(
        date=matched["release_date"].fillna(matched["first_seen"]),
        basis=matched["release_date"].notna().map({True: RELEASED, False: FIRST_SEEN}),
    )
    earliest = dated.loc[dated["date"].idxmin()]
    months = max((as_of - earliest["date"]).days, 0) / DAYS_PER_MONTH
    return {
        "gap_months": round(months, 1),
        "matched_closed": earliest["model"],
        "matched_date": earliest["date"],
        "date_basis": earliest["basis"],
    }


def category_scores(engine: Engine, model_ids: Sequence[str]) -> pd.DataFrame:
    """The newest rating of each chosen model in every arena category, with its group, interval and source."""
    frame = _scores(engine, None, model_ids)
    frame = frame[frame["benchmark_id"].str.startswith(CATEGORY_PREFIX)].copy()
    group = frame["benchmark_id"].str.removeprefix(CATEGORY_PREFIX).str.split("_").str[0]
    frame["group"] = group.map(GROUPS)
    frame = frame.dropna(subset=["group", "lower"])
    frame["category"] = frame["benchmark"].str.split(": ", n=1).str[1]
    frame = frame.sort_values("as_of").drop_duplicates(["model_id", "benchmark_id"], keep="last")
    return frame.sort_values(["group", "category", "model"]).reset_index(drop=True)


def release_dates(engine: Engine) -> pd.DataFrame:
    """Every model with a release date: developer, access and the source of the date."""
    dated = model_rows(m.Model.release_date, m.Model.release_source_id.label("source_id"))
    stmt = dated.where(m.Model.release_date.is_not(None))
    with engine.connect() as conn:
        frame = read_frame(conn, stmt)
        refs = source_refs(conn)
    frame["source"] = frame["source_id"].map(lambda s: refs[s].title)
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    return frame.sort_values(["developer", "release_date"]).reset_index(drop=True)


def cadence(releases: pd.DataFrame, least: int = 3) -> pd.DataFrame:
    """Per developer with at least `least` dated releases: how many, the span, and the median months between."""
    rows = []
    for developer, group in releases.groupby("developer"):
        dates = group["release_date"].sort_values()
        if len(dates) < least:
            continue
        gaps = dates.diff().dropna().dt.days / DAYS_PER_MONTH
        rows.append(
            {
                "developer": developer,
                "releases": len(dates),
                "first": dates.iloc[0],
                "last": dates.iloc[-1],
                "median_months": round(float(gaps.median()), 1),
            }
        )
    columns = ["developer", "releases", "first", "last", "median_months"]
    return pd.DataFrame(rows, columns=columns).sort_values(["releases", "developer"], ascending=[False, True])


def concentration(versions: pd.DataFrame, sizes: Sequence[int] = TOP_SIZES) -> pd.DataFrame:
    """Per arena version and top size N: how the N best-rated models split among developers and access types.

    A version rating fewer than N models gives its whole board (`models` says how many). Models tied on the N-th
    rating are ordered by name, so the cut is the same on every run. Shares are of the models in the top; `hhi` is
    the Herfindahl-Hirschman index of the developers' shares in percent (10,000: one developer holds the whole
    top), and `leader` names every developer with the largest count, joined by ", " when they tie."""
    rows = []
    for (as_of, source_id), board in versions.groupby(["as_of", "source_id"], sort=True):
        ranked = board.sort_values(["score", "model"], ascending=[False, True])
        for size in sizes:
            top = ranked.head(size)
            # Most models first; developers with as many in name order (groupby gives them sorted by name).
            counts = top.groupby("developer")["model"].count().sort_values(ascending=False, kind="stable")
            shares = counts / len(top)
            leaders = counts[counts == counts.iloc[0]].index
            rows.append(
                {
                    "as_of": as_of,
                    "source_id": source_id,
                    "source": board["source"].iloc[0],
                    "top": size,
                    "models": len(top),
                    "developers": len(counts),
                    "leader": ", ".join(leaders),
                    "leader_models": int(counts.iloc[0]),
                    "leader_share": float(shares.iloc[0]),
                    "hhi": round(float(((shares * 100) ** 2).sum()), 1),
                    "open_models": int((top["access"] == m.OPEN_WEIGHTS).sum()),
                    "closed_models": int((top["access"] == m.API_ONLY).sum()),
                    "split": ", ".join(f"{d} {n}" for d, n in counts.items()),
                }
            )
    frame = pd.DataFrame(rows, columns=CONCENTRATION_COLUMNS)
    return frame.assign(open_share=frame["open_models"] / frame["models"])
