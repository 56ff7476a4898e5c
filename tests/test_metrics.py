"""Speed and cost from the figures a run produced and a price the caller names."""

import pytest

from llmcompare.playground.metrics import NO_PRICE, NO_USAGE, HardwarePrice, TokenPrice, run_cost, tokens_per_second

PRICE = TokenPrice(0.15, 0.60, "OpenAI gpt-4o-mini price as of 2026-11-01")


def test_speed_counts_only_the_time_after_the_first_token():
    assert tokens_per_second(100, ttft_s=1.0, total_s=3.0) == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("tokens", "ttft", "total"), [(None, 1.0, 2.0), (0, 1.0, 2.0), (10, None, 2.0), (10, 2.0, 2.0)]
)
def test_speed_is_unknown_without_tokens_or_decode_time(tokens, ttft, total):
    assert tokens_per_second(tokens, ttft, total) is None


def test_api_cost_from_token_price():
    cost = run_cost(PRICE, input_tokens=1_000, output_tokens=2_000, total_s=5.0)
    assert cost.usd == pytest.approx((1_000 * 0.15 + 2_000 * 0.60) / 1e6)
    assert cost.basis == PRICE.basis


def test_local_cost_from_hardware_price_and_run_time():
    cost = run_cost(HardwarePrice(1.80, "a laptop at 1.80 USD/h"), None, None, total_s=60.0)
    assert cost.usd == pytest.approx(0.03)
    assert cost.basis == "a laptop at 1.80 USD/h"


def test_no_price_means_no_cost_never_a_guess():
    cost = run_cost(None, 10, 10, 1.0)
    assert (cost.usd, cost.basis) == (None, NO_PRICE)


def test_api_cost_is_unknown_without_usage():
    cost = run_cost(PRICE, None, None, 1.0)
    assert (cost.usd, cost.basis) == (None, NO_USAGE)
