"""Shared look and wording: the open/closed palette, labels and value formatting for pages, charts and reports."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

import pandas as pd

from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS

# Blue and vermillion stay apart for colour-blind readers and neither reads as "good" or "bad".
# White text on either fill passes WCAG AA, and both keep enough contrast on light and dark backgrounds.
OPEN_COLOR = "#0072B2"
CLOSED_COLOR = "#C04F00"
ACCESS_COLORS = {OPEN_WEIGHTS: OPEN_COLOR, API_ONLY: CLOSED_COLOR}
ACCESS_LABELS = {OPEN_WEIGHTS: "Open weights", API_ONLY: "Closed API"}
UNKNOWN_COLOR = "#808080"

# Openness grades get their own traffic-light scale, so they are never confused with the access colours.
GRADE_COLORS = {"open": "#2E8B57", "partial": "#D4A017", "closed": "#9E9E9E"}
# Transparency domains are parts of one total, so they share one hue in three shades.
DOMAIN_COLORS = {"Upstream": "#5E548E", "Model": "#9F86C0", "Downstream": "#BE95C4"}

# Licence permissions (commercial use, modification, redistribution) share one yes/conditional/no scale.
PERMISSION_LABELS = {"yes": "Allowed", "conditional": "Allowed with conditions", "no": "Not allowed"}
COMMERCIAL_LABELS = PERMISSION_LABELS
COMMERCIAL_SHORT = {"yes": "Yes", "conditional": "With conditions", "no": "No"}
FAVOURS_LABELS = {"open": "Open weights", "closed": "Closed API", "depends": "Depends"}
MISSING = "n/a"
# Openness dimensions of the EU Open Source AI Index and of Opening up ChatGPT, in plain words.
DIMENSION_LABELS = {
    "datasources_basemodel": "Base model training data",
    "datasources_endmodel": "End model training data",
    "weights_basemodel": "Base model weights",
    "weights_endmodel": "End model weights",
    "trainingcode": "Training code",
    "code": "Code documentation",
    "hardware_architecture": "Hardware and architecture",
    "preprint": "Preprint",
    "paper": "Peer-reviewed paper",
    "modelcard": "Model card",
    "datasheet": "Datasheet",
    "licenses": "Licences",
    "opencode": "Open code",
    "llmdata": "LLM training data",
    "llmweights": "LLM weights",
    "rldata": "RL training data",
    "rlweights": "RL weights",
    "license": "Licence",
    "architecture": "Architecture",
    "package": "Package",
    "api": "API",
}


def chart_text(value: Any) -> str:
    """A name from a run or a file as plotly text: escaped, because plotly draws tags such as <b> and <a> in labels."""
    return escape(str(value), quote=False)


def access_label(access: str | None) -> str:
    """Human label for an access type."""
    return ACCESS_LABELS.get(access or "", access or MISSING)


def access_color(access: str | None) -> str:
    """The one colour that stands for this access type everywhere."""
    return ACCESS_COLORS.get(access or "", UNKNOWN_COLOR)


def shades(color: str, count: int) -> list[str]:
    """`count` shades of one hue, from the colour itself towards a lighter tint, to tell lines of one family apart."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    steps = [
        i / max(count - 1, 1) * 0.6 for i in range(count)
    ]  # at most 60% of the way to white, so lines stay visible
    return ["#" + "".join(f"{round(c + (255 - c) * t):02X}" for c in (red, green, blue)) for t in steps]


def dimension_label(dimension: str) -> str:
    """A readable name for an openness dimension id."""
    return DIMENSION_LABELS.get(dimension, dimension.replace("_", " ").capitalize())


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing markers."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_users(count: float | None) -> str:
    """700000000 -> '700 million monthly active users'."""
    if is_missing(count):
        return "No user threshold"
    count = float(count)
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if count >= size:
            return f"{count / size:.3g} {word} monthly active users"
    return f"{count:.0f} monthly active users"


def format_usd(value: float | None, per: str = "") -> str:
    """A dollar amount with cents, or more digits for sub-cent prices."""
    if is_missing(value):
        return MISSING
    digits = 2 if value >= 0.1 or value == 0 else 3
    return f"${value:,.{digits}f}{per}"


def format_run_cost(value: float | None) -> str:
    """One run's cost, which is often a fraction of a cent: six decimals under a cent, four above."""
    if is_missing(value):
        return MISSING
    return f"${value:.6f}" if value < 0.01 else f"${value:.4f}"


def format_tokens(value: float | None) -> str:
    """131072 -> '131K tokens', 2097152 -> '2.1M tokens'."""
    if is_missing(value):
        return MISSING
    value = float(value)
    if value >= 1_000_000:
        return f"{value / 1_000_000:.3g}M tokens"
    if value >= 1000:
        return f"{value / 1000:.0f}K tokens"
    return f"{value:.0f} tokens"


def format_number(value: float | None, digits: int = 0, suffix: str = "") -> str:
    """A plain number with thousands separators, or n/a."""
    if is_missing(value):
        return MISSING
    return f"{value:,.{digits}f}{suffix}"


def format_date(value: date | str | None) -> str:
    """ISO date, the least ambiguous format across readers."""
    if is_missing(value):
        return MISSING
    return value.isoformat() if isinstance(value, date) else str(value)
