"""Charts as PNG and SVG through kaleido and the system Chromium; a clear error without a browser."""

from __future__ import annotations

import asyncio
import shutil

import plotly.graph_objects as go
import pytest

from llmcompare.reports import figures
from llmcompare.reports.build import ReportError
from llmcompare.reports.figures import figure_image


def bars() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_png_and_svg_are_real_images():
    assert figure_image(bars(), "png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in figure_image(bars(), "svg")[:200]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_one_browser_draws_every_image_and_a_failed_one_is_replaced(monkeypatch):
    figure_image(bars(), "png")
    first = figures._browser._kaleido
    assert first is not None
    assert b"<svg" in figure_image(bars(), "svg")[:200]
    assert figures._browser._kaleido is first  # the second image did not start a browser of its own

    monkeypatch.setattr(figures, "DRAW_TIMEOUT_S", 0.01)  # cut short mid-drawing
    with pytest.raises(ReportError, match="could not be drawn: no image after"):
        figure_image(bars(), "png")
    assert figures._browser._kaleido is None  # closed, not left half-way through a drawing
    monkeypatch.undo()
    assert figure_image(bars(), "png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert figures._browser._kaleido not in (None, first)


def test_without_a_browser_the_error_says_so(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr("llmcompare.reports.figures.find_chromium", lambda: None)
    with pytest.raises(ReportError, match="need Chromium"):
        figure_image(bars(), "png")


def test_unknown_format_is_refused():
    with pytest.raises(ReportError, match="Unknown image format"):
        figure_image(bars(), "gif")


def test_what_fails_while_a_browser_closes_goes_unreported_and_nothing_else_does(caplog):
    from choreographer.channels import ChannelClosedError

    loop = asyncio.new_event_loop()
    context = {"message": "Task exception was never retrieved", "exception": ChannelClosedError("Executor is closed.")}
    try:
        figures._report_unless_closing(loop, context)  # drawing, not closing: reported
        figures._CLOSING.add(loop)
        figures._report_unless_closing(loop, context)  # a drawing cut short by the close: dropped
    finally:
        loop.close()
    assert [r.exc_info[1] for r in caplog.records if r.name == "asyncio"] == [context["exception"]]
