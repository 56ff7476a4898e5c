"""Pure plotly figure builders, DataFrame in and Figure out, shared by pages and reports."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from llmcompare import style
from llmcompare.store.models import ACCESS_TYPES
from llmcompare.store.queries import TOTAL_DOMAIN, blended_price

DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
LOG_AXIS_RATIO = 20
USD_HOVER = "$%{y:,.3f}"


def frame_layout(fig: go.Figure, title: str, height: int = 380, **kwargs) -> go.Figure:
    """Common frame: a plain template reports can print, a top legend, tight margins."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1, "traceorder": "normal"},
        hoverlabel={"align": "left"},
        **kwargs,
    )
    return fig


def empty_figure(message: str) -> go.Figure:
    """A blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return frame_layout(fig, "", height=200)


def price_history_chart(history: pd.DataFrame, access: str) -> go.Figure:
    """Blended price of each offering over time, as steps because a list price holds until the next one."""
    if history.empty:
        return empty_figure("No price points recorded for this model.")
    offerings = history.sort_values("as_of").groupby("offering", sort=False)
    colors = style.shades(style.access_color(access), len(offerings))
    fig = go.Figure()
    for i, (offering, points) in enumerate(offerings):
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(points["as_of"]),
                y=points["blended_usd_per_1m"],
                name=offering,
                mode="lines+markers",
                line={"color": colors[i], "dash": DASHES[i % len(DASHES)], "shape": "hv"},
                marker={"size": 9, "symbol": SYMBOLS[i % len(SYMBOLS)]},
                customdata=points[["provider", "input_usd_per_1m", "output_usd_per_1m", "source"]],
                hovertemplate=(
                    "<b>%{fullData.name}</b><br>%{x|%Y-%m-%d}: " + USD_HOVER + " blended"
                    "<br>input $%{customdata[1]:,.3f}, output $%{customdata[2]:,.3f}"
                    "<br>source: %{customdata[3]}<extra></extra>"
                ),
            )
        )
    positive = history["blended_usd_per_1m"][history["blended_usd_per_1m"] > 0]
    # One odd offering can be a thousand times dearer than the rest; a log axis keeps the others readable.
    wide = not positive.empty and positive.max() / positive.min() > LOG_AXIS_RATIO
    if wide:
        fig.update_yaxes(type="log", dtick=1, title="USD per 1M tokens (log scale)")
    else:
        fig.update_yaxes(rangemode="tozero", title="USD per 1M tokens")
    fig.update_yaxes(tickprefix="$")
    fig.update_xaxes(title=None)
    fig = frame_layout(fig, "Blended price per 1M tokens (3 input : 1 output)", height=360 + 22 * len(offerings))
    return fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0})


def access_traces(frame: pd.DataFrame):
    """Yield (access, label, colour, rows) for each access type present, always in the same order."""
    for access in ACCESS_TYPES:
        rows = frame[frame["access"] == access]
        if not rows.empty:
            yield access, style.access_label(access), style.access_color(access), rows


def log_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Round dollar amounts spanning [low, high] for a log axis: 1-2-5 steps, thinned to 1-3 or decades if crowded."""
    for mantissas in ((1, 2, 5), (1, 3), (1,)):
        ticks = [m * 10.0**e for e in range(-4, 5) for m in mantissas]
        inside = [t for t in ticks if low / 2 <= t <= high * 2]
        if len(inside) <= most:
            break
    return inside


def price_performance_chart(catalog: pd.DataFrame, label_up_to: int = 15) -> go.Figure:
    """Arena score against blended price, one colour per access type; cheaper and better is top left."""
    frame = catalog.assign(blended=blended_price(catalog["input_usd_per_1m"], catalog["output_usd_per_1m"]))
    frame = frame.dropna(subset=["blended", "arena_score"])
    frame = frame[frame["blended"] > 0]
    if frame.empty:
        return empty_figure("None of these models has both a price and an arena score.")
    fig = go.Figure()
    for _, label, color, rows in access_traces(frame):
        fig.add_trace(
            go.Scatter(
                x=rows["blended"],
                y=rows["arena_score"],
                name=label,
                mode="markers+text" if len(frame) <= label_up_to else "markers",
                text=rows["model"],
                textposition="top center",
                textfont={"size": 11},
                marker={"color": color, "size": 10, "line": {"width": 1, "color": "white"}},
                customdata=rows[["model", "developer"]],
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                "$%{x:,.3f} per 1M tokens blended<br>arena score %{y:.0f}<extra></extra>",
            )
        )
    ticks = log_ticks(frame["blended"].min(), frame["blended"].max())
    fig.update_xaxes(
        type="log", title="Blended USD per 1M tokens (log scale)", tickvals=ticks, ticktext=[f"${t:g}" for t in ticks]
    )
    fig.update_yaxes(title="LMArena text score")
    return frame_layout(fig, "Quality against price")


