"""The report's arena section: the open-closed gap over time, concentration at the top of the board, release cadence,
and the shortlist's strengths."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from llmcompare.catalog import arena
from llmcompare.charts import arena as charts_arena
from llmcompare.charts.chart import Chart

TITLE = "Open and closed on the arena"


def arena_blocks(engine: Engine, model_ids: Sequence[str]) -> list[str | Chart]:
    """A lead paragraph naming the newest gap and how concentrated the top is, then the four charts, each with its
    sources in the caption."""
    versions = arena.arena_versions(engine)
    gap = arena.gap_over_time(versions)
    concentration = arena.concentration(versions)
    releases = arena.release_dates(engine)
    charts = [
        charts_arena.gap_chart(gap),
        charts_arena.concentration_chart(concentration),
        charts_arena.cadence_chart(releases, arena.cadence(releases)),
        charts_arena.category_chart(arena.category_scores(engine, model_ids)),
    ]
    return [_lead(gap) + _concentration_lead(concentration), *charts]


def _lead(gap) -> str:
    if gap.empty:
        return "No dated arena version rates both an open-weights and a closed model."
    last = gap.iloc[-1]
    day = last["as_of"].date().isoformat()
    if last["gap_points"] <= 0:
        lead = f"the best open-weights model ({last['best_open']}) leads the best closed one"
        return f"On the LMArena board of {day}, {lead}. The strengths chart covers the models that get a fact sheet."
    return (
        f"On the LMArena board of {day}, the best open-weights model ({last['best_open']}, "
        f"{last['open_score']:.0f}) trails the best closed one ({last['best_closed']}, {last['closed_score']:.0f}) by "
        f"{last['gap_points']:.0f} points: closed models first reached its rating about {last['gap_months']:.0f} "
        "months earlier. The strengths chart covers the models that get a fact sheet."
    )


def _concentration_lead(concentration) -> str:
    """One sentence on the newest version's top: how many developers, the largest and the open-weights count."""
    if concentration.empty:
        return ""
    newest = concentration[concentration["as_of"] == concentration["as_of"].max()]
    top = newest[newest["top"] == newest["top"].min()].iloc[0]
    return (
        f" On the board of {top['as_of'].date().isoformat()}, the top {top['models']} models come from "
        f"{top['developers']} developers "
        f"({top['split']}; HHI {top['hhi']:,.0f}), {top['open_models']} of them with open weights."
    )
