"""The comparison tables: key facts with the best value per row shaded, and the open-vs-closed trade-offs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import ui
from llmcompare import style
from llmcompare.catalog.compare import Comparison

ACCESS_ROW = "Access"
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
