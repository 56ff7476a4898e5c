"""Where the dimension table's newer facts come from: LMArena's category boards (model specialisation), curated
parameter counts with their own pages (computational requirements), provider uptime terms (reliability)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from llmcompare.decide import dimension_table as dt
from llmcompare.decide.dimensions import FACT, NONE, PROXY
from llmcompare.facts.model_sizes import ACTIVE, apply_model_sizes, load_model_sizes
from llmcompare.io.errors import FormatError
from llmcompare.store import models as m
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.intervals import interval_text
from tests.conftest import FIXTURE_SEED

ROOT = Path(__file__).resolve().parents[2]
BOARD = date(2025, 8, 4)  # the fixture's overall LMArena board: deepseek-v3 #1, gpt-4o #4, claude-3.5-sonnet #5 of 10
CATEGORY_ROWS = (  # (model, category, rating): three models rated on two category boards of the same day
    ("gpt-4o", "coding", 1400),
    ("deepseek-v3", "coding", 1390),
    ("claude-3.5-sonnet", "coding", 1380),
    ("gpt-4o", "math", 1300),
    ("deepseek-v3", "math", 1350),
    ("claude-3.5-sonnet", "math", 1320),
)


@pytest.fixture(scope="module")
def fixture_table(tmp_path_factory):
    """The hand-made seed plus category ratings and an active-parameter fact, in a database file."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sources') / 'dims.db'}")
    build_db(engine, FIXTURE_SEED)
    with Session(engine) as session, session.begin():
        for task in ("coding", "math"):
            session.add(
                m.BenchmarkDef(
                    id=f"lmarena_task_{task}", name=f"LMArena task: {task.title()}", unit="elo", description=task
                )
            )
        for model, task, score in CATEGORY_ROWS:
            session.add(
                m.BenchmarkResult(
                    model_id=model,
                    benchmark_id=f"lmarena_task_{task}",
                    score=score,
                    setting=interval_text(score - 10, score + 10),
                    as_of=BOARD,
                    source_id="lmarena_2025_08",
                )
            )
        session.add(
            m.ModelFact(
                model_id="deepseek-v3",
                attribute=ACTIVE,
                value="37",
                number=37.0,
                as_of=date(2026, 11, 1),
                source_id="hf_cards",
            )
        )
    ctx = dt.load_inputs(engine)
    engine.dispose()
    # The fixture seed has five dimensions of its own; these tests need the two the new facts answer.
    dims = pd.DataFrame(
        [
            {
                "id": dim,
                "name": dim,
                "group": "g",
                "open_side": "o",
                "closed_side": "c",
                "favours": "open",
                "as_of": "2024-12-17",
                "source": "article-003",
                "source_url": None,
            }
            for dim in ("model-specialisation", "computational-requirements")
        ]
    )
    lines = {dim: [{"article": "article-003", "line": 43, "quote": "q"}] for dim in dims["id"]}
    own = ctx.facts.columns.difference(ctx.extra.columns.drop("model_id"))
    ctx = dt.make_inputs(ctx.facts[own], ctx.extra, ctx.refs, dims, None, lines)
    models = ["gpt-4o", "deepseek-v3", "claude-3.5-sonnet", "gemma-2-9b-it", "gpt-4o-mini"]
    table = dt.dimension_table(ctx, models)
    return table.set_index(["model_id", "dimension_id"])


def test_specialisation_names_the_categories_that_beat_the_overall_rank(fixture_table):
    cell = fixture_table.loc[("gpt-4o", "model-specialisation")]
    assert cell["basis"] == FACT and cell["as_of"] == "2025-08-04"
    assert cell["source"] == "LMArena text leaderboard (2025-08-04)"
    assert cell["value"].startswith("strongest against its overall rank (#4 of 10 overall): task: Coding #1 of 3")
    assert (
        "(1400, 95% CI 1390 to 1410)" in cell["value"]
        and "2 categories on LMArena's board of 2025-08-04" in cell["value"]
    )
    assert cell["score"] == 1.0  # first in its best category


def test_specialisation_says_when_no_category_beats_the_overall_rank(fixture_table):
    first = fixture_table.loc[("deepseek-v3", "model-specialisation")]
    assert first["basis"] == FACT and first["value"].startswith("first overall (#1 of 10 overall): task: Math #1 of 3")
    claude = fixture_table.loc[("claude-3.5-sonnet", "model-specialisation")]
    assert claude["value"].startswith("no category ranks it above its overall rank (#5 of 10 overall): task: Math")


def test_specialisation_falls_back_to_size_as_a_named_proxy(fixture_table):
    sized = fixture_table.loc[("gemma-2-9b-it", "model-specialisation")]
    assert sized["basis"] == PROXY and sized["value"].startswith("9.2B parameters")
    assert "model size stands in" in sized["proxy_for"]
    unsized = fixture_table.loc[("gpt-4o-mini", "model-specialisation")]
    assert unsized["basis"] == PROXY and unsized["value"].startswith("maintainers' reading")


