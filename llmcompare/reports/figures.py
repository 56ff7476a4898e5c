"""Charts as PNG or SVG through kaleido, driving the system Chromium so nothing is downloaded."""

from __future__ import annotations

import os

import plotly.graph_objects as go

from llmcompare.reports.build import ReportError
from llmcompare.reports.chromium import find_chromium

IMAGE_FORMATS = ("png", "svg")
SIZE = {"width": 1100, "height": 600}


def figure_image(fig: go.Figure, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes; raises ReportError when no browser is there to draw it."""
    if fmt not in IMAGE_FORMATS:
        raise ReportError(f"Unknown image format {fmt!r}: use png or svg.")
    browser = os.environ.get("BROWSER_PATH") or find_chromium()
    if browser is None:
        raise ReportError("PNG and SVG charts need Chromium (apt-get install chromium); the HTML report holds them.")
    os.environ["BROWSER_PATH"] = browser  # choreographer (kaleido's browser driver) reads it; it never downloads
    try:
        return fig.to_image(format=fmt, scale=2 if fmt == "png" else 1, **SIZE)
    except Exception as exc:  # kaleido wraps browser failures in several types; the user needs one message
        raise ReportError(f"The chart could not be drawn: {exc}") from exc
