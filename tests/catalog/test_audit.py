"""The identity audit: each conflict class is found in a real SQLite store, and the committed seed has none."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, update

from llmcompare.catalog.audit import audit
from llmcompare.identity.corrections import Corrections, Evidence, Lineage, PriceFlag, load_corrections
from llmcompare.store import models as m
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_SEED = ROOT / "tests" / "fixtures" / "seed"
EVIDENCE = Evidence("https://example.org/card", "a quote")


@pytest.fixture
def store(tmp_path):
    """A fresh store built from the hand-made fixture seed, which starts without conflicts."""
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    build_db(engine, FIXTURE_SEED)
    return engine


def _model(engine, model_id: str, name: str, developer: str = "meta", **extra) -> None:
    row = {"id": model_id, "name": name, "developer_id": developer, "family": None, "access": "open_weights"}
    row |= {"license_id": "apache-2.0", "source_id": "hf_cards", "as_of": date(2026, 10, 1)} | extra
    with engine.begin() as conn:
        conn.execute(insert(m.Model).values(**row))


def _price(engine, model_id: str, offering: str, usd: float, as_of=date(2026, 10, 1)) -> None:
    row = {"model_id": model_id, "provider": offering.split("/")[0], "first_party": False, "offering": offering}
    row |= {"input_usd_per_1m": usd, "output_usd_per_1m": usd, "as_of": as_of, "source_id": "hf_cards"}
    with engine.begin() as conn:
        conn.execute(insert(m.Price).values(**row))


def _kinds(engine, fixes: Corrections | None = None) -> list[str]:
    return [c.kind for c in audit(engine, fixes)]


def test_the_fixture_store_starts_clean(store):
    assert audit(store) == []


def test_a_model_whose_names_belong_to_another_developer(store):
    # Grok sold through Vertex AI once became a Google model; its name says xAI made it.
    _model(store, "grok-4-3", "Grok 4.3", developer="google", access="api_only")
    conflicts = audit(store)
    assert [(c.kind, c.models) for c in conflicts] == [("developer", ("grok-4-3",))]
    assert "xai" in conflicts[0].detail


def test_a_plain_family_name_under_another_developer_but_not_a_fine_tune(store):
    _model(store, "qwen2-5-32b", "Qwen2.5-32B", developer="ai2")
    _model(store, "llama-3-1-tulu-3-8b", "Llama-3.1-Tulu-3-8B", developer="ai2")  # a derivative: its own words
    assert [c.models for c in audit(store)] == [("qwen2-5-32b",)]


def test_one_display_name_for_two_models(store):
    _model(store, "nemotron-a", "Llama-3.3-Nemotron-Super-49B-v1.5", developer="meta")
    _model(store, "nemotron-b", "nvidia-llama-3.3-nemotron-super-49b-v1.5", developer="meta")
    conflicts = audit(store)
    assert [(c.kind, c.models) for c in conflicts] == [("display-name", ("nemotron-a", "nemotron-b"))]


def test_a_price_far_from_its_siblings_unless_flagged(store):
    _model(store, "nemo", "Mistral-NeMo-12B-Instruct", developer="mistral")
    for host, usd in (("azure_ai", 0.15), ("novita", 0.07), ("deepinfra", 0.1), ("vertex_ai", 3.0)):
        _price(store, "nemo", f"{host}/mistral-nemo", usd)
    conflicts = audit(store)
    assert [c.kind for c in conflicts] == ["price"] and "vertex_ai/mistral-nemo" in conflicts[0].detail
    flag = PriceFlag("vertex_ai/.*", "reviewed outlier", EVIDENCE)
    assert _kinds(store, Corrections((), (), (flag,))) == []


def test_a_price_from_an_older_snapshot_is_not_compared_with_todays(store):
    _model(store, "nemo", "Mistral-NeMo-12B-Instruct", developer="mistral")
    for host, usd in (("azure_ai", 0.15), ("novita", 0.07), ("deepinfra", 0.1)):
        _price(store, "nemo", f"{host}/mistral-nemo", usd)
    _price(store, "nemo", "vertex_ai/mistral-nemo", 3.0, as_of=date(2025, 1, 1))
    assert _kinds(store) == []


def test_per_request_and_free_tier_prices_are_artefacts_not_conflicts(store):
    _model(store, "pplx", "pplx-70b-online", developer="meta")
    for host, usd in (("a", 2.8), ("b", 2.5), ("c", 3.0)):
        _price(store, "pplx", f"{host}/pplx-70b-online", usd)
    with store.begin() as conn:
        conn.execute(
            insert(m.Price).values(
                model_id="pplx",
                provider="perplexity",
                first_party=True,
                offering="perplexity/pplx-70b-online",
                input_usd_per_1m=0.0,
                output_usd_per_1m=0.0001,
                as_of=date(2026, 10, 1),
                source_id="hf_cards",
            )
        )
    assert _kinds(store) == []


def test_parameters_that_disagree_with_the_models_names(store):
    # Epoch lists Llama 2-7B with 7e10 parameters: stored as 70B, the name says 7B.
    _model(store, "llama-2-7b-x", "Llama-2-7B", developer="meta", params_b=70.0, params_source_id="hf_cards")
    conflicts = audit(store)
    assert [(c.kind, c.models) for c in conflicts] == [("parameters", ("llama-2-7b-x",))]
    with store.begin() as conn:
        conn.execute(update(m.Model).where(m.Model.id == "llama-2-7b-x").values(params_b=6.74))
    assert _kinds(store) == []


def test_a_date_before_the_name_or_the_base_model(store):
    _model(store, "devstral-2512", "Devstral-2-123B-Instruct-2512", developer="mistral", release_date=date(2025, 5, 1))
    _model(store, "base", "Llama-2-13B", developer="meta", release_date=date(2023, 7, 18))
    _model(store, "vicuna", "Vicuna-13B-v1.5", developer="meta", release_date=date(2023, 3, 1))
    lineage = Corrections((), (Lineage("vicuna", "base", None, EVIDENCE),))
    found = sorted((c.kind, c.models) for c in audit(store, lineage))
    assert found == [("date", ("devstral-2512",)), ("date", ("vicuna", "base"))]


def test_audit_on_the_committed_seed_finds_nothing(tmp_path):
    """What CI runs: build the committed seed into a file database and audit it through the command line."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'seed.db'}"}
    env.pop("LLMCOMPARE_SEED_DIR", None)
    cmd = [sys.executable, "-m", "llmcompare"]
    subprocess.run([*cmd, "build-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run([*cmd, "audit"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("no identity conflicts")


def test_audit_exits_non_zero_and_prints_each_conflict(store, tmp_path):
    _model(store, "grok-4-3", "Grok 4.3", developer="google", access="api_only")
    env = {**os.environ, "DATABASE_URL": str(store.url)}
    done = subprocess.run(
        [sys.executable, "-m", "llmcompare", "audit"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "grok-4-3: listed under 'google'" in done.stdout and "1 identity conflict(s)" in done.stdout


def test_every_committed_correction_has_evidence():
    fixes = load_corrections(ROOT / "data" / "curated")
    entries = [*fixes.facts, *fixes.lineage, *fixes.prices]
    assert entries and all(e.evidence.url.startswith("https://") and e.evidence.quote for e in entries)
