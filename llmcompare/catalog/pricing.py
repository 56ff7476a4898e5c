"""Which price a playground side is charged at: the store's newest list price for an API model, or hardware time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from sqlalchemy import Engine, func, select

from llmcompare.playground.metrics import NO_PRICE, HardwarePrice, TokenPrice
from llmcompare.providers.base import ProviderSpec
from llmcompare.store import models as m
from llmcompare.store.identity import name_index

DEFAULT_HARDWARE_USD_PER_HOUR = 1.0
# Hosts of public OpenAI-compatible APIs and the provider name their offerings carry in the price store.
KNOWN_HOSTS = {
    "api.openai.com": "openai",
    "api.anthropic.com": "anthropic",
    "api.groq.com": "groq",
    "api.together.xyz": "together_ai",
    "api.deepseek.com": "deepseek",
    "api.mistral.ai": "mistral",
    "openrouter.ai": "openrouter",
    "api.fireworks.ai": "fireworks_ai",
    "api.deepinfra.com": "deepinfra",
    "api.x.ai": "xai",
    "api.perplexity.ai": "perplexity",
    "api.cerebras.ai": "cerebras",
    "api.sambanova.ai": "sambanova",
    "api.novita.ai": "novita",
    "api.hyperbolic.xyz": "hyperbolic",
    "generativelanguage.googleapis.com": "gemini",
}


@dataclass(frozen=True)
class PriceQuote:
    """The price a side will be charged at, or None; note says which price and date, or why there is none."""

    price: TokenPrice | None
    note: str


@dataclass(frozen=True)
class _Point:
    provider: str
    offering: str
    input_usd_per_1m: float
    output_usd_per_1m: float
    as_of: date


def host_provider(base_url: str) -> str | None:
    """The price store's provider name for a public API host; None for self-hosted or unknown endpoints."""
    host = (urlparse(base_url).hostname or "").lower()
    return next((p for h, p in KNOWN_HOSTS.items() if host == h or host.endswith(f".{h}")), None)


def _points(engine: Engine, *conditions) -> list[_Point]:
    """Price points matching every condition, newest first, first party before resellers, then cheapest."""
    p = m.Price
    stmt = (
        select(p.provider, p.offering, p.input_usd_per_1m, p.output_usd_per_1m, p.as_of)
        .where(*conditions)
        .order_by(p.as_of.desc(), p.first_party.desc(), p.input_usd_per_1m + p.output_usd_per_1m, p.offering)
    )
    with engine.connect() as conn:
        return [_Point(*row) for row in conn.execute(stmt).all()]


def _offering_names(model: str, provider: str) -> list[str]:
    """The names a provider's offering of model may carry: bare, or prefixed with the provider as LiteLLM does."""
    return [model.lower(), f"{provider}/{model}".lower()]


def _resolve_model_id(engine: Engine, model: str) -> str | None:
    """The catalogue model a name stands for, by the identity module's rules (None when unknown or ambiguous)."""
    return name_index(engine).model_id(model)


def _display_offering(point: _Point) -> str:
    prefix = f"{point.provider}/"
    return point.offering[len(prefix) :] if point.offering.startswith(prefix) else point.offering


def _quote(point: _Point, suffix: str = "") -> PriceQuote:
    basis = f"{point.provider} {_display_offering(point)} list price as of {point.as_of.isoformat()}{suffix}"
    return PriceQuote(TokenPrice(point.input_usd_per_1m, point.output_usd_per_1m, basis), basis)


def _provider_price(engine: Engine, model: str, provider: str) -> PriceQuote:
    """A public API's own price for model: its offering by name, else the model the name is an alias of."""
    direct = _points(
        engine, m.Price.provider == provider, func.lower(m.Price.offering).in_(_offering_names(model, provider))
    )
    if direct:
        return _quote(direct[0])
    model_id = _resolve_model_id(engine, model)
    via_alias = _points(engine, m.Price.provider == provider, m.Price.model_id == model_id) if model_id else []
    if via_alias:
        return _quote(via_alias[0])
    return PriceQuote(None, f"{NO_PRICE} for {provider} {model}")


def _reference_price(engine: Engine, model: str, base_url: str) -> PriceQuote:
    """A self-hosted endpoint's model, priced at what a hosted API charges for it when the name is known."""
    model_id = _resolve_model_id(engine, model)
    points = _points(engine, m.Price.model_id == model_id) if model_id else []
    if not points:
        return PriceQuote(
            None,
            f"{NO_PRICE}: {base_url} is a custom endpoint and its model {model!r} matches no priced model in the store",
        )
    return _quote(points[0], f", what a hosted API charges for this model ({base_url} itself may cost otherwise)")


def api_price(engine: Engine, spec: ProviderSpec) -> PriceQuote:
    """The store's newest list price for an OpenAI-compatible side; never an invented number."""
    if spec.kind != "openai" or not spec.base_url:
        return PriceQuote(None, f"{NO_PRICE}: {spec} is not an API model")
    provider = host_provider(spec.base_url)
    if provider:
        return _provider_price(engine, spec.target, provider)
    return _reference_price(engine, spec.target, spec.base_url)


def hardware_price(usd_per_hour: float = DEFAULT_HARDWARE_USD_PER_HOUR) -> HardwarePrice:
    """What a local side costs per hour of run time; the default is labelled as the assumption it is."""
    if usd_per_hour == DEFAULT_HARDWARE_USD_PER_HOUR:
        return HardwarePrice(usd_per_hour, f"assumed {usd_per_hour:.2f} USD per machine-hour (default; set your own)")
    return HardwarePrice(usd_per_hour, f"{usd_per_hour:.2f} USD per machine-hour, as set")
