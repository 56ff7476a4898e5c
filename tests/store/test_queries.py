"""Read queries on the hand-made fixture seed, with exact expected values."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from llmcompare.catalog.factsheet import model_detail
from llmcompare.store import queries as q
from llmcompare.store.engine import make_engine
from llmcompare.store.seed_io import seed_digest

LITELLM_180 = "https://pypi.org/project/litellm/1.80.0/ (litellm/model_prices_and_context_window_backup.json)"
FMTI_2025 = (
    "https://github.com/stanford-crfm/fmti/blob/f4500c5f4763966fddf71c468a148533a1236290/Dec2025/Dec2025_scores.csv"
)


@pytest.fixture(scope="module")
def catalog(fixture_db) -> pd.DataFrame:
    return q.catalog(fixture_db.engine).set_index("model_id")


def test_catalog_has_one_row_per_model_and_the_agreed_columns(catalog) -> None:
    assert list(catalog.reset_index().columns) == q.CATALOG_COLUMNS
    assert len(catalog) == 11
    assert catalog.index.is_unique


def test_current_price_is_the_newest_point_even_when_an_older_offering_is_cheaper(catalog) -> None:
    row = catalog.loc["llama-3.1-8b-instruct"]
    assert (row.input_usd_per_1m, row.output_usd_per_1m) == (0.03, 0.05)
    assert (row.price_provider, row.price_as_of) == ("deepinfra", date(2025, 10, 28))
    assert row.price_source == LITELLM_180


def test_current_price_prefers_the_developer_at_the_newest_date(catalog) -> None:
    row = catalog.loc["gpt-4o"]  # azure sells it at the same date; the 2024-05 launch price is older
    assert (row.price_provider, row.input_usd_per_1m, row.output_usd_per_1m) == ("openai", 2.5, 10.0)
    assert row.price_as_of == date(2024, 12, 24)


def test_current_price_without_a_developer_offering_is_the_cheapest_blended(catalog) -> None:
    row = catalog.loc["llama-3.1-70b-instruct"]  # groq blends to 0.64, together to 0.88
    assert (row.price_provider, row.input_usd_per_1m, row.output_usd_per_1m) == ("groq", 0.59, 0.79)


def test_model_without_prices_or_scores_has_gaps_not_errors(catalog) -> None:
    row = catalog.loc["olmo-2-13b-instruct"]
    assert pd.isna(row.input_usd_per_1m) and pd.isna(row.price_source) and pd.isna(row.arena_score)
    assert pd.isna(row.fmti_latest)  # Ai2 is not in the fixture's FMTI editions
    assert row.context_window == 4096


def test_licence_terms_reach_the_catalogue(catalog) -> None:
    llama = catalog.loc["llama-3.1-8b-instruct"]
    assert (llama.license, llama.commercial_use, llama.user_threshold) == (
        "Llama 3.1 Community License",
        "conditional",
        700_000_000,
    )
    assert llama.license_source == "https://github.com/meta-llama/llama-models/blob/HEAD/models/llama3_1/LICENSE"
    assert pd.isna(catalog.loc["gpt-4o"].user_threshold)


def test_arena_score_is_the_latest_lmarena_text_result(catalog) -> None:
    assert catalog.loc["gpt-4o"].arena_score == 1285.0  # not the 2024-12-20 history point
    assert catalog.loc["gpt-4o"].arena_as_of == date(2025, 8, 4)
    assert catalog.loc["llama-3.1-8b-instruct"].arena_score == 1193.0


def test_openness_is_the_share_of_points_over_graded_dimensions(catalog) -> None:
    assert catalog.loc["olmo-2-13b-instruct"].openness == pytest.approx(11.5 / 12 * 100)
    assert catalog.loc["llama-3.1-8b-instruct"].openness == pytest.approx(3.5 / 12 * 100)
    assert catalog.loc["qwen2.5-72b-instruct"].openness == pytest.approx(2 / 11 * 100)  # one ungraded dimension
    assert catalog.loc["gemma-2-9b-it"].openness_scheme == "eu_osai"  # preferred over its OUC grades
    assert catalog.loc["gemma-2-9b-it"].openness == pytest.approx(5 / 12 * 100)


def test_openness_falls_back_to_opening_up_chatgpt(catalog) -> None:
    row = catalog.loc["gpt-4o"]
    assert row.openness_scheme == "ouc"
    assert row.openness == pytest.approx(0.5 / 14 * 100)
    assert row.openness_as_of == date(2024, 8, 30)
    assert pd.isna(catalog.loc["claude-3.5-sonnet"].openness)


def test_fmti_is_the_developers_latest_total(catalog) -> None:
    meta = catalog.loc["llama-3.1-70b-instruct"]
    assert (meta.fmti_latest, meta.fmti_edition, meta.fmti_as_of) == (31.0, "2025-12", date(2025, 12, 9))
    assert meta.fmti_source == FMTI_2025
    assert catalog.loc["claude-3.5-sonnet"].fmti_latest == 46.0


def test_missing_context_window_comes_from_the_current_offering_with_its_source(catalog) -> None:
    row = catalog.loc["deepseek-v3"]
    assert row.context_window == 65536
    assert row.context_source == LITELLM_180


def test_catalog_can_be_limited_to_some_models(fixture_db) -> None:
    frame = q.catalog(fixture_db.engine, ["gpt-4o", "gemma-2-9b-it", "unknown"])
    assert sorted(frame["model_id"]) == ["gemma-2-9b-it", "gpt-4o"]
    assert frame.set_index("model_id").loc["gpt-4o", "input_usd_per_1m"] == 2.5


def test_sources_become_links_and_export_references(fixture_db) -> None:
    with fixture_db.engine.connect() as conn:
        refs = q.source_refs(conn)
    assert refs["fmti_2025"].url == refs["fmti_2025"].ref == FMTI_2025
    assert refs["litellm_1_80"].url == "https://pypi.org/project/litellm/1.80.0/"
    assert refs["litellm_1_80"].ref == LITELLM_180
    assert refs["spdx"].url.endswith("/blob/HEAD/json/licenses.json")  # no commit recorded
    assert (refs["article_spheron"].url, refs["article_spheron"].ref) == (None, "articles/001_a9bc13dec9b87b1e.txt")


def test_headline_figures(fixture_db) -> None:
    facts = q.headline_figures(fixture_db.engine)
    assert (facts.models, facts.open_weights, facts.api_only, facts.developers) == (11, 7, 4, 8)
    assert (facts.licenses, facts.price_points, facts.benchmarks, facts.benchmark_results) == (8, 18, 2, 17)
    assert facts.sources == 23
    assert (facts.oldest_fact, facts.newest_fact) == (date(2023, 10, 18), date(2026, 10, 1))


def test_data_version_is_the_seed_digest(fixture_db, tmp_path) -> None:
    assert q.data_version(fixture_db.engine) == seed_digest(fixture_db.seed_dir)
    assert q.data_version(make_engine(f"sqlite:///{tmp_path / 'empty.db'}")) is None


def test_price_history_keeps_every_dated_point(fixture_db) -> None:
    history = q.price_history(fixture_db.engine, "gpt-4o")
    assert list(zip(history["offering"], history["as_of"], history["input_usd_per_1m"], strict=True)) == [
        ("openai/gpt-4o", date(2024, 5, 13), 5.0),
        ("azure/gpt-4o", date(2024, 12, 24), 2.75),
        ("openai/gpt-4o", date(2024, 12, 24), 2.5),
    ]
    assert history["source"].iloc[0] == "OpenAI API pricing page (May 2024)"
    assert history["blended_usd_per_1m"].iloc[0] == pytest.approx(7.5)
    now = q.current_prices(history)
    assert list(zip(now["offering"], now["input_usd_per_1m"], strict=True)) == [
        ("openai/gpt-4o", 2.5),
        ("azure/gpt-4o", 2.75),
    ]


def test_catalog_lookup_joins_aliases_and_counts_benchmarks(fixture_db) -> None:
    lookup = q.catalog_lookup(fixture_db.engine).set_index("model_id")
    assert "groq/llama-3.1-8b-instant" in lookup.loc["llama-3.1-8b-instruct", "aliases"]
    assert lookup.loc["llama-3.1-8b-instruct", "benchmarks"] == 3
    assert lookup.loc["olmo-2-13b-instruct", "benchmarks"] == 0


def test_model_detail_gathers_every_fact_with_its_source(fixture_db) -> None:
    detail = model_detail(fixture_db.engine, "llama-3.1-8b-instruct")
    assert (detail.name, detail.developer, detail.access) == ("Llama 3.1 8B Instruct", "Meta", "open_weights")
    assert detail.license.user_threshold_mau == 700_000_000
    assert detail.license.source.title == "Llama 3.1 Community License Agreement"
    assert detail.params_b.value == 8.0 and detail.params_b.source.title == "Hugging Face model cards"
    assert len(detail.prices) == 3
    assert detail.benchmarks[["benchmark", "score"]].values.tolist() == [
        ["LMArena text", 1193.0],
        ["LMArena text", 1175.6],
        ["MMLU", 73.0],
    ]
    assert len(detail.openness) == 12 and set(detail.openness["scheme"]) == {"eu_osai"}
    assert len(detail.transparency) == 12  # three editions, four rows each
    assert sorted(detail.aliases["scheme"]) == ["hf", "litellm", "lmarena"]
    for table in (detail.prices, detail.benchmarks, detail.openness, detail.transparency):
        assert table[["source", "source_url", "as_of"]].notna().all().all()


def test_model_detail_for_an_unknown_id_is_none(fixture_db) -> None:
    assert model_detail(fixture_db.engine, "no-such-model") is None


def test_dimensions_carry_their_source(fixture_db) -> None:
    dims = q.dimensions(fixture_db.engine)
    assert len(dims) == 5
    assert set(dims["favours"]) == {"open", "closed", "depends"}
    assert dims["source"].str.startswith("Will Open-Source LLMs").all()
    assert dims["source_url"].isna().all()  # the article is known by title and file only


def test_fact_sheet_context_falls_back_to_the_current_offering(fixture_db) -> None:
    context = model_detail(fixture_db.engine, "deepseek-v3").context_window
    assert context.value == 65536
    assert context.source.title == "LiteLLM price map (litellm 1.80.0)"
    assert context.as_of == date(2025, 10, 28)
