"""Cached access to the fact store: one engine per database, query results cached per seed digest."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from llmcompare.catalog import compare, factsheet
from llmcompare.catalog.freshness import Freshness, StaleRule
from llmcompare.catalog.freshness import freshness as summarise_freshness
from llmcompare.config import Settings
from llmcompare.store import queries
from llmcompare.store.build import build_db
from llmcompare.store.engine import StoreUnavailable, make_engine
from llmcompare.store.imports import LastImport, last_import
from llmcompare.store.migrations import migrate

SETTING_KEYS = (
    "DATABASE_URL",
    "LLMCOMPARE_SEED_DIR",
    "LLMCOMPARE_STALE_AFTER_DAYS",
    "LLMCOMPARE_IMPORT_MAX_MB",
    "LLMCOMPARE_LITELLM_URL",
    "LLMCOMPARE_REFRESH_TIMEOUT_S",
    "LLMCOMPARE_LOCAL_PRECISION",
    "LLMCOMPARE_LOCAL_THREADS",
    "LLMCOMPARE_LOCAL_PRELOAD",
)


def settings() -> Settings:
    """Environment variables, overridden by st.secrets where the app has a secrets file."""
    try:
        secrets = {k: str(v) for k, v in st.secrets.to_dict().items() if k in SETTING_KEYS}
    except FileNotFoundError:  # no secrets.toml at all is the normal local case
        secrets = {}
    return Settings.from_mapping({**os.environ, **secrets})


@st.cache_resource(show_spinner="Opening the fact store...")
def _open_engine(database_url: str, seed_dir: str) -> Engine:
    engine = make_engine(database_url)
    migrate(engine)  # an older database gains new tables and columns before any page queries them
    if queries.data_version(engine) is None:
        build_db(engine, Path(seed_dir))
    return engine


def engine() -> Engine:
    """The shared engine; builds the database from the seed on first use if it is empty.

    A DATABASE_URL that cannot be opened stops the page with its one-line reason; the next rerun tries again.
    """
    config = settings()
    try:
        return _open_engine(config.database_url, str(config.seed_dir))
    except StoreUnavailable as error:
        st.error(str(error), icon=":material/database:")
        st.stop()


def _key() -> tuple[Engine, tuple[str, str]]:
    """The engine plus a cache key that changes whenever the database is rebuilt from another seed."""
    eng = engine()
    return eng, (str(eng.url), queries.data_version(eng) or "")


# Each wrapper below passes the engine as an unhashed argument (leading underscore) and keys the cache on the version.
@st.cache_data(show_spinner=False)
def _headline(_engine: Engine, version: tuple[str, str]) -> queries.Headline:
    return queries.headline_figures(_engine)


def headline() -> queries.Headline:
    """Counts and fact dates for the home page and sidebar."""
    return _headline(*_key())


def stale_rule() -> StaleRule:
    """Today and the LLMCOMPARE_STALE_AFTER_DAYS threshold, for age notes and stale flags."""
    return StaleRule(date.today(), settings().stale_after_days)


@st.cache_data(show_spinner=False)
def _last_import(_engine: Engine, version: tuple[str, str]) -> LastImport | None:
    return last_import(_engine)


@st.cache_data(show_spinner=False)
def _catalog(_engine: Engine, version: tuple[str, str]) -> pd.DataFrame:
    return queries.catalog(_engine)


def catalog() -> pd.DataFrame:
    """The whole catalogue, loaded once per data version and filtered in memory on each rerun."""
    return _catalog(*_key())


@st.cache_data(show_spinner=False)
def _lookup(_engine: Engine, version: tuple[str, str]) -> pd.DataFrame:
    return queries.catalog_lookup(_engine)


def catalog_lookup() -> pd.DataFrame:
    """Aliases and benchmark counts per model, for search and the has-benchmark filter."""
    return _lookup(*_key())


@st.cache_data(show_spinner=False, max_entries=4)
def _stale(_engine: Engine, version: tuple[str, str], today: date, after_days: int) -> pd.Series:
    return StaleRule(today, after_days).stale_facts(_catalog(_engine, version))


def stale_flags(rule: StaleRule) -> pd.Series:
    """Per catalogue row, indexed like catalog(), the facts older than the rule allows; computed once a day."""
    return _stale(*_key(), rule.today, rule.after_days)


@st.cache_data(show_spinner=False, max_entries=4)
def _freshness(_engine: Engine, version: tuple[str, str], today: date, after_days: int) -> Freshness:
    rule = StaleRule(today, after_days)
    return summarise_freshness(_catalog(_engine, version), _last_import(_engine, version), rule)


def freshness(rule: StaleRule) -> Freshness:
    """The Home page's summary of how fresh the store is: newest price, last import and stale counts."""
    return _freshness(*_key(), rule.today, rule.after_days)


@st.cache_data(show_spinner=False)
def _choices(_engine: Engine, version: tuple[str, str]) -> pd.DataFrame:
    return queries.model_choices(_engine)


def model_labels() -> dict[str, str]:
    """Model id -> 'Name (Developer)' for every model, in name order, for pickers."""
    choices = _choices(*_key())
    return dict(zip(choices["model_id"], choices["model"] + " (" + choices["developer"] + ")", strict=True))


@st.cache_data(show_spinner=False, max_entries=200)
def _detail(_engine: Engine, version: tuple[str, str], model_id: str) -> factsheet.ModelDetail | None:
    return factsheet.model_detail(_engine, model_id)


def model_detail(model_id: str) -> factsheet.ModelDetail | None:
    """Everything about one model, or None for an unknown id."""
    return _detail(*_key(), model_id)


@st.cache_data(show_spinner=False, max_entries=200)
def _comparison(_engine: Engine, version: tuple[str, str], model_ids: tuple[str, ...]) -> compare.Comparison:
    return compare.compare_table(_engine, model_ids)


def comparison(model_ids: Sequence[str]) -> compare.Comparison:
    """The side-by-side table for these models, in this order."""
    return _comparison(*_key(), tuple(model_ids))


@st.cache_data(show_spinner=False, max_entries=200)
def _dimensions(_engine: Engine, version: tuple[str, str], models: pd.DataFrame) -> pd.DataFrame:
    return compare.compare_dimensions(_engine, models)


def compare_dimensions(models: pd.DataFrame) -> pd.DataFrame:
    """The open-vs-closed trade-offs, each naming the chosen models on the side it favours."""
    return _dimensions(*_key(), models)