def test_computational_requirements_give_total_and_active_parameters_with_their_source(fixture_table):
    cell = fixture_table.loc[("deepseek-v3", "computational-requirements")]
    assert cell["basis"] == FACT and cell["value"].startswith("671B parameters, 37B active per token")
    assert cell["source"] == "Hugging Face model cards" and cell["source_url"] == "https://huggingface.co"
    assert cell["as_of"] == "2026-11-01"  # the size's own page: undated, so the day it was read
    closed = fixture_table.loc[("gpt-4o", "computational-requirements")]
    assert closed["basis"] == NONE and closed["value"] == "parameter count not published"


def _sizes(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "model_sizes.yaml"
    path.write_text(entries, encoding="utf-8")
    return path


SOURCES = {"card": {}}
MODELS = {"big-moe": {}, "dense": {}}


def test_model_sizes_set_the_count_and_file_the_active_count_as_a_fact(tmp_path):
    path = _sizes(
        tmp_path,
        "- {model: big-moe, total_b: 671, active_b: 37, source_id: card, quote: '671B total, 37B active'}\n"
        "- {model: dense, total_b: 8, source_id: card, quote: '8B'}\n",
    )
    sizes = load_model_sizes(path, SOURCES, MODELS)
    cat = SimpleNamespace(
        models={"big-moe": {"params_b": 600.0, "params_source_id": "epoch"}, "dense": {"params_b": None}},
        cur=SimpleNamespace(source_as_of={"card": date(2026, 12, 4)}),
    )
    rows = apply_model_sizes(cat, sizes)
    assert cat.models["big-moe"] == {"params_b": 671.0, "params_source_id": "card"}
    assert cat.models["dense"]["params_b"] == 8.0
    assert [(r["model_id"], r["attribute"], r["number"], r["source_id"]) for r in rows] == [
        ("big-moe", ACTIVE, 37.0, "card")
    ]
    assert rows[0]["as_of"] == date(2026, 12, 4) and rows[0]["detail"] == "671B total, 37B active"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("- {model: nope, total_b: 8, source_id: card, quote: q}\n", "unknown model 'nope'"),
        ("- {model: dense, total_b: 8, source_id: blog, quote: q}\n", "source 'blog' is not in sources.yaml"),
        ("- {model: dense, total_b: 8, source_id: card}\n", "field 'quote': is required"),
        ("- {model: dense, total_b: -8, source_id: card, quote: q}\n", "must be a positive number"),
        ("- {model: big-moe, total_b: 30, active_b: 37, source_id: card, quote: q}\n", "above the total"),
        ("- {model: dense, total_b: 8, source_id: card, quote: q, size: 9}\n", "unknown field(s) ['size']"),
        ("- {model: dense, total_b: 8, source_id: card, quote: q}\n" * 2, "dense appears twice"),
    ],
)
def test_a_bad_size_entry_stops_the_build_with_its_place(tmp_path, entries, message):
    with pytest.raises(FormatError) as err:
        load_model_sizes(_sizes(tmp_path, entries), SOURCES, MODELS)
    assert message in str(err.value) and "model_sizes.yaml" in str(err.value)


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('committed') / 'seed.db'}")
    build_db(engine, ROOT / "data" / "seed")
    ctx = dt.load_inputs(engine)
    engine.dispose()
    top = dt.arena_top(ctx.facts)
    return ctx, dt.dimension_table(ctx, top)


def test_committed_seed_sizes_every_open_model_among_the_best_fifty(committed):
    ctx, table = committed
    compute = table[table["dimension_id"] == "computational-requirements"]
    open_cells = compute[compute["access"] == m.OPEN_WEIGHTS]
    assert len(open_cells) >= 15
    assert (open_cells["basis"] == FACT).all() and open_cells["source_url"].str.startswith("https://").all()
    assert (compute.loc[compute["access"] == m.API_ONLY, "basis"] == NONE).all()  # unpublished sizes stay gaps


def test_committed_seed_specialisation_rests_on_lmarena_categories(committed):
    ctx, table = committed
    special = table[table["dimension_id"] == "model-specialisation"]
    facts = special[special["basis"] == FACT]
    assert len(facts) >= 40 and facts["source"].str.startswith("LMArena").all()
    assert facts["value"].str.contains(r"#\d+ of \d+ overall\): .+#\d+ of \d+ \(\d+, 95% CI").all()
    assert (special.loc[special["basis"] == PROXY, "proxy_for"].str.len() > 0).all()


def test_committed_seed_meets_the_fact_share_among_the_best_fifty(committed):
    ctx, table = committed
    assert table["model_id"].nunique() == dt.ARENA_TOP
    assert dt.fact_share(table) >= 0.60
    reliability = table[(table["dimension_id"] == "reliability") & (table["basis"] == FACT)]
    assert len(reliability) > 0 and reliability["value"].str.contains(": Uptime SLA: ").all()
    assert reliability["source"].str.startswith("https://").all() and reliability["as_of"].notna().all()
