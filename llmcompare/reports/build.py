"""Decision reports: assemble one from a saved scenario into sections, tables and charts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from llmcompare import style
from llmcompare.catalog.factsheet import ModelDetail, model_detail
from llmcompare.catalog.policies import provider_policies
from llmcompare.charts import advice as charts_advice
from llmcompare.charts import decide as charts_decide
from llmcompare.charts import policies as charts_policies
from llmcompare.charts.chart import Chart
from llmcompare.decide import tco
from llmcompare.decide.criteria import BY_ID
from llmcompare.decide.ranking import (
    MISSING_POLICIES,
    AdvisorError,
    Constraints,
    describe_constraints,
    lead_reason,
    points_table,
    rank_models,
    reasons,
)
from llmcompare.reports import arena as report_arena
from llmcompare.reports import tco as report_tco
from llmcompare.reports.dimensions import dimension_blocks
from llmcompare.store import models as m
from llmcompare.store.decide_queries import decision_facts, run_sides, run_votes
from llmcompare.store.scenarios import load_scenario

SECTIONS = ("question", "ranking", "factsheets", "dimensions", "charts", "arena", "tco", "evidence")
FORMATS = ("html", "md", "pdf")
RANKING_ROWS = 15  # the report lists the top of the ranking; the export holds all of it
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
        """One credit line per source used: its own attribution text, else the wording its licence asks for."""
        lines: list[str] = []
        for r in self.sources.itertuples():
            required = next((text for key, text in REQUIRED_ATTRIBUTION.items() if key in r.title), None)
            if isinstance(r.attribution, str) and r.attribution.strip():
                line = " ".join(r.attribution.split())
            elif required:
                line = required
            elif isinstance(r.data_license, str):
                line = f"{r.title}: {r.data_license}."
            else:
                continue
            if line not in lines:
                lines.append(line)
        return lines


def _question(scenario, ranking) -> Section:
    weights = pd.DataFrame(
        [(BY_ID[c].label, w) for c, w in scenario.weights.items() if w > 0], columns=["criterion", "weight"]
    ).sort_values("weight", ascending=False)
    blocks: list[Block] = [scenario.description or "No description was saved with this scenario."]
    lines = describe_constraints(Constraints.from_dict(scenario.constraints))
    must = "\n".join(f"- {line}" for line in lines) or "- None: every model in the catalogue is ranked."
    blocks.append(f"**Must-haves:**\n{must}\n\n**Missing facts:** {MISSING_POLICIES[scenario.missing_policy]}.")
    blocks.append(Table("Weights", weights))
    if scenario.shortlist:
        blocks.append(f"**Shortlist:** {', '.join(scenario.shortlist)}")
    return Section("Question and constraints", blocks)


def exclusion_summary(excluded: pd.DataFrame, examples: int = 4) -> pd.DataFrame:
    """Why models were left out, one row per kind of reason: how many models and a few of them by name."""
    split = excluded.assign(reason=excluded["reason"].str.split("; ")).explode("reason")
    kind = (
        split["reason"]
        .str.replace(r"\s*\([^)]*\)", "", regex=True)
        .str.replace(r"\$[\d.,]+ per 1M tokens", "the price", regex=True)
        .str.replace(r"only \d+% of", "too little of", regex=True)
    )
    grouped = split.assign(reason=kind).groupby("reason", sort=False)["model"]
    table = grouped.agg(models="size", examples=lambda names: ", ".join(names.head(examples)))
    return table.sort_values("models", ascending=False, kind="stable").reset_index()


def _ranking(ranking, facts: pd.DataFrame, chosen: list[str], scenario: str, rows: int = RANKING_ROWS) -> Section:
    table = points_table(ranking)
    shown = table[(table.index < rows) | table["model_id"].isin(chosen)].drop(columns=["model_id", "developer"])
    shown["access"] = shown["access"].map(style.access_label)
    blocks: list[Block] = [lead_reason(ranking) or "Only one model met the must-haves."]
    caption = "Ranking, with each criterion's points (coverage in % of weight)"
    if len(shown) < len(table):
        caption += f": the top {len(shown)} of {len(table)} ranked models"
    blocks.append(Table(caption, shown))
    if len(shown) < len(table):
        blocks.append(
            f"The full ranking of all {len(table)} models is on the Advisor page and in "
            f'`python -m llmcompare export ranking --scenario "{scenario}"`.'
        )
    for row in ranking.table[ranking.table["model_id"].isin(chosen)].itertuples():
        lines = "\n".join(f"- {line}" for line in reasons(ranking, facts, row.model_id))
        blocks.append(f"**{row.rank}. {row.model}** · {row.score:.1f} points\n\n{lines}")
    if not ranking.excluded.empty:
        summary = exclusion_summary(ranking.excluded)
        blocks.append(Table(f"Left out by the must-haves: {len(ranking.excluded)} models, by reason", summary))
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
        caption = f"{detail.name}: {name}"
        if name == "prices" and not frame.empty:
            # The newest list price of each offering; the price history is on the model's page.
            frame = frame.sort_values("as_of").groupby("offering", sort=False).tail(1).sort_values("input_usd_per_1m")
            caption = f"{detail.name}: newest list price per host offering, cheapest first"
        if not frame.empty:
            blocks.append(Table(caption, frame[columns]))
    return blocks


def _evidence(engine: Engine, facts: pd.DataFrame) -> Section:
    """What the playground measured: per-model latency, speed and cost, and blind-vote results where there are any."""
    sides, votes = run_sides(engine), run_votes(engine)
    if sides.empty:
        return Section("Playground evidence", ["No playground runs are recorded yet."])
    access = facts.set_index("model_id")["access"]
    sides["access"] = sides["model_id"].map(access)
    summary = sides.groupby("model_name").agg(
        runs=("run_id", "nunique"),
        median_ttft_s=("ttft_s", "median"),
        median_total_s=("total_s", "median"),
        median_tokens_per_s=("tokens_per_s", "median"),
        estimated_token_counts=("tokens_estimated", "sum"),
        cost_usd=("cost_usd", "sum"),
        errors=("error", "count"),
    )
    blocks: list[Block] = [Table("Measured in the playground (this installation)", summary.round(3).reset_index())]
    if summary["estimated_token_counts"].any():
        blocks.append(
            "estimated_token_counts: sides whose server reported no token usage, so their output tokens and "
            "tokens/s are estimates counted by the app (the model's own tokenizer, else one token per streamed chunk)."
        )
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


def _cost(facts: pd.DataFrame, ranking, workload: tco.Workload) -> tuple[Section, pd.DataFrame]:
    """The cost-of-ownership section and the hardware source it rests on (one row, or none)."""
    summary = report_tco.summarise_tco(facts, ranking, workload, tco.load_hardware())
    blocks: list[Block] = [summary.text]
    if summary.table is not None:
        blocks += [Table("Monthly cost at this volume", summary.table), summary.chart, summary.hybrid_chart]
        blocks.append("**What the comparison assumes:**\n" + "\n".join(f"- {a}" for a in summary.assumptions))
    hw = summary.hardware_source
    source = pd.DataFrame(
        [(hw.source_title, hw.source_url, "CC-BY-4.0", hw.attribution, hw.as_of)] if hw else [],
        columns=["title", "url", "data_license", "attribution", "as_of"],
    )
    return Section("Cost of ownership", blocks), source


def _shortlisted(ranking, top: int, models: Sequence[str] | None) -> list[str]:
    """The model ids that get a fact sheet: the chosen ones in ranking order, else the top N."""
    ranked = list(ranking.table["model_id"])
    if not models:
        return ranked[:top]
    unknown = [mid for mid in models if mid not in ranked]
    if unknown:
        raise ReportError(f"Not in this scenario's ranking: {', '.join(unknown)}.")
    return [mid for mid in ranked if mid in models]


def rank_scenario(engine: Engine, scenario_name: str, facts: pd.DataFrame | None = None):
    """The saved scenario, the decision facts and its ranking; raises ReportError when it cannot be ranked.

    facts: `decision_facts(engine)` when the caller already has them."""
    scenario = load_scenario(engine, scenario_name)
    if scenario is None:
        raise ReportError(f"No saved scenario called “{scenario_name}”.")
    facts = decision_facts(engine) if facts is None else facts
    try:
        limits = Constraints.from_dict(scenario.constraints)
        ranking = rank_models(facts, scenario.weights, limits, scenario.missing_policy, scenario.shortlist)
    except AdvisorError as exc:
        raise ReportError(f"The scenario cannot be ranked: {exc}") from exc
    if ranking.table.empty:
        raise ReportError("No model meets this scenario's must-haves, so there is nothing to report.")
    return scenario, facts, ranking


def build_report(
    engine: Engine,
    scenario_name: str,
    title: str | None = None,
    author: str = "",
    top: int = 3,
    sections: tuple[str, ...] = SECTIONS,
    models: Sequence[str] | None = None,
    workload: tco.Workload | None = None,
    facts: pd.DataFrame | None = None,
) -> Report:
    """Rank the saved scenario and gather what each chosen section shows; raises ReportError.

    `models` (ids from the ranking) get fact sheets instead of the top `top`; `workload` is the monthly volume
    the cost section prices (default tco.DEFAULT_WORKLOAD); `facts` saves reading `decision_facts` again."""
    scenario, facts, ranking = rank_scenario(engine, scenario_name, facts)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ReportError(f"Unknown section(s) {', '.join(sorted(unknown))}: use {', '.join(SECTIONS)}.")
    chosen = _shortlisted(ranking, top, models)
    parts: list[Section] = []
    extra_sources = pd.DataFrame()
    if "question" in sections:
        parts.append(_question(scenario, ranking))
    if "ranking" in sections:
        parts.append(_ranking(ranking, facts, chosen, scenario.name))
    if "factsheets" in sections:
        details = [model_detail(engine, mid) for mid in chosen]
        parts.append(Section("Fact sheets", [b for d in details if d for b in _factsheet(d)]))
    if "dimensions" in sections:
        blocks = dimension_blocks(engine, facts, chosen)
        parts.append(Section("The articles' dimensions", [Table(*b) if isinstance(b, tuple) else b for b in blocks]))
    if "charts" in sections:
        ranked = facts[facts["model_id"].isin(ranking.table["model_id"])]
        handling = charts_policies.data_handling_matrix(provider_policies(engine))
        charts = [charts_advice.contribution_bars(ranking), charts_decide.price_quality(ranked), handling]
        parts.append(Section("Charts", charts))
    if "arena" in sections:
        parts.append(Section(report_arena.TITLE, report_arena.arena_blocks(engine, chosen)))
    if "tco" in sections:
        section, extra_sources = _cost(facts, ranking, workload or tco.Workload(*tco.DEFAULT_WORKLOAD))
        parts.append(section)
    if "evidence" in sections:
        parts.append(_evidence(engine, facts))
    used = facts[facts["model_id"].isin(ranking.table["model_id"])]
    sources = (
        pd.concat([_used_sources(engine, parts), extra_sources], ignore_index=True)
        if len(extra_sources)
        else (_used_sources(engine, parts))
    )
    return Report(
        title=title or f"Decision report: {scenario.name}",
        author=author,
        scenario=scenario.name,
        created=datetime.now(UTC),
        sections=parts,
        sources=sources,
        as_of=_as_of(used),
    )
