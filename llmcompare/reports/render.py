"""Write a built report as HTML, Markdown (PNG figures beside it) or PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path

from llmcompare.reports.build import FORMATS, Report, ReportError
from llmcompare.reports.chromium import ChromiumError, html_to_pdf
from llmcompare.reports.html import render_html
from llmcompare.reports.markdown import render_markdown


def write_report(report: Report, fmt: str, out: Path) -> Path:
    """Write the report as html, md (PNG figures beside it) or pdf; returns the file written."""
    if fmt not in FORMATS:
        raise ReportError(f"Unknown format {fmt!r}: use {', '.join(FORMATS)}.")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        out.write_text(render_html(report), encoding="utf-8")
    elif fmt == "md":
        out.write_text(render_markdown(report, out.parent, out.stem), encoding="utf-8")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "report.html"
            page.write_text(render_html(report), encoding="utf-8")
            try:
                html_to_pdf(page, out)
            except ChromiumError as exc:
                raise ReportError(str(exc)) from exc
    return out


def report_bytes(report: Report, fmt: str) -> bytes:
    """The report as bytes, for a download button (Markdown without its PNG figures)."""
    if fmt == "md":
        return render_markdown(report, None).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"report.{fmt}"
        return write_report(report, fmt, target).read_bytes()
