"""build-seed: turn the public source files into the curated, reviewable seed under data/seed/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from llmcompare.facts import attach, epoch, eu_osai, fmti, leaderboards, litellm, lmarena, model_facts, ouc
from llmcompare.facts.catalog import (
    CURATION,
    Catalog,
    add_api_models,
    add_arena_models,
    add_osai_models,
    is_family_entry,
)
from llmcompare.facts.curated import developer_rows, dimension_rows, license_rows, load_curated, source_rows
from llmcompare.facts.curated_schema import BenchmarkEntry, OverrideEntry, checked_list
from llmcompare.facts.model_sizes import apply_model_sizes, load_model_sizes
from llmcompare.facts.provider_policies import load_provider_policies
from llmcompare.identity.corrections import Corrections, load_corrections
from llmcompare.io.readers import read_yaml
from llmcompare.store import models as m
from llmcompare.store.seed_io import write_table

# Where each public file lives inside the sources folder, and the source id its facts cite.
LITELLM_SNAPSHOTS = {
    "litellm-1.55.9": "litellm/history/model_prices_and_context_window__litellm-1.55.9.json",
    "litellm-1.65.0": "litellm/history/model_prices_and_context_window__litellm-1.65.0.json",
    "litellm-1.80.0": "litellm/history/model_prices_and_context_window__litellm-1.80.0.json",
    "litellm-1.109.1": "litellm/model_prices_and_context_window__litellm-1.109.1.json",
}
NEWEST_LITELLM = "litellm-1.109.1"
FMTI_EDITIONS = {
    "fmti-2023": ("2023-10", "fmti/October2023/October2023_scores.csv", "fmti/fmti-indicators.csv"),
    "fmti-2024": ("2024-05", "fmti/May2024/May2024_scores.csv", "fmti/fmti-indicators.csv"),
    "fmti-2025": ("2025-12", "fmti/Dec2025/Dec2025_scores.csv", "fmti/Dec2025/Dec2025_indicators.csv"),
}
ARENA_CATALOG = "benchmarks/lmarena-arena-catalog"
ARENA_HISTORY = "benchmarks/chatbot-arena-history/alltime.csv"
ARENA_PRICES = "lmarena-catalog-prices"


@dataclass(frozen=True)
class SeedReport:
    """Row counts per table and what was left out, for the person reviewing a seed change."""

    counts: dict[str, int]
    skipped: dict[str, int]
    coverage: dict[str, int]


def build_seed(sources: Path, curated_dir: Path, out_dir: Path) -> SeedReport:
    """Read every public source, resolve identities, and write one CSV per fact table."""
    cur = load_curated(curated_dir)
    cat = Catalog(cur, overrides=_overrides(curated_dir / "model_overrides.yaml"))
    arena = leaderboards.parse_lmarena(sources / "benchmarks/lmarena/lmarena_text.csv")
    add_arena_models(cat, arena, "lmarena-text-2025-08")
    listings = lmarena.parse_price_list(sources / ARENA_CATALOG / "scatterplot-data.json")
    board = lmarena.parse_leaderboard(sources / ARENA_CATALOG / "leaderboard-text.json", lmarena.KEPT)
    lmarena.add_listed_models(cat, listings, ARENA_PRICES, {r.model for r in board})
    snapshots = {sid: litellm.parse_price_map(sources / path) for sid, path in LITELLM_SNAPSHOTS.items()}
    add_api_models(cat, snapshots[NEWEST_LITELLM], NEWEST_LITELLM)
    cat.fold_pending()
    cat.pin_aliases()
    osai = eu_osai.parse_index(sources / "eu-osai-index/models")
    osai_matched = add_osai_models(cat, osai, "eu-osai")

    prices = [row for sid, offers in snapshots.items() for row in attach.attach_prices(cat, offers, sid)]
    prices += lmarena.price_rows(cat, listings, cur.source_as_of[ARENA_PRICES])
    attach.set_context_windows(cat, prices)
    notable = epoch.parse_notable_models(sources / "model-catalogs/epoch-ai/epoch_notable_ai_models.csv")
    attach.attach_epoch_models(cat, notable, "epoch-notable")
    benchmarks = _benchmarks(cat, sources, arena) + _arena_versions(cat, sources, board)
    openness = _openness(cat, sources, osai, osai_matched)
    transparency = [
        row
        for sid, (edition, scores, indicators) in FMTI_EDITIONS.items()
        for row in attach.transparency_rows(
            cat, fmti.parse_scores(sources / scores, sources / indicators, edition), edition, sid
        )
    ]
    _set_osai_release(cat, osai, osai_matched)
    sizes = curated_dir / "model_sizes.yaml"  # parameter counts quoted from model cards and hosts' pages
    size_facts = apply_model_sizes(cat, load_model_sizes(sizes, cur.sources, cat.models)) if sizes.exists() else []
    apply_corrections(cat, load_corrections(curated_dir))

    tables: dict[Any, list[dict[str, Any]]] = {
        m.Source: source_rows(cur)
        + lmarena.price_sources(listings, cur.sources[ARENA_PRICES], cur.source_as_of[ARENA_PRICES]),
        m.Developer: developer_rows(cur) + list(cat.extra_developers.values()),
        m.License: license_rows(cur),
        m.Model: list(cat.models.values()),
        m.Alias: cat.alias_rows(),
        m.Price: prices,
        m.BenchmarkDef: checked_list(BenchmarkEntry, _load_yaml(curated_dir / "benchmarks.yaml"), "benchmarks.yaml")
        + lmarena.category_defs(),
        m.BenchmarkResult: benchmarks,
        m.OpennessGrade: openness,
        m.TransparencyScore: transparency,
        m.Dimension: dimension_rows(cur),
        m.ProviderPolicy: load_provider_policies(curated_dir / "provider_policies.yaml", cur.sources),
        m.ModelFact: _model_facts(cat, sources, snapshots, prices, notable) + size_facts,
    }
    counts = {model.__tablename__: write_table(out_dir, model.__table__, rows) for model, rows in tables.items()}
    return SeedReport(counts, dict(cat.skipped), _coverage(cat, prices, benchmarks))


def _benchmarks(cat: Catalog, sources: Path, arena) -> list[dict[str, Any]]:
    board = sources / "benchmarks/open_llm_leaderboard"
    reported = sources / "benchmarks/reported_scores"
    runs = epoch.parse_benchmark_runs(sources / "model-catalogs/epoch-ai/epoch_benchmarks_runs.csv")
    return [
        *attach.attach_arena(cat, arena, "lmarena-text-2025-08"),
        *attach.attach_hf(
            cat, leaderboards.parse_hf_v2(board / "huggingface_v2.csv"), "hf_v2", "hf_v2", "hf-openllm-v2"
        ),
        *attach.attach_hf(
            cat,
            leaderboards.parse_hf_v1(board / "huggingface_v1.csv"),
            "hf_v1",
            "hf_v1",
            "hf-openllm-v1",
            trust_flags=False,
        ),
        *attach.attach_reported(
            cat,
            leaderboards.parse_simple_evals(reported / "openai_simple_evals_readme_scores.csv"),
            "simple_evals",
            "simple-evals",
        ),
        *attach.attach_reported(
            cat,
            leaderboards.parse_ludwig(reported / "ludwigstumpp_llm_leaderboard_2023_scores.csv"),
            "ludwig",
            "ludwig-2023",
        ),
        *attach.attach_epoch_runs(cat, runs, "epoch-benchmarks"),
    ]


def _model_facts(cat: Catalog, sources: Path, snapshots, prices, notable) -> list[dict[str, Any]]:
    return [
        *model_facts.host_rows(prices, NEWEST_LITELLM),
        *model_facts.deprecation_rows(snapshots[NEWEST_LITELLM], prices, NEWEST_LITELLM),
        *model_facts.epoch_rows(cat, notable, "epoch-notable"),
        *model_facts.hf_rows(cat, sources / "benchmarks/open_llm_leaderboard/huggingface_v2.csv", "hf-openllm-v2"),
    ]


def _arena_versions(cat: Catalog, sources: Path, board: list[lmarena.ArenaRating]) -> list[dict[str, Any]]:
    """Every dated version of LMArena's overall board, and the categories of the newest one, with intervals."""
    folder = sources / ARENA_CATALOG
    # The older history, one version a month, up to the first committed version of LMArena's own file.
    versions = lmarena.parse_versions(folder / "history")
    older = lmarena.parse_rating_history(sources / ARENA_HISTORY)
    rows = [
        row
        for v in lmarena.monthly([v for v in older if v.as_of < versions[0].as_of])
        for row in lmarena.rating_rows(cat, v.ratings, "lmarena-history", v.as_of, "lmarena_history")
    ]
    for version in versions:
        source_id = f"lmarena-catalog-{version.as_of.isoformat()}"
        if not str(cat.cur.sources.get(source_id, {}).get("commit", "")).startswith(version.commit):
            raise KeyError(f"sources.yaml: no {source_id} entry at commit {version.commit}")
        rows += lmarena.rating_rows(cat, version.ratings, source_id)
    newest = f"lmarena-catalog-{versions[-1].as_of.isoformat()}"
    return rows + lmarena.rating_rows(cat, [r for r in board if r.category != lmarena.OVERALL], newest)


