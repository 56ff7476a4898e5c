"""The comparison tables: key facts with the best value per row shaded, and the open-vs-closed trade-offs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.shell import ui
from llmcompare import style
from llmcompare.catalog.compare import Comparison

ACCESS_ROW = "Access"
BASIS_MARK = {"fact": "", "proxy": "≈ ", "none": "— "}
# Proxies are hatched and grey so they never read as facts; empty cells are plain grey.
BASIS_CSS = {
    "fact": "",
    "proxy": "color:#5f5f5f;font-style:italic;"
    "background:repeating-linear-gradient(45deg,#f2f2f2 0 6px,#ffffff 6px 12px)",
    "none": "color:#9a9a9a",
}
FAVOURS_COLORS = {"open": style.OPEN_COLOR, "closed": style.CLOSED_COLOR, "depends": style.UNKNOWN_COLOR}


def facts_table(result: Comparison) -> None:
    """Facts as rows, models as columns headed by links to their fact sheets."""
    css = result.best.map(lambda best: ui.BEST_CELL_CSS if best else "")
    css.loc[ACCESS_ROW] = [ui.fill_css(style.access_color(a)) for a in result.models["access"]]
    headers = [
        ui.markdown_link(col, f"model?model={i}")
        for col, i in zip(result.table.columns, result.models["model_id"], strict=True)
    ]
    table = result.table.set_axis(headers, axis=1)
    st.table(table.style.apply(lambda _: css.set_axis(headers, axis=1), axis=None))
    ui.download_table(result.table.reset_index(names="fact"), "llm-comparison", key="compare.table.download")


def tradeoffs_table(dims: pd.DataFrame, models: pd.DataFrame) -> None:
    """Each trade-off with both sides and the side it favours, coloured like the chosen models' badges above it."""
    sides = models.groupby("access")["model"].agg(", ".join)
    ui.show_badges(*(f"{ui.access_badge(a)}&nbsp;{names}" for a, names in sides.items()))
    # Sources are numbered notes under the table: a handful of articles would otherwise repeat on every row.
    notes = list(dict.fromkeys(zip(dims["source"], dims["source_url"].fillna(""), strict=True)))
    number = {note: i for i, note in enumerate(notes, start=1)}
    shown = pd.DataFrame(
        {
            "Dimension": dims["name"],
            "Open weights": dims["open_side"],
            "Closed API": dims["closed_side"],
            "Favours": dims["favours"].map(style.FAVOURS_LABELS),
            "Source": [number[note] for note in zip(dims["source"], dims["source_url"].fillna(""), strict=True)],
        }
    )
    fills = dims["favours"].map(lambda f: ui.fill_css(FAVOURS_COLORS.get(f, style.UNKNOWN_COLOR))).tolist()
    st.table(shown.style.apply(lambda _: fills, subset=["Favours"]), hide_index=True)
    st.caption("  \n".join(f"{i}. {ui.markdown_link(title, url or None)}" for (title, url), i in number.items()))
    ui.download_table(dims.drop(columns=["id"]), "open-vs-closed-tradeoffs", key="compare.dimensions.download")


def dimensions_table(cells: pd.DataFrame) -> None:
    """Every article dimension as a row and each model as a column: facts plain, proxies marked ≈ and hatched."""
    if cells.empty:
        return
    order = list(dict.fromkeys(cells["dimension"]))
    models = list(dict.fromkeys(cells["model"]))
    shown = cells.assign(text=cells["basis"].map(BASIS_MARK) + cells["value"])
    table = shown.pivot(index="dimension", columns="model", values="text").loc[order, models]
    css = cells.pivot(index="dimension", columns="model", values="basis").loc[order, models].map(BASIS_CSS.get)
    st.table(table.style.apply(lambda _: css, axis=None))
    share = cells.groupby("model")["basis"].apply(lambda b: f"{(b == 'fact').mean():.0%}").reindex(models)
    st.caption(
        "Plain: a fact about this model, its licence, offering or developer, with a source and date. "
        "≈ hatched: a proxy, not a fact about this model; the list below says what it stands in for (where the "
        "store has nothing better, the maintainers' reading of the article line named there). — grey: no fact. "
        "Share of dimensions resting on facts: " + ", ".join(f"{m} {s}" for m, s in share.items()) + "."
    )
    with st.expander("Sources, dates and what each proxy stands in for", icon=":material/link:"):
        columns = ["model", "dimension", "basis", "value", "source", "as_of", "proxy_for"]
        st.dataframe(cells[columns], hide_index=True, width="stretch")
    ui.download_table(cells[[*columns, "source_url"]], "llm-dimensions", key="compare.cells.download")
