"""Home: what the tool answers, the store in figures, and a way in for each kind of reader."""

import streamlit as st

from components.shell import data, ui
from llmcompare import style
from llmcompare.catalog import freshness
from llmcompare.charts import catalog as charts

facts = data.headline()

st.title("LLM Compare")
st.markdown(
    "Should you build on an **open-weights** model you can run yourself, or a **closed API**? "
    "This tool puts the facts that decide it side by side: licence terms, list prices, openness, developer "
    "transparency and benchmark scores. Each fact names its source and the date it was true."
)
ui.show_badges(ui.access_badge("open_weights"), ui.access_badge("api_only"))
st.caption("These two colours mark open-weights and closed-API models on every page, table and chart.")

cols = st.columns(5)
cols[0].metric("Models", facts.models, border=True, help="Canonical models in the store.")
cols[1].metric("Open weights / closed", f"{facts.open_weights} / {facts.api_only}", border=True)
cols[2].metric("Licences", facts.licenses, border=True, help="Distinct licences, described as structured terms.")
cols[3].metric("Price points", f"{facts.price_points:,}", border=True, help="Dated list prices; old prices are kept.")
cols[4].metric(
    "Benchmark results",
    f"{facts.benchmark_results:,}",
    border=True,
    help=f"Scores on {facts.benchmarks} benchmarks.",
)
st.caption(
    f"Facts dated {style.format_date(facts.oldest_fact)} to {style.format_date(facts.newest_fact)}, "
    f"drawn from {facts.sources} sources."
)
rule = data.stale_rule()
with st.container(border=True):
    fresh = data.freshness(rule)
    st.markdown(":material/update: **How fresh the data is.** " + freshness.describe(fresh, rule.today))
    st.page_link("views/data.py", label="Import newer prices or index editions", icon=":material/upload_file:")

st.subheader("Where to start")
deciders, developers, teams = st.columns(3)
with deciders.container(border=True, height="stretch"):
    st.markdown("**Deciding between models**")
    st.write("Filter the catalogue by licence, price and context, then put two to five candidates side by side.")
    st.page_link("views/catalogue.py", label="Browse the catalogue", icon=":material/table_view:")
    st.page_link("views/compare.py", label="Compare models", icon=":material/compare_arrows:")
with developers.container(border=True, height="stretch"):
    st.markdown("**Building with a model**")
    st.write(
        "Check context windows, provider prices and licence conditions, and find the names each provider "
        "and leaderboard uses for the same model."
    )
    st.page_link("views/catalogue.py", label="Search the catalogue", icon=":material/search:")
    st.page_link("views/model.py", label="Open a model's fact sheet", icon=":material/description:")
with teams.container(border=True, height="stretch"):
    st.markdown("**Sharing what you found**")
    st.write(
        "Every table downloads as CSV with its sources, and every page has a link you can bookmark or send, "
        "filters and chosen models included."
    )
    st.page_link("views/catalogue.py", label="Export from the catalogue", icon=":material/download:")

ui.show_fig(charts.access_by_developer_chart(data.catalog()), key="home.developers")
