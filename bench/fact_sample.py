"""Re-sampled fact audit: draw 50 facts from the committed seed, find each one's row in the public source files, and
check that the row's value matches and that the row names the same model (the name is one of the model's aliases).

Maintainers' tool, like build-seed: it reads the sources folder, which the app and tests never do.
    python -m bench.fact_sample --sources ../shared/sources [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from pathlib import Path

from llmcompare.facts import epoch, eu_osai, fmti, leaderboards, litellm, lmarena
from llmcompare.facts.seed import ARENA_CATALOG, ARENA_HISTORY, FMTI_EDITIONS, LITELLM_SNAPSHOTS

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"
PLAN = {"price": 15, "benchmark": 15, "openness": 6, "transparency": 5, "release": 3, "params": 3, "licence": 3}


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEED / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-3 * max(1.0, abs(float(b)))


class Tracer:
    """Each kind's source rows, read with the same parsers the seed build uses, keyed the way the facts cite them."""

    def __init__(self, sources: Path) -> None:
        self.sources = sources
        self.aliases: dict[str, set[str]] = defaultdict(set)
        for row in _rows("aliases"):
            self.aliases[row["model_id"]].add(row["name"].strip())
        self.models = {row["id"]: row for row in _rows("models")}

    def names(self, model_id: str) -> set[str]:
        return self.aliases[model_id] | {self.models[model_id]["name"]}

    def price(self, fact: dict[str, str]) -> tuple[bool, str]:
        if fact["source_id"].startswith("lmarena-price-"):
            return self._arena_price(fact)
        offers = litellm.parse_price_map(self.sources / LITELLM_SNAPSHOTS[fact["source_id"]])
        offer = next((o for o in offers if o.key == fact["offering"]), None)
        if offer is None:
            return False, "offering not in the snapshot"
        value_ok = _close(offer.input_usd_per_1m, fact["input_usd_per_1m"]) and _close(
            offer.output_usd_per_1m, fact["output_usd_per_1m"]
        )
        return value_ok and offer.key in self.names(
            fact["model_id"]
        ), f"{offer.key} {offer.input_usd_per_1m:g}/{offer.output_usd_per_1m:g}"

    def _arena_price(self, fact: dict[str, str]) -> tuple[bool, str]:
        """LMArena's price list: the listing the offering names, its prices and the page it cites."""
        listings = lmarena.parse_price_list(self.sources / ARENA_CATALOG / "scatterplot-data.json")
        hit = next((x for x in listings if f"lmarena/{x.model}" == fact["offering"]), None)
        if hit is None or hit.input_usd_per_1m is None or hit.output_usd_per_1m is None:
            return False, "no listing with that name and a price"
        value_ok = _close(hit.input_usd_per_1m, fact["input_usd_per_1m"]) and _close(
            hit.output_usd_per_1m, fact["output_usd_per_1m"]
        )
        cited = lmarena.price_source_id(hit.price_source or "") == fact["source_id"]
        named = bool({hit.model, hit.name} & self.names(fact["model_id"]))
        return value_ok and cited and named, f"{hit.model} {hit.input_usd_per_1m:g}/{hit.output_usd_per_1m:g}"

    def _arena_version(self, fact: dict[str, str]) -> tuple[bool, str]:
        """A dated LMArena rating: the version of that date, the model's row in the benchmark's category."""
        names, day = self.names(fact["model_id"]), fact["as_of"]
        if fact["source_id"] == "lmarena-history":
            versions = lmarena.parse_rating_history(self.sources / ARENA_HISTORY)
        else:
            versions = lmarena.parse_versions(self.sources / ARENA_CATALOG / "history")
            versions += [
                lmarena.ArenaVersion(
                    versions[-1].as_of,
                    "",
                    lmarena.parse_leaderboard(self.sources / ARENA_CATALOG / "leaderboard-text.json", lmarena.KEPT),
                )
            ]
        ratings = [r for v in versions if v.as_of.isoformat() == day for r in v.ratings]
        hits = [
            r
            for r in ratings
            if r.model in names
            and lmarena.benchmark_id(r.category) == fact["benchmark_id"]
            and _close(r.rating, fact["score"])
        ]
        return bool(hits), f"{hits[0].model} {hits[0].category} {hits[0].rating:g}" if hits else "no arena row"

    def benchmark(self, fact: dict[str, str]) -> tuple[bool, str]:
        names, bench = self.names(fact["model_id"]), fact["benchmark_id"]
        if fact["source_id"].startswith(("lmarena-catalog-", "lmarena-history")):
            return self._arena_version(fact)
        if bench == "lmarena_text":
            rows = leaderboards.parse_lmarena(self.sources / "benchmarks/lmarena/lmarena_text.csv")
            hits = [r for r in rows if r.model.strip() in names and _close(r.score, fact["score"])]
            return bool(hits), f"{hits[0].model} {hits[0].score:g}" if hits else "no arena row with that score"
        if bench.startswith(("hf_v1_", "hf_v2_")):
            board = self.sources / "benchmarks/open_llm_leaderboard"
            parse = leaderboards.parse_hf_v1 if bench.startswith("hf_v1") else leaderboards.parse_hf_v2
            rows = parse(board / ("huggingface_v1.csv" if bench.startswith("hf_v1") else "huggingface_v2.csv"))
            key = bench.split("_", 2)[2]
            hits = [
                r
                for r in rows
                if r.fullname == fact["setting"]
                and _close(r.average if key == "average" else r.scores.get(key) or -1, fact["score"])
            ]
            return bool(hits) and fact["setting"] in names, f"{fact['setting']} {key}"
        if bench.startswith("epoch_"):
            runs = epoch.parse_benchmark_runs(self.sources / "model-catalogs/epoch-ai/epoch_benchmarks_runs.csv")
            hits = [r for r in runs if r.model in names and _close(r.score * 100, fact["score"])]
            return bool(hits), f"{hits[0].model} {hits[0].task}" if hits else "no Epoch run with that score"
        return False, f"no tracer for {bench}"

    def openness(self, fact: dict[str, str]) -> tuple[bool, str]:
        if fact["scheme"] != "eu_osai":
            return False, "no tracer for Opening up ChatGPT"
        systems = eu_osai.parse_index(self.sources / "eu-osai-index/models")
        hits = [
            s
            for s in systems
            if fact["system_name"] in (s.name, s.end_model)
            and (g := s.grades.get(fact["dimension"]))
            and g.grade == fact["grade"]
        ]
        named = fact["system_name"] in self.names(fact["model_id"])
        return bool(hits) and named, f"{hits[0].file} {fact['dimension']}={fact['grade']}" if hits else "no such grade"

    def transparency(self, fact: dict[str, str]) -> tuple[bool, str]:
        _, scores_csv, indicators = next(v for k, v in FMTI_EDITIONS.items() if k == fact["source_id"])
        scores = fmti.parse_scores(self.sources / scores_csv, self.sources / indicators, fact["edition"])
        domain = fact["domain"].lower()
        hits = [
            s
            for s in scores
            if _close(s.total if domain == "total" else getattr(s, domain), fact["score"])
            and fact["developer_id"].split("-")[0] in s.developer.lower().replace(" ", "")
        ]
        return bool(hits), f"{hits[0].developer} {fact['domain']}" if hits else "no developer column with that score"

    def model_attr(self, model_id: str, attr: str) -> tuple[bool, str]:
        row = self.models[model_id]
        value, source = row[attr], row.get({"release_date": "release_source_id", "params_b": "params_source_id"}[attr])
        names = self.names(model_id)
        if source == "epoch-notable":
            found = epoch.parse_notable_models(self.sources / "model-catalogs/epoch-ai/epoch_notable_ai_models.csv")
            hits = [e for e in found if e.name in names]
            got = [str(e.publication_date) if attr == "release_date" else (e.parameters or 0) / 1e9 for e in hits]
            ok = any(str(g) == value or (attr == "params_b" and _close(g, value)) for g in got if g)
            return ok, f"Epoch {hits[0].name}" if hits else "no Epoch row"
        if source == "eu-osai":
            systems = eu_osai.parse_index(self.sources / "eu-osai-index/models")
            hits = [s for s in systems if {s.name, s.end_model} & names and s.release and value.startswith(s.release)]
            return bool(hits), f"EU index {hits[0].file} {hits[0].release}" if hits else "no index release month"
        if source in ("hf-openllm-v2", "hf-openllm-v1"):
            v2 = source == "hf-openllm-v2"
            parse = leaderboards.parse_hf_v2 if v2 else leaderboards.parse_hf_v1
            file = "huggingface_v2.csv" if v2 else "huggingface_v1.csv"
            rows = parse(self.sources / "benchmarks/open_llm_leaderboard" / file)
            hits = [r for r in rows if r.fullname in names and r.params_b and _close(round(r.params_b, 2), value)]
            return bool(hits), f"{hits[0].fullname} params" if hits else "no leaderboard row with that size"
        return False, f"no tracer for {source}"

    def licence(self, model_id: str) -> tuple[bool, str]:
        row = self.models[model_id]
        if row["source_id"] == "llmcompare-curation":
            return True, "reviewed correction (data/curated/corrections.yaml)"
        if row["source_id"].startswith("lmarena"):
            import yaml

            mapping = yaml.safe_load((SEED.parent / "curated" / "license_names.yaml").read_text(encoding="utf-8"))
            rows = leaderboards.parse_lmarena(self.sources / "benchmarks/lmarena/lmarena_text.csv")
            hits = [r for r in rows if r.model.strip() in self.names(model_id)]
            ok = any(mapping.get(r.license) == row["license_id"] for r in hits)
            return ok, f"LMArena licence {hits[0].license!r}" if hits else "no arena row"
        if row["source_id"] == "eu-osai":
            systems = eu_osai.parse_index(self.sources / "eu-osai-index/models")
            hits = [s for s in systems if {s.name, s.end_model} & self.names(model_id)]
            return bool(hits), f"EU index {hits[0].end_model_license!r}" if hits else "no index row"
        return False, f"no tracer for {row['source_id']}"


