"""Trade-offs page helpers: a chart with its caption, default models to follow, and the model licence rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.decide import decide_data
from components.shell import ui
from llmcompare.charts.chart import Chart
from llmcompare.store.models import ACCESS_TYPES

DEFAULT_PER_SIDE = 2


def show(chart: Chart, key: str) -> None:
    """The figure, then where its data comes from."""
    ui.show_fig(chart.figure, key=key)
    st.caption(chart.caption)


def default_models(facts: pd.DataFrame) -> list[str]:
    """Per access type, the best-scoring priced model of each of the two strongest developers: a fair start."""
    priced = facts.dropna(subset=["blended", "quality"]).sort_values("quality", ascending=False)
    leaders = priced.drop_duplicates("developer")
    return [i for access in ACCESS_TYPES for i in leaders[leaders["access"] == access]["model_id"][:DEFAULT_PER_SIDE]]


def model_licence_rows(facts: pd.DataFrame, model_ids: list[str]) -> pd.DataFrame:
    """The chosen models as licence-matrix rows: 'Model (licence)' and the five terms."""
    rows = facts.set_index("model_id").loc[model_ids].reset_index()
    rows["name"] = rows["model"] + " (" + rows["license"] + ")"
    return rows.rename(columns={"user_threshold": "user_threshold_mau"})


def licence_rows() -> pd.DataFrame:
    """Every licence in use as matrix rows, most used first, named with how many models use it."""
    terms = decide_data.licence_terms()
    counts = terms["models"].map(lambda n: f"{n} model" if n == 1 else f"{n} models")
    return terms.assign(name=terms["name"] + " (" + counts + ")")
