"""The report's dimensions section: the chosen models on every article dimension, each cell with its basis."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from llmcompare.charts.chart import Chart
from llmcompare.charts.dimensions import dimension_radar
from llmcompare.decide.dimension_table import dimension_table, fact_share, load_inputs
from llmcompare.decide.dimensions import FACT, NONE, PROXY

MARKS = {FACT: "", PROXY: "≈ ", NONE: "— "}
LEGEND = (
    "Each cell is a fact about the model, its licence, offering or developer, with a source and date; or "
    "**≈** a proxy, which is not a fact about the model and names what it stands in for (where the store has "
    "nothing better, the maintainers' reading of the article line cited); or **—** nothing known."
)


def dimension_blocks(
    engine: Engine, facts: pd.DataFrame, chosen: list[str]
) -> list[str | tuple[str, pd.DataFrame] | Chart]:
    """A legend, the model-by-dimension table, the sources of every cell, and the radar."""
    inputs = load_inputs(engine, facts)
    cells = dimension_table(inputs, chosen)
    if cells.empty:
        return ["No model was chosen for the dimensions."]
    order = list(dict.fromkeys(cells["dimension"]))
    models = list(dict.fromkeys(cells["model"]))
    shown = cells.assign(text=cells["basis"].map(MARKS) + cells["value"])
    grid = shown.pivot(index="dimension", columns="model", values="text").loc[order, models].reset_index()
    shares = ", ".join(f"{m}: {fact_share(cells[cells['model'] == m]):.0%}" for m in models)
    sources = cells[["model", "dimension", "basis", "source", "as_of", "proxy_for"]]
    return [
        f"{LEGEND} Share of dimensions resting on facts: {shares}.",
        ("The articles' dimensions, model by model", grid),
        ("Basis, source and date of every cell", sources),
        dimension_radar(inputs.dims, cells, chosen),
    ]
