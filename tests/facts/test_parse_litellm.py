"""LiteLLM price map importer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from llmcompare.facts.litellm import PriceOffer, parse_price_map, parse_price_map_obj
from llmcompare.io.errors import FormatError

PRICES = "litellm/prices.json"


@pytest.fixture
def offers(sources: Path) -> dict[str, PriceOffer]:
    return {offer.key: offer for offer in parse_price_map(sources / PRICES)}


def test_keeps_only_priced_text_entries(offers: dict[str, PriceOffer]) -> None:
    # skipped: sample_spec, an embedding, an entry without output price, a pricing tier without mode
    assert list(offers) == [
        "gpt-4o-mini",
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "gpt-3.5-turbo-instruct",
        "o1-pro",
        "xai/grok-4-fast-reasoning",
        "groq/llama-guard-free",
    ]


def test_chat_offer_in_usd_per_million(offers: dict[str, PriceOffer]) -> None:
    assert offers["gpt-4o-mini"] == PriceOffer(
        key="gpt-4o-mini",
        provider="openai",
        mode="chat",
        input_usd_per_1m=0.15,
        output_usd_per_1m=0.6,
        cached_input_usd_per_1m=0.075,
        max_input_tokens=128000,
        max_output_tokens=16384,
        deprecation_date=None,
        source_url="https://openai.com/api/pricing/",
        supports=frozenset({"function_calling", "vision"}),
    )


def test_completion_and_responses_modes(offers: dict[str, PriceOffer]) -> None:
    instruct = offers["gpt-3.5-turbo-instruct"]
    assert (instruct.mode, instruct.input_usd_per_1m, instruct.output_usd_per_1m) == ("completion", 1.5, 2.0)
    assert instruct.deprecation_date == date(2026, 9, 28)
    assert (instruct.max_tokens, instruct.max_input_tokens) == (4096, None)
    pro = offers["o1-pro"]
    assert (pro.mode, pro.input_usd_per_1m, pro.output_usd_per_1m, pro.reasoning_output_usd_per_1m) == (
        "responses",
        150.0,
        600.0,
        600.0,
    )


def test_prices_are_rounded_past_float_noise(offers: dict[str, PriceOffer]) -> None:
    hosted = offers["together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert (hosted.provider, hosted.input_usd_per_1m, hosted.output_usd_per_1m) == ("together_ai", 0.9, 0.88)


def test_odd_but_valid_values(offers: dict[str, PriceOffer]) -> None:
    grok = offers["xai/grok-4-fast-reasoning"]
    assert grok.max_input_tokens == 2_000_000
    assert isinstance(grok.max_input_tokens, int)
    assert grok.source_url is None  # the file has a prose note there, not a URL
    free = offers["groq/llama-guard-free"]
    assert (free.input_usd_per_1m, free.output_usd_per_1m, free.cached_input_usd_per_1m) == (0.0, 0.0, None)


def test_in_memory_object() -> None:
    obj = {"m": {"litellm_provider": "p", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}}
    [offer] = parse_price_map_obj(obj, "memory")
    assert (offer.key, offer.provider, offer.input_usd_per_1m, offer.output_usd_per_1m) == ("m", "p", 1.0, 2.0)


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text('[{"mode": "chat"}]', encoding="utf-8")
    with pytest.raises(FormatError, match="top level must be a JSON object") as err:
        parse_price_map(path)
    assert err.value.file == str(path)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('"input_cost_per_token": 1.5e-07', '"input_cost_per_token": -1.5e-07', "input_cost_per_token", ">= 0"),
        ('"output_cost_per_token": 6e-07', '"output_cost_per_token": "cheap"', "output_cost_per_token", "number"),
        ('"max_input_tokens": 128000', '"max_input_tokens": 1280.5', "max_input_tokens", "whole number"),
        ('"openai",\n        "max_input_tokens"', 'null,\n        "max_input_tokens"', "litellm_provider", "required"),
    ],
)
def test_bad_values_name_entry_and_field(
    variant: Callable[..., Path], old: str, new: str, field: str, message: str
) -> None:
    path = variant(PRICES, old, new)
    with pytest.raises(FormatError, match=message) as err:
        parse_price_map(path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 2, f"gpt-4o-mini.{field}")
    assert "gpt-4o-mini" in str(err.value)


def test_bad_deprecation_date(variant: Callable[..., Path]) -> None:
    path = variant(PRICES, '"2026-09-28"', '"28/09/2026"')
    with pytest.raises(FormatError, match="expected a date") as err:
        parse_price_map(path)
    assert err.value.field == "gpt-3.5-turbo-instruct.deprecation_date"


def test_nan_and_malformed_json(variant: Callable[..., Path]) -> None:
    with pytest.raises(FormatError, match="NaN"):
        parse_price_map(variant(PRICES, '"output_cost_per_token": 6e-07', '"output_cost_per_token": NaN'))
    with pytest.raises(FormatError, match="malformed JSON"):
        parse_price_map(variant(PRICES, '"mode": "chat",', '"mode": "chat",,'))


def test_entry_must_be_an_object(variant: Callable[..., Path]) -> None:
    path = variant(PRICES, '"o1-pro": {', '"o1-pro": 5, "o1-pro-real": {')
    with pytest.raises(FormatError, match="entry must be an object") as err:
        parse_price_map(path)
    assert (err.value.row, err.value.field) == (5, "o1-pro")


def test_not_utf8(tmp_path: Path, sources: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_bytes((sources / PRICES).read_bytes().replace(b"openai", b"open\xffai", 1))
    with pytest.raises(FormatError, match="not valid UTF-8"):
        parse_price_map(path)
