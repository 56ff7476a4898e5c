"""Charts of the advisor, the cost calculator and the playground's measurements: pure builders, data in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from llmcompare import style
from llmcompare.charts.catalog import empty_figure, frame_layout
from llmcompare.charts.chart import Chart
from llmcompare.decide.criteria import CRITERIA
from llmcompare.decide.hybrid import HybridResult
from llmcompare.decide.ranking import MISSING_POLICIES, Ranking
from llmcompare.decide.tco import TcoResult
from llmcompare.playground.votes import named_votes, win_rates

# Paul Tol's muted scheme: ten hues told apart by colour-blind readers, none of them the open/closed pair.
CRITERION_COLORS = dict(
    zip(
        [c.id for c in CRITERIA],
        ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#777777"],
        strict=True,
    )
)
LEGEND_PER_ROW = 4
TOKEN_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def _coloured(text: str, access: str) -> str:
    return f'<span style="color:{style.access_color(access)}">{text}</span>'


def contribution_bars(ranking: Ranking, top: int = 15) -> Chart:
    """One stacked bar per ranked model: the points each criterion adds to its score out of 100."""
    caption = (
        "Each segment is one criterion's points: the model's 0-1 score on it times the criterion's share of the "
        "total weight, out of 100. Hatched segments stand in for a missing fact ("
        f"{MISSING_POLICIES[ranking.policy].lower()}); model names are coloured blue for open weights and orange "
        "for closed API."
    )
    rows = ranking.table.head(top)
    if rows.empty:
        return Chart(empty_figure("No model meets every constraint. Loosen one to see a ranking."), caption)
    labels = [_coloured(f"{r.rank}. {r.model}", r.access) for r in rows.itertuples()]
    ids = rows["model_id"]
    fig = go.Figure()
    for c in CRITERIA:
        if ranking.weights[c.id] <= 0:
            continue
        gaps = ranking.missing.loc[ids, c.id].to_numpy()
        fig.add_trace(
            go.Bar(
                y=labels,
                x=ranking.points.loc[ids, c.id].fillna(0),
                name=c.label,
                orientation="h",
                marker={
                    "color": CRITERION_COLORS[c.id],
                    "line": {"width": 0.5, "color": "white"},
                    "pattern": {"shape": np.where(gaps, "/", ""), "fgcolor": "white", "solidity": 0.4},
                },
                customdata=np.where(gaps, "fact missing", "from the store"),
                hovertemplate=f"{c.label}: %{{x:.1f}} points (%{{customdata}})<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=rows["score"],
            mode="text",
            text=[f"{s:.1f}" for s in rows["score"]],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Score out of 100 (sum of the criteria's points)", range=[0, 105])
    legend_px = 24 * -(-sum(w > 0 for w in ranking.weights.values()) // LEGEND_PER_ROW)
    fig = frame_layout(fig, "Which models fit your weights best, and why?", height=200 + 34 * len(rows) + legend_px)
    # Below the axis title, measured from the figure's bottom edge, so a long legend never covers the axis.
    legend = {"orientation": "h", "y": 0, "yanchor": "bottom", "yref": "container", "x": 0, "xanchor": "left"}
    return Chart(fig.update_layout(barmode="stack", legend=legend, margin={"b": 50 + legend_px}), caption)


def format_tokens_short(value: float) -> str:
    """1_500_000_000 -> '1.5B'."""
    for size, suffix in TOKEN_UNITS:
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def tco_curves(result: TcoResult, api_label: str, self_label: str, volume: float) -> Chart:
    """Monthly cost of the API and of self-hosting across volumes, with the break-even and your volume marked."""
    caption = (
        "Both axes are logarithmic. The self-hosted line stays flat while the minimum fleet has spare capacity, "
        "then rises with volume. The assumptions below the chart say which figures are sourced and which are "
        "yours or ours."
    )
    curves = result.curves
    fig = go.Figure()
    for column, name, color in (
        ("api_usd", f"API: {api_label}", style.CLOSED_COLOR),
        ("self_usd", f"Self-hosted: {self_label}", style.OPEN_COLOR),
    ):
        fig.add_trace(
            go.Scatter(
                x=curves["tokens"],
                y=curves[column],
                name=name,
                mode="lines",
                line={"color": color, "width": 3},
                customdata=[format_tokens_short(t) for t in curves["tokens"]],
                hovertemplate="%{customdata} tokens/month: $%{y:,.0f}<extra>%{fullData.name}</extra>",
            )
        )
    if result.break_even_tokens:
        cost = float(np.interp(result.break_even_tokens, curves["tokens"], curves["api_usd"]))
        fig.add_vline(x=result.break_even_tokens, line={"dash": "dash", "color": "#333333", "width": 1})
        fig.add_annotation(
            x=np.log10(result.break_even_tokens),
            y=np.log10(max(cost, 1e-9)),
            showarrow=True,
            arrowhead=2,
            text=f"<b>Break-even</b><br>{format_tokens_short(result.break_even_tokens)} tokens/month"
            f"<br>${cost:,.0f}/month",
            ax=-80,
            ay=-50,
            bgcolor="rgba(255,255,255,0.85)",
        )
    fig.add_trace(
        go.Scatter(
            x=[volume, volume],
            y=[result.api_monthly, result.self_monthly],
            mode="markers",
            name="Your volume",
            marker={"color": "#333333", "size": 11, "symbol": "diamond"},
            hovertemplate=f"Your volume ({format_tokens_short(volume)} tokens): $%{{y:,.0f}}/month<extra></extra>",
        )
    )
    decades = [10.0**e for e in range(int(np.floor(np.log10(curves["tokens"].min()))), 16)]
    decades = [d for d in decades if curves["tokens"].min() <= d <= curves["tokens"].max()]
    fig.update_xaxes(
        type="log",
        title="Tokens per month, input + output (log scale)",
        tickvals=decades,
        ticktext=[format_tokens_short(d) for d in decades],
    )
    costs = curves[["api_usd", "self_usd"]].to_numpy()
    low, high = max(costs.min(), 0.01), costs.max()
    dollars = [10.0**e for e in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)]
    fig.update_yaxes(
        type="log",
        title="Cost per month, USD (log scale)",
        tickvals=dollars,
        ticktext=["$" + format_tokens_short(d) if d >= 1000 else f"${d:g}" for d in dollars],
    )
    frame_layout(fig, "At what monthly volume does running your own model pay off?", height=520)
    # Long trace names: the legend goes under the plot, where it can wrap without covering the title.
    fig.update_layout(legend={"yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0}, margin={"b": 20})
    return Chart(fig, caption)


def hybrid_chart(result: HybridResult, volume: float, fallback: float) -> Chart:
    """Per self-hosted share: the monthly bill at your volume (left) and the volume at which the mix pays (right)."""
    caption = (
        f"Each point keeps {fallback:.0%} of the self-hosted traffic falling back to the API. The fleet's fixed "
        "cost and minimum instances are paid as soon as any traffic is self-hosted, so a small share rarely pays. "
        "Break-even: the monthly volume above which the mix costs less than the API alone; it falls as the share "
        "grows, because the fleet's fixed cost is spread over more of the traffic."
    )
    table = result.by_share
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        subplot_titles=(f"Monthly bill at your volume ({format_tokens_short(volume)} tokens)", "Break-even volume"),
    )
    share = table["share"] * 100
    fig.add_trace(
        go.Scatter(
            x=share,
            y=table["monthly_usd"],
            mode="lines+markers",
            name="Hybrid bill",
            line={"color": "#555555", "width": 3},
            hovertemplate="%{x:.0f}% self-hosted: $%{y:,.0f}/month<extra></extra>",
        ),
        row=1,
        col=1,
    )
    best = table.loc[table["share"] == result.best_share].iloc[0]
    fig.add_trace(
        go.Scatter(
            x=[best["share"] * 100],
            y=[best["monthly_usd"]],
            mode="markers",
            name="Cheapest share",
            marker={"size": 13, "symbol": "star", "color": style.OPEN_COLOR},
            hovertemplate="Cheapest: %{x:.0f}% self-hosted, $%{y:,.0f}/month<extra></extra>",
        ),
        row=1,
        col=1,
    )
    crossing = table.dropna(subset=["break_even_tokens"])
    fig.add_trace(
        go.Scatter(
            x=crossing["share"] * 100,
            y=crossing["break_even_tokens"],
            mode="lines+markers",
            name="Break-even volume",
            line={"color": style.CLOSED_COLOR, "width": 3},
            customdata=[format_tokens_short(t) for t in crossing["break_even_tokens"]],
            hovertemplate="%{x:.0f}% self-hosted: pays above %{customdata} tokens/month<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.add_hline(
        y=volume,
        line={"dash": "dash", "color": "#333333", "width": 1},
        row=1,
        col=2,
        annotation_text="your volume",
        annotation_position="bottom right",
    )
    fig.update_xaxes(title="Share of traffic self-hosted, %", range=[-3, 103])
    fig.update_yaxes(title="USD per month", tickprefix="$", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title="Tokens per month (log scale)", type="log", row=1, col=2)
    if crossing.empty:
        fig.add_annotation(
            text="The API is cheaper per token: no share pays off",
            x=50,
            y=0.5,
            xref="x2",
            yref="y2 domain",
            showarrow=False,
        )
    frame_layout(fig, "Hybrid: how much of the traffic should you run yourself?", height=460)
    fig.update_layout(legend={"yanchor": "top", "y": -0.22, "xanchor": "left", "x": 0}, margin={"b": 20})
    return Chart(fig, caption)


def _empty_runs(caption: str) -> Chart:
    message = "No playground runs yet. Run a prompt on the Playground page and its measurements appear here."
    return Chart(empty_figure(message), caption)


def run_metrics(sides: pd.DataFrame) -> Chart:
    """Time to first token, tokens per second and cost per run, one row of dots per model."""
    caption = (
        "Measured in this app's playground on this machine: each dot is one successful answer. Local models run on "
        "the server's own hardware, so their speed says as much about that machine as about the model. Cost is "
        "the list price times the tokens used, where a price is on record, shown per 1,000 runs to avoid fractions of "
        "a cent."
    )
    ok = sides[sides["error"].isna()] if not sides.empty else sides
    if ok.empty:
        return _empty_runs(caption)
    ok = ok.assign(cost_per_1000=ok["cost_usd"].astype(float) * 1000)
    fig = make_subplots(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=("Time to first token (s)", "Speed (tokens/s)", "Cost per 1,000 runs (USD)"),
    )
    for model_name, rows in ok.groupby("model_name", sort=True):
        name = style.chart_text(model_name)
        color = style.access_color(rows["access"].iloc[0]) if "access" in rows else style.UNKNOWN_COLOR
        for col, metric in enumerate(("ttft_s", "tokens_per_s", "cost_per_1000"), start=1):
            fig.add_trace(
                go.Box(
                    x=rows[metric],
                    y=[name] * len(rows),
                    name=name,
                    orientation="h",
                    boxpoints="all",
                    jitter=0.4,
                    pointpos=0,
                    marker={"color": color, "size": 7},
                    line={"color": color},
                    fillcolor="rgba(0,0,0,0)",
                    showlegend=False,
                    hovertemplate="%{y}: %{x:,.4g}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    for col in (1, 2, 3):
        fig.update_xaxes(rangemode="tozero", row=1, col=col)
    fig.update_xaxes(tickprefix="$", tickformat=",.2f", row=1, col=3)
    height = 200 + 40 * ok["model_name"].nunique()
    return Chart(frame_layout(fig, "How fast and how costly were the models in your runs?", height=height), caption)


def win_table(sides: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """Per catalogue model: blind votes and win rate, by the Votes page's rule (votes.win_rates), plus access."""
    table = win_rates(named_votes(sides, votes)).rename(columns={"model": "model_name"})
    access = sides.drop_duplicates("model_name").set_index("model_name").get("access") if not sides.empty else None
    table["access"] = table["model_name"].map(access) if access is not None else None
    return table


def _rate_label(rate: float, votes: int) -> str:
    return f"no winner in {votes} vote(s)" if pd.isna(rate) else f"{rate:.0%} of {votes} vote(s)"


def win_rate_bars(sides: pd.DataFrame, votes: pd.DataFrame) -> Chart:
    """Share of blind votes each model won, with how many votes that rests on."""
    caption = (
        "From blind votes in this app's playground: a win counts 1, a tie half, a loss 0; 'both bad' votes are "
        "counted but left out of the rate, as on the Votes page. "
        "A handful of votes says little; the label shows how many each rate rests on."
    )
    table = win_table(sides, votes)
    if table.empty:
        return _empty_runs(caption)
    fig = go.Figure(
        go.Bar(
            y=table["model_name"].map(style.chart_text),
            x=table["win_rate"],
            orientation="h",
            marker={"color": [style.access_color(a) for a in table["access"]]},
            text=[_rate_label(r, n) for r, n in zip(table["win_rate"], table["votes"], strict=True)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        title="Win rate in blind votes", range=[0, 1.3], tickvals=[0, 0.25, 0.5, 0.75, 1], tickformat=".0%"
    )
    return Chart(frame_layout(fig, "Which model do blind voters prefer?", height=160 + 40 * len(table)), caption)
