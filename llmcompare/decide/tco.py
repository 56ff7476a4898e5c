"""Total cost of ownership: a closed API billed per token against self-hosting on hardware paid by the hour."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from llmcompare import style
from llmcompare.config import PROJECT_ROOT
from llmcompare.decide.hardware_file import read_hardware_file

HOURS_PER_MONTH = 730  # 8,760 hours a year over 12 months
HOURS_PER_YEAR = 8760
HARDWARE_FILE = PROJECT_ROOT / "data" / "curated" / "hardware.yaml"
BYTES_PER_PARAMETER = 2  # 16-bit weights, the usual serving precision without quantisation
MEMORY_HEADROOM = 1.2  # room for the KV cache and activations beside the weights
YOURS = "your input"
# Defaults for the self-hosted side, each an assumption the calculator labels as such.
DEFAULT_THROUGHPUT = 1000.0  # tokens/s: batched serving of a mid-size model on one modern card
DEFAULT_UTILISATION = 50  # percent of paid hours spent serving
DEFAULT_FIXED_USD = 2000.0  # a month: roughly a tenth of an engineer's time
DEFAULT_WORKLOAD = (50e6, 10e6)  # input and output tokens a month


class TcoError(ValueError):
    """Inputs the calculator cannot use, worded for the user."""


@dataclass(frozen=True)
class Hardware:
    """One accelerator (or a CPU server) with its sourced purchase price and a default hourly rate."""

    id: str
    name: str
    kind: str
    memory_gb: float | None
    release_date: date | None
    purchase_usd: float | None
    price_note: str
    hourly_usd: float  # an assumption: derived from the purchase price, or entered in the file
    hourly_basis: str


@dataclass(frozen=True)
class HardwareTable:
    """The hardware rows with their source and the assumptions behind the default hourly rates."""

    rows: tuple[Hardware, ...]
    source_title: str
    source_url: str
    attribution: str
    as_of: date
    service_life_years: float
    overhead_factor: float

    def frame(self) -> pd.DataFrame:
        """The rows as a table, one column per field."""
        return pd.DataFrame([vars(h) for h in self.rows])

    def get(self, hardware_id: str) -> Hardware:
        """The row with this id."""
        return next(h for h in self.rows if h.id == hardware_id)


def derived_hourly(purchase_usd: float, life_years: float, overhead: float) -> float:
    """Purchase price spread over the service life, running round the clock, times the overhead factor."""
    return purchase_usd / (life_years * HOURS_PER_YEAR) * overhead


def load_hardware(path: Path = HARDWARE_FILE) -> HardwareTable:
    """Read the curated hardware file; each default hourly rate says how it was made."""
    raw = read_hardware_file(path)
    life, overhead = raw["assumptions"]["service_life_years"], raw["assumptions"]["overhead_factor"]
    rows = []
    for item in raw["hardware"]:
        if item.get("purchase_usd") is not None:
            hourly = derived_hourly(item["purchase_usd"], life, overhead)
            basis = (
                f"assumption: the ${item['purchase_usd']:,.0f} purchase price over {life} years "
                f"of round-the-clock use, times {overhead:g} for server, power and hosting"
            )
        else:
            hourly, basis = item["hourly_usd"], "assumption: no sourced price"
        rows.append(
            Hardware(
                id=item["id"],
                name=item["name"],
                kind=item["kind"],
                memory_gb=item.get("memory_gb"),
                release_date=item.get("release_date"),
                purchase_usd=item.get("purchase_usd"),
                price_note=item["price_note"],
                hourly_usd=round(hourly, 2),
                hourly_basis=basis,
            )
        )
    source = raw["source"]
    return HardwareTable(
        rows=tuple(rows),
        source_title=source["title"],
        source_url=source["url"],
        attribution=source["attribution"],
        as_of=source["as_of"],
        service_life_years=life,
        overhead_factor=overhead,
    )


def gpus_for(params_b: float | None, memory_gb: float | None) -> int | None:
    """Cards needed to hold a model's 16-bit weights plus headroom; None when either figure is unknown."""
    if params_b is None or memory_gb is None or math.isnan(params_b) or params_b <= 0 or memory_gb <= 0:
        return None
    return max(1, math.ceil(params_b * BYTES_PER_PARAMETER * MEMORY_HEADROOM / memory_gb))


