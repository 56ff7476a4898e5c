"""The diff against the store, applying it in one transaction, rolling it back, and the audit log."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from llmcompare.imports.apply import apply_plan
from llmcompare.imports.plan import Decisions, NewModel
from llmcompare.store import models as m
from llmcompare.store.imports import ImportRefused, import_changes, imports_log, last_import, rollback_import
from llmcompare.store.queries import catalog, data_version
from tests.fakes.dbfile import snapshot
from tests.imports.conftest import TODAY, plan_for
from tests.imports.files import FIXTURE_MAP, benchmark_row, fmti_sheet, litellm_map, osai_yaml, price_row, template_rows

MAP = litellm_map(FIXTURE_MAP)


def by_change(plan) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in plan.changes:
        out.setdefault(c.change, []).append(c)
    return out


def count(engine, model, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_litellm_diff_against_the_store(store):
    plan = plan_for(store, "litellm", "map.json", MAP)
    changes = by_change(plan)
    assert not plan.problems
    assert [(c.subject, c.fact) for c in changes["unchanged"]] == [("GPT-4o (OpenAI)", "price of openai/gpt-4o")]
    (moved,) = changes["changed"]
    assert moved.fact == "price of openai/gpt-4o-mini"
    assert moved.old == "$0.15 in / $0.6 out (cached $0.075), 128,000 ctx (2024-12-24)"
    assert moved.new == "$0.2 in / $0.8 out (cached $0.075), 128,000 ctx"
    (new,) = changes["new"]
    assert (new.subject, new.fact) == (
        "Qwen2.5 72B Instruct (Alibaba Cloud (Qwen))",
        "price of deepinfra/Qwen/Qwen2.5-72B-Instruct",
    )
    gone = {c.fact for c in changes["gone"]}
    assert "price of deepseek/deepseek-chat" in gone and "price of openai/gpt-4o" not in gone
    (unknown,) = plan.unknown
    assert unknown.name == "mystery/gpt-4o-2099" and unknown.suggestions[0].id == "gpt-4o"
    assert plan.counts == {
        "new": 1,
        "changed": 1,
        "unchanged": 1,
        "confirmed": 0,
        "gone": len(gone),
        "unknown": 1,
        "skipped": 1,
        "errors": 0,
        "models_added": 0,
        "aliases_added": 3,
    }


def test_apply_adds_dated_points_with_a_source_and_keeps_history(store):
    before_version = data_version(store)
    plan = plan_for(store, "litellm", "map.json", MAP)
    import_id = apply_plan(store, plan, who="Ana")
    with store.connect() as conn:
        points = conn.execute(
            select(m.Price.as_of, m.Price.input_usd_per_1m, m.Price.source_id, m.Price.import_id)
            .where(m.Price.offering == "openai/gpt-4o-mini")
            .order_by(m.Price.as_of)
        ).all()
        source = conn.execute(select(m.Source).where(m.Source.id == f"import-{import_id}")).one()
    assert points == [(date(2024, 12, 24), 0.15, "litellm_1_55", None), (TODAY, 0.2, f"import-{import_id}", import_id)]
    assert source.path == "map.json" and source.commit == f"sha256:{plan.sha256}"[:64] and source.as_of == TODAY
    assert data_version(store) != before_version  # every cached page refreshes
    assert catalog(store, ["gpt-4o-mini"])["input_usd_per_1m"].iloc[0] == 0.2
    again = plan_for(store, "litellm", "map.json", MAP)
    assert again.counts["new"] == again.counts["changed"] == 0
    with pytest.raises(ImportRefused, match="nothing to apply"):
        apply_plan(store, again)


def test_a_newer_price_is_never_overwritten_by_an_older_file(store):
    plan = plan_for(store, "litellm", "old.json", MAP, as_of=date(2024, 6, 1))
    moved = by_change(plan)["changed"][0]
    assert moved.note == "kept as history: a newer point (2024-12-24) stays current"
    apply_plan(store, plan)
    assert catalog(store, ["gpt-4o-mini"])["input_usd_per_1m"].iloc[0] == 0.15


def test_a_second_import_on_the_same_day_corrects_that_days_point_and_rolls_back(store, tmp_path):
    first = apply_plan(store, plan_for(store, "litellm", "a.json", MAP))
    before = snapshot(store)
    cheaper = dict(FIXTURE_MAP) | {
        "openai/gpt-4o-mini": FIXTURE_MAP["openai/gpt-4o-mini"] | {"input_cost_per_token": 1e-07}
    }
    plan = plan_for(store, "litellm", "b.json", litellm_map(cheaper))
    (fix,) = by_change(plan)["changed"]
    assert fix.note == f"replaces the point of {TODAY}"
    second = apply_plan(store, plan)
    assert count(store, m.Price, m.Price.offering == "openai/gpt-4o-mini") == 2
    with pytest.raises(ImportRefused, match=f"import #{second} changed facts that #{first} added"):
        rollback_import(store, first)
    rollback_import(store, second)
    after = snapshot(store)
    assert {t: rows for t, rows in after.items() if t not in ("imports", "import_changes", "meta")} == {
        t: rows for t, rows in before.items() if t not in ("imports", "import_changes", "meta")
    }


def test_rollback_restores_exactly_the_state_before(store, tmp_path):
    before = snapshot(store)
    decisions = Decisions(added={"mystery/gpt-4o-2099": NewModel("GPT-4o 2099", "openai", "openai-terms")})
    import_id = apply_plan(store, plan_for(store, "litellm", "map.json", MAP, decisions), who="Ana")
    assert count(store, m.Model, m.Model.id == "gpt-4o-2099") == 1
    result = rollback_import(store, import_id, who="Ben")
    assert result.deleted > 0
    after = snapshot(store)
    for table in before:
        if table not in ("imports", "import_changes", "meta"):
            assert after[table] == before[table], table
    log = imports_log(store).iloc[0]
    assert (log["status"], log["who"], log["rolled_back_by"]) == ("rolled_back", "Ana", "Ben")
    with pytest.raises(ImportRefused, match="already rolled back"):
        rollback_import(store, import_id)
    with pytest.raises(ImportRefused, match="there is no import #99"):
        rollback_import(store, 99)
    assert last_import(store) is None


def test_unknown_names_can_be_mapped_or_added(store):
    mapped = plan_for(store, "litellm", "map.json", MAP, Decisions(mapped={"mystery/gpt-4o-2099": "gpt-4o"}))
    assert not mapped.unknown
    assert ("added", "alias", "litellm: mystery/gpt-4o-2099") in [(c.change, c.fact, c.new) for c in mapped.changes]
    bad = plan_for(store, "litellm", "map.json", MAP, Decisions(mapped={"mystery/gpt-4o-2099": "no-such-model"}))
    assert bad.blocked and "not a model in the store" in bad.problems[0].reason
    added = plan_for(
        store,
        "litellm",
        "map.json",
        MAP,
        Decisions(added={"mystery/gpt-4o-2099": NewModel("Mystery 1", "openai", "x")}),
    )
    assert "choose a known developer and licence" in added.problems[0].reason


def test_audit_log_records_who_when_what_file_and_counts(store):
    plan = plan_for(store, "litellm", "map.json", MAP)
    import_id = apply_plan(store, plan, who="  Ana  ")
    row = imports_log(store).iloc[0]
    assert (row["id"], row["who"], row["kind"], row["file_name"]) == (import_id, "Ana", "litellm", "map.json")
    assert row["sha256"] == plan.sha256 and row["size_bytes"] == len(MAP) and row["status"] == "applied"
    assert (row["new"], row["changed"], row["unchanged"], row["unknown"]) == (1, 1, 1, 1)
    changes = import_changes(store, import_id)
    assert Counter(changes["change"]) == Counter({"gone": plan.counts["gone"], "added": 3, "new": 1, "changed": 1})
    assert last_import(store).file_name == "map.json"


def test_stale_or_blocked_plans_are_refused_and_write_nothing(store, tmp_path):
    plan = plan_for(store, "litellm", "map.json", MAP)
    apply_plan(store, plan_for(store, "csv", "f.csv", template_rows(price_row())))
    before = snapshot(store)
    with pytest.raises(ImportRefused, match="the data changed since this preview"):
        apply_plan(store, plan)
    with pytest.raises(ImportRefused, match="1 problem"):
        apply_plan(store, plan_for(store, "litellm", "map.json", b"{"))
    assert snapshot(store) == before


def test_osai_import_supersedes_grades_and_reports_missing_systems(store):
    text = osai_yaml("Gemma 2", "Gemma-2-9B-it", grade="closed", code="open")
    from tests.imports.files import zip_of

    data = zip_of({"models/gemma.yaml": text, "models/other.yaml": osai_yaml("Other", "Other-1", org="Other Org")})
    plan = plan_for(store, "eu-osai", "models.zip", data)
    changes = by_change(plan)
    assert {c.fact for c in changes["changed"]} >= {"openness: code", "openness: weights_basemodel"}
    assert [u.name for u in plan.unknown] == ["Other"]
    gone = {c.subject for c in changes["gone"]}
    assert "OLMo 2 13B Instruct (Allen Institute for AI)" in gone and "Gemma 2 9B IT (Google)" not in gone
    apply_plan(store, plan)
    row = catalog(store, ["gemma-2-9b-it"]).iloc[0]
    assert round(row["openness"]) == round(100 / 12)  # one open dimension of twelve now


def test_fmti_import_adds_an_edition_and_corrects_one_in_place(store):
    plan = plan_for(
        store, "fmti", "s.csv", fmti_sheet({"Meta": [1, 0, 1], "Unknown Lab": [1, 1, 1]}), edition="2026-05"
    )
    assert [u.name for u in plan.unknown] == ["Unknown Lab"]
    assert plan.counts["new"] == 4
    apply_plan(store, plan)
    fix = plan_for(store, "fmti", "s.csv", fmti_sheet({"Meta": [1, 1, 1]}), edition="2026-05")
    assert {c.fact for c in by_change(fix)["changed"]} == {"FMTI 2026-05 Total", "FMTI 2026-05 Model"}
    fix_id = apply_plan(store, fix)
    total = select(m.TransparencyScore.score).where(
        m.TransparencyScore.developer_id == "meta", m.TransparencyScore.edition == "2026-05"
    )
    with store.connect() as conn:
        assert conn.execute(total.where(m.TransparencyScore.domain == "Total")).scalar_one() == 3
    rollback_import(store, fix_id)
    with store.connect() as conn:
        assert conn.execute(total.where(m.TransparencyScore.domain == "Total")).scalar_one() == 2


def test_csv_template_import_of_prices_and_benchmarks(store):
    rows = template_rows(
        price_row(), benchmark_row(), benchmark_row(benchmark="nope"), benchmark_row(score="101", as_of="2026-10-01")
    )
    plan = plan_for(store, "csv", "facts.csv", rows)
    assert [p.describe() for p in plan.problems] == [
        "row 4, field 'benchmark': unknown benchmark 'nope'; known ids include lmarena_text, mmlu",
        "row 5, field 'score': 101 is out of range for a percent score",
    ]
    plan = plan_for(store, "csv", "facts.csv", template_rows(price_row(), benchmark_row(model="GPT-4o")))
    price, score = plan.changes  # the provider's one offering in the store is the one the row prices
    assert (price.change, price.fact, price.new) == ("changed", "price of openai/gpt-4o", "$2 in / $8 out")
    assert (score.change, score.old, score.new) == ("changed", "88.7 (2024-08-06)", "88.1")
    import_id = apply_plan(store, plan)
    with store.connect() as conn:
        sources = conn.execute(select(m.Source.id, m.Source.url).where(m.Source.import_id == import_id)).all()
    assert sources == [
        (f"import-{import_id}", "https://openai.com/api/pricing/"),
        (f"import-{import_id}-2", "https://example.org/paper"),
    ]


def test_unchanged_prices_can_be_recorded_as_confirmed(store):
    plan = plan_for(store, "litellm", "map.json", MAP, confirm_unchanged=True)
    (confirmed,) = by_change(plan)["confirmed"]
    assert confirmed.fact == "price of openai/gpt-4o" and confirmed.old.endswith("(2024-12-24)")
    apply_plan(store, plan)
    assert catalog(store, ["gpt-4o"])["price_as_of"].iloc[0] == TODAY  # no longer looks stale
    again = plan_for(store, "litellm", "map.json", MAP, confirm_unchanged=True)
    assert again.counts["confirmed"] == 0 and again.counts["unchanged"] == 3
