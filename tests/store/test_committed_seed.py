"""The committed seed, as a user's clone gets it: coverage, provenance and structured licence terms."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from llmcompare.store import models as m
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine

SEED = Path(__file__).resolve().parents[2] / "data" / "seed"


@pytest.fixture(scope="module")
def engine(module_database_url):
    engine = make_engine(module_database_url)
    build_db(engine, SEED)
    yield engine
    engine.dispose()


def one(engine, stmt):
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def test_model_coverage(engine):
    assert one(engine, select(func.count()).select_from(m.Model)) >= 250
    assert one(engine, select(func.count()).where(m.Model.access == m.API_ONLY)) >= 80
    assert one(engine, select(func.count()).where(m.Model.access == m.OPEN_WEIGHTS)) >= 120


def test_price_and_benchmark_coverage(engine):
    newest = one(engine, select(func.max(m.Price.as_of)))
    priced = select(func.count(func.distinct(m.Price.model_id))).where(m.Price.as_of == newest)
    assert one(engine, priced) >= 150
    assert one(engine, select(func.count(func.distinct(m.BenchmarkResult.model_id)))) >= 150
    # Four LiteLLM snapshots and LMArena's price list.
    assert one(engine, select(func.count(func.distinct(m.Price.as_of)))) == 5


def test_arena_versions_and_categories_keep_dates_and_intervals(engine):
    r = m.BenchmarkResult
    arena = r.benchmark_id == "lmarena_text"
    # 23 months of the older history (2023-05 to 2025-03), 15 committed versions of LMArena's own board
    # (2025-03-07 to 2025-12-11) and the 2025-08-04 snapshot.
    assert one(engine, select(func.count(func.distinct(r.as_of))).where(arena)) == 39
    assert str(one(engine, select(func.max(r.as_of)).where(arena))) == "2025-12-11"
    categories = r.benchmark_id.like("lmarena\\_%\\_%", escape="\\")
    assert one(engine, select(func.count(func.distinct(r.benchmark_id))).where(categories)) == 24
    no_interval = select(func.count()).where(categories, ~r.setting.like("95% CI % to %"))
    assert one(engine, no_interval) == 0


def test_licences_are_structured(engine):
    assert one(engine, select(func.count(func.distinct(m.Model.license_id)))) >= 15
    threshold = select(m.License.user_threshold_mau).where(m.License.id == "llama-3.1-community")
    assert one(engine, threshold) == 700_000_000
    qwen = select(m.License.user_threshold_mau).where(m.License.id == "qwen-tongyi-qianwen")
    assert one(engine, qwen) == 100_000_000


def test_all_three_fmti_editions(engine):
    editions = select(func.count(func.distinct(m.TransparencyScore.edition)))
    assert one(engine, editions) == 3
    openai_2025 = select(m.TransparencyScore.score).where(
        m.TransparencyScore.developer_id == "openai",
        m.TransparencyScore.edition == "2025-12",
        m.TransparencyScore.domain == "Total",
    )
    assert one(engine, openai_2025) == 35


@pytest.mark.parametrize(
    "table", [m.Model, m.License, m.Price, m.BenchmarkResult, m.OpennessGrade, m.TransparencyScore, m.Dimension]
)
def test_every_fact_has_a_known_source_and_date(engine, table):
    missing = select(func.count()).select_from(table).where((table.source_id.is_(None)) | (table.as_of.is_(None)))
    assert one(engine, missing) == 0
    dangling = select(func.count()).select_from(table).outerjoin(m.Source, m.Source.id == table.source_id)
    assert one(engine, dangling.where(m.Source.id.is_(None))) == 0


def test_every_model_has_developer_access_and_licence(engine):
    incomplete = select(func.count()).where(
        m.Model.developer_id.is_(None) | m.Model.license_id.is_(None) | m.Model.access.not_in(m.ACCESS_TYPES)
    )
    assert one(engine, incomplete) == 0


def test_dimensions_cover_the_articles(engine):
    assert one(engine, select(func.count()).select_from(m.Dimension)) >= 22
