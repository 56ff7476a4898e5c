"""Cached reads for the Decide pages, keyed on the data version and on how many playground runs exist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from components.shell import data
from llmcompare.catalog import policies
from llmcompare.decide import dimension_table, tco
from llmcompare.decide.presets import Preset, load_presets
from llmcompare.decide.ranking import Constraints, Ranking, rank_models
from llmcompare.decide.sensitivity import Sensitivity, sensitivity
from llmcompare.reports.build import Report, build_report, rank_scenario
from llmcompare.store import decide_queries as dq
from llmcompare.store import queries
from llmcompare.store.scenarios import ensure_examples, load_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "curated" / "scenarios.yaml"


def _key() -> tuple[Engine, tuple[str, str, tuple[int, int]]]:
    eng = data.engine()
    return eng, (str(eng.url), queries.data_version(eng) or "", dq.runs_version(eng))


@st.cache_data(show_spinner=False, max_entries=20)
def _facts(_engine: Engine, version: tuple, benchmark: str) -> pd.DataFrame:
    # The catalogue is cached too (Home and the sidebar read it): with 47,300 models that saves about 1.5 s.
    return dq.decision_facts(_engine, benchmark, catalogue=data.catalog())


def facts(benchmark: str = queries.ARENA_BENCHMARK) -> pd.DataFrame:
    """The advisor's fact table, quality taken from the given benchmark."""
    return _facts(*_key(), benchmark)


@st.cache_data(show_spinner=False, max_entries=20)
def _ranked(
    _engine: Engine, version: tuple, benchmark: str, weights: tuple, limits: Constraints, policy: str, shortlist: tuple
) -> Ranking:
    return rank_models(_facts(_engine, version, benchmark), dict(weights), limits, policy, shortlist)


def ranked(
    benchmark: str, weights: Mapping[str, float], limits: Constraints, policy: str, shortlist: Sequence[str]
) -> Ranking:
    """The advisor's ranking, worked out once per data version and settings; raises AdvisorError as rank_models."""
    return _ranked(*_key(), benchmark, tuple(weights.items()), limits, policy, tuple(shortlist))


@st.cache_data(show_spinner=False, max_entries=20)
def _stability(
    _engine: Engine, version: tuple, benchmark: str, weights: tuple, limits: Constraints, policy: str, shortlist: tuple
) -> Sensitivity | None:
    return sensitivity(_ranked(_engine, version, benchmark, weights, limits, policy, shortlist))


def stability(
    benchmark: str, weights: Mapping[str, float], limits: Constraints, policy: str, shortlist: Sequence[str]
) -> Sensitivity | None:
    """The sensitivity check of that ranking, cached apart from it: it scores every model under 3,000 weightings,
    so the page draws the ranking first and this after (seconds with tens of thousands of models)."""
    return _stability(*_key(), benchmark, tuple(weights.items()), limits, policy, tuple(shortlist))


@st.cache_data(show_spinner=False)
def _benchmarks(_engine: Engine, version: tuple) -> pd.DataFrame:
    return dq.benchmark_options(_engine)


def benchmarks() -> dict[str, str]:
    """Benchmark id -> 'Name (N models)', most-covered first."""
    options = _benchmarks(*_key())
    return {r.id: f"{r.name} ({r.models} models)" for r in options.itertuples()}


@st.cache_data(show_spinner=False)
def _fmti(_engine: Engine, version: tuple) -> pd.DataFrame:
    return dq.fmti_history(_engine)


def fmti_history() -> pd.DataFrame:
    """Every developer's FMTI totals by edition."""
    return _fmti(*_key())


@st.cache_data(show_spinner=False)
def _licences(_engine: Engine, version: tuple) -> pd.DataFrame:
    return dq.licence_terms(_engine)


def licence_terms() -> pd.DataFrame:
    """Each licence in use with its terms and model count."""
    return _licences(*_key())


@st.cache_data(show_spinner=False)
def _policies(_engine: Engine, version: tuple) -> pd.DataFrame:
    return policies.provider_policies(_engine)


def provider_policies() -> pd.DataFrame:
    """Each API provider's data-handling and service terms, with the page each answer comes from."""
    return _policies(*_key())


