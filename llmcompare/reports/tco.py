"""The report's cost-of-ownership summary: the best-ranked API against self-hosting the best-ranked open model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from llmcompare import style
from llmcompare.charts import advice as charts_advice
from llmcompare.decide import tco
from llmcompare.decide.hybrid import Hybrid, compare_hybrid
from llmcompare.decide.ranking import Ranking
from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS

DEFAULT_BASIS = {
    "utilisation": "assumption: our default",
    "fixed": "assumption: about a tenth of an engineer's time",
    "throughput": "assumption: batched serving on one card",
}

REPORT_MIX = Hybrid(0.5, 0.05)  # the split the report prices; the TCO page lets the reader set it


@dataclass(frozen=True)
class TcoSummary:
    """What the report says about cost: a paragraph, a table, the chart and the assumptions; or why not."""

    text: str
    table: pd.DataFrame | None = None
    chart: object | None = None  # a charts_decide.Chart
    assumptions: tuple[str, ...] = ()
    hardware_source: tco.HardwareTable | None = None
    hybrid_chart: object | None = None  # a charts_decide.Chart: the bill and break-even per self-hosted share


def _pick(facts: pd.DataFrame, order: pd.Series, access: str, needs: str) -> tuple[pd.Series | None, bool]:
    """The best-ranked model of this access type that has `needs`; else the best by quality in the catalogue.

    The flag says whether the model comes from the ranking."""
    pool = facts[(facts["access"] == access) & facts[needs].notna()]
    ranked = pool[pool["model_id"].isin(order)]
    if not ranked.empty:
        rank = ranked["model_id"].map(dict(zip(order, range(len(order)), strict=True)))
        return ranked.loc[rank.idxmin()], True
    if pool.empty:
        return None, False
    return pool.sort_values("quality", ascending=False, na_position="last").iloc[0], False


def _api(row: pd.Series) -> tco.ApiOption:
    basis = f"{row['price_provider']} list price, {row['price_source']}, as of {style.format_date(row['price_as_of'])}"
    return tco.ApiOption(row["model"], float(row["input_usd_per_1m"]), float(row["output_usd_per_1m"]), basis)


def _self_host(row: pd.Series, hardware: tco.HardwareTable) -> tco.SelfHostOption:
    """The open model on the first listed card, with as many cards as its 16-bit weights need."""
    card = next(h for h in hardware.rows if h.memory_gb)
    cards = tco.gpus_for(float(row["params_b"]), card.memory_gb) or 1
    measured = None if style.is_missing(row.get("speed_tps")) else float(row["speed_tps"])
    return tco.SelfHostOption(
        label=f"{row['model']} on {cards}× {card.name}",
        hourly_usd=cards * card.hourly_usd,
        tokens_per_s=measured or tco.DEFAULT_THROUGHPUT,
        utilisation=tco.DEFAULT_UTILISATION / 100,
        fixed_monthly_usd=tco.DEFAULT_FIXED_USD,
        hourly_basis=card.hourly_basis,
        throughput_basis="median of this installation's playground runs" if measured else DEFAULT_BASIS["throughput"],
        utilisation_basis=DEFAULT_BASIS["utilisation"],
        fixed_basis=DEFAULT_BASIS["fixed"],
    )


def summarise_tco(
    facts: pd.DataFrame, ranking: Ranking, workload: tco.Workload, hardware: tco.HardwareTable
) -> TcoSummary:
    """Monthly cost at the given volume of the best-ranked priced API and of self-hosting the best-ranked open model.

    Where the ranking holds no model of one kind (say, must-haves that demand downloadable weights), the best
    model of that kind in the whole catalogue stands in, and the text says so."""
    order = ranking.table["model_id"]
    api_row, api_ranked = _pick(facts, order, API_ONLY, "input_usd_per_1m")
    own_row, own_ranked = _pick(facts, order, OPEN_WEIGHTS, "params_b")
    if api_row is None or own_row is None:
        return TcoSummary("The store holds no priced API model or no open model with a known size to compare.")
    api, own = _api(api_row), _self_host(own_row, hardware)
    try:
        result = tco.compare_costs(api, own, workload)
    except tco.TcoError as exc:
        return TcoSummary(f"The cost comparison could not be made: {exc}")
    notes = [
        f"{name} is not in this ranking; it is the catalogue's best-scoring {kind}, shown for reference."
        for name, kind, ranked in (
            (api.label, "priced API model", api_ranked),
            (str(own_row["model"]), "open model of known size", own_ranked),
        )
        if not ranked
    ]
    if result.break_even_tokens is None:
        crossing = "The API stays cheaper at every volume under these assumptions."
    else:
        crossing = (
            f"The two bills are equal at about {charts_advice.format_tokens_short(result.break_even_tokens)} "
            "tokens a month; above that, self-hosting costs less."
        )
    text = (
        f"At {charts_advice.format_tokens_short(workload.total)} tokens a month, the API ({api.label}) costs "
        f"{style.format_usd(result.api_monthly)} a month and self-hosting ({own.label}) costs "
        f"{style.format_usd(result.self_monthly)} a month. {crossing} " + " ".join(notes)
    ).strip()
    table = pd.DataFrame(
        [
            ("API", api.label, result.api_monthly, api.basis),
            ("Self-hosted", own.label, result.self_monthly, f"{result.instances:,.2f} instance(s) running"),
        ],
        columns=["option", "setup", "usd_per_month", "basis"],
    ).round({"usd_per_month": 2})
    chart = charts_advice.tco_curves(result, api.label, own.label, workload.total)
    mix = compare_hybrid(api, own, workload, REPORT_MIX)
    text += (
        f" Hybrid: with {REPORT_MIX.share:.0%} of the traffic self-hosted and {REPORT_MIX.fallback:.0%} of that "
        f"falling back to the API, the bill is {style.format_usd(mix.monthly)} a month; at this volume the "
        f"cheapest split is {mix.best_share:.0%} self-hosted."
    )
    hybrid = charts_advice.hybrid_chart(mix, workload.total, REPORT_MIX.fallback)
    return TcoSummary(text, table, chart, tuple(result.assumptions), hardware, hybrid)
