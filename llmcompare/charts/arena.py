"""Arena charts: the open-closed gap over time, how the top of the board splits among developers, release cadence
per developer, and category strengths."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from llmcompare import style
from llmcompare.charts.catalog import access_traces, empty_figure, frame_layout
from llmcompare.charts.chart import Chart
from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS

CADENCE_DEVELOPERS = 12
MODEL_COLORS = ("#0072B2", "#C04F00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#6A3D9A", "#333333")
ROW_HEIGHT = 22  # pixels per category row, so 24 categories stay readable
TOP_COLORS = ("#6A3D9A", "#009E73", "#333333")  # one per top size; blue and orange stay for access


def _day(value) -> str:
    return style.format_date(value.date() if hasattr(value, "date") else value)


def gap_chart(gap: pd.DataFrame) -> Chart:
    """Two panels over the arena's dated versions: points the best open model trails by, and months."""
    caption = (
        f"{len(gap)} dated versions of the LMArena text board (ratings without style control; the oldest come "
        "from a compiled history whose early ratings are online Elo, so ratings are compared only within a version), "
        f"{_day(gap['as_of'].min()) if len(gap) else ''} to {_day(gap['as_of'].max()) if len(gap) else ''}. "
        "Points: best closed rating minus best open rating in the same version. Months: how long before that "
        "version the first closed model rated at least as high as the best open model came out (its release date "
        "where known, else the first version listing it, which makes the figure a lower bound). "
        "Sources: " + _sources(gap["source"]) + "."
        if len(gap)
        else "No arena version rates both an open and a closed model."
    )
    if gap.empty:
        return Chart(empty_figure("No arena version rates both an open and a closed model."), caption)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, row_heights=[0.55, 0.45])
    for access, column, model in ((API_ONLY, "closed_score", "best_closed"), (OPEN_WEIGHTS, "open_score", "best_open")):
        fig.add_trace(
            go.Scatter(
                x=gap["as_of"],
                y=gap[column],
                mode="lines+markers",
                name=f"Best {style.access_label(access)}",
                line={"color": style.access_color(access), "shape": "hv"},
                customdata=gap[[model, "source"]],
                hovertemplate="%{customdata[0]}: %{y:.0f}<br><i>%{customdata[1]}</i><extra></extra>",
            ),
            row=1,
            col=1,
        )
    matched = gap.apply(_matched_text, axis=1)
    fig.add_trace(
        go.Scatter(
            x=gap["as_of"],
            y=gap["gap_months"],
            name="Months behind",
            mode="lines+markers",
            line={"color": "#7F7F7F", "shape": "hv"},
            fill="tozeroy",
            customdata=pd.DataFrame({"gap": gap["gap_points"], "matched": matched}),
            hovertemplate="%{y:.1f} months behind (%{customdata[0]:.0f} points)<br>%{customdata[1]}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.update_yaxes(title="Arena rating", row=1, col=1)
    fig.update_yaxes(title="Months open trails", rangemode="tozero", row=2, col=1)
    last = gap.iloc[-1]
    title = (
        f"Open weights trail the best closed API by {last['gap_points']:.0f} points "
        f"and about {last['gap_months']:.0f} months ({_day(last['as_of'])})"
        if last["gap_points"] > 0
        else f"Open weights lead the best closed API by {-last['gap_points']:.0f} points ({_day(last['as_of'])})"
    )
    return Chart(frame_layout(fig, title, height=460), caption)


def concentration_chart(concentration: pd.DataFrame) -> Chart:
    """Two panels over the arena's dated versions: developers among the top N, and the largest one's share."""
    if concentration.empty:
        caption = "No dated arena version is in the store."
        return Chart(empty_figure("No dated arena version is in the store."), caption)
    sizes = sorted(concentration["top"].unique())
    short = concentration[concentration["models"] < concentration["top"]]
    caption = (
        f"How the best-rated models of {concentration['as_of'].nunique()} dated versions of the LMArena text board "
        f"({_day(concentration['as_of'].min())} to {_day(concentration['as_of'].max())}) split among developers. "
        "Above: how many developers the top "
        + " and top ".join(map(str, sizes))
        + " come from. Below: the share of the top held by the developer with the most models in it, and the share "
        f"of open-weights models in the top {sizes[0]}. Hover a point for each developer's count and the "
        "Herfindahl-Hirschman index (HHI, 10,000 when one developer holds the whole top). Models tied on the last "
        "place in a top are cut by name; "
        + (
            f"{short['as_of'].nunique()} early versions rate fewer models than the top size and count their whole "
            "board. "
            if len(short)
            else ""
        )
        + "This measures rank on one public leaderboard, not market share or revenue. Sources: "
        + _sources(concentration["source"])
        + "."
    )
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, row_heights=[0.5, 0.5])
    for size, color in zip(sizes, TOP_COLORS, strict=False):
        part = concentration[concentration["top"] == size]
        custom = part[["models", "leader", "split", "hhi", "source"]]
        where = "of %{customdata[0]} models<br>%{customdata[2]}<br>HHI %{customdata[3]:,.0f}<br><i>%{customdata[4]}</i>"
        for row, column, name, text in (
            (1, "developers", f"Developers, top {size}", f"Top {size}: %{{y}} developers {where}"),
            (
                2,
                "leader_share",
                f"Largest developer's share, top {size}",
                f"Top {size}: %{{customdata[1]}} %{{y:.0%}} {where}",
            ),
        ):
            fig.add_trace(
                go.Scatter(
                    x=part["as_of"],
                    y=part[column],
                    mode="lines+markers",
                    line={"color": color, "shape": "hv"},
                    name=name,
                    customdata=custom,
                    hovertemplate=text + "<extra></extra>",
                ),
                row=row,
                col=1,
            )
    first = concentration[concentration["top"] == sizes[0]]
    fig.add_trace(
        go.Scatter(
            x=first["as_of"],
            y=first["open_share"],
            mode="lines",
            name=f"Open weights' share, top {sizes[0]}",
            line={"color": style.access_color(OPEN_WEIGHTS), "shape": "hv", "dash": "dot"},
            customdata=first[["open_models", "models"]],
            hovertemplate="%{customdata[0]} of %{customdata[1]} open weights<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.update_yaxes(title="Developers", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title="Share of the top", tickformat=".0%", range=[0, 1.05], row=2, col=1)
    last = first.iloc[-1]
    title = (
        f"On the {_day(last['as_of'])} board the top {last['top']} come from {last['developers']} "
        f"developer{'s' if last['developers'] != 1 else ''}; "
        f"the largest holds {last['leader_models']}"
    )
    fig = frame_layout(fig, title, height=540)
    # Five legend entries would cover the title: they go under the plot.
    fig.update_layout(legend={"yanchor": "top", "y": -0.08, "xanchor": "left", "x": 0})
    return Chart(fig, caption)


def _sources(titles: pd.Series, most: int = 3) -> str:
    """Distinct source titles in order; a long run is shortened to its first and last with a count between."""
    names = list(dict.fromkeys(titles.dropna()))
    if len(names) <= most:
        return "; ".join(names)
    return f"{names[0]}; {len(names) - 2} more versions; {names[-1]}"


def _matched_text(row: pd.Series) -> str:
    if not isinstance(row["matched_closed"], str):
        return "open weights lead"
    return f"matches {row['matched_closed']} ({row['date_basis']} {_day(row['matched_date'])})"


def cadence_chart(releases: pd.DataFrame, cadence: pd.DataFrame, top: int = CADENCE_DEVELOPERS) -> Chart:
    """Each dated release of the developers with the most, one row per developer, open and closed coloured."""
    shown = cadence.head(top)
    rows = releases[releases["developer"].isin(shown["developer"])]
    if rows.empty:
        caption = f"{len(releases)} models have a release date; no developer has the three a cadence needs."
        return Chart(empty_figure("Too few models have a release date to show a cadence."), caption)
    caption = (
        f"{len(releases)} models have a release date; shown are the {len(shown)} developers with the most "
        "(at least three). The label gives the median months between releases. Dates: "
        + _sources(rows["source"])
        + ". Some sources give only the month."
    )
    labels = {r.developer: f"{r.developer} ({r.releases}, every {r.median_months:g} mo)" for r in shown.itertuples()}
    fig = go.Figure()
    for _, label, color, part in access_traces(rows):
        fig.add_trace(
            go.Scatter(
                x=part["release_date"],
                y=part["developer"].map(labels),
                mode="markers",
                name=label,
                marker={"color": color, "size": 10, "opacity": 0.85, "line": {"width": 1, "color": "white"}},
                customdata=part[["model", "source"]],
                hovertemplate="<b>%{customdata[0]}</b><br>released %{x|%Y-%m-%d}<br><i>%{customdata[1]}</i>"
                "<extra></extra>",
            )
        )
    order = [labels[d] for d in shown["developer"]][::-1]
    fig.update_yaxes(categoryorder="array", categoryarray=order, title=None)
    fig.update_xaxes(title="Release date")
    return Chart(frame_layout(fig, "Release cadence per developer", height=120 + 30 * len(shown)), caption)


def category_chart(scores: pd.DataFrame) -> Chart:
    """Each chosen model's rating per arena category with its 95% interval, grouped by task, language and domain."""
    if scores.empty:
        caption = "None of the chosen models has arena category ratings."
        return Chart(empty_figure("Choose models that LMArena rates to compare their strengths."), caption)
    caption = (
        f"LMArena text ratings per category with their 95% intervals (as of {_day(scores['as_of'].max())}): "
        "where two intervals overlap, the arena cannot tell the models apart in that category. Source: "
        + _sources(scores["source"])
        + "."
    )
    label = scores["group"] + " · " + scores["category"]
    order = list(dict.fromkeys(label))[::-1]
    fig = go.Figure()
    for i, (model, part) in enumerate(scores.groupby("model", sort=False)):
        part_label = part["group"] + " · " + part["category"]
        fig.add_trace(
            go.Scatter(
                x=part["score"],
                y=part_label,
                mode="markers",
                name=model,
                marker={"color": MODEL_COLORS[i % len(MODEL_COLORS)], "size": 9},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": part["upper"] - part["score"],
                    "arrayminus": part["score"] - part["lower"],
                    "thickness": 1.5,
                    "width": 3,
                },
                customdata=part[["lower", "upper"]],
                hovertemplate=f"<b>{model}</b><br>%{{y}}: %{{x:.0f}} (95%: %{{customdata[0]:.0f}} to "
                "%{customdata[1]:.0f})<extra></extra>",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order, title=None)
    fig.update_xaxes(title="Arena rating (higher is better)")
    return Chart(
        frame_layout(fig, "Strengths by task, language and domain", height=140 + ROW_HEIGHT * len(order)), caption
    )
