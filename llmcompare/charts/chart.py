"""The one type every chart builder returns, for the pages and the reports alike."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go


@dataclass(frozen=True)
class Chart:
    """A figure and the line under it that says where its data comes from."""

    figure: go.Figure
    caption: str
