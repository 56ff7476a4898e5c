"""Trade-off charts for the Decide pages: pure builders, facts in, a figure and its source caption out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from llmcompare import style
from llmcompare.charts.catalog import access_traces, empty_figure, frame_layout, log_ticks
from llmcompare.charts.chart import Chart

FRONTIER_COLOR = "#333333"
FMTI_REVISED = "2025-12"  # the edition that switched to a new indicator set
LABEL_GAP = 3.5  # score points between end labels, about one line of 10 px text at the chart's height
EDITION_LABELS = {"2023-10": "Oct 2023", "2024-05": "May 2024", "2025-12": "Dec 2025"}
TERMS = {
    "commercial_use": "Commercial<br>use",
    "user_threshold_mau": "User<br>cap",
    "modification": "Modifi-<br>cation",
    "redistribution": "Redistri-<br>bution",
    "use_policy": "Acceptable-<br>use policy",
}
TERM_LEVELS = {"yes": (1.0, "Yes"), "conditional": (0.5, "Conditions"), "no": (0.0, "No")}
# Allowed / with conditions / not allowed on the traffic-light scale used for openness grades.
TERM_SCALE = [
    [0.0, style.GRADE_COLORS["closed"]],
    [0.33, style.GRADE_COLORS["closed"]],
    [0.33, style.GRADE_COLORS["partial"]],
    [0.67, style.GRADE_COLORS["partial"]],
    [0.67, style.GRADE_COLORS["open"]],
    [1.0, style.GRADE_COLORS["open"]],
]


def pareto_frontier(price: pd.Series, quality: pd.Series) -> pd.Series:
    """True for points no other point beats on both: at most the price and more quality (or less price)."""
    order = sorted(range(len(price)), key=lambda i: (price.iloc[i], -quality.iloc[i]))
    best, keep = -np.inf, np.zeros(len(price), dtype=bool)
    for i in order:
        if quality.iloc[i] > best:
            keep[i], best = True, quality.iloc[i]
    return pd.Series(keep, index=price.index)


def _quality_axis(facts: pd.DataFrame) -> str:
    unit = "rating" if facts["quality_unit"].iloc[0] == "elo" else "%"
    return f"{facts['quality_name'].iloc[0]} — {unit}, higher is better"


def _label_positions(count: int) -> list[str]:
    """Alternate labels above-left and below-right along a line of points, so neighbours do not collide."""
    return ["top left" if i % 2 == 0 else "bottom right" for i in range(count)]


def _fact_hover(rows: pd.DataFrame, *facts: tuple[str, str]) -> tuple[np.ndarray, str]:
    """customdata and a hover template naming each fact's value, source and date."""
    lines, columns = ["<b>%{customdata[0]}</b> (%{customdata[1]})"], ["model", "developer"]
    for label, prefix in facts:
        i = len(columns)
        source = f"<i>%{{customdata[{i + 1}]}}, as of %{{customdata[{i + 2}]}}</i>"
        lines.append(f"{label}: %{{customdata[{i}]}}<br>   {source}")
        columns += [f"{prefix}_text", f"{prefix}_source", f"{prefix}_as_of"]
    return rows[columns].astype(str).to_numpy(), "<br>".join(lines) + "<extra></extra>"


def _with_texts(frame: pd.DataFrame) -> pd.DataFrame:
    digits = 0 if frame["quality_unit"].iloc[0] == "elo" else 1
    return frame.assign(
        price_text=frame["blended"].map(lambda v: f"{style.format_usd(v)} per 1M tokens blended"),
        quality_text=frame["quality"].map(lambda v: style.format_number(v, digits)),
        openness_text=frame["openness"].map(lambda v: style.format_number(v, suffix="%")),
    )


def price_quality(facts: pd.DataFrame) -> Chart:
    """Quality against blended price on a log axis, open vs closed, with the Pareto frontier drawn and labelled."""
    priced = facts.dropna(subset=["blended", "quality"])
    frame = _with_texts(priced[priced["blended"] > 0]) if not priced.empty else priced
    free = len(priced) - len(frame)
    caption = (
        f"{len(frame)} of {len(facts)} models have both a list price and a {facts['quality_name'].iloc[0]} result"
        + (f" ({free} free offering(s) cannot sit on a log axis)" if free else "")
        + ". Prices: newest list price from the LiteLLM price map, the developer's own offering where there is "
        "one, blended 3 input : 1 output. Scores: newest result per model. Hover a point for each fact's source."
    )
    if frame.empty:
        return Chart(empty_figure("No model has both a price and a score on this benchmark."), caption)
    frontier = pareto_frontier(frame["blended"], frame["quality"])
    fig = go.Figure()
    line = frame[frontier].sort_values("blended")
    fig.add_trace(
        go.Scatter(
            x=line["blended"],
            y=line["quality"],
            mode="lines+text",
            name="Best value frontier",
            line={"color": FRONTIER_COLOR, "dash": "dot", "shape": "hv", "width": 1.5},
            text=line["model"],
            textposition=_label_positions(len(line)),
            cliponaxis=False,
            textfont={"size": 10, "color": FRONTIER_COLOR},
            hoverinfo="skip",
        )
    )
    for _, label, color, rows in access_traces(frame):
        data, template = _fact_hover(rows, ("Price", "price"), ("Score", "quality"))
        fig.add_trace(
            go.Scatter(
                x=rows["blended"],
                y=rows["quality"],
                mode="markers",
                name=label,
                customdata=data,
                hovertemplate=template,
                marker={
                    "color": color,
                    "size": np.where(frontier[rows.index], 12, 8),
                    "opacity": 0.85,
                    "line": {"width": 1, "color": "white"},
                },
            )
        )
    low, high = frame["blended"].min(), frame["blended"].max()
    ticks = log_ticks(low, high)
    fig.update_xaxes(
        type="log",
        title="Blended price, USD per 1M tokens (log scale)",
        tickvals=ticks,
        ticktext=[f"${t:g}" for t in ticks],
        range=[np.log10(low) - 0.6, np.log10(high) + 0.15],
    )
    fig.update_yaxes(title=_quality_axis(frame))
    title = "Which models give the most quality for the money? (up and to the left is better)"
    return Chart(frame_layout(fig, title, height=560), caption)


