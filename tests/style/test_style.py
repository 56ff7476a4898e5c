"""Wording and number formats shared by pages, charts and reports."""

from __future__ import annotations

import math

from llmcompare import style


def test_user_thresholds_read_as_words() -> None:
    assert style.format_users(700_000_000) == "700 million monthly active users"
    assert style.format_users(1_500_000_000) == "1.5 billion monthly active users"
    assert style.format_users(None) == "No user threshold"
    assert style.format_users(math.nan) == "No user threshold"


def test_money_tokens_and_missing_values() -> None:
    assert style.format_usd(2.5) == "$2.50"
    assert style.format_usd(0.03) == "$0.030"
    assert style.format_usd(None) == "n/a"
    assert style.format_run_cost(0.000123) == "$0.000123"  # a run's cost keeps its fraction of a cent
    assert style.format_run_cost(0.25) == "$0.2500"
    assert style.format_run_cost(None) == "n/a"
    assert style.format_tokens(131072) == "131K tokens"
    assert style.format_tokens(2_097_152) == "2.1M tokens"


def test_each_access_type_has_one_label_and_colour() -> None:
    assert style.access_label("open_weights") == "Open weights"
    assert style.access_color("api_only") == style.CLOSED_COLOR
    assert style.OPEN_COLOR != style.CLOSED_COLOR


def test_shades_keep_the_hue_and_start_from_the_colour() -> None:
    assert style.shades("#0072B2", 3) == ["#0072B2", "#4C9CC9", "#99C7E0"]
