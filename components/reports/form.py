"""The decision report's choices: scenario, title, author, sections, the models with a fact sheet and the volume."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.decide import decide_data
from llmcompare.decide import tco
from llmcompare.reports.build import SECTIONS, ReportError

SECTION_LABELS = {
    "question": "Question and constraints",
    "ranking": "Ranking and reasons",
    "factsheets": "Fact sheets",
    "dimensions": "Dimensions and their basis",
    "charts": "Charts",
    "arena": "Open and closed on the arena",
    "tco": "Cost of ownership",
    "evidence": "Playground evidence",
}
# Every option travels to the browser on each rerun: 47,000 of them made the form slow to send and to search.
PICKABLE = 500
DEFAULT_SHEETS = 3


@dataclass(frozen=True)
class Choices:
    """What the user asked the report to hold."""

    scenario: str
    title: str | None
    author: str
    sections: tuple[str, ...]
    models: tuple[str, ...]
    workload: tco.Workload


def _models(scenario: str) -> tuple[str, ...]:
    """Pick the models that get a fact sheet and a paragraph of reasons, from the scenario's ranking."""
    try:
        ranking = decide_data.scenario_ranking(scenario)
    except ReportError:
        return ()  # the report itself says why; nothing to pick from
    table = ranking.table
    labels = {r.model_id: f"{r.rank}. {r.model}" for r in table.head(PICKABLE).itertuples()}
    more = f" (the list holds the first {PICKABLE:,} of {len(table):,})" if len(table) > PICKABLE else ""
    picked = st.multiselect(
        "Models with a fact sheet",
        list(labels),
        default=list(labels)[:DEFAULT_SHEETS],
        format_func=labels.get,
        key=f"report.models.{scenario}",
        help=f"The top three of the ranking to start with; add any ranked model{more} or remove one.",
    )
    return tuple(picked)


def _workload() -> tco.Workload:
    left, right = st.columns(2)
    tokens_in = left.number_input(
        "Input tokens a month, millions", 0.0, 1e7, tco.DEFAULT_WORKLOAD[0] / 1e6, step=10.0, key="report.tokens_in"
    )
    tokens_out = right.number_input(
        "Output tokens a month, millions", 0.0, 1e7, tco.DEFAULT_WORKLOAD[1] / 1e6, step=5.0, key="report.tokens_out"
    )
    return tco.Workload(tokens_in * 1e6, tokens_out * 1e6)


def choices(names: list[str]) -> Choices:
    """The report form; returns what was chosen."""
    pick, title_col, author_col = st.columns([2, 2, 1])
    scenario = pick.selectbox("Scenario", names, key="report.scenario")
    title = title_col.text_input("Title", placeholder=f"Decision report: {scenario}", key="report.title")
    author = author_col.text_input("Author", key="report.author")
    sections = st.pills(
        "Sections",
        SECTIONS,
        selection_mode="multi",
        default=list(SECTIONS),
        format_func=SECTION_LABELS.get,
        key="report.sections",
    )
    models = _models(scenario)
    workload = tco.Workload(*tco.DEFAULT_WORKLOAD)
    if "tco" in sections:
        with st.expander("Volume for the cost of ownership", icon=":material/payments:"):
            workload = _workload()
            st.caption(
                "The report prices this volume with the best-ranked API and with self-hosting the best-ranked open "
                "model on the first listed card, using the Cost of ownership page's default assumptions."
            )
    return Choices(scenario, title.strip() or None, author.strip(), tuple(sections), models, workload)