def openness_quality(facts: pd.DataFrame) -> Chart:
    """Quality against openness grade, coloured by access."""
    frame = facts.dropna(subset=["openness", "quality"])
    caption = (
        f"{len(frame)} models have both an openness grade and a {facts['quality_name'].iloc[0]} result. Labelled: "
        "models that no other model beats on both openness and quality. Openness: "
        "share of the openness dimensions graded open (partial counts half) in the EU Open Source AI Index, or "
        "Opening up ChatGPT where the EU index has no entry. These indexes grade open-weights releases, so closed "
        "API models rarely appear."
    )
    if frame.empty:
        return Chart(empty_figure("No model has both an openness grade and a score on this benchmark."), caption)
    frame = _with_texts(frame)
    best = pareto_frontier(-frame["openness"], frame["quality"])
    fig = go.Figure()
    for _, label, color, rows in access_traces(frame):
        data, template = _fact_hover(rows, ("Openness", "openness"), ("Score", "quality"))
        fig.add_trace(
            go.Scatter(
                x=rows["openness"],
                y=rows["quality"],
                mode="markers+text",
                name=label,
                text=rows["model"].where(best[rows.index], ""),
                textposition="top center",
                textfont={"size": 10},
                customdata=data,
                hovertemplate=template,
                cliponaxis=False,
                marker={"color": color, "size": 10, "line": {"width": 1, "color": "white"}},
            )
        )
    fig.update_xaxes(title="Openness (% of dimensions graded open)", range=[-5, 105], ticksuffix="%")
    fig.update_yaxes(title=_quality_axis(frame))
    return Chart(frame_layout(fig, "Do the most open models give up quality?", height=480), caption)


