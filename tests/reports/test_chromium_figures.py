"""Charts drawn as PNG by one Chromium start: the screenshot is cut between charts, each keeps its own picture."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from PIL import Image

from llmcompare.reports.chromium import FIGURE_PX, FIGURES_PER_SHOT, figure_pngs, find_chromium

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="needs Chromium (make test installs it)")


class Painted:
    """A chart whose whole area is one colour, so a cut in the wrong place shows as a wrong colour."""

    def __init__(self, colour: str) -> None:
        self.figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"paper_bgcolor": colour, "plot_bgcolor": colour})


def corners(path) -> set[tuple[int, int, int]]:
    width, height = FIGURE_PX
    with Image.open(path) as image:
        assert image.size == FIGURE_PX
        rgb = image.convert("RGB")
        return {rgb.getpixel(xy) for xy in [(2, 2), (width - 3, 2), (2, height - 3), (width - 3, height - 3)]}


def test_each_chart_gets_its_own_picture_across_more_than_one_shot(tmp_path):
    colours = [(255, 0, 0), (0, 160, 0), (0, 0, 255)] * 3  # nine charts: two Chromium starts
    assert len(colours) > FIGURES_PER_SHOT
    outs = [tmp_path / f"fig{i}.png" for i in range(len(colours))]
    figure_pngs([Painted(f"rgb{c}") for c in colours], outs)
    assert [corners(out) for out in outs] == [{c} for c in colours]


def test_charts_and_files_must_pair_up(tmp_path):
    with pytest.raises(ValueError):
        figure_pngs([Painted("red"), Painted("blue")], [tmp_path / "one.png"])
