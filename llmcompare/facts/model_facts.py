"""Per-model facts the other tables have no column for: lock-in, lifecycle, community and training cost.

- independent_hosts: how many hosts other than the developer's own platform sell the model in the newest price map
  (LiteLLM provider names, with a company's routes counted once);
- deprecation_date: an offering's deprecation date as LiteLLM records it (one row per offering);
- training_compute_flop, training_cost_usd_2023: Epoch AI's estimates, for context;
- hf_likes: the Hub likes of the developer's own repository, as the Open LLM Leaderboard v2 captured them;
- hf_v2_derivatives: how many other leaderboard checkpoints name one of the model's repositories as their base.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from llmcompare.facts.catalog import Catalog
from llmcompare.io.readers import read_csv

HF_V2_COLUMNS = ["model_name", "metadata_hub_hearts", "metadata_base_model"]


def fact_row(model_id: str, attribute: str, value: Any, as_of: date, source_id: str, detail: str | None = None) -> dict:
    """One model_facts row; numbers keep their value in `number` and a readable form in `value`."""
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    text = f"{value:.4g}" if isinstance(value, float) else str(value)
    return {
        "model_id": model_id,
        "attribute": attribute,
        "value": text,
        "number": number,
        "detail": detail or None,
        "as_of": as_of,
        "source_id": source_id,
    }


def host_name(provider: str) -> str:
    """One host per company: LiteLLM splits some hosts into routes ('vertex_ai-llama_models', 'bedrock_converse')."""
    host = provider.split("-")[0]
    return "bedrock" if host.startswith("bedrock") else host


def host_rows(prices: list[dict[str, Any]], source_id: str) -> list[dict[str, Any]]:
    """Independent hosts per model in one price snapshot; a model sold only by its developer counts 0."""
    current = [p for p in prices if p["source_id"] == source_id]
    hosts: dict[str, set[str]] = defaultdict(set)
    as_of: dict[str, date] = {}
    for price in current:
        as_of[price["model_id"]] = price["as_of"]
        if not price["first_party"]:
            hosts[price["model_id"]].add(host_name(price["provider"]))
    rows = []
    for model_id, day in as_of.items():
        names = sorted(hosts[model_id])
        rows.append(fact_row(model_id, "independent_hosts", len(names), day, source_id, ", ".join(names)))
    return rows


def deprecation_rows(offers, prices: list[dict[str, Any]], source_id: str) -> list[dict[str, Any]]:
    """Each priced offering's deprecation date in one snapshot, tied to the model its price row resolved to."""
    priced = {p["offering"]: p for p in prices if p["source_id"] == source_id}
    rows = []
    for offer in offers:
        price = priced.get(offer.key)
        if offer.deprecation_date is None or price is None:
            continue
        day = offer.deprecation_date.isoformat()
        rows.append(fact_row(price["model_id"], "deprecation_date", day, price["as_of"], source_id, offer.key))
    return rows


def epoch_rows(cat: Catalog, models, source_id: str) -> list[dict[str, Any]]:
    """Epoch's training compute and cost for the notable models the catalogue matched (alias scheme 'epoch')."""
    as_of = cat.cur.source_as_of[source_id]
    rows = []
    for em in models:
        model_id = cat.aliases.get(("epoch", em.name.strip()))
        if model_id is None:
            continue
        for attribute, value in (
            ("training_compute_flop", em.training_compute_flop),
            ("training_cost_usd_2023", em.training_cost_usd_2023),
        ):
            if value is not None:
                rows.append(fact_row(model_id, attribute, value, as_of, source_id, em.name))
    return rows


def hf_rows(cat: Catalog, path: Path, source_id: str) -> list[dict[str, Any]]:
    """Likes of the developer's own repositories and leaderboard derivatives, from the Open LLM Leaderboard v2."""
    as_of = cat.cur.source_as_of[source_id]
    _, rows = read_csv(path, HF_V2_COLUMNS)
    likes: dict[tuple[str, str], int] = {}
    derivatives: dict[str, set[str]] = defaultdict(set)
    for cells in rows:
        name = cells.need_text("model_name")
        own = cat.aliases.get(("hf_v2", name))
        hearts = cells.integer("metadata_hub_hearts", minimum=0)
        if own is not None and hearts is not None:
            likes[(own, name)] = max(hearts, likes.get((own, name), 0))
        base = cells.text("metadata_base_model")
        base_model = cat.aliases.get(("hf_v2", base)) if base else None
        if base_model is not None and base != name and own != base_model:
            derivatives[base_model].add(name)
    out = [fact_row(m, "hf_likes", n, as_of, source_id, repo) for (m, repo), n in likes.items()]
    out += [fact_row(m, "hf_v2_derivatives", len(names), as_of, source_id) for m, names in derivatives.items()]
    return out
