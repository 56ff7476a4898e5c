"""build-seed end to end on hand-written fixtures laid out like the public sources, then build-db on the result."""

import json
import shutil
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