@dataclass(frozen=True)
class Workload:
    """Tokens a month."""

    input_tokens: float
    output_tokens: float

    @property
    def total(self) -> float:
        return self.input_tokens + self.output_tokens

    @property
    def input_share(self) -> float:
        return self.input_tokens / self.total if self.total > 0 else 0.5


@dataclass(frozen=True)
class ApiOption:
    """A closed API billed per token."""

    label: str
    input_usd_per_1m: float
    output_usd_per_1m: float
    basis: str = ""  # where the price comes from and its date


@dataclass(frozen=True)
class SelfHostOption:
    """Instances paid by the hour; each serves tokens_per_s while busy, and is busy `utilisation` of the time."""

    label: str
    hourly_usd: float  # per instance
    tokens_per_s: float  # input and output tokens one instance serves per second when busy
    utilisation: float
    fixed_monthly_usd: float = 0.0  # engineering and operations, paid whatever the volume
    min_instances: float = 1.0  # kept running even with no traffic
    # Where each figure came from: "your input" unless a default was kept, whose basis the caller passes on.
    hourly_basis: str = YOURS
    throughput_basis: str = YOURS
    utilisation_basis: str = YOURS
    fixed_basis: str = YOURS

    @property
    def tokens_per_paid_hour(self) -> float:
        return self.tokens_per_s * 3600 * self.utilisation


def check(api: ApiOption, option: SelfHostOption, workload: Workload) -> None:
    """Raise TcoError for inputs the cost model cannot use."""
    if min(api.input_usd_per_1m, api.output_usd_per_1m) < 0:
        raise TcoError("API prices cannot be negative.")
    if option.tokens_per_s <= 0:
        raise TcoError("Throughput must be above zero tokens per second.")
    if not 0 < option.utilisation <= 1:
        raise TcoError("Utilisation must be above 0% and at most 100%.")
    if option.hourly_usd < 0 or option.fixed_monthly_usd < 0 or option.min_instances < 0:
        raise TcoError("Hourly price, fixed cost and instance count cannot be negative.")
    if workload.input_tokens < 0 or workload.output_tokens < 0:
        raise TcoError("Token volumes cannot be negative.")


def api_cost(api: ApiOption, tokens, input_share: float):
    """Monthly API bill for `tokens` a month (a number or an array) split input:output as given."""
    per_token = (input_share * api.input_usd_per_1m + (1 - input_share) * api.output_usd_per_1m) / 1e6
    return np.asarray(tokens, dtype=float) * per_token


def instances_needed(option: SelfHostOption, tokens):
    """Instances running all month to serve `tokens`, never fewer than the minimum kept on."""
    busy = np.asarray(tokens, dtype=float) / option.tokens_per_paid_hour / HOURS_PER_MONTH
    return np.maximum(busy, option.min_instances)


def self_hosted_cost(option: SelfHostOption, tokens):
    """Monthly self-hosting bill: instance hours (at least the minimum fleet) plus the fixed cost."""
    return instances_needed(option, tokens) * HOURS_PER_MONTH * option.hourly_usd + option.fixed_monthly_usd


