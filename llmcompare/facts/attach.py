"""Attach dated facts (prices, benchmarks, openness, transparency, release data) to the canonical models."""

from __future__ import annotations

from datetime import date
from typing import Any

from llmcompare.facts.catalog import Catalog

# Local runtimes list models at zero cost; that is not a price anyone pays a provider.
NOT_A_PRICE_PROVIDERS = {"ollama", "ollama_chat", "lm_studio", "llamafile"}
# The dearest real list price is o1-pro's $600 per 1M output tokens; far above it is a unit error in the map.
PLAUSIBLE_MAX_USD_PER_1M = 1000.0


def attach_prices(cat: Catalog, offers, source_id: str) -> list[dict[str, Any]]:
    """One dated price point per offering in a snapshot; older snapshots give the history."""
    as_of = cat.cur.source_as_of[source_id]
    rows = []
    for offer in offers:
        if offer.provider in NOT_A_PRICE_PROVIDERS or offer.key.startswith("ft:"):
            continue
        if offer.input_usd_per_1m == 0 and offer.output_usd_per_1m == 0:
            continue
        if max(offer.input_usd_per_1m, offer.output_usd_per_1m) > PLAUSIBLE_MAX_USD_PER_1M:
            cat.skipped[f"{source_id}: implausible price over ${PLAUSIBLE_MAX_USD_PER_1M:,.0f} per 1M tokens"] += 1
            continue
        model_id = cat.find(offer.key, scheme="litellm")
        if model_id is None:
            continue
        cat.add_alias("litellm", offer.key, model_id)
        developer = cat.models[model_id]["developer_id"]
        rows.append(
            {
                "model_id": model_id,
                "provider": offer.provider,
                "first_party": offer.provider in cat.cur.first_party.get(developer, ()),
                "offering": offer.key,
                "input_usd_per_1m": offer.input_usd_per_1m,
                "output_usd_per_1m": offer.output_usd_per_1m,
                "cached_input_usd_per_1m": offer.cached_input_usd_per_1m,
                "context_window": offer.max_input_tokens,
                "as_of": as_of,
                "source_id": source_id,
            }
        )
    return rows


def set_context_windows(cat: Catalog, prices: list[dict[str, Any]]) -> None:
    """A model's context window from its newest first-party offering, else the most common among hosts."""
    by_model: dict[str, list[dict[str, Any]]] = {}
    for p in prices:
        if p["context_window"]:
            by_model.setdefault(p["model_id"], []).append(p)
    for model_id, points in by_model.items():
        newest = max(p["as_of"] for p in points)
        latest = [p for p in points if p["as_of"] == newest]
        first = [p for p in latest if p["first_party"]]
        pool = first or latest
        windows = [p["context_window"] for p in pool]
        best = max(set(windows), key=lambda w: (windows.count(w), w))
        cat.set_attr(model_id, "context_window", best, pool[0]["source_id"], "context_source_id")


def benchmark_row(model_id: str, bench: str, score: float, as_of: date, source_id: str, setting=None) -> dict:
    return {
        "model_id": model_id,
        "benchmark_id": bench,
        "score": round(float(score), 4),
        "setting": setting,
        "as_of": as_of,
        "source_id": source_id,
    }


def attach_arena(cat: Catalog, rows, source_id: str) -> list[dict[str, Any]]:
    """LMArena text scores for the models the board names."""
    as_of = cat.cur.source_as_of[source_id]
    out = {}
    # A model listed under several names keeps its own name's score; a request setting's only where it has none.
    own = {m["name"] for m in cat.models.values()}
    ordered = sorted(rows, key=lambda r: (cat.variant_setting(r.model) is not None, r.model.strip() not in own))
    for row in ordered:
        model_id = cat.aliases.get(("lmarena", row.model.strip()))
        if model_id and model_id not in out:
            setting = cat.variant_note(row.model, f"95% CI {row.ci}, {row.votes} votes" if row.ci else None)
            out[model_id] = benchmark_row(model_id, "lmarena_text", row.score, as_of, source_id, setting)
        elif model_id:
            cat.skipped[f"{source_id}: second name's score for one model not used"] += 1
    return list(out.values())


def _org_developer(cat: Catalog, fullname: str) -> str | None:
    org = fullname.split("/")[0] if "/" in fullname else None
    return cat.cur.developer_for(org) if org else None


def attach_hf(
    cat: Catalog, rows, prefix: str, scheme: str, source_id: str, trust_flags: bool = True
) -> list[dict[str, Any]]:
    """Open LLM Leaderboard scores, only for uploads by the model's own developer (not re-uploads or merges).

    trust_flags=False ignores the merged/flagged columns for those uploads: the v1 export marks every official
    row (meta-llama/Meta-Llama-3-70B-Instruct among them) as both merged and flagged, which would drop them all."""
    as_of = cat.cur.source_as_of[source_id]
    best: dict[str, Any] = {}
    for row in rows:
        developer = _org_developer(cat, row.fullname)
        flagged = getattr(row, "flagged", False) or getattr(row, "merged", False)
        if developer is None or (flagged and trust_flags):
            continue
        model_id = cat.find(row.fullname, developer, max_level=2, scheme=scheme)
        if model_id is None:
            continue
        cat.add_alias(scheme, row.fullname, model_id)
        if getattr(row, "params_b", None):
            cat.set_attr(model_id, "params_b", round(row.params_b, 2), source_id, "params_source_id")
        if model_id not in best or row.average > best[model_id].average:
            best[model_id] = row
    out = []
    for model_id, row in best.items():
        out.append(benchmark_row(model_id, f"{prefix}_average", row.average, as_of, source_id, row.fullname))
        for key, value in row.scores.items():
            if value is not None:
                out.append(benchmark_row(model_id, f"{prefix}_{key}", value, as_of, source_id, row.fullname))
    return out


