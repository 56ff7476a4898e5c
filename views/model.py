"""Model fact sheet: every fact about one model, grouped, each with its source and date. Deep link: ?model=<id>."""

import streamlit as st

from components.catalog import arena, model_sections, pickers
from components.shell import data, ui

labels = data.model_labels()
asked = st.query_params.get("model")


def _open_picked() -> None:
    """Put the picked model in the URL so the page can be bookmarked and shared."""
    st.query_params["model"] = st.session_state["model.pick"]


title, picker = st.columns([3, 1], vertical_alignment="bottom")
with picker:
    pickers.selectbox(
        "Switch model",
        labels,
        key="model.pick",
        current=asked if asked in labels else None,
        placeholder="Choose a model",
        on_change=_open_picked,
    )

if not asked:
    title.title("Model fact sheet")
    st.write("Choose a model on the right, or find one in the catalogue.")
    st.page_link("views/catalogue.py", label="Go to the catalogue", icon=":material/table_view:")
    st.stop()

detail = data.model_detail(asked)
if detail is None:
    title.title("Model not found")
    ui.empty_state(
        ui.inert_markdown(
            f"There is no model with the id “{asked}” in the store. It may have been renamed or removed."
        ),
        icon=":material/search_off:",
    )
    st.page_link("views/catalogue.py", label="Back to the catalogue", icon=":material/arrow_back:")
    st.stop()

title.title(detail.name)
rule = data.stale_rule()
model_sections.header(detail, rule)
model_sections.licence(detail)
model_sections.prices(detail, rule)
model_sections.openness(detail)
model_sections.transparency(detail)
model_sections.benchmarks(detail)
arena.strengths(detail.model_id)
model_sections.aliases(detail)
