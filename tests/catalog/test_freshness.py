"""Fact ages, stale flags past the threshold, and the Home page's freshness line."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from llmcompare.catalog.freshness import StaleRule, age_days, describe, format_age, freshness
from llmcompare.config import Settings
from llmcompare.store.imports import LastImport

TODAY = date(2026, 11, 22)
RULE = StaleRule(TODAY, 365)


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (None, "n/a"),
        (0, "today"),
        (1, "1 day"),
        (45, "45 days"),
        (200, "6 months"),
        (700, "23 months"),
        (800, "2.2 years"),
    ],
)
def test_format_age(days, text):
    assert format_age(days) == text


def test_age_and_stale_flags():
    assert age_days(date(2025, 11, 22), TODAY) == 365 and not RULE.is_stale(date(2025, 11, 22))
    assert RULE.is_stale("2025-11-21") and not RULE.is_stale(None)
    assert RULE.age(date(2024, 12, 24)) == "23 months · stale"
    assert RULE.note(date(2026, 11, 1)) == " (21 days old)"
    assert RULE.note(date(2024, 11, 1)) == " (2.1 years old; older than 365 days)"


def catalogue() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "price_as_of": [date(2026, 11, 1), date(2024, 12, 24), None],
            "arena_as_of": [date(2025, 8, 4), None, None],
            "openness_as_of": [None, date(2026, 6, 12), None],
            "fmti_as_of": [date(2025, 12, 9), date(2023, 10, 18), None],
        }
    )


def test_stale_facts_per_catalogue_row():
    assert RULE.stale_facts(catalogue()).tolist() == [["arena"], ["price", "FMTI"], []]


def test_home_line_says_how_fresh_the_data_is():
    last = LastImport(3, "litellm", "map.json", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "Ana")
    fresh = freshness(catalogue(), last, RULE)
    assert (fresh.newest_price, fresh.stale_models, fresh.stale_by_fact["price"]) == (date(2026, 11, 1), 2, 1)
    assert describe(fresh, TODAY) == (
        "Newest list prices are from **2026-11-01** (21 days ago). "
        "Last import: #3, litellm file `map.json` on 2026-11-20 by Ana. "
        "**2** of 3 models have a fact older than 365 days (price 1, arena 1, FMTI 1)."
    )
    assert "No import since the database was built" in describe(freshness(catalogue(), None, RULE), TODAY)


def test_threshold_comes_from_settings():
    assert Settings.from_mapping({}).stale_after_days == 365
    assert Settings.from_mapping({"LLMCOMPARE_STALE_AFTER_DAYS": "90"}).stale_after_days == 90
    with pytest.raises(ValueError, match="LLMCOMPARE_STALE_AFTER_DAYS must be a positive number"):
        Settings.from_mapping({"LLMCOMPARE_STALE_AFTER_DAYS": "soon"})


def test_local_model_settings_are_checked_words_and_thread_counts():
    assert Settings.from_mapping({}).local_options == {"precision": "auto", "threads": None}
    chosen = Settings.from_mapping({"LLMCOMPARE_LOCAL_PRECISION": " INT4 ", "LLMCOMPARE_LOCAL_THREADS": "1"})
    assert chosen.local_options == {"precision": "int4", "threads": 1}
    assert Settings.from_mapping({}).local_preload
    assert not Settings.from_mapping({"LLMCOMPARE_LOCAL_PRELOAD": "Off"}).local_preload
    for name, bad in [
        ("LLMCOMPARE_LOCAL_PRECISION", "bf16"),
        ("LLMCOMPARE_LOCAL_THREADS", "0"),
        ("LLMCOMPARE_LOCAL_THREADS", "2.5"),
        ("LLMCOMPARE_LOCAL_THREADS", "999"),
        ("LLMCOMPARE_LOCAL_PRELOAD", "maybe"),
    ]:
        with pytest.raises(ValueError, match=name):
            Settings.from_mapping({name: bad})
