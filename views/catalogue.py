"""Catalogue: filter and search every model, open one, pick a few to compare, export what you see."""

import streamlit as st

from components.catalog import catalogue
from components.shell import data, ui
from llmcompare.catalog.compare import MAX_MODELS, MIN_MODELS
from llmcompare.catalog.filters import apply_filter
from llmcompare.charts import catalog as charts

st.title("Catalogue")
st.caption("Every model in the store with its current price, licence and scores. Click a name for the full fact sheet.")

everything = data.catalog()
if everything.empty:
    ui.empty_state("The store holds no models yet. Build it from the seed with `make db`.", icon=":material/database:")
    st.stop()
wanted = catalogue.filter_bar(everything)
# Strongest first: a decision-maker scans the top of the list; the headers re-sort it.
rows = apply_filter(everything, data.catalog_lookup(), wanted).sort_values("arena_score", ascending=False)

if rows.empty:
    ui.empty_state("No model matches all of these filters. Widen the price range, or clear the search or a filter.")
    st.stop()

rule = data.stale_rule()
stale = data.stale_flags(rule).loc[rows.index]
shown = rows.head(catalogue.SHOWN_MAX)
st.markdown(
    f"**{len(rows)}** of {len(everything)} models · tick rows to open or compare them · "
    f"{stale.map(bool).sum()} carry a fact older than {rule.after_days} days (the Stale column)"
    + (catalogue.cap_note(len(rows)) if len(rows) > len(shown) else "")
)
picked = ui.show_table(
    catalogue.table_frame(shown, stale.loc[shown.index]),
    "llm-catalogue",
    download=rows,
    key="catalogue.table",
    column_config=catalogue.COLUMNS,
    on_select="rerun",
    selection_mode="multi-row",
)
# A selection made before the filters changed can point past the end of the new rows.
chosen = shown.iloc[[i for i in picked.selection.rows if i < len(shown)]]

if len(chosen) == 1:
    st.page_link(
        "views/model.py",
        label=f"Open the fact sheet of {chosen['model'].iloc[0]}",
        icon=":material/description:",
        query_params={"model": chosen["model_id"].iloc[0]},
    )
elif MIN_MODELS <= len(chosen) <= MAX_MODELS:
    st.page_link(
        "views/compare.py",
        label=f"Compare the {len(chosen)} selected models",
        icon=":material/compare_arrows:",
        query_params={"models": ",".join(chosen["model_id"])},
    )
elif len(chosen) > MAX_MODELS:
    st.warning(f"Select at most {MAX_MODELS} models to compare them.", icon=":material/warning:")

st.caption(
    "Prices are the newest list price per model: the developer's own offering where there is one, otherwise the "
    "cheapest host, blended at 3 input tokens to 1 output token. The CSV download adds a source for every fact."
)
ui.show_fig(charts.price_performance_chart(shown), key="catalogue.scatter")
