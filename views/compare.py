"""Compare: two to five models side by side, then the open-vs-closed trade-offs. Deep link: ?models=a,b,c."""

import streamlit as st

from components.catalog import compare, pickers
from components.decide import decide_data
from components.shell import data, ui
from components.shell.state import CompareState, page_state
from llmcompare.catalog.compare import MAX_MODELS, MIN_MODELS
from llmcompare.charts import catalog as charts
from llmcompare.store.queries import blended_price

st.title("Compare models")

labels = data.model_labels()
state = page_state(CompareState, "compare")
unknown = state.seed_picker("compare.models", st.query_params.get("models", ""), labels, MAX_MODELS)
if unknown:
    st.warning(ui.inert_markdown(f"Not in the store, so left out: {', '.join(unknown)}"), icon=":material/warning:")

picked = pickers.multiselect(
    f"Pick {MIN_MODELS} to {MAX_MODELS} models",
    labels,
    key="compare.models",
    max_selections=MAX_MODELS,
    placeholder="Type a model name",
    persist_state="session",
)
state.publish(picked)

if len(picked) < MIN_MODELS:
    ui.empty_state(
        f"Pick at least {MIN_MODELS} models to see them side by side. A good start: one open-weights and one "
        "closed-API model you are weighing up, or tick a few rows in the catalogue.",
        icon=":material/compare_arrows:",
    )
    st.page_link("views/catalogue.py", label="Pick from the catalogue", icon=":material/table_view:")
    st.stop()

result = data.comparison(picked)
compare.facts_table(result)
st.caption(
    "Shaded cells hold the best value in their row: lowest price, largest context, highest score, fewest licence "
    "conditions. Click a model's name for its fact sheet, where every figure links to its source."
)

facts = data.catalog().set_index("model_id").loc[result.models["model_id"]].reset_index()
facts["blended"] = blended_price(facts["input_usd_per_1m"], facts["output_usd_per_1m"])
left, right = st.columns(2)
with left:
    ui.show_fig(charts.model_bars(facts, "blended", "Blended price per 1M tokens", money=True), key="compare.price")
with right:
    ui.show_fig(charts.model_dots(facts, "arena_score", "LMArena text score"), key="compare.arena")

st.subheader("The articles' trade-offs, model by model")
st.caption("Each dimension the articles weigh, answered for each pick from its own facts where the store has them.")
compare.dimensions_table(decide_data.dimension_cells(result.models["model_id"].tolist()))
with st.expander("What the articles say about open and closed models in general", icon=":material/menu_book:"):
    compare.tradeoffs_table(data.compare_dimensions(result.models), result.models)
