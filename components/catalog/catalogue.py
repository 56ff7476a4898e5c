"""Catalogue widgets: the filter bar and the table's column layout."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.shell import ui
from llmcompare import style
from llmcompare.catalog.filters import COMMERCIAL_CHOICES, CONTEXT_STEPS, PRICE_BASES, CatalogFilter, price_steps
from llmcompare.catalog.freshness import FACT_DATES
from llmcompare.store.models import ACCESS_TYPES

STALE_COLOR = "#B26B00"  # amber: a warning that reads on light and dark themes
# Filters live in the URL (bind) so a filtered view can be bookmarked and shared; the keys are the parameter names.
BOUND = {"bind": "query-params"}
# A browser grid and a scatter of tens of thousands of rows stall the page; the downloads still hold every match.
SHOWN_MAX = 5_000


def filter_bar(catalog: pd.DataFrame) -> CatalogFilter:
    """Draw the filters and return what they ask for."""
    with st.container(border=True):
        top = st.columns([3, 2, 2])
        text = top[0].text_input(
            "Search", key="q", placeholder="Name, developer or a provider's model id", **BOUND, icon=":material/search:"
        )
        access = top[1].segmented_control(
            "Access", ACCESS_TYPES, format_func=style.access_label, selection_mode="multi", key="access", **BOUND
        )
        commercial = top[2].selectbox(
            "Commercial use", list(COMMERCIAL_CHOICES), format_func=COMMERCIAL_CHOICES.get, key="commercial", **BOUND
        )
        bottom = st.columns([2.4, 1.4, 2.4, 1.4, 1.6], vertical_alignment="bottom")
        developers = bottom[0].multiselect(
            "Developer", sorted(catalog["developer"].dropna().unique()), key="developer", placeholder="Any", **BOUND
        )
        basis = bottom[1].selectbox(
            "Price basis",
            list(PRICE_BASES),
            format_func=PRICE_BASES.get,
            key="basis",
            help="Blended: 3 input tokens to 1 output token. Input: the input price alone.",
            **BOUND,
        )
        steps = price_steps(catalog[["input_usd_per_1m", "output_usd_per_1m"]].max().max())
        low, high = bottom[2].select_slider(
            "Price per 1M tokens",
            steps,
            value=(steps[0], steps[-1]),
            format_func=style.format_usd,
            key="price",
            **BOUND,
        )
        min_context = bottom[3].selectbox(
            "Min. context", CONTEXT_STEPS, format_func=lambda n: "Any" if not n else style.format_tokens(n), key="ctx"
        )
        has_benchmark = bottom[4].toggle(
            "With scores", key="scored", help="Only models with at least one benchmark result.", **BOUND
        )
    full_range = (low, high) == (steps[0], steps[-1])
    return CatalogFilter(
        access=tuple(access or ()),
        commercial=commercial,
        developers=tuple(developers),
        price_basis=basis,
        price_range=None if full_range else (low, high),
        min_context=int(min_context),
        has_benchmark=has_benchmark,
        text=text,
    )


COLUMNS = {
    # The link text is taken from the URL, so the name rides in the fragment, which the model page ignores.
    "link": st.column_config.LinkColumn("Model", display_text=r"#(.*)$", pinned=True, width="medium"),
    "access": ui.access_column(),
    "developer": st.column_config.TextColumn("Developer"),
    "license": st.column_config.TextColumn("Licence"),
    "commercial": st.column_config.TextColumn("Commercial use"),
    "input_usd_per_1m": st.column_config.NumberColumn("Input $/1M", format="$%.2f"),
    "output_usd_per_1m": st.column_config.NumberColumn("Output $/1M", format="$%.2f"),
    "price_as_of": st.column_config.DateColumn("Price as of", format="YYYY-MM-DD"),
    "context_window": st.column_config.NumberColumn("Context", format="compact", help="Context window in tokens."),
    "arena_score": st.column_config.NumberColumn("Arena score", format="%.0f", help="Latest LMArena text score."),
    "openness": st.column_config.ProgressColumn(
        "Openness",
        format="%.0f%%",
        min_value=0,
        max_value=100,
        width="small",
        help="Share of openness points in the EU Open Source AI Index, or Opening up ChatGPT where it has no grades.",
    ),
    "fmti_latest": st.column_config.NumberColumn(
        "FMTI", format="%.0f", help="The developer's latest Foundation Model Transparency Index total, out of 100."
    ),
    "stale": st.column_config.MultiselectColumn(
        "Stale",
        options=list(FACT_DATES),
        color=STALE_COLOR,
        help="Facts dated longer ago than LLMCOMPARE_STALE_AFTER_DAYS (default 365 days); check them before relying "
        "on them. Each fact's date is on the model's fact sheet.",
    ),
}


def cap_note(matches: int) -> str:
    """Said when the table shows only the first SHOWN_MAX matches."""
    return (
        f"  \nThe table and chart show the first {SHOWN_MAX:,} of {matches:,} matches, strongest first: narrow the "
        "filters to see the rest, or download them all below the table."
    )


def table_frame(rows: pd.DataFrame, stale: pd.Series | None = None) -> pd.DataFrame:
    """The catalogue rows shaped for display: numbers first, a link per model, access and stale facts as pills."""
    return pd.DataFrame(
        {
            "link": "model?model=" + rows["model_id"] + "#" + rows["model"],
            "access": rows["access"].map(lambda a: [style.access_label(a)]),
            "stale": stale if stale is not None else [[] for _ in range(len(rows))],
            "input_usd_per_1m": rows["input_usd_per_1m"],
            "output_usd_per_1m": rows["output_usd_per_1m"],
            "context_window": rows["context_window"],
            "arena_score": rows["arena_score"],
            "openness": rows["openness"],
            "fmti_latest": rows["fmti_latest"],
            "commercial": rows["commercial_use"].map(style.COMMERCIAL_SHORT),
            "license": rows["license"],
            "developer": rows["developer"],
            "price_as_of": pd.to_datetime(rows["price_as_of"]),
        }
    )
