"""The decision report as one self-contained HTML page: plotly inlined, no external script or stylesheet."""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from llmcompare.charts.chart import Chart
from llmcompare.reports.build import Report, Section, Table

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1f2328;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#57606a}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem;width:100%}
th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
caption{text-align:left;font-weight:600;padding:.3rem 0}.figcap{color:#57606a;font-size:.85rem}
footer{margin-top:2.5rem;border-top:2px solid #d0d7de;font-size:.85rem}
td,th{overflow-wrap:break-word}.scroll{overflow-x:auto}@page{size:A4;margin:12mm}
@media print{body{max-width:none;margin:0;font-size:10pt}table{font-size:7pt}.scroll{overflow:visible}
th{overflow-wrap:anywhere;hyphens:auto}td{hyphens:auto}
h2{break-after:avoid}figure{break-inside:avoid}}
"""
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """The small Markdown subset the report uses (bold, inline code, links) as escaped HTML."""
    html = CODE.sub(r"<code>\1</code>", BOLD.sub(r"<strong>\1</strong>", escape(text, quote=False)))
    return LINK.sub(_link, html)


def _link(match: re.Match) -> str:
    """Only web links become anchors, so a stored source URL cannot smuggle in javascript:."""
    text, url = match[1], match[2]
    return f'<a href="{escape(url)}">{text}</a>' if url.startswith(("https://", "http://")) else text


def paragraphs(text: str) -> str:
    """Paragraphs and '- ' lists of Markdown as HTML."""
    out = []
    for chunk in text.split("\n\n"):
        lines = chunk.splitlines()
        items = [line[2:] for line in lines if line.startswith("- ")]
        head = [line for line in lines if not line.startswith("- ")]
        if head:
            out.append(f"<p>{inline(' '.join(head))}</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
    return "\n".join(out)


def table_html(caption: str, frame: pd.DataFrame) -> str:
    """A plain HTML table with escaped cells."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if pd.isna(v) else escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    table = f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'  # wide tables scroll on screen instead of spilling out


def _block(block, first_figure: list[bool]) -> str:
    if isinstance(block, Table):
        return table_html(block.caption, block.frame)
    if isinstance(block, Chart):
        # plotly.js goes in once, inline, with the first figure; later figures reuse it.
        inline_js = first_figure.pop() if first_figure else False
        fig = block.figure.to_html(
            full_html=False, include_plotlyjs=inline_js, config={"displaylogo": False, "displayModeBar": False}
        )
        return f'<figure class="chart">{fig}<figcaption class="figcap">{escape(block.caption)}</figcaption></figure>'
    return paragraphs(block)


def _section(section: Section, first_figure: list[bool]) -> str:
    body = "\n".join(_block(b, first_figure) for b in section.blocks)
    return f"<section><h2>{escape(section.title)}</h2>\n{body}</section>"


def footer_html(report: Report) -> str:
    """Facts-as-of dates, every source used, and the attributions the data licences require."""
    sources = "".join(
        f"<li>{inline(f'[{r.title}]({r.url})' if isinstance(r.url, str) else r.title)}"
        f"{f' ({escape(r.data_license)})' if isinstance(r.data_license, str) else ''}</li>"
        for r in report.sources.itertuples()
    )
    credits = "".join(f"<li>{escape(line)}</li>" for line in report.attributions)
    return (
        "<footer><h2>Facts as of</h2>"
        + table_html("Oldest and newest date of each kind of fact used", report.as_of)
        + f"<h2>Sources</h2><ul>{sources}</ul><h2>Attribution</h2><ul>{credits or '<li>None required.</li>'}</ul>"
        + "</footer>"
    )


def render_html(report: Report) -> str:
    """The whole report as one HTML document that works offline."""
    first_figure = [True]
    meta = f"Scenario: {report.scenario} · {report.created:%Y-%m-%d %H:%M} UTC"
    meta += f" · by {report.author}" if report.author else ""
    body = "\n".join(_section(s, first_figure) for s in report.sections)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(report.title)}</title>'
        f"<style>{CSS}</style></head><body><header><h1>{escape(report.title)}</h1>"
        f'<p class="meta">{escape(meta)}</p></header>\n{body}\n{footer_html(report)}</body></html>'
    )
