"""Figure builders for blind-vote results: Bradley-Terry scores with their 95% intervals, and win rates."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from llmcompare import style
from llmcompare.charts.catalog import empty_figure, frame_layout
from llmcompare.playground.votes import ELO_BASE

POINT_COLOR = "#5B3FD0"  # the app's accent: votes are neither open nor closed


def scores_chart(scores: pd.DataFrame) -> go.Figure:
    """One dot per model with a horizontal bar for its bootstrap 95% interval, strongest on top."""
    if scores.empty:
        return empty_figure("No scores yet.")
    ordered = scores.sort_values("score")
    fig = go.Figure(
        go.Scatter(
            x=ordered["score"],
            y=ordered["model"].map(style.chart_text),
            mode="markers",
            marker={"size": 11, "color": POINT_COLOR},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": ordered["high"] - ordered["score"],
                "arrayminus": ordered["score"] - ordered["low"],
                "color": POINT_COLOR,
                "thickness": 2,
            },
            customdata=ordered[["low", "high", "votes"]],
            hovertemplate=(
                "<b>%{y}</b><br>score %{x:.0f} (95%: %{customdata[0]:.0f} to %{customdata[1]:.0f})"
                "<br>%{customdata[2]} votes<extra></extra>"
            ),
        )
    )
    fig.add_vline(x=ELO_BASE, line={"color": "#9E9E9E", "dash": "dot"})
    fig.update_xaxes(title="Bradley-Terry score (1000 = average; +400 = 10-to-1 odds)")
    return frame_layout(fig, "Bradley-Terry scores with bootstrap 95% intervals", height=160 + 45 * len(ordered))


def win_rate_chart(rates: pd.DataFrame) -> go.Figure:
    """Each model's win rate as a bar, ties counted half."""
    shown = rates.dropna(subset=["win_rate"]).sort_values("win_rate")
    if shown.empty:
        return empty_figure("No vote with a winner or a tie yet.")
    fig = go.Figure(
        go.Bar(
            x=shown["win_rate"],
            y=shown["model"].map(style.chart_text),
            orientation="h",
            marker={"color": POINT_COLOR},
            customdata=shown[["wins", "losses", "ties"]],
            hovertemplate=(
                "<b>%{y}</b><br>win rate %{x:.0%}<br>%{customdata[0]} won, %{customdata[1]} lost, "
                "%{customdata[2]} tied<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title="Win rate (ties count half)", tickformat=".0%", range=[0, 1])
    return frame_layout(fig, "Win rate per model", height=160 + 45 * len(shown))
