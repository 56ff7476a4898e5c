"""Request settings of one model (reasoning effort, thinking budget, thinking on/off) fold into that model; separate
releases stay separate; a setting's score never replaces the model's own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from llmcompare.facts.catalog import Catalog
from llmcompare.facts.curated import load_curated
from llmcompare.facts.lmarena import ArenaRating, rating_rows
from llmcompare.store import models as m
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.identity import name_index

ROOT = Path(__file__).resolve().parents[2]
BOARD = "lmarena-catalog-2025-12-11"


@pytest.fixture(scope="module")
def engine(module_database_url):
    engine = make_engine(module_database_url)
    build_db(engine, ROOT / "data" / "seed")
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    ("name", "model_id"),
    [
        ("gpt-5-high", "gpt-5"),
        ("GPT-5.1 (high)", "gpt-5-1"),
        ("gpt-5-mini-high", "gpt-5-mini"),
        ("GPT-5 nano (high)", "gpt-5-nano"),
        ("o3-mini-high", "o3-mini"),
        ("Grok-3-mini-high", "grok-3-mini-beta"),
        ("claude-opus-4-5-20251101-thinking-32k", "claude-opus-4-5"),
        ("Claude Opus 4.1 Thinking", "claude-opus-4-1"),
        ("claude-sonnet-4-5-20250929-thinking-32k", "claude-sonnet-4-5"),
        ("Claude Opus 4 (thinking-16k)", "claude-opus-4-20250514"),
        ("claude-opus-4-20250514-thinking-16k", "claude-opus-4-20250514"),
        ("deepseek-v3.1-thinking", "deepseek-v3-1"),
        ("deepseek-v3.1-terminus-thinking", "deepseek-v3-1-terminus"),
        ("deepseek-v3.2-exp-thinking", "deepseek-v3-2-exp"),
        ("DeepSeek-V3.2-Thinking", "deepseek-v3-2"),
        ("qwen3-235b-a22b-no-thinking", "qwen3-235b-a22b"),
        ("chatgpt-4o-latest-20250326", "chatgpt-4o-latest-2025-03-26"),
    ],
)
def test_a_request_setting_resolves_to_its_model(engine, name, model_id):
    assert name_index(engine).model_id(name) == model_id


@pytest.mark.parametrize(
    ("name", "not_model"),
    [
        ("Qwen3-235B-A22B-Thinking-2507", "qwen3-235b-a22b"),  # its own weights, released in July 2025
        ("kimi-k2-thinking-turbo", "kimi-k2-0905"),  # Kimi K2 Thinking is a separate model
        ("gemini-2.0-flash-thinking-exp-01-21", "gemini-2-0-flash-001"),  # a separate experimental model
        ("qwen3-next-80b-a3b-thinking", "qwen3-next-80b-a3b-instruct"),  # separate published weights
        ("grok-4.1-thinking", "grok-4-1"),  # kept apart until a source says it is one model
    ],
)
def test_a_separate_release_stays_its_own_model(engine, name, not_model):
    model_id = name_index(engine).model_id(name)
    assert model_id is not None
    assert model_id != not_model


def _arena(engine, model_id: str) -> tuple[float, str | None]:
    r = m.BenchmarkResult
    stmt = select(r.score, r.setting).where(
        r.model_id == model_id, r.benchmark_id == "lmarena_text", r.source_id == BOARD
    )
    with engine.connect() as conn:
        return tuple(conn.execute(stmt).one())


def test_the_model_keeps_its_own_arena_score_over_a_settings(engine):
    # The board rates claude-opus-4-5-20251101 at 1446.43 and its thinking-32k setting at 1442.24.
    score, setting = _arena(engine, "claude-opus-4-5")
    assert score == pytest.approx(1446.4311)
    assert "as " not in setting


def test_a_settings_score_stands_in_only_when_named(engine):
    # LMArena rates GPT-5 only with high reasoning effort; the score says so.
    score, setting = _arena(engine, "gpt-5")
    assert score == pytest.approx(1407.2868)
    assert setting.endswith("as gpt-5-high (reasoning effort high)")


def _catalog() -> Catalog:
    cur = load_curated(ROOT / "data" / "curated")
    overrides = {
        ("lmarena_catalog", "m-1-high"): {"same_as": "m-1", "setting": "reasoning effort high"},
        ("lmarena_catalog", "m-2"): {"same_as": "no-such-model"},
    }
    cat = Catalog(cur, overrides=overrides)
    cat.add_model("m-1", "openai", "proprietary-api", "lmarena-catalog-prices", "lmarena_catalog")
    return cat


def test_rating_rows_prefer_the_models_own_name_whatever_the_board_order():
    cat = _catalog()
    cat.fold("lmarena_catalog", ("m-1-high",), cat.overrides[("lmarena_catalog", "m-1-high")])
    board = [ArenaRating("m-1-high", "full", 1450, 1440, 1460), ArenaRating("m-1", "full", 1400, 1390, 1410)]
    rows = rating_rows(cat, board, "lmarena-catalog-prices", date(2025, 12, 11))
    assert [(r["model_id"], r["score"], r["setting"]) for r in rows] == [("m-1", 1400, "95% CI 1390.0 to 1410.0")]
    alone = rating_rows(cat, board[:1], "lmarena-catalog-prices", date(2025, 12, 11))
    assert alone[0]["setting"] == "95% CI 1440.0 to 1460.0; as m-1-high (reasoning effort high)"


def test_a_fold_onto_a_model_no_source_made_is_refused():
    cat = _catalog()
    assert cat.fold("lmarena_catalog", ("m-2",), cat.overrides[("lmarena_catalog", "m-2")]) is None
    with pytest.raises(KeyError, match="no-such-model"):
        cat.fold_pending()
