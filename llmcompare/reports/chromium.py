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


FIGURE_PX = (1000, 560)  # width and height of one chart in a screenshot
FIGURES_PER_SHOT = 8  # charts drawn by one Chromium start; the window grows with them


def figure_pngs(charts: list, outs: list[Path]) -> None:
    """PNGs of charts (anything with .figure), drawn by headless Chromium from self-contained HTML.

    Starting Chromium costs seconds, so up to FIGURES_PER_SHOT charts are stacked on one page, taken in one
    screenshot and cut apart; each chart keeps its own fixed-size box, so the cut falls between charts.
    """
    from PIL import Image  # pillow comes with streamlit

    width, height = FIGURE_PX
    pairs = list(zip(charts, outs, strict=True))
    for start in range(0, len(pairs), FIGURES_PER_SHOT):
        batch = pairs[start : start + FIGURES_PER_SHOT]
        with tempfile.TemporaryDirectory() as tmp:
            page, shot = Path(tmp) / "figures.html", Path(tmp) / "figures.png"
            page.write_text(_stacked_page([chart for chart, _ in batch]), encoding="utf-8")
            window = f"--window-size={width},{height * len(batch)}"
            _chromium(f"--screenshot={shot}", window, "--hide-scrollbars", page.as_uri())
            with Image.open(shot) as image:
                if image.size != (width, height * len(batch)):
                    raise ChromiumError(f"Chromium drew {image.size[0]}x{image.size[1]} pixels, not the charts' size.")
                for i, (_, out) in enumerate(batch):
                    image.crop((0, i * height, width, (i + 1) * height)).save(out, format="PNG")


def _stacked_page(charts: list) -> str:
    width, height = FIGURE_PX
    boxes = [
        f'<div style="width:{width}px;height:{height}px;overflow:hidden">'
        + chart.figure.to_html(
            include_plotlyjs=i == 0,
            full_html=False,
            default_width=f"{width}px",
            default_height=f"{height}px",
            config={"staticPlot": True},
        )
        + "</div>"
        for i, chart in enumerate(charts)
    ]
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        + "".join(boxes)
        + "</body></html>"
    )
