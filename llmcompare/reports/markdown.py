"""The decision report as Markdown: pipe tables, and figures as PNG files beside it when Chromium can draw them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from llmcompare.charts.chart import Chart
from llmcompare.reports.build import Report, Table
from llmcompare.reports.chromium import ChromiumError, figure_pngs


def md_table(caption: str, frame: pd.DataFrame) -> str:
    """A pipe table; pipes and newlines in cells are escaped so the table stays whole."""

    def cell(value) -> str:
        return "" if pd.isna(value) else str(value).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([f"*{caption}*", "", head, rule, *rows])


def _figures(charts: list[Chart], folder: Path | None, stem: str) -> list[str]:
    """The Markdown for each chart: an image drawn beside the report, or a note saying where the chart is."""
    if folder is None:
        return [f"*Figure not included here: {chart.caption} See the HTML or PDF report.*" for chart in charts]
    names = [f"{stem}-fig{i}.png" for i in range(1, len(charts) + 1)]
    try:
        figure_pngs(charts, [folder / name for name in names])
    except ChromiumError as exc:
        return [f"*Figure not drawn ({exc}): {c.caption} The HTML report holds it, interactive.*" for c in charts]
    return [f"![{chart.caption}]({name})\n\n*{chart.caption}*" for chart, name in zip(charts, names, strict=True)]


def render_markdown(report: Report, folder: Path | None, stem: str = "report") -> str:
    """The report as Markdown; figures become `{stem}-figN.png` in folder (None: leave them out, with a note)."""
    out = [f"# {report.title}", "", f"Scenario: {report.scenario} · {report.created:%Y-%m-%d %H:%M} UTC"]
    if report.author:
        out[-1] += f" · by {report.author}"
    charts = [block for section in report.sections for block in section.blocks if isinstance(block, Chart)]
    figures = iter(_figures(charts, folder, stem))  # all drawn at once: one Chromium start, not one per chart
    for section in report.sections:
        out += ["", f"## {section.title}"]
        for block in section.blocks:
            if isinstance(block, Table):
                out += ["", md_table(block.caption, block.frame)]
            elif isinstance(block, Chart):
                out += ["", next(figures)]
            else:
                out += ["", block]
    out += ["", "## Facts as of", "", md_table("Oldest and newest date of each kind of fact used", report.as_of)]
    out += ["", "## Sources", ""]
    for r in report.sources.itertuples():
        name = f"[{r.title}]({r.url})" if isinstance(r.url, str) else r.title
        out.append(f"- {name}" + (f" ({r.data_license})" if isinstance(r.data_license, str) else ""))
    out += ["", "## Attribution", "", *(f"- {line}" for line in report.attributions or ["None required."])]
    return "\n".join(out) + "\n"
