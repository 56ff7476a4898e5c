"""Trade-offs: the open-vs-closed questions as charts built from the store's facts, each with its sources."""

import streamlit as st

from components.catalog import arena, pickers
from components.decide import decide_data, tradeoffs
from components.shell import data, ui
from llmcompare.charts import advice as charts_advice
from llmcompare.charts import decide as charts_decide
from llmcompare.charts import dimensions as charts_dimensions
from llmcompare.charts import policies as charts_policies
from llmcompare.store.queries import ARENA_BENCHMARK

st.title("Trade-offs")
st.caption(
    "Each chart answers one question a decision between open weights and a closed API turns on. Blue is open "
    "weights, orange closed API, on every chart. Hover a point for its facts, their sources and dates."
)

benchmarks = decide_data.benchmarks()
benchmark = st.selectbox(
    "Quality measured by",
    list(benchmarks),
    index=list(benchmarks).index(ARENA_BENCHMARK) if ARENA_BENCHMARK in benchmarks else 0,
    format_func=benchmarks.get,
    key="tradeoffs.benchmark",
    persist_state="session",
    help="LMArena covers open and closed models alike; most other benchmarks cover one side far better.",
)
facts = decide_data.facts(benchmark)

st.subheader("Price and quality")
tradeoffs.show(charts_decide.price_quality(facts), "tradeoffs.price_quality")
st.subheader("Openness and quality")
tradeoffs.show(charts_decide.openness_quality(facts), "tradeoffs.openness_quality")
st.subheader("Developer transparency over time")
tradeoffs.show(charts_decide.fmti_trend(decide_data.fmti_history()), "tradeoffs.fmti")
st.subheader("How far open weights trail closed APIs")
tradeoffs.show(arena.gap_chart(), "tradeoffs.gap")
st.subheader("How concentrated the top of the arena is")
tradeoffs.show(arena.concentration_chart(), "tradeoffs.concentration")
st.subheader("How often developers release")
tradeoffs.show(arena.cadence_chart(), "tradeoffs.cadence")
st.subheader("How API providers handle your data")
tradeoffs.show(charts_policies.data_handling_matrix(decide_data.provider_policies()), "tradeoffs.data_handling")

st.subheader("Licences, prices and the articles' trade-offs for chosen models")
labels = data.model_labels()
picked = pickers.multiselect(
    "Models to follow",
    labels,
    default=tradeoffs.default_models(facts),
    key="tradeoffs.models",
    max_selections=8,
    placeholder="Type a model name",
    persist_state="session",
)
by_model = st.toggle("Licence terms of these models (instead of every licence)", key="tradeoffs.by_model")
rows = tradeoffs.model_licence_rows(facts, picked) if by_model and picked else tradeoffs.licence_rows()
tradeoffs.show(charts_decide.licence_matrix(rows), "tradeoffs.licences")
tradeoffs.show(charts_decide.price_history(decide_data.price_points(picked)), "tradeoffs.prices")
radar = charts_dimensions.dimension_radar(decide_data.dimensions(), decide_data.dimension_cells(picked), picked)
tradeoffs.show(radar, "tradeoffs.radar")
tradeoffs.show(arena.category_chart(picked), "tradeoffs.categories")

st.subheader("From your playground runs")
sides, votes = decide_data.runs()
if sides.empty:
    ui.empty_state(
        "No playground runs yet. Send a prompt to two models on the Playground page: their latency, speed, cost "
        "and your blind votes then appear here.",
        icon=":material/play_circle:",
    )
    st.page_link("views/playground.py", label="Open the playground", icon=":material/play_circle:")
else:
    tradeoffs.show(charts_advice.run_metrics(sides), "tradeoffs.runs")
    tradeoffs.show(charts_advice.win_rate_bars(sides, votes), "tradeoffs.votes")
