"""build-seed end to end on hand-written fixtures laid out like the public sources, then build-db on the result."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from llmcompare.facts.seed import build_seed
from llmcompare.store import models as m
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine

FIX = Path(__file__).resolve().parents[1] / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
LAYOUT = {
    "benchmarks/lmarena/lmarena_text.csv": "leaderboards/lmarena_text.csv",
    "benchmarks/open_llm_leaderboard/huggingface_v1.csv": "leaderboards/hf_v1.csv",
    "benchmarks/open_llm_leaderboard/huggingface_v2.csv": "leaderboards/hf_v2.csv",
    "benchmarks/reported_scores/openai_simple_evals_readme_scores.csv": "leaderboards/simple_evals.csv",
    "benchmarks/reported_scores/ludwigstumpp_llm_leaderboard_2023_scores.csv": "leaderboards/ludwig.csv",
    "fmti/fmti-indicators.csv": "fmti/indicators.csv",
    "fmti/October2023/October2023_scores.csv": "fmti/oct_scores.csv",
    "fmti/May2024/May2024_scores.csv": "fmti/may_scores.csv",
    "fmti/Dec2025/Dec2025_scores.csv": "fmti/dec_scores.csv",
    "fmti/Dec2025/Dec2025_indicators.csv": "fmti/dec_indicators.csv",
    "model-catalogs/epoch-ai/epoch_notable_ai_models.csv": "epoch/notable_models.csv",
    "model-catalogs/epoch-ai/epoch_benchmarks_runs.csv": "epoch/benchmark_runs.csv",
    "opening-up-chatgpt/df.csv": "ouc/df.csv",
    "opening-up-chatgpt/projects": "ouc/projects",
    "eu-osai-index/models": "eu-osai/models",
    "benchmarks/lmarena-arena-catalog": "lmarena-catalog",
    "benchmarks/chatbot-arena-history/alltime.csv": "arena-history/alltime.csv",
}


def lay_out_sources(root: Path) -> Path:
    """Copy the fixtures into the folder layout of the real sources; the old snapshot has a higher price."""
    for target, fixture in LAYOUT.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        src = FIX / "sources" / fixture
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / target)
    prices = json.loads((FIX / "sources/litellm/prices.json").read_text())
    prices["deepinfra/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo"] = {
        "litellm_provider": "deepinfra",
        "mode": "chat",
        "input_cost_per_token": 8e-07,
        "output_cost_per_token": 8e-07,
    }
    prices["wandb/zai-org/GLM-4.5"] = {  # a unit slip in the map: $10,000 per 1M tokens
        "litellm_provider": "wandb",
        "mode": "chat",
        "input_cost_per_token": 0.01,
        "output_cost_per_token": 0.01,
    }
    (root / "litellm/history").mkdir(parents=True)
    (root / "litellm/model_prices_and_context_window__litellm-1.109.1.json").write_text(json.dumps(prices))
    old = json.loads(json.dumps(prices))
    old["gpt-4o-mini"]["input_cost_per_token"] = 3e-07
    for version in ("1.55.9", "1.65.0", "1.80.0"):
        (root / f"litellm/history/model_prices_and_context_window__litellm-{version}.json").write_text(json.dumps(old))
    return root


@pytest.fixture
def built(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(FIX / "curated", curated)
    shutil.copy(ROOT / "data/curated/benchmarks.yaml", curated)
    report = build_seed(lay_out_sources(tmp_path / "src"), curated, tmp_path / "seed")
    engine = make_engine(f"sqlite:///{tmp_path / 'seed.db'}")
    build_db(engine, tmp_path / "seed")
    return report, engine


def scalars(engine, stmt):
    with engine.connect() as conn:
        return conn.execute(stmt).all()


def test_arena_rows_become_models_with_licence_and_access(built):
    report, engine = built
    rows = dict(scalars(engine, select(m.Model.name, m.Model.access)))
    assert rows["Gemini-2.5-Pro"] == m.API_ONLY
    assert rows["GLM-4.5"] == m.OPEN_WEIGHTS and rows["Llama-3.1-405B-Instruct"] == m.OPEN_WEIGHTS
    assert "Mystery-Model" not in rows
    assert report.skipped["lmarena: no licence or organisation"] == 1


def test_price_history_keeps_every_snapshot(built):
    _, engine = built
    points = scalars(
        engine,
        select(m.Price.as_of, m.Price.input_usd_per_1m, m.Price.first_party)
        .where(m.Price.offering == "gpt-4o-mini")
        .order_by(m.Price.as_of),
    )
    assert [round(p.input_usd_per_1m, 3) for p in points] == [0.3, 0.3, 0.3, 0.15]
    assert all(p.first_party for p in points)


def test_hosted_open_model_price_resolves_to_the_canonical_model(built):
    _, engine = built
    rows = scalars(engine, select(m.Price.model_id, m.Price.first_party).where(m.Price.provider == "deepinfra"))
    assert set(rows) == {("llama-3-1-405b-instruct", False)}


def test_every_fact_has_a_source_and_date(built):
    _, engine = built
    for table in (m.Price, m.BenchmarkResult, m.OpennessGrade, m.TransparencyScore, m.Model):
        for source_id, as_of in scalars(engine, select(table.source_id, table.as_of)):
            assert source_id and as_of


def test_fmti_editions_map_to_developers(built):
    _, engine = built
    totals = scalars(
        engine,
        select(m.TransparencyScore.developer_id, m.TransparencyScore.edition, m.TransparencyScore.score).where(
            m.TransparencyScore.domain == "Total"
        ),
    )
    assert ("meta", "2023-10") in {(d, e) for d, e, _ in totals}
    assert {e for _, e, _ in totals} >= {"2023-10"}


def test_rebuilding_gives_identical_files(built, tmp_path):
    curated = tmp_path / "curated"
    build_seed(tmp_path / "src", curated, tmp_path / "seed2")
    for file in (tmp_path / "seed").iterdir():
        assert file.read_text() == (tmp_path / "seed2" / file.name).read_text(), file.name


def test_implausible_prices_are_left_out_and_reported(built):
    report, engine = built
    assert scalars(engine, select(m.Price.id).where(m.Price.provider == "wandb")) == []
    assert report.skipped["litellm-1.109.1: implausible price over $1,000 per 1M tokens"] == 1


def test_arena_versions_keep_dates_and_intervals(built):
    report, engine = built
    r = m.BenchmarkResult
    rows = scalars(
        engine,
        select(r.as_of, r.score, r.setting, r.source_id)
        .where(r.model_id == "deepseek-r1", r.benchmark_id == "lmarena_text")
        .order_by(r.as_of),
    )
    assert [(x.as_of, x.source_id) for x in rows] == [
        (date(2025, 3, 26), "lmarena-history"),  # the month's last date of the older history; no interval there
        (date(2025, 5, 24), "lmarena-catalog-2025-05-24"),
        (date(2025, 11, 5), "lmarena-catalog-2025-11-05"),
        (date(2025, 12, 11), "lmarena-catalog-2025-12-11"),
    ]
    assert (round(rows[0].score, 2), rows[0].setting) == (1359.52, None)
    assert (round(rows[1].score, 2), rows[1].setting) == (1354.46, "95% CI 1350.1 to 1358.6")
    # The arena's API name for the 405B model does not strictly match the catalogue's: counted, not guessed.
    assert report.skipped["lmarena-catalog-2025-05-24: arena name matches no model"] == 1


def test_arena_price_list_adds_text_models_with_a_source_per_price(built):
    report, engine = built
    models = dict(scalars(engine, select(m.Model.id, m.Model.access)))
    assert models["gemini-3-pro"] == m.API_ONLY and models["deepseek-r1"] == m.OPEN_WEIGHTS
    assert not any("dall" in mid for mid in models)
    # DALL-E 3 is an image model; ERNIE 5.0 is on the real board but not on the fixture's.
    assert report.skipped["lmarena price list: not on the text board"] == 2
    price = scalars(
        engine,
        select(m.Price.input_usd_per_1m, m.Source.url, m.Source.commit)
        .join(m.Source, m.Source.id == m.Price.source_id)
        .where(m.Price.offering == "lmarena/gemini-3-pro"),
    )
    assert price == [
        (
            2.0,
            "https://ai.google.dev/gemini-api/docs/pricing#gemini-3-pro-preview",
            "a7ae8627e25e91467ce590ed34ab4ef1ba098ec7",
        )
    ]


def test_arena_categories_come_from_the_newest_version(built):
    _, engine = built
    r = m.BenchmarkResult
    coding = scalars(engine, select(r.model_id, r.as_of, r.setting).where(r.benchmark_id == "lmarena_task_coding"))
    assert {c.model_id for c in coding} == {"gemini-3-pro", "gemini-2-5-pro", "glm-4-5", "deepseek-r1"}
    assert {c.as_of for c in coding} == {date(2025, 12, 11)}
    assert all(c.setting.startswith("95% CI ") for c in coding)
