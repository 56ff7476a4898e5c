"""Speed and cost from the figures a run produced and a price the caller names."""

import pytest

from llmcompare.playground.metrics import NO_PRICE, NO_USAGE, HardwarePrice, TokenPrice, run_cost, tokens_per_second

PRICE = TokenPrice(0.15, 0.60, "OpenAI gpt-4o-mini price as of 2026-11-01")


def test_speed_is_tokens_after_the_first_over_the_time_from_first_to_last_token():
    # 101 tokens, the first at 1.0 s and the last at 3.0 s: 100 tokens were decoded in those 2 s.
    assert tokens_per_second(101, first_at_s=1.0, last_at_s=3.0) == pytest.approx(50.0)


def test_time_after_the_last_token_does_not_dilute_the_speed():
    assert tokens_per_second(11, 0.5, 1.5) == tokens_per_second(11, 10.5, 11.5) == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("tokens", "first", "last"),
    [(None, 1.0, 2.0), (0, 1.0, 2.0), (1, 1.0, 2.0), (10, None, 2.0), (10, 1.0, None), (10, 2.0, 2.0)],
)
def test_speed_is_unknown_without_two_tokens_or_a_decode_interval(tokens, first, last):
    assert tokens_per_second(tokens, first, last) is None


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
