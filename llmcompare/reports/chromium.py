"""Headless Chromium for printing reports to PDF and drawing charts as PNG; Debian's package, never a download."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking")
PRINT_WIDTH_PX = 700  # 186 mm at 96 px per inch
RENDER_BUDGET_MS = "10000"  # virtual time for plotly to draw before chromium prints or screenshots


class ChromiumError(ValueError):
    """Chromium is missing or failed, worded for the user."""


def find_chromium() -> str | None:
    """The path of a Chromium-family browser, or None."""
    return next((found for name in CHROMIUM_CANDIDATES if (found := shutil.which(name))), None)


def _chromium(*args: str) -> None:
    browser = find_chromium()
    if browser is None:
        raise ChromiumError(
            "PDF and PNG output need Chromium (apt-get install chromium); HTML and Markdown still work."
        )
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={RENDER_BUDGET_MS}"]
        done = subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise ChromiumError(f"Chromium failed: {done.stderr.strip()[-300:]}")


def html_to_pdf(html_file: Path, out: Path) -> None:
    """Print an HTML file to PDF with headless Chromium."""
    # Charts are drawn at the window's width, so make it the printable width of the page (A4 less 12 mm margins).
    _chromium(
        "--no-pdf-header-footer",
        f"--window-size={PRINT_WIDTH_PX},1200",
        f"--print-to-pdf={out.resolve()}",
        html_file.resolve().as_uri(),
    )
    if not out.exists() or out.stat().st_size == 0:
        raise ChromiumError("Chromium did not write the PDF.")


def figure_png(chart, out: Path) -> None:
    """A PNG of a chart (anything with .figure), drawn by headless Chromium from a self-contained HTML page."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "figure.html"
        chart.figure.write_html(page, include_plotlyjs=True, full_html=True, config={"staticPlot": True})
        _chromium(f"--screenshot={out.resolve()}", "--window-size=1000,560", "--hide-scrollbars", page.as_uri())
