"""Decision reports: assemble one from a saved scenario, then write it as HTML, Markdown or PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from llmcompare import charts_advice, charts_decide, style
from llmcompare.charts_decide import Chart
from llmcompare.criteria import BY_ID
from llmcompare.decide import AdvisorError, Constraints, lead_reason, rank_models, reasons
from llmcompare.factsheet import ModelDetail, model_detail
from llmcompare.store import models as m
from llmcompare.store.decide_queries import decision_facts, model_name_index, run_sides, run_votes
from llmcompare.store.scenarios import load_scenario

SECTIONS = ("question", "ranking", "factsheets", "charts", "evidence")
FORMATS = ("html", "md", "pdf")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking")
RENDER_BUDGET_MS = "10000"  # virtual time for plotly to draw before chromium prints or screenshots
# The wording the CC BY 4.0 data sets ask for, keyed by a word in the source title.
REQUIRED_ATTRIBUTION = {
    "Foundation Model Transparency Index": "Foundation Model Transparency Index, Stanford CRFM, CC BY 4.0.",
    "European Open Source AI Index": "European Open Source AI Index (Liesenfeld, Dingemanse et al.), CC BY 4.0.",
    "Opening up ChatGPT": "Opening up ChatGPT (Liesenfeld, Lopez, Dingemanse 2023), CC BY 4.0.",
    "Epoch AI": "Epoch AI, 'Data on AI Models', CC BY 4.0.",
}


class ReportError(ValueError):
    """A report that cannot be built or written, worded for the user."""


@dataclass(frozen=True)
class Table:
    """A captioned table inside a section."""

    caption: str
    frame: pd.DataFrame


Block = str | Table | Chart  # a str is one Markdown paragraph or list


@dataclass
class Section:
    """A titled part of the report."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    """Everything a report shows, in order, ready for any output format."""

    title: str
    author: str
    scenario: str
    created: datetime
    sections: list[Section]
    sources: pd.DataFrame  # title, url, data_license, attribution, as_of
    as_of: pd.DataFrame  # fact, earliest, latest

    @property
    def attributions(self) -> list[str]:
        """The attribution lines that the licences of the sources used require."""
        titles = " ".join(self.sources["title"])
        lines = [text for key, text in REQUIRED_ATTRIBUTION.items() if key in titles]
        licensed = self.sources.dropna(subset=["data_license"])
        lines += [f"{r.title}: {r.data_license}." for r in licensed.itertuples() if r.data_license != "CC-BY-4.0"]
        return lines


def _question(scenario, ranking) -> Section:
    limits = {k: v for k, v in scenario.constraints.items() if v not in (None, False, [], 0, 0.0)}
    weights = pd.DataFrame(
        [(BY_ID[c].label, w) for c, w in scenario.weights.items() if w > 0], columns=["criterion", "weight"]
    ).sort_values("weight", ascending=False)
    blocks: list[Block] = [scenario.description or "No description was saved with this scenario."]
    must = "\n".join(f"- {k.replace('_', ' ')}: {v}" for k, v in limits.items()) or "- none"
    blocks.append(f"**Must-haves:**\n{must}\n\n**Missing facts:** counted as {scenario.missing_policy}.")
    blocks.append(Table("Weights", weights))
    if scenario.shortlist:
        blocks.append(f"**Shortlist:** {', '.join(scenario.shortlist)}")
    return Section("Question and constraints", blocks)


def _ranking(ranking, facts: pd.DataFrame, top: int) -> Section:
    weighted = [c for c, w in ranking.weights.items() if w > 0]
    points = ranking.points[weighted].round(1).rename(columns=lambda c: BY_ID[c].label)
    table = ranking.table.set_index("model_id").join(points).reset_index(drop=True)
    table["score"], table["coverage"] = table["score"].round(1), (table["coverage"] * 100).round().astype(int)
    table["access"] = table["access"].map(style.access_label)
    blocks: list[Block] = [lead_reason(ranking) or "Only one model met the must-haves."]
    blocks.append(Table("Ranking, with each criterion's points (coverage in % of weight)", table))
    for row in ranking.table.head(top).itertuples():
        lines = "\n".join(f"- {line}" for line in reasons(ranking, facts, row.model_id))
        blocks.append(f"**{row.rank}. {row.model}** · {row.score:.1f} points\n\n{lines}")
    if not ranking.excluded.empty:
        blocks.append(Table("Left out by the must-haves", ranking.excluded[["model", "developer", "reason"]]))
    return Section("Ranking", blocks)


def _factsheet(detail: ModelDetail) -> list[Block]:
    lic = detail.license
    terms = (
        f"**{detail.name}** ({detail.developer}, {style.access_label(detail.access)}). "
        f"Licence: {lic.name} ({lic.kind}); commercial use {lic.commercial_use}, modification {lic.modification}, "
        f"redistribution {lic.redistribution}, user cap {lic.user_threshold_mau or 'none'}. {lic.summary} "
        f"(source: {lic.source.title}, as of {lic.as_of})"
    )
    blocks: list[Block] = [terms]
    named = (
        ("prices", ["provider", "input_usd_per_1m", "output_usd_per_1m", "as_of", "source"]),
        ("benchmarks", ["benchmark", "score", "unit", "as_of", "source"]),
        ("openness", ["scheme", "dimension", "grade", "as_of", "source"]),
        ("transparency", ["edition", "domain", "score", "max_score", "as_of", "source"]),
    )
    for name, columns in named:
        frame = getattr(detail, name)
        if not frame.empty:
            blocks.append(Table(f"{detail.name}: {name}", frame[columns]))
    return blocks


def _evidence(engine: Engine, facts: pd.DataFrame) -> Section:
    """What the playground measured: per-model latency, speed and cost, and blind-vote results where there are any."""
    sides, votes = run_sides(engine), run_votes(engine)
    if sides.empty:
        return Section("Playground evidence", ["No playground runs are recorded yet."])
    index, access = model_name_index(engine), facts.set_index("model_id")["access"]
    sides["access"] = sides["model_name"].map(lambda n: access.get(index.get(str(n).lower())))
    summary = sides.groupby("model_name").agg(
        runs=("run_id", "nunique"),
        median_ttft_s=("ttft_s", "median"),
        median_total_s=("total_s", "median"),
        median_tokens_per_s=("tokens_per_s", "median"),
        cost_usd=("cost_usd", "sum"),
        errors=("error", "count"),
    )
    blocks: list[Block] = [Table("Measured in the playground (this installation)", summary.round(3).reset_index())]
    blocks.append(charts_advice.run_metrics(sides))
    wins = charts_advice.win_table(sides, votes)
    if not wins.empty:
        wins = wins.assign(win_rate=(wins["win_rate"] * 100).round(1)).rename(columns={"win_rate": "win_rate_%"})
        blocks.append(Table("Blind votes (a tie counts half a win; 'both bad' votes are counted but not rated)", wins))
    return Section("Playground evidence", blocks)


def _used_sources(engine: Engine, sections: list[Section]) -> pd.DataFrame:
    """The sources named anywhere in the report, with their URL, data licence and attribution."""
    text = "\n".join(
        b if isinstance(b, str) else b.frame.to_csv() if isinstance(b, Table) else b.caption
        for s in sections
        for b in s.blocks
    )
    with Session(engine) as session:
        rows = session.execute(
            select(m.Source.title, m.Source.url, m.Source.data_license, m.Source.attribution, m.Source.as_of)
        ).all()
    used = [r for r in rows if r.title in text]
    return pd.DataFrame(used, columns=["title", "url", "data_license", "attribution", "as_of"]).sort_values("title")


def _as_of(facts: pd.DataFrame) -> pd.DataFrame:
    """The oldest and newest date of each kind of fact in the ranking."""
    kinds = ("license", "price", "quality", "openness", "fmti", "context")
    rows = []
    for kind in kinds:
        dates = pd.to_datetime(facts[f"{kind}_as_of"], errors="coerce").dropna()
        if not dates.empty:
            rows.append((kind, dates.min().date(), dates.max().date()))
    return pd.DataFrame(rows, columns=["fact", "earliest", "latest"])


def build_report(
    engine: Engine,
    scenario_name: str,
    title: str | None = None,
    author: str = "",
    top: int = 3,
    sections: tuple[str, ...] = SECTIONS,
) -> Report:
    """Rank the saved scenario and gather what each chosen section shows; raises ReportError."""
    scenario = load_scenario(engine, scenario_name)
    if scenario is None:
        raise ReportError(f"No saved scenario called “{scenario_name}”.")
    facts = decision_facts(engine)
    try:
        limits = Constraints.from_dict(scenario.constraints)
        ranking = rank_models(facts, scenario.weights, limits, scenario.missing_policy, scenario.shortlist)
    except AdvisorError as exc:
        raise ReportError(f"The scenario cannot be ranked: {exc}") from exc
    if ranking.table.empty:
        raise ReportError("No model meets this scenario's must-haves, so there is nothing to report.")
    parts: list[Section] = []
    if "question" in sections:
        parts.append(_question(scenario, ranking))
    if "ranking" in sections:
        parts.append(_ranking(ranking, facts, top))
    if "factsheets" in sections:
        details = [model_detail(engine, mid) for mid in ranking.table["model_id"].head(top)]
        parts.append(Section("Fact sheets", [b for d in details if d for b in _factsheet(d)]))
    if "charts" in sections:
        ranked = facts[facts["model_id"].isin(ranking.table["model_id"])]
        parts.append(Section("Charts", [charts_advice.contribution_bars(ranking), charts_decide.price_quality(ranked)]))
    if "evidence" in sections:
        parts.append(_evidence(engine, facts))
    used = facts[facts["model_id"].isin(ranking.table["model_id"])]
    return Report(
        title=title or f"Decision report: {scenario.name}",
        author=author,
        scenario=scenario.name,
        created=datetime.now(UTC),
        sections=parts,
        sources=_used_sources(engine, parts),
        as_of=_as_of(used),
    )


def find_chromium() -> str | None:
    """The path of a Chromium-family browser, or None."""
    return next((found for name in CHROMIUM_CANDIDATES if (found := shutil.which(name))), None)


def _chromium(*args: str) -> None:
    browser = find_chromium()
    if browser is None:
        raise ReportError("PDF and PNG output need Chromium (apt-get install chromium); HTML and Markdown still work.")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={RENDER_BUDGET_MS}"]
        done = subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise ReportError(f"Chromium failed: {done.stderr.strip()[-300:]}")


def html_to_pdf(html_file: Path, out: Path) -> None:
    """Print an HTML file to PDF with headless Chromium."""
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={out.resolve()}", html_file.resolve().as_uri())
    if not out.exists() or out.stat().st_size == 0:
        raise ReportError("Chromium did not write the PDF.")


def figure_png(chart: Chart, out: Path) -> None:
    """A PNG of one chart, drawn by headless Chromium from a self-contained HTML page."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "figure.html"
        chart.figure.write_html(page, include_plotlyjs=True, full_html=True, config={"staticPlot": True})
        _chromium(f"--screenshot={out.resolve()}", "--window-size=1000,560", "--hide-scrollbars", page.as_uri())


def write_report(report: Report, fmt: str, out: Path) -> Path:
    """Write the report as html, md (PNG figures beside it) or pdf; returns the file written."""
    from llmcompare.report_html import render_html
    from llmcompare.report_md import render_markdown

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
            html_to_pdf(page, out)
    return out


def report_bytes(report: Report, fmt: str) -> bytes:
    """The report as bytes, for a download button (Markdown without its PNG figures)."""
    if fmt == "md":
        from llmcompare.report_md import render_markdown

        return render_markdown(report, None).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"report.{fmt}"
        return write_report(report, fmt, target).read_bytes()
