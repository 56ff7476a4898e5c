"""Decision reports from a saved scenario: content, self-contained HTML, Markdown, a real PDF, and the CLI."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from llmcompare.charts.chart import Chart
from llmcompare.decide import tco
from llmcompare.providers.base import RunResult
from llmcompare.reports import build as reports
from llmcompare.reports.build import (
    ReportError,
    Table,
    build_report,
    exclusion_summary,
    rank_scenario,
)
from llmcompare.reports.render import report_bytes, write_report
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.runs import save_run, save_vote
from llmcompare.store.scenarios import ensure_examples
from tests.cli.runner import run_cli
from tests.fakes.results import side_result

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_SEED = ROOT / "tests" / "fixtures" / "seed"
BANK = "Bank that keeps customer data on its own servers"
needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reports") / "reports.db"
    engine = make_engine(f"sqlite:///{path}")
    build_db(engine, FIXTURE_SEED)
    ensure_examples(engine, ROOT / "data" / "curated" / "scenarios.yaml")
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def report(db):
    return build_report(make_engine(f"sqlite:///{db}"), BANK, title="Model choice for the bank", author="QA")


def test_report_holds_question_ranking_factsheets_and_credits(report):
    titles = [
        "Question and constraints",
        "Ranking",
        "Fact sheets",
        "The articles' dimensions",
        "Charts",
        "Open and closed on the arena",
        "Cost of ownership",
        "Playground evidence",
    ]
    assert [s.title for s in report.sections] == titles
    assert "DeepSeek-V3" in str(report.sections[1].blocks)
    assert any(line.startswith("Foundation Model Transparency Index") for line in report.attributions)
    assert any("Machine Learning Hardware" in line for line in report.attributions)  # the cost section's prices
    assert report.sources["title"].str.contains("LMArena").any()
    assert set(report.as_of["fact"]) >= {"license", "price", "quality"}


def test_must_haves_read_as_sentences(report):
    text = "\n".join(b for b in report.sections[0].blocks if isinstance(b, str))
    assert "The weights must be downloadable" in text
    assert "1,000,000,000 monthly active users" in text
    assert "self hostable" not in text and "True" not in text


def test_cost_section_prices_the_volume_and_says_what_it_assumes(db):
    engine = make_engine(f"sqlite:///{db}")
    small = build_report(engine, BANK, sections=("tco",), workload=tco.Workload(1e6, 1e6)).sections[0]
    big = build_report(engine, BANK, sections=("tco",), workload=tco.Workload(5e10, 5e10)).sections[0]
    costs = [next(b.frame for b in s.blocks if isinstance(b, Table)).set_index("option") for s in (small, big)]
    # The API bill grows with volume; the self-hosted floor does not move at small volumes.
    assert costs[1].loc["API", "usd_per_month"] > 1000 * costs[0].loc["API", "usd_per_month"]
    assert costs[0].loc["Self-hosted", "usd_per_month"] > 0
    assert "2M tokens a month" in small.blocks[0]
    # The bank demands downloadable weights, so the API side is a stand-in and the text says so.
    assert "is not in this ranking" in small.blocks[0]
    assert any(isinstance(b, Chart) for b in small.blocks)
    assert any(isinstance(b, str) and "Not included" in b for b in small.blocks)
    # The hybrid split: half self-hosted, 5% of that falling back, priced in the text and charted.
    assert "Hybrid: with 50% of the traffic self-hosted" in small.blocks[0]
    assert any(isinstance(b, Chart) and "Hybrid" in b.figure.layout.title.text for b in small.blocks)


def test_dimensions_section_shows_each_cell_with_its_basis(report):
    section = next(s for s in report.sections if s.title == "The articles' dimensions")
    tables = {b.caption: b.frame for b in section.blocks if isinstance(b, Table)}
    grid = tables["The articles' dimensions, model by model"].set_index("dimension")
    assert len(grid) == 5 and len(grid.columns) == 3  # the fixture's five dimensions, the top three models
    basis = tables["Basis, source and date of every cell"]
    assert set(basis["basis"]) <= {"fact", "proxy", "none"}
    facts = basis[basis["basis"] == "fact"]
    assert facts["source"].notna().all() and facts["as_of"].notna().all()
    for row in basis.itertuples():
        mark = {"fact": "", "proxy": "≈ ", "none": "— "}[row.basis]
        cell = grid.loc[row.dimension, row.model]
        assert cell.startswith(mark)
        assert (row.basis == "fact") == (cell[:2] not in ("≈ ", "— "))
    assert any(isinstance(b, Chart) for b in section.blocks)  # the radar


def test_picked_models_get_the_fact_sheets(db):
    engine = make_engine(f"sqlite:///{db}")
    _, _, ranking = rank_scenario(engine, BANK)
    third = ranking.table["model_id"].iloc[2]
    sheets = build_report(engine, BANK, sections=("factsheets",), models=[third]).sections[0]
    named = [b for b in sheets.blocks if isinstance(b, str)]
    assert len(named) == 1 and ranking.table["model"].iloc[2] in named[0]
    with pytest.raises(ReportError, match="Not in this scenario's ranking: nope"):
        build_report(engine, BANK, models=["nope"])
    with pytest.raises(ReportError, match="Unknown section"):
        build_report(engine, BANK, sections=("gossip",))


def test_playground_runs_and_votes_become_evidence(db, tmp_path):
    engine = make_engine(f"sqlite:///{db}")
    sides = [
        side_result("local:bundled", ttft_s=0.5, tokens_per_s=20.0),
        side_result("openai:gpt-4o-mini", ttft_s=0.2, tokens_per_s=20.0),
    ]
    run_id = save_run(engine, RunResult("Say hi", datetime.now(UTC), 1.0, sides))
    save_vote(engine, run_id, "b")
    evidence = build_report(engine, BANK, sections=("evidence",)).sections[0]
    tables = {b.caption: b.frame for b in evidence.blocks if isinstance(b, Table)}
    measured = tables["Measured in the playground (this installation)"]
    # Sides are named by the identity module's grouping key: the catalogue name, else the spec's model and host.
    assert set(measured["model_name"]) == {"bundled (local)", "GPT-4o mini"}
    votes = next(frame for caption, frame in tables.items() if caption.startswith("Blind votes"))
    assert votes.set_index("model_name")["win_rate_%"].to_dict() == {"GPT-4o mini": 100.0, "bundled (local)": 0.0}
    assert any(isinstance(b, Chart) for b in evidence.blocks)


def test_unknown_scenario_is_a_clear_error(db):
    with pytest.raises(ReportError, match="No saved scenario"):
        build_report(make_engine(f"sqlite:///{db}"), "nope")


def test_html_is_self_contained_and_holds_the_figures(report, tmp_path):
    html = write_report(report, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?https?:", html, re.I)
    assert not re.search(r"<link[^>]+stylesheet", html, re.I)
    assert "@import" not in html
    # The radar, contributions, price vs quality, the providers' data handling, the arena's gap, concentration,
    # cadence and strengths, and the cost of ownership with its hybrid split.
    assert html.count('class="plotly-graph-div"') == 10
    assert html.count('<script type="text/javascript">/**') <= 1  # plotly.js inlined once
    assert "Model choice for the bank" in html and "CC BY 4.0" in html


def test_markdown_has_tables_sources_and_a_figure_note_without_a_folder(report):
    text = report_bytes(report, "md").decode("utf-8")
    assert text.startswith("# Model choice for the bank")
    assert "| rank | model |" in text
    assert "## Attribution" in text and "Figure not included here" in text


@needs_chromium
def test_markdown_writes_png_figures_beside_it(report, tmp_path):
    text = write_report(report, "md", tmp_path / "r.md").read_text(encoding="utf-8")
    assert "![" in text and "(r-fig1.png)" in text
    assert (tmp_path / "r-fig1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_pdf_is_real_and_its_text_has_title_model_and_source(report, tmp_path):
    pdf = write_report(report, "pdf", tmp_path / "r.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Model choice for the bank" in text
    assert "DeepSeek-V3" in text
    assert "LMArena text leaderboard" in text


def test_pdf_without_chromium_is_a_clear_error(report, tmp_path, monkeypatch):
    monkeypatch.setattr("llmcompare.reports.chromium.find_chromium", lambda: None)
    with pytest.raises(ReportError, match="need Chromium"):
        write_report(report, "pdf", tmp_path / "r.pdf")
    text = write_report(report, "md", tmp_path / "r.md").read_text(encoding="utf-8")
    assert "Figure not drawn" in text


def cli(db: Path, *args: str):
    return run_cli("report", *args, env={"DATABASE_URL": f"sqlite:///{db}"})


def test_cli_lists_scenarios_and_writes_html(db, tmp_path):
    listed = cli(db, "--list-scenarios")
    assert listed.returncode == 0 and BANK in listed.stdout.splitlines()
    done = cli(db, "--scenario", BANK, "--format", "html", "--out", str(tmp_path / "r.html"))
    assert done.returncode == 0, done.stderr
    assert "plotly-graph-div" in (tmp_path / "r.html").read_text(encoding="utf-8")
    missing = cli(db, "--scenario", "nope", "--out", str(tmp_path / "x.html"))
    assert missing.returncode == 1 and "No saved scenario" in missing.stderr


def test_exclusions_are_summarised_by_kind_of_reason():
    excluded = pd.DataFrame(
        {
            "model": ["A", "B", "C", "D"],
            "reason": [
                "$3.00 per 1M tokens is over the budget",
                "$20.00 per 1M tokens is over the budget; its context window (4K tokens) is too small",
                "its facts carry only 40% of the weight",
                "its context window (8K tokens) is too small",
            ],
        }
    )
    summary = exclusion_summary(excluded, examples=1).set_index("reason")
    assert summary.loc["the price is over the budget", "models"] == 2
    assert summary.loc["its context window is too small", "models"] == 2
    assert summary.loc["its context window is too small", "examples"] == "B"
    assert summary.loc["its facts carry too little of the weight", "models"] == 1


def test_long_rankings_are_cut_to_the_top_with_a_pointer_to_the_export(db):
    scenario, facts, ranking = rank_scenario(make_engine(f"sqlite:///{db}"), BANK)
    assert len(ranking.table) > 3
    fourth = ranking.table["model_id"].iloc[3]
    section = reports._ranking(ranking, facts, [fourth], scenario.name, rows=2)
    table = next(b for b in section.blocks if isinstance(b, Table) and b.caption.startswith("Ranking"))
    assert table.frame["rank"].tolist() == ranking.table["rank"].iloc[[0, 1, 3]].tolist()  # the top 2 and the pick
    assert f"the top 3 of {len(ranking.table)} ranked models" in table.caption
    assert any(isinstance(b, str) and "export ranking --scenario" in b for b in section.blocks)
