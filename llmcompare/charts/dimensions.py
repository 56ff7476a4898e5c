"""The trade-offs radar: the articles' open and closed profiles, and chosen models on their own facts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from llmcompare import style
from llmcompare.charts.catalog import empty_figure, frame_layout
from llmcompare.charts.chart import Chart
from llmcompare.decide.dimensions import FACT, NONE, PROXY, RADAR_AXES

BASIS_WORDS = {
    FACT: "fact",
    PROXY: "proxy (not a fact about this model)",
    NONE: "no fact in the store",
}
FAVOURS_SCORE = {"open": 1.0, "closed": 0.0, "depends": 0.5}


def _radar_hover(cells: pd.DataFrame) -> tuple[np.ndarray, str]:
    """customdata and a hover template naming each point's value, basis, source and date."""
    shown = cells.assign(
        basis_text=cells["basis"].map(BASIS_WORDS),
        source_text=cells["source"].fillna("no source"),
        as_of_text=cells["as_of"].fillna("no date"),
        proxy_text=cells["proxy_for"].fillna("").map(lambda p: f"<br>stands in: {p}" if p else ""),
    )
    columns = ["value", "basis_text", "source_text", "as_of_text", "proxy_text"]
    template = (
        "<b>%{theta}</b>: %{r:.2f}<br>%{customdata[0]}<br>%{customdata[1]}%{customdata[4]}"
        "<br><i>%{customdata[2]}, as of %{customdata[3]}</i><extra>%{fullData.name}</extra>"
    )
    return shown[columns].astype(str).to_numpy(), template


def dimension_radar(dims: pd.DataFrame, cells: pd.DataFrame, model_ids: list[str]) -> Chart:
    """The articles' open and closed profiles on the radar's dimensions, with chosen models drawn from their own
    cells: a fact is a filled point, a proxy a hollow one, and a dimension without either is left as a gap."""
    # Open-favoured trade-offs first and closed-favoured last, so each side's strengths form one wedge.
    axes = dims[dims["id"].isin(RADAR_AXES)].copy()
    axes = axes.assign(side=axes["favours"].map({"open": 0, "depends": 1, "closed": 2})).sort_values(["side", "name"])
    caption = (
        f"Shaded profiles: the maintainers' reading of the five articles on {len(axes)} trade-offs (open weights 1 "
        "where an article says open models come out ahead, 0 where closed ones do, 0.5 where it depends; closed "
        "API the mirror image). Models: each axis rests on its own fact, scaled 0-1 over the whole catalogue: "
        "access type, licence terms, blended price, LMArena score, published documentation (or the developer's "
        "FMTI as a proxy), code and weights, training data, parameter count, non-English arena ratings (else MGSM), "
        "the developer's releases in "
        "the last year, and the hosts selling the model (a proxy for interoperability). Filled points are facts; "
        "hollow points are proxies; a gap is a dimension with no fact or proxy. Hover a point for its source."
    )
    if axes.empty:
        return Chart(empty_figure("No trade-off dimensions are in the store."), caption)
    theta = axes["name"].tolist()
    open_profile = axes["favours"].map(FAVOURS_SCORE).tolist()
    fig = go.Figure()
    for name, values, color in (
        ("Open weights (articles, maintainers' reading)", open_profile, style.OPEN_COLOR),
        ("Closed API (articles, maintainers' reading)", [1 - v for v in open_profile], style.CLOSED_COLOR),
    ):
        fig.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*theta, theta[0]],
                name=name,
                fill="toself",
                opacity=0.2,
                line={"color": color, "width": 1},
                hoverinfo="skip",
            )
        )
    for i, model_id in enumerate(model_ids):
        mine = cells[cells["model_id"] == model_id].set_index("dimension_id").reindex(axes["id"])
        drawn = mine["basis"].isin([FACT, PROXY]) & mine["score"].notna()
        mine = mine.assign(r=mine["score"].where(drawn), theta=theta).reset_index()
        ring = pd.concat([mine, mine.head(1)])
        data, template = _radar_hover(ring)
        known = mine.dropna(subset=["model"])
        color = style.access_color(known["access"].iloc[0]) if not known.empty else None
        name = str(known["model"].iloc[0]) if not known.empty else model_id
        fig.add_trace(
            go.Scatterpolar(
                r=ring["r"],
                theta=ring["theta"],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                customdata=data,
                hovertemplate=template,
                line={"color": color, "width": 2, "dash": ["solid", "dash", "dot", "dashdot"][i % 4]},
                marker={
                    "size": 9,
                    "color": color,
                    "symbol": np.where(ring["basis"] == FACT, "circle", "circle-open"),
                    "opacity": np.where(ring["basis"] == FACT, 1.0, 0.55),
                    "line": {"width": 2, "color": color},
                },
            )
        )
    fig.update_polars(
        radialaxis={"range": [0, 1], "tickvals": [0, 0.5, 1], "angle": 90, "tickangle": 90, "tickfont": {"size": 9}},
        angularaxis={"rotation": 90, "direction": "clockwise"},
    )
    title = "How strong is each side, and each of your models, on the trade-offs? (1 = strong; hollow = proxy)"
    fig = frame_layout(fig, title, height=600)
    return Chart(fig.update_layout(legend={"y": -0.05, "yanchor": "top", "x": 0.5, "xanchor": "center"}), caption)
