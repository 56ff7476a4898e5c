"""The dimension table on a database file built from the committed seed: every model, every dimension, a basis."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from llmcompare.decide import dimension_table as dt
from llmcompare.decide.dimensions import BASES, FACT, NONE, PROXY, RADAR_AXES, article_lines
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from tests.cli.runner import run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("dims") / "seed.db"
    engine = make_engine(f"sqlite:///{path}")
    build_db(engine, ROOT / "data" / "seed")
    yield path, engine
    engine.dispose()


@pytest.fixture(scope="module")
def inputs(seed_db):
    return dt.load_inputs(seed_db[1])


@pytest.fixture(scope="module")
def table(inputs):
    return dt.dimension_table(inputs)


def _cell(table: pd.DataFrame, model_id: str, dimension_id: str) -> pd.Series:
    rows = table[(table["model_id"] == model_id) & (table["dimension_id"] == dimension_id)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_every_model_has_every_dimension_with_a_basis(table, inputs):
    models, dims = inputs.facts["model_id"].nunique(), len(inputs.dims)
    assert dims >= 30 and len(table) == models * dims
    assert dt.dims_present_for_all(table) == dims
    assert set(table["basis"]) <= set(BASES)


def test_facts_are_sourced_and_dated_and_proxies_say_what_they_stand_for(table):
    facts = table[table["basis"] == FACT]
    assert facts["source"].notna().all() and facts["as_of"].notna().all()
    proxies = table[table["basis"] == PROXY]
    assert (proxies["proxy_for"].str.len() > 0).all()
    assert table.loc[table["basis"] == NONE, "source"].isna().all()


def test_api_model_cells_rest_on_its_own_facts(table, inputs):
    row = inputs.facts.set_index("model_id").loc["claude-opus-4-20250514"]
    access = _cell(table, "claude-opus-4-20250514", "access")
    assert access["basis"] == FACT and access["value"].startswith("API only") and access["score"] == 0
    cost = _cell(table, "claude-opus-4-20250514", "cost")
    assert cost["basis"] == FACT and cost["source"] == row["price_source"] and "$30.00" in cost["value"]
    # Quality control has no fact source: the article's reading, labelled as a proxy and cited by line.
    quality = _cell(table, "claude-opus-4-20250514", "quality-control")
    assert quality["basis"] == PROXY and quality["value"].startswith("maintainers' reading")
    assert "article-000 line 44" in quality["source"] and "read through the article" in quality["proxy_for"]


def test_stored_provider_policies_become_facts_for_api_models(seed_db, table):
    policies = dt.stored_policies(seed_db[1])
    if policies is None:
        pytest.skip("this build has no provider policy facts")
    privacy = _cell(table, "claude-opus-4-20250514", "security-privacy")
    assert privacy["basis"] == FACT and privacy["value"].startswith("Anthropic: ")
    assert privacy["source"].startswith("http") and privacy["as_of"]


def test_open_model_data_control_cites_the_catalogue_not_a_bare_rule(table, inputs):
    model = inputs.facts[inputs.facts["access"] == "open_weights"]["model_id"].iloc[0]
    cell = _cell(table, model, "data-ownership")
    assert cell["basis"] == FACT and cell["source"] and cell["as_of"]


def test_developer_transparency_is_a_proxy_for_model_transparency(table, inputs):
    cell = _cell(table, "claude-opus-4-20250514", "transparency")
    assert cell["basis"] == PROXY and "FMTI" in cell["value"]
    assert cell["score"] == pytest.approx(
        inputs.facts.set_index("model_id").loc["claude-opus-4-20250514", "fmti_latest"] / 100
    )


def test_radar_axes_never_move_together(table):
    scores = table[table["dimension_id"].isin(RADAR_AXES)].pivot(
        index="model_id", columns="dimension_id", values="score"
    )
    assert set(scores.columns) == set(RADAR_AXES)
    for i, a in enumerate(RADAR_AXES):
        for b in RADAR_AXES[i + 1 :]:
            both = scores[[a, b]].dropna()
            assert not both[a].equals(both[b]), f"{a} and {b} always match"


def test_provider_policies_plug_in_as_fact_cells(inputs, seed_db):
    policies = pd.DataFrame(
        [
            ("Anthropic", "trains_on_api_data", "no", FACT, "https://example.org/anthropic-terms", "2025-06-01", "q"),
            ("Anthropic", "retention_days", "30", FACT, "https://example.org/anthropic-retention", "2025-05-01", "q"),
            ("Anthropic", "uptime_sla", "99.9%", FACT, None, "2025-05-01", "q"),  # no source: not a fact
            ("Anthropic", "hipaa_baa", "not found", NONE, None, None, None),  # a gap, not a "no"
        ],
        columns=["provider", "attribute", "value", "basis", "source", "as_of", "quote"],
    ).assign(provider_name="Anthropic", retrieved="2026-11-01")
    undated = {"attribute": "soc2_type2", "value": "yes", "basis": FACT, "source": "https://example.org/trust"}
    policies = pd.concat(
        [
            policies,
            pd.DataFrame(
                [{**undated, "provider": "anthropic", "provider_name": "Anthropic", "retrieved": "2026-11-01"}]
            ),
        ],
        ignore_index=True,
    )
    ctx = dt.make_inputs(
        inputs.facts[inputs.facts.columns.difference(inputs.extra.columns.drop("model_id"))],
        inputs.extra,
        inputs.refs,
        inputs.dims,
        policies,
        inputs.lines,
    )
    table = dt.dimension_table(ctx, ["claude-opus-4-20250514", "deepseek-r1"])
    owned = _cell(table, "claude-opus-4-20250514", "data-ownership")
    assert owned["basis"] == FACT and owned["value"] == "Anthropic: trains on api data: no"
    legal = _cell(table, "claude-opus-4-20250514", "legal-compliance")  # the undated page keeps its reading date
    assert legal["value"] == "Anthropic: soc2 type2: yes (page undated; read 2026-11-01)" and legal["basis"] == FACT
    assert owned["source"] == "https://example.org/anthropic-terms" and owned["as_of"] == "2025-06-01"
    assert _cell(table, "claude-opus-4-20250514", "security-privacy")["value"] == "Anthropic: retention days: 30"
    assert _cell(table, "claude-opus-4-20250514", "reliability")["basis"] == PROXY
    # An open-weights model runs on your own servers: a provider's terms do not bind it.
    assert _cell(table, "deepseek-r1", "data-ownership")["value"].startswith("self-hosted")


def test_fact_share_counts_only_sourced_dated_facts():
    table = pd.DataFrame(
        {
            "basis": [FACT, FACT, PROXY, NONE],
            "source": ["s", None, "s", None],
            "as_of": ["2025-01-01", "2025-01-01", "2025-01-01", None],
        }
    )
    assert dt.fact_share(table) == 0.25


def test_arena_top_is_the_highest_scores(inputs):
    top = dt.arena_top(inputs.facts, 3)
    scores = inputs.facts.set_index("model_id")["arena_score"]
    assert len(top) == 3 and scores[top].min() >= scores.drop(top).max()


def test_every_dimension_cites_article_lines(inputs):
    lines = article_lines()
    for dimension in inputs.dims["id"]:
        assert lines[dimension], dimension
        for ref in lines[dimension]:
            assert ref["article"].startswith("article-") and ref["line"] > 0 and ref["quote"]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_cli_exports_dimensions(seed_db, tmp_path, fmt):
    out = tmp_path / f"dims.{fmt}"
    env = {"DATABASE_URL": f"sqlite:///{seed_db[0]}"}
    done = run_cli("export", "dimensions", "--format", fmt, "--out", str(out), env=env, check=True)
    assert "wrote" in done.stdout
    frame = {"csv": pd.read_csv, "xlsx": pd.read_excel, "json": lambda p: pd.DataFrame(json.loads(p.read_text()))}[fmt](
        out
    )
    assert list(frame.columns[:6]) == ["model", "dimension", "value", "basis", "source", "as_of"]
    assert set(frame["basis"]) <= set(BASES) and frame["model"].nunique() > 400


def test_radar_draws_proxies_hollow_and_facts_filled(inputs):
    from llmcompare.charts.dimensions import dimension_radar

    picked = ["claude-opus-4-20250514", "deepseek-r1"]
    fig = dimension_radar(inputs.dims, dt.dimension_table(inputs, picked), picked).figure
    claude = next(t for t in fig.data if t.name.startswith("Claude Opus 4"))
    symbols = dict(zip(claude.theta, claude.marker.symbol, strict=True))
    assert symbols["Access"] == "circle" and symbols["Transparency"] == "circle-open"  # FMTI stands in
    assert len(set(claude.theta)) == len(RADAR_AXES)


def test_multilingual_ability_reads_the_arena_language_categories(tmp_path):
    from datetime import date

    from sqlalchemy.orm import Session

    from llmcompare.store import models as m
    from tests.conftest import FIXTURE_SEED

    engine = make_engine(f"sqlite:///{tmp_path / 'languages.db'}")
    build_db(engine, FIXTURE_SEED)
    day = date(2025, 8, 4)
    with Session(engine) as session, session.begin():
        for lang in ("french", "german", "english"):
            session.add(m.BenchmarkDef(id=f"lmarena_language_{lang}", name=lang, unit="elo", description=lang))
        for model, lang, score in (
            ("gpt-4o", "french", 1400),
            ("gpt-4o", "german", 1380),
            ("gpt-4o", "english", 1500),  # English is not another language: left out of the mean
            ("deepseek-v3", "french", 1350),
        ):
            session.add(
                m.BenchmarkResult(
                    model_id=model,
                    benchmark_id=f"lmarena_language_{lang}",
                    score=score,
                    as_of=day,
                    source_id="lmarena_2025_08",
                )
            )
    ctx = dt.load_inputs(engine)
    engine.dispose()
    lines = {"multilingual": [{"article": "article-004", "line": 13, "quote": "q"}]}
    dim = {"id": "multilingual", "name": "Multilingual ability", "group": "g", "open_side": "o", "closed_side": "c"}
    dims = pd.DataFrame([{**dim, "favours": "open", "as_of": "2024-12-17", "source": "a", "source_url": None}])
    ctx = dt.make_inputs(
        ctx.facts[ctx.facts.columns.difference(ctx.extra.columns.drop("model_id"))],
        ctx.extra,
        ctx.refs,
        dims,
        None,
        lines,
    )
    table = dt.dimension_table(ctx, ["gpt-4o", "deepseek-v3", "gpt-4o-mini"]).set_index("model_id")
    assert table.loc["gpt-4o", "value"] == "mean LMArena rating over 2 non-English language categories: 1390.0"
    assert table.loc["gpt-4o", "basis"] == FACT and table.loc["gpt-4o", "as_of"] == "2025-08-04"
    assert table.loc["gpt-4o", "score"] == 1.0 and table.loc["deepseek-v3", "score"] == 0.0
    assert table.loc["gpt-4o-mini", "basis"] == NONE