def sample(seed: int) -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(seed)
    models = _rows("models")
    pools = {
        "price": _rows("prices"),
        "benchmark": [b for b in _rows("benchmarks") if b["benchmark_id"] not in ("mmlu", "gpqa", "math", "humaneval")],
        "openness": [o for o in _rows("openness") if o["scheme"] == "eu_osai"],
        "transparency": _rows("transparency"),
        "release": [m for m in models if m["release_date"] and m["release_source_id"] != "llmcompare-curation"],
        "params": [m for m in models if m["params_b"]],
        "licence": models,
    }
    return [(kind, fact) for kind, n in PLAN.items() for fact in rng.sample(pools[kind], n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    tracer = Tracer(args.sources)
    wrong = 0
    for kind, fact in sample(args.seed):
        if kind in ("release", "params"):
            ok, where = tracer.model_attr(fact["id"], "release_date" if kind == "release" else "params_b")
            label = f"{fact['id']} {kind}={fact['release_date' if kind == 'release' else 'params_b']}"
        elif kind == "licence":
            ok, where = tracer.licence(fact["id"])
            label = f"{fact['id']} licence={fact['license_id']}"
        else:
            ok, where = getattr(tracer, kind)(fact)
            subject = fact.get("model_id") or fact.get("developer_id")
            label = f"{subject} {fact.get('offering') or fact.get('benchmark_id') or fact.get('dimension') or ''}"
            label += f" {fact.get('domain', '')} {fact.get('edition', '')}".rstrip()
        wrong += not ok
        print(f"{'ok   ' if ok else 'CHECK'} {kind:<12} {label.strip()} <- {where}")
    print(f"{wrong} of {sum(PLAN.values())} facts not traced to a source row naming the same model")


if __name__ == "__main__":
    main()
