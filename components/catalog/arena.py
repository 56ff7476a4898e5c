"""The arena charts on pages: the open-closed gap, concentration at the top, release cadence and category strengths,
cached per data version."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from components.shell import data, ui
from llmcompare.catalog import arena
from llmcompare.charts import arena as charts_arena
from llmcompare.charts.chart import Chart
from llmcompare.store import queries


def _key() -> tuple[Engine, tuple[str, str]]:
    eng = data.engine()
    return eng, (str(eng.url), queries.data_version(eng) or "")


@st.cache_data(show_spinner=False)
def _gap(_engine: Engine, version: tuple[str, str]) -> pd.DataFrame:
    return arena.gap_over_time(arena.arena_versions(_engine))


def gap_chart() -> Chart:
    """How far the best open model trails the best closed one, per dated arena version."""
    return charts_arena.gap_chart(_gap(*_key()))


@st.cache_data(show_spinner=False)
def _concentration(_engine: Engine, version: tuple[str, str]) -> pd.DataFrame:
    return arena.concentration(arena.arena_versions(_engine))


def concentration_chart() -> Chart:
    """How many developers the best-rated models come from, and the largest one's share, per dated arena version."""
    return charts_arena.concentration_chart(_concentration(*_key()))


@st.cache_data(show_spinner=False)
def _releases(_engine: Engine, version: tuple[str, str]) -> pd.DataFrame:
    return arena.release_dates(_engine)


def cadence_chart() -> Chart:
    """Each developer's dated releases and the median months between them."""
    releases = _releases(*_key())
    return charts_arena.cadence_chart(releases, arena.cadence(releases))


@st.cache_data(show_spinner=False, max_entries=50)
def _categories(_engine: Engine, version: tuple[str, str], model_ids: tuple[str, ...]) -> pd.DataFrame:
    return arena.category_scores(_engine, model_ids)


def category_chart(model_ids: Sequence[str]) -> Chart:
    """The chosen models' arena ratings per task, language and domain, with intervals."""
    return charts_arena.category_chart(_categories(*_key(), tuple(model_ids)))


def strengths(model_id: str) -> None:
    """The fact sheet's section: this model's arena categories, or why there are none."""
    st.subheader("Strengths by task, language and domain")
    scores = _categories(*_key(), (model_id,))
    if scores.empty:
        ui.empty_state("LMArena does not rate this model by category.", icon=":material/help:")
        return
    chart = charts_arena.category_chart(scores)
    ui.show_fig(chart.figure, key="model.arena_categories")
    st.caption(chart.caption)