@st.cache_data(show_spinner=False)
def _dimensions(_engine: Engine, version: tuple) -> pd.DataFrame:
    return queries.dimensions(_engine)


def dimensions() -> pd.DataFrame:
    """The articles' open-vs-closed trade-offs."""
    return _dimensions(*_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _dimension_inputs(_engine: Engine, version: tuple) -> dimension_table.Inputs:
    return dimension_table.load_inputs(_engine, _facts(_engine, version, queries.ARENA_BENCHMARK))


@st.cache_data(show_spinner=False, max_entries=50)
def _dimension_cells(_engine: Engine, version: tuple, model_ids: tuple[str, ...]) -> pd.DataFrame:
    return dimension_table.dimension_table(_dimension_inputs(_engine, version), model_ids)


def dimension_cells(model_ids: Sequence[str]) -> pd.DataFrame:
    """Every article dimension for these models: value, score, basis, source, as-of and what a proxy stands for."""
    known = set(facts()["model_id"])
    return _dimension_cells(*_key(), tuple(m for m in model_ids if m in known))


@st.cache_data(show_spinner=False, max_entries=50)
def _prices(_engine: Engine, version: tuple, model_ids: tuple[str, ...]) -> pd.DataFrame:
    return dq.price_points(_engine, model_ids)


def price_points(model_ids: Sequence[str]) -> pd.DataFrame:
    """Every dated price point of these models."""
    return _prices(*_key(), tuple(model_ids))


@st.cache_data(show_spinner=False)
def _runs(_engine: Engine, version: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    sides, votes = dq.run_sides(_engine), dq.run_votes(_engine)
    access = _facts(_engine, version, queries.ARENA_BENCHMARK).set_index("model_id")["access"]  # shared, cached
    sides["access"] = sides["model_id"].map(access)
    return sides, votes


def runs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Playground run sides (with the catalogue's access type where the model is known) and votes."""
    return _runs(*_key())


def _saved(scenario: str) -> str:
    """The stored scenario as text: a cache keyed on it misses once the scenario is saved over."""
    return repr(load_scenario(data.engine(), scenario))


@st.cache_data(show_spinner=False, max_entries=20)
def _scenario_ranking(_engine: Engine, version: tuple, scenario: str, saved: str) -> Ranking:
    return rank_scenario(_engine, scenario, _facts(_engine, version, queries.ARENA_BENCHMARK))[2]


def scenario_ranking(scenario: str) -> Ranking:
    """A saved scenario's ranking; raises ReportError as reports.rank_scenario does."""
    return _scenario_ranking(*_key(), scenario, _saved(scenario))


@st.cache_data(show_spinner=False, max_entries=20)
def _report(_engine: Engine, version: tuple, saved: str, scenario: str, options: tuple) -> Report:
    title, author, sections, models, workload = options
    facts = _facts(_engine, version, queries.ARENA_BENCHMARK)  # read once for the form, the ranking and the report
    return build_report(
        _engine,
        scenario,
        title=title,
        author=author,
        sections=sections,
        models=models or None,
        top=0,
        workload=workload,
        facts=facts,
    )


def report(
    scenario: str,
    title: str | None,
    author: str,
    sections: Sequence[str],
    models: Sequence[str],
    workload: tco.Workload,
) -> Report:
    """The decision report for these choices, dated now; raises ReportError as reports.build_report does.

    Built once per data version, saved scenario and choices: it ranks every model and draws several charts."""
    options = (title, author, tuple(sections), tuple(models), workload)
    built = _report(*_key(), _saved(scenario), scenario, options)
    return replace(built, created=datetime.now(UTC))


@st.cache_resource(show_spinner=False)
def presets() -> tuple[Preset, ...]:
    """The article presets; they ship with the code, so they are read once per process."""
    return load_presets()


@st.cache_resource(show_spinner=False)
def hardware() -> tco.HardwareTable:
    """The curated hardware table; it ships with the code, so it is read once per process."""
    return tco.load_hardware()


@st.cache_resource(show_spinner=False)
def _examples_added(url: str) -> bool:
    ensure_examples(data.engine(), EXAMPLES)
    return True


def add_examples() -> None:
    """Add the shipped example scenarios, once per process and database (a deleted one stays deleted)."""
    _examples_added(str(data.engine().url))
