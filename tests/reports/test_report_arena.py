"""The report's arena section on the hand-made seed plus real arena rows, rendered to Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmcompare.charts.chart import Chart
from llmcompare.reports.build import build_report
from llmcompare.reports.markdown import render_markdown
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.scenarios import ensure_examples
from tests.arena_seed import arena_seed

ROOT = Path(__file__).resolve().parents[2]
BANK = "Bank that keeps customer data on its own servers"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_arena")
    eng = make_engine(f"sqlite:///{folder / 'reports.db'}")
    build_db(eng, arena_seed(folder))
    ensure_examples(eng, ROOT / "data" / "curated" / "scenarios.yaml")
    yield eng
    eng.dispose()


def test_arena_section_states_the_gap_and_concentration_and_holds_four_charts(engine):
    report = build_report(engine, BANK, sections=("arena",), models=None)
    (section,) = report.sections
    assert section.title == "Open and closed on the arena"
    lead, *charts = section.blocks
    # The newest version is the 2025-08-04 snapshot, where DeepSeek-V3 (1333) leads Gemini 1.5 Pro (1320).
    assert lead.startswith("On the LMArena board of 2025-08-04, the best open-weights model (DeepSeek-V3) leads")
    # 2025-08-04: the top 10 come from seven developers, Google, Meta and OpenAI two each; six have open weights.
    assert lead.endswith(
        "On the board of 2025-08-04, the top 10 models come from 7 developers (Google 2, Meta 2, OpenAI 2, Alibaba "
        "Cloud (Qwen) 1, Anthropic 1, DeepSeek 1, Mistral AI 1; HHI 1,600), 6 of them with open weights."
    )
    assert len(charts) == 4 and all(isinstance(c, Chart) for c in charts)
    concentration = charts[1]
    assert concentration.figure.layout.title.text.startswith("On the 2025-08-04 board the top 10 come from 7")
    assert (
        "LMArena text leaderboard as committed on 2025-03-07 (lmarena/arena-catalog)"
        in report.sources["title"].tolist()
    )
    assert any("lmarena/arena-catalog" in line for line in report.attributions)
    text = render_markdown(report, None)
    assert "## Open and closed on the arena" in text and "LMArena text ratings per category" in text
    assert "split among developers" in text
