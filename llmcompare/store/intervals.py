"""How a benchmark row records a score's 95% interval in its setting, and how it is read back."""

from __future__ import annotations

import re

_INTERVAL = re.compile(r"95% CI (-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?)")


def interval_text(lower: float, upper: float) -> str:
    """The setting text for an interval; `interval_bounds` reads it back."""
    return f"95% CI {lower:.1f} to {upper:.1f}"


def interval_bounds(setting: object) -> tuple[float, float] | None:
    """The (lower, upper) bounds written by `interval_text`, or None when the setting holds none (or is missing)."""
    match = _INTERVAL.search(setting) if isinstance(setting, str) else None
    return (float(match.group(1)), float(match.group(2))) if match else None