def _openness(cat: Catalog, sources: Path, osai, osai_matched: dict[str, str]) -> list[dict[str, Any]]:
    entries = [(osai_matched[s.file], s.name, s.grades) for s in osai if s.file in osai_matched]
    rows = attach.openness_rows(cat, entries, "eu_osai", "eu-osai")
    ouc_entries = []
    for project in ouc.parse_projects_csv(sources / "opening-up-chatgpt/df.csv"):
        # Match on the project's own name only: its base model would pin a fine-tune's grades on the base.
        # The EU index grew out of this project and grades the same systems under the same names; a system name
        # the index recorded is the same system here, even where it names a family the resolver will not follow.
        same_system = cat.aliases.get(("eu_osai", project.name.strip())) if project.name else None
        model_id = same_system or (cat.find(project.name, max_level=2, scheme="ouc") if project.name else None)
        if model_id:
            cat.add_alias("ouc", project.name, model_id)
            ouc_entries.append((model_id, project.name, project.grades))
    return rows + attach.openness_rows(cat, ouc_entries, "ouc", "ouc")


def _set_osai_release(cat: Catalog, osai, matched: dict[str, str]) -> None:
    """The index gives a release month; use it where Epoch had no exact date, unless it is the family's month."""
    for system in osai:
        model_id = matched.get(system.file)
        if is_family_entry(system):
            cat.skipped["eu_osai: family release month not given to a member"] += 1
            continue
        if model_id and system.release and len(system.release) == 7:
            year, month = system.release.split("-")
            cat.set_attr(model_id, "release_date", date(int(year), int(month), 1), "eu-osai", "release_source_id")