def break_even(api: ApiOption, option: SelfHostOption, input_share: float) -> float | None:
    """Monthly tokens at which the two bills are equal; None when the API stays cheaper at every volume.

    Self-hosting is flat (minimum fleet plus fixed cost) up to the minimum fleet's capacity, then rises at its
    per-token rate. The API rises at its price from zero, so the bills meet once at most, if the API's
    per-token price is above self-hosting's."""
    api_rate = float(api_cost(api, 1.0, input_share))
    own_rate = option.hourly_usd / option.tokens_per_paid_hour
    floor = option.min_instances * HOURS_PER_MONTH * option.hourly_usd + option.fixed_monthly_usd
    if floor <= 0:
        return 0.0 if api_rate >= own_rate else None
    if api_rate <= own_rate:
        return None
    flat_until = option.min_instances * HOURS_PER_MONTH * option.tokens_per_paid_hour
    on_flat = floor / api_rate
    return on_flat if on_flat <= flat_until else option.fixed_monthly_usd / (api_rate - own_rate)


@dataclass(frozen=True)
class TcoResult:
    """Both monthly bills across volumes, at the user's volume, the break-even point and the assumptions."""

    curves: pd.DataFrame  # tokens, api_usd, self_usd
    api_monthly: float
    self_monthly: float
    instances: float
    break_even_tokens: float | None
    assumptions: list[str]


def volume_range(workload: Workload, crossing: float | None, points: int = 121) -> np.ndarray:
    """Log-spaced monthly volumes from well below to well above both the user's volume and the break-even."""
    marks = [v for v in (workload.total, crossing) if v]
    low = min([1e6, *(v / 100 for v in marks)])
    high = max([1e9, *(v * 100 for v in marks)])
    return np.logspace(math.log10(low), math.log10(high), points)


def assumptions(api: ApiOption, option: SelfHostOption, workload: Workload) -> list[str]:
    """Every figure the comparison rests on, saying which are sourced and which are assumptions."""
    share = workload.input_share
    return [
        f"Volume ({YOURS}): {style.format_number(workload.input_tokens)} input and "
        f"{style.format_number(workload.output_tokens)} output tokens a month ({share:.0%} input); the curves keep "
        "this split at every volume.",
        f"API price ({api.basis or YOURS}): {api.label} at {style.format_usd(api.input_usd_per_1m)} input and "
        f"{style.format_usd(api.output_usd_per_1m)} output per 1M tokens. No volume discounts, batch pricing or "
        "cached-input rates.",
        f"Hourly price ({option.hourly_basis}): {option.label} at {style.format_usd(option.hourly_usd)} an hour per "
        f"instance, {HOURS_PER_MONTH} hours a month.",
        f"Throughput ({option.throughput_basis}): {style.format_number(option.tokens_per_s)} tokens/s per busy "
        "instance, counting input and output tokens alike (prompt processing is usually much faster than "
        "generation, so input-heavy work costs less to self-host than shown).",
        f"Utilisation ({option.utilisation_basis}): instances serve at full speed {option.utilisation:.0%} of the "
        f"hours they are paid for; at least {option.min_instances:g} instance(s) run around the clock.",
        f"Fixed cost ({option.fixed_basis}): {style.format_usd(option.fixed_monthly_usd)} a month for engineering "
        "and operations, whatever the volume.",
        "Not included: the time to set up, evaluate and fine-tune either option, data egress, or "
        "any difference in answer quality between the two models.",
    ]


def compare_costs(api: ApiOption, option: SelfHostOption, workload: Workload, points: int = 121) -> TcoResult:
    """Monthly cost of each option across volumes and at the user's volume, with the break-even volume."""
    check(api, option, workload)
    share = workload.input_share
    crossing = break_even(api, option, share)
    tokens = volume_range(workload, crossing, points)
    curves = pd.DataFrame(
        {"tokens": tokens, "api_usd": api_cost(api, tokens, share), "self_usd": self_hosted_cost(option, tokens)}
    )
    return TcoResult(
        curves=curves,
        api_monthly=float(api_cost(api, workload.total, share)),
        self_monthly=float(self_hosted_cost(option, workload.total)),
        instances=float(instances_needed(option, workload.total)),
        break_even_tokens=crossing,
        assumptions=assumptions(api, option, workload),
    )
