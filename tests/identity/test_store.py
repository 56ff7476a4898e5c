"""The store-side identity: every name the test seed records leads back to its model, and runs group by one key."""

from __future__ import annotations

import csv
from pathlib import Path

from llmcompare.catalog.pricing import _resolve_model_id
from llmcompare.store.identity import model_key, name_index, spec_identity

FIXTURE_SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed"


def _seed_names() -> list[tuple[str, str]]:
    with open(FIXTURE_SEED / "aliases.csv", encoding="utf-8") as f:
        aliases = [(row["name"], row["model_id"]) for row in csv.DictReader(f)]
    with open(FIXTURE_SEED / "prices.csv", encoding="utf-8") as f:
        offerings = [(row["offering"], row["model_id"]) for row in csv.DictReader(f)]
    with open(FIXTURE_SEED / "models.csv", encoding="utf-8") as f:
        models = [(row[key], row["id"]) for row in csv.DictReader(f) for key in ("id", "name")]
    return sorted(set(aliases + offerings + models))


def test_every_recorded_name_resolves_to_its_model_and_pricing_agrees(engine):
    index = name_index(engine)
    names = _seed_names()
    owners: dict[str, set[str]] = {}
    for name, model_id in names:
        owners.setdefault(name.lower(), set()).add(model_id)
    checked = 0
    for name, model_id in names:
        if len(owners[name.lower()]) > 1 or name.lower().endswith("latest"):
            continue  # a name two models go by, or a moving alias, names neither
        assert index.model_id(name) == model_id, name
        assert _resolve_model_id(engine, name) == model_id, name
        checked += 1
    assert checked >= 20


def test_one_key_for_every_way_of_reaching_a_model(engine):
    index = name_index(engine)
    model_id = index.model_id("gpt-4o-mini")
    assert model_id is not None
    specs = ["openai:gpt-4o-mini", "openai:gpt-4o-mini@http://127.0.0.1:9/v1", "openai:openai/gpt-4o-mini"]
    assert {spec_identity(index, s) for s in specs} == {(model_id, index.names[model_id])}
    assert model_key(index, "local:bundled") == "bundled (local)"
    assert model_key(index, "openai:my-own-model@http://10.0.0.5:8000/v1") == "my-own-model @ 10.0.0.5:8000"
    assert model_key(index, "not a spec") == "not a spec"