_REPORTED = {"MMLU": "mmlu", "GPQA": "gpqa", "MATH": "math", "HumanEval": "humaneval", "MGSM": "mgsm", "DROP": "drop"}


def attach_reported(cat: Catalog, rows, scheme: str, source_id: str) -> list[dict[str, Any]]:
    """Reported MMLU / GPQA / MATH / HumanEval tables; one score per model, benchmark and source."""
    as_of = cat.cur.source_as_of[source_id]
    out: dict[tuple[str, str], dict] = {}
    for row in cat.own_names_first(list(rows), lambda r: r.model):
        bench = next((v for k, v in _REPORTED.items() if row.benchmark.upper().startswith(k.upper())), None)
        model_id = cat.find(row.model, max_level=2, scheme=scheme)
        if bench is None or model_id is None:
            continue
        cat.add_alias(scheme, row.model, model_id)
        setting = cat.variant_note(row.model, "; ".join(x for x in (row.setting, row.evaluated_by) if x) or None)
        out.setdefault((model_id, bench), benchmark_row(model_id, bench, row.score_pct, as_of, source_id, setting))
    return list(out.values())


_EPOCH_TASKS = {
    "GPQA diamond": "epoch_gpqa_diamond",
    "MATH level 5": "epoch_math_level5",
    "OTIS Mock AIME 2024-2025": "epoch_otis_aime",
    "FrontierMath-2025-02-28-Public": "epoch_frontiermath_public",
    "FrontierMath-2025-02-28-Private": "epoch_frontiermath_private",
    "SWE-Bench verified": "epoch_swe_bench_verified",
}


def attach_epoch_runs(cat: Catalog, runs, source_id: str) -> list[dict[str, Any]]:
    """Epoch's independent benchmark runs, as percentages; the best run per model and task."""
    as_of = cat.cur.source_as_of[source_id]
    out: dict[tuple[str, str], dict] = {}
    for run in runs:
        bench = _EPOCH_TASKS.get(run.task.strip())
        model_id = cat.find(run.model, max_level=2, scheme="epoch")
        if bench is None or model_id is None:
            continue
        cat.add_alias("epoch", run.model, model_id)
        row = benchmark_row(model_id, bench, run.score * 100, as_of, source_id, "best score across scorers")
        if (model_id, bench) not in out or row["score"] > out[(model_id, bench)]["score"]:
            out[(model_id, bench)] = row
    return list(out.values())


def attach_epoch_models(cat: Catalog, models, source_id: str) -> None:
    """Release dates and parameter counts from Epoch's catalogue of notable models."""
    for em in models:
        developer = cat.cur.developer_for(em.organization) if em.organization else None
        model_id = cat.find(em.name, developer, max_level=1, scheme="epoch") if developer else None
        if model_id is None:
            continue
        cat.add_alias("epoch", em.name, model_id)
        cat.set_attr(model_id, "release_date", em.publication_date, source_id, "release_source_id")
        if em.parameters:
            cat.set_attr(model_id, "params_b", round(em.parameters / 1e9, 2), source_id, "params_source_id")


def openness_rows(cat: Catalog, entries, scheme: str, source_id: str) -> list[dict[str, Any]]:
    """One row per graded dimension of each matched system."""
    as_of = cat.cur.source_as_of[source_id]
    out = []
    for model_id, system_name, grades in entries:
        for dimension, grade in grades.items():
            out.append(
                {
                    "model_id": model_id,
                    "scheme": scheme,
                    "system_name": system_name,
                    "dimension": dimension,
                    "grade": grade.grade,
                    "evidence_url": (grade.link or "").split()[0] if grade.link else None,
                    "as_of": as_of,
                    "source_id": source_id,
                }
            )
    return out


def transparency_rows(cat: Catalog, scores, edition: str, source_id: str) -> list[dict[str, Any]]:
    """FMTI totals and domain sub-scores per developer; each score row keeps the edition it belongs to."""
    as_of = cat.cur.source_as_of[source_id]
    out = []
    for s in scores:
        developer = cat.cur.fmti_developer.get(s.developer) or cat.cur.developer_for(s.developer)
        if developer is None:
            cat.skipped[f"fmti {edition}: developer {s.developer!r} not in developers.yaml"] += 1
            continue
        parts = {
            "Total": (s.total, s.upstream_max + s.model_max + s.downstream_max),
            "Upstream": (s.upstream, s.upstream_max),
            "Model": (s.model, s.model_max),
            "Downstream": (s.downstream, s.downstream_max),
        }
        for domain, (score, max_score) in parts.items():
            out.append(
                {
                    "developer_id": developer,
                    "edition": edition,
                    "domain": domain,
                    "score": score,
                    "max_score": max_score,
                    "as_of": as_of,
                    "source_id": source_id,
                }
            )
    return out
