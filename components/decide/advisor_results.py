"""The advisor's output: top choice, contribution chart, reasons, full ranking, exclusions and sensitivity."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.shell import ui
from llmcompare import style
from llmcompare.charts import advice as charts_advice
from llmcompare.decide.criteria import BY_ID
from llmcompare.decide.ranking import Ranking, lead_reason, points_table, reasons
from llmcompare.decide.sensitivity import Sensitivity

REASONED = 3  # models whose reasons are written out
LOW_COVERAGE = 0.6
# Rows of the ranking tables sent to the browser: 47,000 of them made the page about 10 MB per rerun.
SHOWN_ROWS = 1_000
FIRM, FAIR = 0.9, 0.7  # shares of perturbed weightings that keep the winner


def top_choice(ranking: Ranking) -> None:
    """The winner in one line, why it beats the runner-up, and a warning when it rests on few facts."""
    best = ranking.table.iloc[0]
    st.markdown(f"#### Top choice: {best['model']}")
    ui.show_badges(ui.access_badge(best["access"]))
    st.caption(
        f"{best['developer']} · score {best['score']:.1f} of 100 · ranked {len(ranking.table)} models, "
        f"{len(ranking.excluded)} left out by your must-haves"
    )
    lead = lead_reason(ranking)
    if lead:
        st.write(lead)
    if best["coverage"] < LOW_COVERAGE:
        st.warning(
            f"Facts cover only {best['coverage']:.0%} of your weights for this model (missing: {best['missing']}). "
            "Raise the coverage limit or count missing facts as worst to favour models the store knows well.",
            icon=":material/warning:",
        )


def contributions(ranking: Ranking) -> None:
    """The stacked contribution bars with their caption."""
    chart = charts_advice.contribution_bars(ranking)
    ui.show_fig(chart.figure, key="advisor.chart")
    st.caption(chart.caption)


def reason_lists(ranking: Ranking, facts: pd.DataFrame) -> None:
    """Plain-language reasons, each citing its fact, for the first few models."""
    for row in ranking.table.head(REASONED).itertuples():
        with st.container(border=True):
            st.markdown(f"**{row.rank}. {row.model}** · {row.score:.1f} points")
            st.markdown("\n".join(f"- {line}" for line in reasons(ranking, facts, row.model_id)))


def full_table(ranking: Ranking) -> None:
    """Every ranked model with its score and points per criterion, downloadable."""
    table = points_table(ranking).drop(columns="model_id")
    table["access"] = ui.as_pill(table["access"].map(style.access_label))
    ui.show_table(
        table,
        "llm-advisor-ranking",
        key="advisor.table",
        max_rows=SHOWN_ROWS,
        column_config={
            "rank": st.column_config.NumberColumn("Rank", width="small"),
            "model": "Model",
            "developer": "Developer",
            "access": ui.access_column(),
            "score": st.column_config.NumberColumn("Score", format="%.1f"),
            "coverage": st.column_config.ProgressColumn("Facts known", format="%d%%", min_value=0, max_value=100),
            "missing": "Missing facts",
        },
    )


def excluded_table(ranking: Ranking) -> None:
    """Models left out by the must-haves, each with the reason."""
    if ranking.excluded.empty:
        return
    with st.expander(f"Left out by your must-haves ({len(ranking.excluded)})", icon=":material/filter_alt_off:"):
        shown = ranking.excluded.assign(access=ranking.excluded["access"].map(style.access_label))
        ui.show_table(
            shown.drop(columns="model_id"), "llm-advisor-excluded", key="advisor.excluded", max_rows=SHOWN_ROWS
        )


def _verdict(kept: float) -> str:
    """The share of perturbations kept, in words a decision-maker can act on."""
    if kept >= FIRM:
        return "A firm choice: small changes to your weights do not change it."
    if kept >= FAIR:
        return "A fairly firm choice, but the runner-up wins under some nearby weightings: compare the two."
    return "A close call: several models trade places as the weights move, so treat the top few as equals."


def sensitivity_panel(result: Sensitivity | None, ranking: Ranking) -> None:
    """How often the top choice survives weight noise, and the one-weight changes that would unseat it."""
    st.subheader("How firm is this choice?")
    if result is None:
        st.info("Sensitivity needs at least two ranked models.", icon=":material/info:")
        return
    names = dict(zip(ranking.table["model_id"], ranking.table["model"], strict=True))
    st.metric(
        f"Top choice kept under {result.runs:,} random weightings (each weight ±{result.spread:.0%})",
        f"{result.kept:.0%}",
        border=True,
        help="Each run multiplies every weight by its own random factor between 0.8 and 1.2 (seeded).",
    )
    st.write(_verdict(result.kept))
    if result.challengers:
        runners = ", ".join(f"{names[m]} ({n / result.runs:.0%})" for m, n in list(result.challengers.items())[:3])
        st.write(f"When it loses, the top place goes to: {runners}.")
    if not result.flips:
        st.write("No single weight moved anywhere between 0 and 10 changes the top choice.")
        return
    nearest = result.flips[0]
    verb = "raising" if nearest.change > 0 else "lowering"
    st.write(
        f"Smallest single change: {verb} **{BY_ID[nearest.criterion].label}** from {nearest.current:g} "
        f"to {nearest.to:.2f} makes **{names[nearest.new_winner]}** the top choice."
    )
    flips = pd.DataFrame(
        {
            "Criterion": [BY_ID[f.criterion].label for f in result.flips],
            "Weight now": [f.current for f in result.flips],
            "Top choice changes at": [round(f.to, 2) for f in result.flips],
            "New top choice": [names[f.new_winner] for f in result.flips],
        }
    )
    st.dataframe(flips, hide_index=True, key="advisor.flips")
