"""Prices for playground sides come from the store with their basis, or are explicitly absent; never invented."""

import pytest

from llmcompare.catalog.pricing import DEFAULT_HARDWARE_USD_PER_HOUR, api_price, hardware_price, host_provider
from llmcompare.playground.metrics import NO_PRICE, TokenPrice, run_cost
from llmcompare.providers.base import parse_spec


def quote(engine, spec):
    return api_price(engine, parse_spec(spec))


def test_openai_model_gets_its_first_party_list_price_and_date(engine):
    got = quote(engine, "openai:gpt-4o-mini")
    assert got.price == TokenPrice(0.15, 0.6, "openai gpt-4o-mini list price as of 2024-12-24")
    assert got.note == got.price.basis


def test_the_newest_price_wins_over_an_older_one(engine):
    got = quote(engine, "openai:gpt-4o")
    assert (got.price.input_usd_per_1m, got.price.output_usd_per_1m) == (2.5, 10)
    assert got.price.basis.endswith("as of 2024-12-24")


def test_a_name_resolves_through_the_aliases_table(engine):
    got = quote(engine, "openai:GPT-4o-2024-08-06")  # an LMArena alias of gpt-4o
    assert got.price.basis == "openai gpt-4o list price as of 2024-12-24"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("openai:llama-3.1-8b-instant@https://api.groq.com/openai/v1", (0.05, 0.08, "groq llama-3.1-8b-instant")),
        ("openai:deepseek-chat@https://api.deepseek.com/v1", (0.27, 1.1, "deepseek deepseek-chat")),
    ],
)
def test_known_api_hosts_are_priced_as_that_provider(engine, spec, expected):
    got = quote(engine, spec)
    assert (got.price.input_usd_per_1m, got.price.output_usd_per_1m) == expected[:2]
    assert got.price.basis.startswith(expected[2] + " list price as of")


def test_a_self_hosted_endpoint_is_priced_only_when_its_model_name_resolves(engine):
    known = quote(engine, "openai:meta-llama/Llama-3.1-8B-Instruct@http://localhost:8000/v1")
    assert known.price.input_usd_per_1m == 0.03  # the newest hosted price of that model
    assert "what a hosted API charges" in known.note and "http://localhost:8000/v1" in known.note
    unknown = quote(engine, "openai:llama3.1:8b@http://localhost:11434/v1")
    assert unknown.price is None
    assert unknown.note.startswith(NO_PRICE) and "custom endpoint" in unknown.note


@pytest.mark.parametrize("spec", ["openai:gpt-9-imaginary", "local:bundled", "openai:claude-3-5-sonnet-20240620"])
def test_no_price_on_record_is_said_and_never_guessed(engine, spec):
    got = quote(engine, spec)
    assert got.price is None and got.note.startswith(NO_PRICE)
    assert run_cost(got.price, 100, 100, 1.0).usd is None


def test_cost_of_a_run_uses_the_quoted_price(engine):
    price = quote(engine, "openai:gpt-4o-mini").price
    cost = run_cost(price, 1_000, 2_000, 3.0)
    assert cost.usd == pytest.approx((1_000 * 0.15 + 2_000 * 0.6) / 1e6)
    assert cost.basis == "openai gpt-4o-mini list price as of 2024-12-24"


def test_hardware_price_labels_the_default_as_an_assumption():
    assumed = hardware_price()
    assert assumed.usd_per_hour == DEFAULT_HARDWARE_USD_PER_HOUR and "assumed" in assumed.basis
    chosen = hardware_price(2.5)
    assert chosen.usd_per_hour == 2.5 and "assumed" not in chosen.basis and "2.50 USD" in chosen.basis
    assert run_cost(chosen, None, None, 36.0).usd == pytest.approx(0.025)


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        ("https://api.openai.com/v1", "openai"),
        ("https://eu.api.openai.com/v1", "openai"),
        ("https://API.GROQ.com/openai/v1", "groq"),
        ("https://api.openai.com.example.net/v1", None),
        ("http://localhost:8000/v1", None),
    ],
)
def test_host_provider(url, provider):
    assert host_provider(url) == provider
