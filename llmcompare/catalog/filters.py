"""Catalogue filters: a typed description of what the user asked for, applied to the catalogue frame."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from llmcompare.store.queries import blended_price

# Price steps for a range picker: list prices span four orders of magnitude, so a linear slider would be useless.
PRICE_STEPS = (0.0, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0, 30.0, 50.0, 75.0, 100.0, 150.0, 250.0)
CONTEXT_STEPS = (0, 8_000, 32_000, 128_000, 200_000, 1_000_000)
COMMERCIAL_CHOICES = {
    "any": "Any licence",
    "allowed": "Allowed, conditions OK",
    "unconditional": "Allowed, no conditions",
}
PRICE_BASES = {"blended": "Blended", "input": "Input"}


@dataclass(frozen=True)
class CatalogFilter:
    """What to keep; the defaults keep everything."""

    access: tuple[str, ...] = ()
    commercial: str = "any"
    developers: tuple[str, ...] = ()
    price_basis: str = "blended"
    price_range: tuple[float, float] | None = None
    min_context: int = 0
    has_benchmark: bool = False
    text: str = ""


def price_steps(max_price: float) -> list[float]:
    """The steps up to the first one at or above the dearest model, so the range covers every price."""
    if pd.isna(max_price) or max_price <= 0:
        return [PRICE_STEPS[0], PRICE_STEPS[-1]]
    steps = [s for s in PRICE_STEPS if s < max_price]
    above = [s for s in PRICE_STEPS if s >= max_price]
    return [*steps, above[0] if above else float(max_price)]


def price_column(catalog: pd.DataFrame, basis: str) -> pd.Series:
    """The price the user filters on, per 1M tokens."""
    if basis == "input":
        return catalog["input_usd_per_1m"]
    return blended_price(catalog["input_usd_per_1m"], catalog["output_usd_per_1m"])


def _matches_text(catalog: pd.DataFrame, aliases: pd.Series, text: str) -> pd.Series:
    """Every word must appear in the name, id, developer or one of the aliases."""
    haystack = (
        catalog["model"].fillna("") + " " + catalog["model_id"] + " " + catalog["developer"].fillna("") + " " + aliases
    ).str.lower()
    keep = pd.Series(True, index=catalog.index)
    for word in text.lower().split():
        keep &= haystack.str.contains(word, regex=False)
    return keep


def apply_filter(catalog: pd.DataFrame, lookup: pd.DataFrame, f: CatalogFilter) -> pd.DataFrame:
    """The catalogue rows that pass every filter; lookup comes from queries.catalog_lookup."""
    extra = catalog[["model_id"]].merge(lookup, on="model_id", how="left")
    extra.index = catalog.index
    keep = pd.Series(True, index=catalog.index)
    if f.access:
        keep &= catalog["access"].isin(f.access)
    if f.commercial == "allowed":
        keep &= catalog["commercial_use"].isin(("yes", "conditional"))
    elif f.commercial == "unconditional":
        keep &= (catalog["commercial_use"] == "yes") & catalog["user_threshold"].isna()
    if f.developers:
        keep &= catalog["developer"].isin(f.developers)
    if f.price_range is not None:
        low, high = f.price_range
        keep &= price_column(catalog, f.price_basis).between(low, high).fillna(False)
    if f.min_context:
        keep &= (catalog["context_window"] >= f.min_context).fillna(False)
    if f.has_benchmark:
        keep &= extra["benchmarks"].fillna(0) > 0
    if f.text.strip():
        keep &= _matches_text(catalog, extra["aliases"].fillna(""), f.text)
    return catalog[keep.astype(bool)]