def fmti_trend(history: pd.DataFrame) -> Chart:
    """Each developer's FMTI total per edition as a slope chart, coloured by whether it mostly ships open weights."""
    caption = (
        "Foundation Model Transparency Index (Stanford CRFM and collaborators, CC BY 4.0): the share of "
        "transparency indicators each developer meets, per edition. The December 2025 edition uses a new indicator "
        "set, so the step into 2025 mixes real change with a change of yardstick. Colour: whether most of the "
        "developer's models in this catalogue are open weights."
    )
    if history.empty:
        return Chart(empty_figure("No FMTI scores are in the store."), caption)
    editions = sorted(history["edition"].unique())
    labels = [EDITION_LABELS.get(e, e) for e in editions]
    fig = go.Figure()
    ends = []
    for developer, rows in history.sort_values("edition").groupby("developer"):
        color = style.OPEN_COLOR if rows["open_weights"].iloc[0] > rows["api_only"].iloc[0] else style.CLOSED_COLOR
        x = [EDITION_LABELS.get(e, e) for e in rows["edition"]]
        ends.append((x[-1], rows["fmti"].iloc[-1], developer, color))
        fig.add_trace(
            go.Scatter(
                x=x,
                y=rows["fmti"],
                mode="lines+markers",
                name=developer,
                showlegend=False,
                line={"color": color, "width": 1.5},
                marker={"color": color, "size": 8},
                customdata=rows[["source", "as_of"]].astype(str).to_numpy(),
                hovertemplate=f"<b>{developer}</b><br>%{{x}}: %{{y:.0f}} / 100"
                "<br><i>%{customdata[0]}, as of %{customdata[1]}</i><extra></extra>",
            )
        )
    labels_at = pd.DataFrame(ends, columns=["x", "y", "text", "color"])
    labels_at["y"] = labels_at.groupby("x")["y"].transform(lambda y: spread(y.to_numpy(), LABEL_GAP))
    for label in labels_at.itertuples():
        fig.add_annotation(
            x=label.x,
            y=label.y,
            text=label.text,
            showarrow=False,
            xanchor="left",
            xshift=8,
            font={"size": 10, "color": label.color},
        )
    for name, color in (("Mostly open weights", style.OPEN_COLOR), ("Mostly closed API", style.CLOSED_COLOR)):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name, line={"color": color}))
    if FMTI_REVISED in editions and len(editions) > 1:
        fig.add_vrect(x0=len(editions) - 1.5, x1=len(editions) - 0.5, fillcolor="#999999", opacity=0.12, line_width=0)
        fig.add_annotation(
            x=len(editions) - 1,
            y=100,
            text="new indicator set",
            showarrow=False,
            yanchor="bottom",
            font={"size": 11, "color": "#555555"},
        )
    fig.update_xaxes(title="FMTI edition", type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(title="Transparency score (of 100)", range=[0, 105])
    fig = frame_layout(fig, "Are model developers becoming more transparent?", height=520)
    return Chart(fig.update_layout(margin={"r": 150}), caption)


def spread(values: np.ndarray, gap: float) -> np.ndarray:
    """Label heights nudged apart to at least `gap`, in the same order, centred on where the points are."""
    order = np.argsort(values, kind="stable")
    placed = np.asarray(values, dtype=float)[order].copy()
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    placed -= (placed - np.asarray(values, dtype=float)[order]).mean()
    result = np.empty_like(placed)
    result[order] = placed
    return result


def _term_cell(term: str, value: object) -> tuple[float, str]:
    """A licence term as a colour level and a short label."""
    if term == "user_threshold_mau":
        return (1.0, "None") if style.is_missing(value) else (0.5, f"{float(value) / 1e6:,.0f}M users")
    if term == "use_policy":
        return (0.5, "Applies") if value else (1.0, "None")
    return TERM_LEVELS.get(str(value), (np.nan, style.MISSING))


def licence_matrix(terms: pd.DataFrame, label: str = "name", most: int = 25) -> Chart:
    """Rows (licences or models) against the five structured licence terms, as a traffic-light heatmap."""
    caption = (
        "Licence terms are the maintainers' structured reading of each licence text (SPDX list for standard "
        "licences, the published texts for model licences); not legal advice. Green: allowed without "
        "conditions. Amber: allowed with conditions (a user cap, an acceptable-use policy, or terms on copies). "
        "Grey: not allowed."
    )
    if terms.empty:
        return Chart(empty_figure("No licences to show."), caption)
    rows = terms.head(most)
    cells = [[_term_cell(t, r[t]) for t in TERMS] for _, r in rows.iterrows()]
    z = [[level for level, _ in row] for row in cells]
    text = [[word for _, word in row] for row in cells]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(TERMS.values()),
            y=rows[label],
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale=TERM_SCALE,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(side="top", title=None, tickangle=0)
    title = "What does each licence let you do?"
    if len(terms) > most:
        title += f" (the {most} most used of {len(terms)})"
    fig = frame_layout(fig, title, height=140 + 28 * len(rows))
    return Chart(fig.update_layout(margin={"t": 90}), caption)


def price_history(points: pd.DataFrame) -> Chart:
    """Each model's list price per snapshot (its own offering, else the cheapest host), as steps."""
    caption = (
        "Dated list prices from four snapshots of the LiteLLM price map (December 2024, March 2025, October 2025, "
        "November 2026); dates are approximate release dates of those snapshots. A price holds until the next "
        "point. Per date: the developer's own offering where there is one, otherwise the cheapest host."
    )
    if points.empty:
        return Chart(empty_figure("Pick models with recorded prices to see how their prices moved."), caption)
    best = points.sort_values(["model_id", "as_of", "first_party", "blended"], ascending=[True, True, False, True])
    best = best.drop_duplicates(["model_id", "as_of"])
    fig = go.Figure()
    for i, (_, rows) in enumerate(best.groupby("model", sort=True)):
        color = style.access_color(rows["access"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(rows["as_of"]),
                y=rows["blended"],
                name=rows["model"].iloc[0],
                mode="lines+markers",
                line={"shape": "hv", "color": color, "dash": ["solid", "dash", "dot"][i % 3]},
                marker={"size": 8, "color": color},
                customdata=rows[["offering", "source"]].astype(str).to_numpy(),
                hovertemplate="<b>%{fullData.name}</b><br>%{x|%Y-%m-%d}: $%{y:,.3f} blended"
                "<br>%{customdata[0]}<br><i>%{customdata[1]}</i><extra></extra>",
            )
        )
    positive = best["blended"][best["blended"] > 0]
    if not positive.empty and positive.max() / positive.min() > 20:
        ticks = log_ticks(positive.min(), positive.max())
        fig.update_yaxes(
            type="log",
            title="Blended USD per 1M tokens (log scale)",
            tickvals=ticks,
            ticktext=[f"${t:g}" for t in ticks],
        )
    else:
        fig.update_yaxes(rangemode="tozero", title="Blended USD per 1M tokens", tickprefix="$")
    fig.update_xaxes(title="Price snapshot date")
    fig = frame_layout(fig, "How have list prices moved?", height=460)
    return Chart(fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02, "xanchor": "left"}), caption)
