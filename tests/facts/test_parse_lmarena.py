"""LMArena's own leaderboard files: ratings with intervals, dated versions and the price list."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from llmcompare.facts import lmarena
from llmcompare.io.errors import FormatError
from llmcompare.store.intervals import interval_bounds, interval_text

BOARD = "lmarena-catalog/leaderboard-text.json"
PRICES = "lmarena-catalog/scatterplot-data.json"


def test_leaderboard_keeps_rating_and_interval(sources: Path) -> None:
    ratings = lmarena.parse_leaderboard(sources / BOARD, lmarena.KEPT)
    top = next(r for r in ratings if r.model == "gemini-3-pro" and r.category == "full")
    assert round(top.rating, 1) == 1486.6
    assert (round(top.lower, 1), round(top.upper, 1)) == (1480.4, 1492.8)
    assert {r.category for r in ratings} == set(lmarena.KEPT)
    assert len(lmarena.KEPT) == 25


def test_interval_round_trips_through_the_setting() -> None:
    setting = interval_text(1480.40269, 1492.80273)
    assert setting == "95% CI 1480.4 to 1492.8"
    assert interval_bounds(setting) == (1480.4, 1492.8)
    assert interval_bounds("style control off") is None
    assert interval_bounds(None) is None


def test_rating_outside_its_interval_is_refused(variant: Callable[..., Path]) -> None:
    bad = variant(BOARD, '"rating": 1486.6027120272704', '"rating": 1500.0')
    with pytest.raises(FormatError, match="outside its interval") as err:
        lmarena.parse_leaderboard(bad)
    assert err.value.field == "full.gemini-3-pro.rating"


def test_missing_category_is_named(sources: Path) -> None:
    with pytest.raises(FormatError, match="categories missing: no_tie"):
        lmarena.parse_leaderboard(sources / BOARD, ("full", "no_tie"))


def test_versions_carry_date_and_commit(sources: Path) -> None:
    versions = lmarena.parse_versions(sources / "lmarena-catalog/history")
    assert [(v.as_of, v.commit) for v in versions] == [
        (date(2025, 5, 24), "209556bee"),
        (date(2025, 11, 5), "236f9a429"),
        (date(2025, 12, 11), "ea8297b54"),
    ]
    assert {r.model for r in versions[0].ratings} == {"deepseek-r1", "llama-3.1-405b-instruct-bf16"}


def test_version_file_without_a_date_is_refused(sources: Path, tmp_path: Path) -> None:
    shutil.copytree(sources / "lmarena-catalog/history", tmp_path / "history")
    (tmp_path / "history/leaderboard-text-full.json").write_text('{"full": {}}')
    with pytest.raises(FormatError, match="YYYY-MM-DD"):
        lmarena.parse_versions(tmp_path / "history")


def test_price_list(sources: Path) -> None:
    listings = {x.model: x for x in lmarena.parse_price_list(sources / PRICES)}
    assert len(listings) == 6
    r1 = listings["deepseek-r1"]
    assert (r1.input_usd_per_1m, r1.output_usd_per_1m, r1.license) == (0.55, 2.19, "MIT")
    assert r1.price_source == "https://api-docs.deepseek.com/quick_start/pricing"
    assert listings["glm-4.5"].hidden and not r1.hidden
    assert listings["ernie-5.0-preview-1103"].input_usd_per_1m is None


def test_price_without_its_source_is_refused(variant: Callable[..., Path]) -> None:
    bad = variant(PRICES, '"price_source": "https://api-docs.deepseek.com/quick_start/pricing"', '"price_source": ""')
    with pytest.raises(FormatError, match="needs the URL"):
        lmarena.parse_price_list(bad)


def test_category_ids_name_their_group() -> None:
    assert lmarena.benchmark_id("full") == "lmarena_text"
    assert lmarena.benchmark_id("coding") == "lmarena_task_coding"
    assert lmarena.benchmark_id("french") == "lmarena_language_french"
    assert lmarena.benchmark_id("industry_legal_and_government") == "lmarena_industry_legal_and_government"
    # Every id fits the store's benchmark id column.
    ids = [lmarena.benchmark_id(c) for names in lmarena.CATEGORIES.values() for c in names]
    assert max(map(len, ids)) <= 64 and len(set(ids)) == len(ids)
    assert len({d["id"] for d in lmarena.category_defs()}) == 24


def test_rating_history_one_version_per_date_and_monthly(sources: Path) -> None:
    versions = lmarena.parse_rating_history(sources / "arena-history/alltime.csv")
    assert [v.as_of for v in versions] == [date(2025, 3, 15), date(2025, 3, 26)]
    r1 = next(r for r in versions[1].ratings if r.model == "deepseek-r1")
    assert round(r1.rating, 4) == 1359.5173 and r1.lower == r1.upper == r1.rating
    assert [v.as_of for v in lmarena.monthly(versions)] == [date(2025, 3, 26)]


def test_rating_history_date_must_be_yyyymmdd(variant: Callable[..., Path]) -> None:
    bad = variant("arena-history/alltime.csv", ",20250315", ",2025-03-15")
    with pytest.raises(FormatError, match="expected YYYYMMDD") as err:
        lmarena.parse_rating_history(bad)
    assert (err.value.row, err.value.field) == (2, "date")