def apply_corrections(cat: Catalog, fixes: Corrections) -> None:
    """Reviewed overrides last, so they win over every source; each corrected attribute then cites the curation.

    A derivative takes its base model's licence unless the lineage entry records the licence its own card gives."""
    for entry in fixes.lineage:
        if entry.model not in cat.models or entry.base not in cat.models:
            raise KeyError(f"corrections.yaml lineage: unknown model {entry.model!r} or base {entry.base!r}")
        row, base = cat.models[entry.model], cat.models[entry.base]
        licence = entry.own_license or base["license_id"]
        if row["license_id"] != licence:
            row.update(license_id=licence, source_id=CURATION, as_of=cat.cur.source_as_of[CURATION])
        if row.get("release_date") and base.get("release_date") and row["release_date"] < base["release_date"]:
            # A date before the base existed is a family's date: no date is better than a wrong one.
            row.update(release_date=None, release_source_id=None)
            cat.skipped["release date before its base model's: dropped"] += 1
    for fix in fixes.facts:
        row = cat.models.get(fix.model)
        if row is None:
            raise KeyError(f"corrections.yaml: unknown model {fix.model!r}")
        value = date.fromisoformat(str(fix.value)) if fix.field == "release_date" and fix.value else fix.value
        source_col = {"params_b": "params_source_id", "release_date": "release_source_id"}.get(fix.field)
        row[fix.field] = value
        if source_col:
            row[source_col] = CURATION
        else:
            row.update(source_id=CURATION, as_of=cat.cur.source_as_of[CURATION])


def _coverage(cat: Catalog, prices, benchmarks) -> dict[str, int]:
    models = cat.models.values()
    newest = max((p["as_of"] for p in prices), default=None)
    return {
        "models": len(cat.models),
        "open_weights": sum(1 for x in models if x["access"] == m.OPEN_WEIGHTS),
        "api_only": sum(1 for x in models if x["access"] == m.API_ONLY),
        "with_current_price": len({p["model_id"] for p in prices if p["as_of"] == newest}),
        "with_any_price": len({p["model_id"] for p in prices}),
        "with_benchmark": len({b["model_id"] for b in benchmarks}),
        "licences_used": len({x["license_id"] for x in models}),
    }


def _overrides(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Hand corrections keyed by (scheme, name); an absent file means none."""
    if not path.exists():
        return {}
    entries = checked_list(OverrideEntry, _load_yaml(path), path.name)
    return {(o["scheme"], o["name"]): o for o in entries}


def _load_yaml(path: Path) -> list[dict[str, Any]]:
    return read_yaml(path)
