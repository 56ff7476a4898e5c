"""LiteLLM model_prices_and_context_window.json: list prices of text-generation offerings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import load_json, read_text

TEXT_MODES = frozenset({"chat", "completion", "responses"})
_SCHEMA_ENTRY = "sample_spec"


@dataclass(frozen=True)
class PriceOffer:
    """One provider offering of a text model, priced in USD per million tokens."""

    key: str
    provider: str
    mode: str
    input_usd_per_1m: float
    output_usd_per_1m: float
    cached_input_usd_per_1m: float | None
    max_input_tokens: int | None
    max_output_tokens: int | None
    deprecation_date: date | None
    source_url: str | None
    reasoning_output_usd_per_1m: float | None = None
    max_tokens: int | None = None
    supports: frozenset[str] = frozenset()


def parse_price_map(path: Path) -> list[PriceOffer]:
    """Parse a price map file, keeping priced chat/completion/responses entries."""
    return parse_price_map_obj(load_json(read_text(path), str(path)), str(path))


def parse_price_map_obj(obj: Any, file: str) -> list[PriceOffer]:
    """Parse an already-loaded price map; row is the entry's 1-based position, field is 'key.attribute'."""
    if not isinstance(obj, dict):
        raise FormatError(file, f"top level must be a JSON object of model entries, got {type(obj).__name__}")
    offers = []
    for position, (key, entry) in enumerate(obj.items(), start=1):
        if key == _SCHEMA_ENTRY:
            continue
        if not isinstance(entry, dict):
            raise FormatError(file, f"entry must be an object, got {type(entry).__name__}", row=position, field=key)
        offer = _offer(key, Cells(entry, file, position, f"{key}."))
        if offer is not None:
            offers.append(offer)
    return offers


def _offer(key: str, cells: Cells) -> PriceOffer | None:
    """None for entries out of scope: other modes (embeddings, images, ...) or no token price."""
    mode = cells.text("mode")
    if mode not in TEXT_MODES:
        return None
    input_cost = cells.number("input_cost_per_token", minimum=0)
    output_cost = cells.number("output_cost_per_token", minimum=0)
    if input_cost is None or output_cost is None:
        return None
    return PriceOffer(
        key=key,
        provider=cells.need_text("litellm_provider"),
        mode=mode,
        input_usd_per_1m=_per_million(input_cost),
        output_usd_per_1m=_per_million(output_cost),
        cached_input_usd_per_1m=_per_million(cells.number("cache_read_input_token_cost", minimum=0)),
        max_input_tokens=cells.integer("max_input_tokens", minimum=0),
        max_output_tokens=cells.integer("max_output_tokens", minimum=0),
        deprecation_date=cells.day("deprecation_date"),
        source_url=_url(cells.text("source")),
        reasoning_output_usd_per_1m=_per_million(cells.number("output_cost_per_reasoning_token", minimum=0)),
        max_tokens=cells.integer("max_tokens", minimum=0),
        supports=frozenset(
            name.removeprefix("supports_")
            for name, value in cells.values.items()
            if name.startswith("supports_") and value is True
        ),
    )


def _per_million(cost_per_token: float | None) -> float | None:
    """Rounded so that 1.5e-07 gives 0.15, not 0.15000000000000002."""
    return None if cost_per_token is None else round(cost_per_token * 1_000_000, 6)


def _url(source: str | None) -> str | None:
    """Some entries carry a prose note in 'source' instead of a URL."""
    return source if source is not None and source.startswith(("http://", "https://")) else None
