"""Per-run metrics: time to first token, speed and cost, from a price the caller names, never a guessed one."""

from __future__ import annotations

from dataclasses import dataclass

NO_PRICE = "no price on record"
NO_USAGE = "the provider reported no token counts"


@dataclass(frozen=True)
class TokenPrice:
    """An API list price in USD per million tokens; basis says whose price and as of when."""

    input_usd_per_1m: float
    output_usd_per_1m: float
    basis: str


@dataclass(frozen=True)
class HardwarePrice:
    """What the machine running a local model costs per hour; basis says where that figure comes from."""

    usd_per_hour: float
    basis: str


Pricing = TokenPrice | HardwarePrice


@dataclass(frozen=True)
class Cost:
    """A cost in USD, or None with the reason it is unknown."""

    usd: float | None
    basis: str


def tokens_per_second(output_tokens: int | None, first_at_s: float | None, last_at_s: float | None) -> float | None:
    """Decode speed by the usual convention: (tokens - 1) / (time of the last token - time of the first).

    The first token's wait is time to first token, not decoding, so it counts in neither the tokens nor the time.
    """
    if output_tokens is None or output_tokens < 2 or first_at_s is None or last_at_s is None:
        return None
    span_s = last_at_s - first_at_s
    if span_s <= 0:
        return None
    return (output_tokens - 1) / span_s


def token_cost(price: TokenPrice, input_tokens: int | None, output_tokens: int | None) -> Cost:
    """API cost from the tokens used; unknown when the provider reported no counts."""
    if input_tokens is None or output_tokens is None:
        return Cost(None, NO_USAGE)
    usd = (input_tokens * price.input_usd_per_1m + output_tokens * price.output_usd_per_1m) / 1_000_000
    return Cost(usd, price.basis)


def hardware_cost(price: HardwarePrice, total_s: float) -> Cost:
    """Local cost: the machine's hourly price times the time it spent on this run."""
    return Cost(price.usd_per_hour * total_s / 3600, price.basis)


def run_cost(price: Pricing | None, input_tokens: int | None, output_tokens: int | None, total_s: float) -> Cost:
    """The cost of one side under whichever price applies to it."""
    if price is None:
        return Cost(None, NO_PRICE)
    if isinstance(price, HardwarePrice):
        return hardware_cost(price, total_s)
    return token_cost(price, input_tokens, output_tokens)