def transparency_chart(transparency: pd.DataFrame) -> go.Figure:
    """FMTI domain sub-scores stacked per edition, with the total on top."""
    domains = transparency[transparency["domain"] != TOTAL_DOMAIN]
    if domains.empty:
        return empty_figure("The Foundation Model Transparency Index has not scored this developer.")
    editions = sorted(domains["edition"].unique())
    fig = go.Figure()
    for domain, color in style.DOMAIN_COLORS.items():
        rows = domains[domains["domain"] == domain].set_index("edition").reindex(editions)
        fig.add_trace(
            go.Bar(
                x=editions,
                y=rows["score"],
                name=domain,
                marker_color=color,
                customdata=rows[["max_score"]],
                hovertemplate=f"{domain}: %{{y}} of %{{customdata[0]}}<extra></extra>",
                width=0.5,
            )
        )
    totals = domains.groupby("edition")["score"].sum().reindex(editions)
    fig.add_trace(
        go.Scatter(
            x=editions,
            y=totals,
            mode="text",
            text=[f"{t:.0f}" for t in totals],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_yaxes(title="Indicators met (of 100)", range=[0, 105])
    fig.update_xaxes(title="FMTI edition", type="category")
    return frame_layout(fig, "Foundation Model Transparency Index by edition", barmode="stack")


def access_by_developer_chart(catalog: pd.DataFrame, top: int = 12) -> go.Figure:
    """How many open and closed models the largest developers have in the store."""
    counts = catalog.groupby(["developer", "access"]).size().unstack(fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=True).index[-top:]]
    fig = go.Figure()
    for access in ACCESS_TYPES:
        if access in counts:
            fig.add_trace(
                go.Bar(
                    y=counts.index,
                    x=counts[access],
                    name=style.access_label(access),
                    orientation="h",
                    marker={"color": style.access_color(access), "line": {"width": 0}},
                    hovertemplate="%{y}: %{x} models<extra></extra>",
                )
            )
    fig.update_xaxes(title="Models", dtick=1 if counts.to_numpy().max(initial=0) <= 10 else None)
    return frame_layout(
        fig, f"Models per developer (top {min(top, len(counts))})", height=120 + 28 * len(counts), barmode="stack"
    )


def model_bars(frame: pd.DataFrame, value: str, title: str, money: bool = False) -> go.Figure:
    """One horizontal bar per model from zero, coloured by access: for amounts such as prices."""
    rows = frame.dropna(subset=[value])
    if rows.empty:
        return empty_figure(f"No {title.lower()} for these models.")
    fig = go.Figure(
        go.Bar(
            y=rows["model"],
            x=rows[value],
            orientation="h",
            marker={"color": [style.access_color(a) for a in rows["access"]], "line": {"width": 0}},
            text=[style.format_usd(v) if money else style.format_number(v) for v in rows[value]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickprefix="$" if money else None, range=[0, rows[value].max() * 1.2])
    return frame_layout(fig, title, height=110 + 40 * len(rows))


def model_dots(frame: pd.DataFrame, value: str, title: str) -> go.Figure:
    """One dot per model on a shared scale, coloured by access: for ratings such as arena scores."""
    rows = frame.dropna(subset=[value])
    if rows.empty:
        return empty_figure(f"No {title.lower()} for these models.")
    fig = go.Figure(
        go.Scatter(
            y=rows["model"],
            x=rows[value],
            mode="markers+text",
            marker={"color": [style.access_color(a) for a in rows["access"]], "size": 14},
            text=[style.format_number(v) for v in rows[value]],
            textposition="middle right",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
        )
    )
    spread = max(rows[value].max() - rows[value].min(), 20)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[rows[value].min() - spread * 0.3, rows[value].max() + spread * 0.4])
    return frame_layout(fig, title, height=110 + 40 * len(rows))
