"""Catalogue filters on the fixture catalogue."""

from __future__ import annotations

import pytest

from llmcompare.catalog.filters import CatalogFilter, apply_filter, price_steps
from llmcompare.store import queries as q


@pytest.fixture(scope="module")
def frames(fixture_db):
    return q.catalog(fixture_db.engine), q.catalog_lookup(fixture_db.engine)


def ids(frames, **kwargs) -> list[str]:
    catalog, lookup = frames
    return sorted(apply_filter(catalog, lookup, CatalogFilter(**kwargs))["model_id"])


def test_no_filter_keeps_everything(frames) -> None:
    assert len(ids(frames)) == 11


def test_access(frames) -> None:
    assert ids(frames, access=("api_only",)) == ["claude-3.5-sonnet", "gemini-1.5-pro", "gpt-4o", "gpt-4o-mini"]


def test_commercial_use(frames) -> None:
    assert len(ids(frames, commercial="allowed")) == 11
    unconditional = ids(frames, commercial="unconditional")
    assert "llama-3.1-8b-instruct" not in unconditional and "qwen2.5-72b-instruct" not in unconditional
    assert len(unconditional) == 8


def test_developers(frames) -> None:
    assert ids(frames, developers=("Meta",)) == ["llama-3.1-70b-instruct", "llama-3.1-8b-instruct"]


def test_price_range_on_blended_or_input_price_drops_unpriced_models(frames) -> None:
    assert ids(frames, price_range=(0.0, 0.1)) == ["llama-3.1-8b-instruct"]  # blended 0.035
    assert ids(frames, price_range=(2.0, 3.0), price_basis="input") == ["claude-3.5-sonnet", "gpt-4o"]
    assert ids(frames, price_range=(2.0, 3.0)) == ["gemini-1.5-pro"]  # blended 2.19; claude 6.0, gpt-4o 4.375


def test_minimum_context(frames) -> None:
    assert ids(frames, min_context=1_000_000) == ["gemini-1.5-pro"]
    assert "olmo-2-13b-instruct" not in ids(frames, min_context=8_000)


def test_has_benchmark(frames) -> None:
    assert "olmo-2-13b-instruct" not in ids(frames, has_benchmark=True)
    assert len(ids(frames, has_benchmark=True)) == 10


def test_text_search_covers_names_developers_and_aliases(frames) -> None:
    assert ids(frames, text="instant") == ["llama-3.1-8b-instruct"]  # groq's name for it
    assert ids(frames, text="ANTHROPIC") == ["claude-3.5-sonnet"]
    assert ids(frames, text="llama 70b") == ["llama-3.1-70b-instruct"]  # every word must match
    assert ids(frames, text="no such model") == []


def test_price_steps_reach_the_dearest_model() -> None:
    assert price_steps(15.0)[-1] == 15.0
    assert price_steps(16.0)[-1] == 20.0
    assert price_steps(1000.0)[-1] == 1000.0
