"""build-db after imports: a changed seed reloads its own rows and leaves imported facts and the audit log alone."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from llmcompare.imports.apply import apply_plan
from llmcompare.imports.plan import Decisions, NewModel
from llmcompare.store import models as m
from llmcompare.store.build import build_db
from llmcompare.store.imports import imports_log, rollback_import
from tests.imports.conftest import FIXTURE_SEED, TODAY, plan_for
from tests.imports.files import FIXTURE_MAP, litellm_map

ADD = Decisions(added={"mystery/gpt-4o-2099": NewModel("GPT-4o 2099", "openai", "openai-terms")})


def newer_seed(tmp_path, extra_price: str = ""):
    """The fixture seed with one model renamed (so its digest changes) and optionally one more price row."""
    seed = tmp_path / "seed"
    shutil.copytree(FIXTURE_SEED, seed)
    models = seed / "models.csv"
    models.write_text(models.read_text().replace("GPT-4o mini,", "GPT-4o mini (renamed),"))
    if extra_price:
        with (seed / "prices.csv").open("a") as fh:
            fh.write(extra_price + "\n")
    return seed


def rows(engine, stmt):
    with engine.connect() as conn:
        return conn.execute(stmt).all()


def test_reloading_a_changed_seed_keeps_imported_rows(store, tmp_path):
    import_id = apply_plan(store, plan_for(store, "litellm", "map.json", litellm_map(FIXTURE_MAP), ADD))
    imported = (
        select(m.Price.offering, m.Price.import_id).where(m.Price.import_id.is_not(None)).order_by(m.Price.offering)
    )
    before = rows(store, imported)
    assert build_db(store, newer_seed(tmp_path)).loaded
    assert rows(store, imported) == before
    assert rows(store, select(m.Model.name).where(m.Model.id == "gpt-4o-mini")) == [("GPT-4o mini (renamed)",)]
    assert rows(store, select(m.Model.import_id).where(m.Model.id == "gpt-4o-2099")) == [(import_id,)]
    assert rows(store, select(m.Source.id).where(m.Source.import_id == import_id)) == [(f"import-{import_id}",)]
    assert imports_log(store)["id"].tolist() == [import_id]
    rollback_import(store, import_id)
    assert rows(store, imported) == []
    assert rows(store, select(m.Model.id).where(m.Model.id == "gpt-4o-2099")) == []


def test_the_seed_copy_wins_where_it_holds_the_same_key(store, tmp_path):
    import_id = apply_plan(store, plan_for(store, "litellm", "map.json", litellm_map(FIXTURE_MAP)))
    same_point = f"gpt-4o-mini,openai,true,openai/gpt-4o-mini,0.19,0.79,,128000,{TODAY},litellm_1_80"
    build_db(store, newer_seed(tmp_path, same_point))
    point = select(m.Price.input_usd_per_1m, m.Price.import_id).where(
        m.Price.offering == "openai/gpt-4o-mini", m.Price.as_of == TODAY
    )
    assert rows(store, point) == [(0.19, None)]
    rollback_import(store, import_id)  # the import's other rows go; the seed's copy stays
    assert rows(store, point) == [(0.19, None)]
