"""Cost-of-ownership inputs: the workload, the API to price, the editable hardware table and the self-hosted setup."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.decide import decide_data
from llmcompare import style
from llmcompare.decide import tco
from llmcompare.decide.hybrid import Hybrid
from llmcompare.decide.tco import DEFAULT_FIXED_USD, DEFAULT_THROUGHPUT, DEFAULT_UTILISATION, DEFAULT_WORKLOAD
from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS

KEEP = "session"
HARDWARE_COLUMNS = {
    "name": st.column_config.TextColumn("Hardware", disabled=True),
    "hourly_usd": st.column_config.NumberColumn(
        "Your price per card-hour ✎", format="$%.2f", min_value=0.0, step=0.01, required=True
    ),
    "hourly_basis": st.column_config.TextColumn("How the hourly default was set", disabled=True, width="medium"),
    "memory_gb": st.column_config.NumberColumn("Memory, GB", disabled=True),
    "purchase_usd": st.column_config.NumberColumn("Purchase price", format="$%,.0f", disabled=True),
    "price_note": st.column_config.TextColumn("Where the purchase price comes from", disabled=True, width="medium"),
}


def _best(facts: pd.DataFrame, access: str, needs: str) -> str | None:
    """The highest-scoring model of this access type that has the given fact, as a sensible default."""
    rows = facts[(facts["access"] == access) & facts[needs].notna()].sort_values("quality", ascending=False)
    return None if rows.empty else rows["model_id"].iloc[0]


def workload() -> tco.Workload:
    """Monthly token volumes, entered in millions."""
    left, right = st.columns(2)
    tokens_in = left.number_input(
        "Input tokens a month, millions",
        0.0,
        1e7,
        DEFAULT_WORKLOAD[0] / 1e6,
        step=10.0,
        key="tco.in",
        persist_state=KEEP,
    )
    tokens_out = right.number_input(
        "Output tokens a month, millions",
        0.0,
        1e7,
        DEFAULT_WORKLOAD[1] / 1e6,
        step=5.0,
        key="tco.out",
        persist_state=KEEP,
    )
    return tco.Workload(tokens_in * 1e6, tokens_out * 1e6)


def _model_picker(label: str, labels: dict[str, str], default: str | None, key: str) -> str:
    """A model id from labels (id -> shown name), starting at default where it is among them."""
    ids = list(labels)
    index = ids.index(default) if default in labels else 0
    return st.selectbox(label, ids, index=index, format_func=labels.get, key=key, persist_state=KEEP)


def api_option(facts: pd.DataFrame) -> tco.ApiOption | None:
    """A priced model from the store; its list price, provider, source and date become the API option."""
    priced = facts[facts["input_usd_per_1m"].notna()].sort_values("model")
    if priced.empty:
        st.info("No model in the store has a list price.")
        return None
    labels = {r.model_id: f"{r.model} ({style.format_usd(r.blended)} blended)" for r in priced.itertuples()}
    default = _best(facts, API_ONLY, "blended")
    chosen = _model_picker("API model", labels, default, "tco.api")
    row = priced.set_index("model_id").loc[chosen]
    basis = f"{row['price_provider']} list price, {row['price_source']}, as of {style.format_date(row['price_as_of'])}"
    st.caption(
        f"{style.format_usd(row['input_usd_per_1m'])} input, {style.format_usd(row['output_usd_per_1m'])} output "
        f"per 1M tokens · {basis}"
    )
    return tco.ApiOption(row["model"], float(row["input_usd_per_1m"]), float(row["output_usd_per_1m"]), basis)


def hardware_table(table: tco.HardwareTable) -> pd.DataFrame:
    """The hardware with an editable hourly price per card; returns the table as edited."""
    shown = table.frame().set_index("id")[list(HARDWARE_COLUMNS)]
    edited = st.data_editor(shown, column_config=HARDWARE_COLUMNS, hide_index=True, key="tco.hardware", width="stretch")
    st.caption(
        f"Purchase prices: [{table.source_title}]({table.source_url}), as of {style.format_date(table.as_of)} "
        f"({table.attribution.rstrip('.')}). Hourly prices are not sourced: each default is the purchase price over "
        f"{table.service_life_years:g} years of round-the-clock use times {table.overhead_factor:g} for the server, "
        "power and hosting. Replace it with a quote from your cloud or your finance team."
    )
    return edited.set_axis(shown.index)


def self_hosted(facts: pd.DataFrame, hardware: pd.DataFrame) -> tco.SelfHostOption:
    """The open model, hardware, cards per instance, throughput, utilisation and fixed cost."""
    open_models = facts[facts["access"] == OPEN_WEIGHTS].sort_values("model")
    labels = dict(zip(open_models["model_id"], open_models["model"], strict=True))
    fits = open_models["params_b"] <= hardware["memory_gb"].iloc[0] / (tco.BYTES_PER_PARAMETER * tco.MEMORY_HEADROOM)
    # Start from the best model that fits on one card of the first listed hardware: a setup a small team can run.
    default = _best(open_models[fits], OPEN_WEIGHTS, "params_b") or _best(facts, OPEN_WEIGHTS, "params_b")
    model_id = _model_picker("Open model you would run", labels, default, "tco.model")
    card = st.selectbox(
        "Hardware",
        list(hardware.index),
        format_func=lambda i: hardware.loc[i, "name"],
        key="tco.card",
        persist_state=KEEP,
    )
    row = facts.set_index("model_id").loc[model_id]
    params = None if style.is_missing(row["params_b"]) else float(row["params_b"])
    suggested = tco.gpus_for(params, hardware.loc[card, "memory_gb"])
    fit = f"Suggested: room for the {params:,.0f}B parameters at 16 bits plus 20% headroom." if suggested else None
    cards = st.number_input(
        "Cards per instance",
        1,
        64,
        suggested or 1,
        key=f"tco.cards.{model_id}.{card}",
        help=fit or "The parameter count or the card's memory is unknown: set this yourself.",
    )
    measured = None if style.is_missing(row.get("speed_tps")) else float(row["speed_tps"])
    speed_basis = "median of your playground runs" if measured else "assumption: batched serving on one card"
    speed_note = (
        f"Default: the median of your playground runs ({measured:,.0f} tokens/s), measured one request at a time, "
        "so well below what a batched server reaches."
        if measured
        else "The default of 1,000 tokens/s is an assumption for batched serving; measure your own."
    )
    throughput = st.number_input(
        "Throughput per instance, tokens/s",
        1.0,
        1e6,
        measured or DEFAULT_THROUGHPUT,
        step=100.0,
        key=f"tco.tps.{model_id}",
        help=speed_note,
    )
    utilisation = st.slider(
        "Utilisation", 5, 100, DEFAULT_UTILISATION, step=5, format="%d%%", key="tco.util", persist_state=KEEP
    )
    fixed = st.number_input(
        "Fixed engineering cost, USD a month",
        0.0,
        1e7,
        DEFAULT_FIXED_USD,
        step=500.0,
        key="tco.fixed",
        persist_state=KEEP,
        help="Default is an assumption: about a tenth of an engineer's time.",
    )
    per_card = float(hardware.loc[card, "hourly_usd"])
    default_rate = next((h for h in decide_data.hardware().rows if h.id == card), None)
    kept = default_rate is not None and abs(default_rate.hourly_usd - per_card) < 1e-9
    return tco.SelfHostOption(
        label=f"{labels[model_id]} on {cards}× {hardware.loc[card, 'name']}",
        hourly_usd=cards * per_card,
        tokens_per_s=throughput,
        utilisation=utilisation / 100,
        fixed_monthly_usd=fixed,
        hourly_basis=default_rate.hourly_basis if kept else tco.YOURS,
        throughput_basis=_basis(throughput, measured or DEFAULT_THROUGHPUT, speed_basis),
        utilisation_basis=_basis(utilisation, DEFAULT_UTILISATION, "assumption: our default"),
        fixed_basis=_basis(fixed, DEFAULT_FIXED_USD, "assumption: about a tenth of an engineer's time"),
    )


def _basis(value: float, default: float, default_basis: str) -> str:
    """Say where a figure came from: the default's basis while the user keeps it, else the user."""
    return default_basis if value == default else tco.YOURS


def hybrid_mix() -> Hybrid:
    """The share of traffic to run yourself and how much of it falls back to the API."""
    left, right = st.columns(2)
    share = left.slider(
        "Share of traffic self-hosted",
        0,
        100,
        50,
        step=5,
        format="%d%%",
        key="tco.hybrid.share",
        persist_state=KEEP,
        help="The rest goes to the API from the start.",
    )
    fallback = right.slider(
        "Self-hosted traffic that falls back to the API",
        0,
        50,
        5,
        step=1,
        format="%d%%",
        key="tco.hybrid.fallback",
        persist_state=KEEP,
        help="Requests your servers cannot take (peaks, outages, maintenance) and the API answers instead.",
    )
    return Hybrid(share / 100, fallback / 100)
