"""Coverage per kind of fact on the committed seed: how many models have a usable price, a licence, a benchmark
result, an FMTI-scored developer, openness grades, a release date and a parameter count.
    python -m bench.coverage
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from llmcompare.identity.corrections import artefact_reasons, reviewed_corrections

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


def _seed(name: str) -> pd.DataFrame:
    return pd.read_csv(SEED / f"{name}.csv", keep_default_na=False, na_values=[""])


def main() -> None:
    models, prices = _seed("models"), _seed("prices")
    usable = prices[[r is None for r in artefact_reasons(prices, reviewed_corrections())]]
    scored = set(_seed("transparency")["developer_id"])
    kinds = {
        "usable price (not an artefact)": set(usable["model_id"]),
        "any price, flagged ones included": set(prices["model_id"]),
        "licence": set(models.loc[models["license_id"].notna(), "id"]),
        "benchmark result": set(_seed("benchmarks")["model_id"]),
        "transparency (developer scored by FMTI)": set(models.loc[models["developer_id"].isin(scored), "id"]),
        "openness grades": set(_seed("openness")["model_id"]),
        "release date": set(models.loc[models["release_date"].notna(), "id"]),
        "parameter count": set(models.loc[models["params_b"].notna(), "id"]),
    }
    total = len(models)
    access = models["access"].value_counts().to_dict()
    print(f"{total} models ({access.get('open_weights', 0)} open weights, {access.get('api_only', 0)} API only)")
    print("| fact | models | share |\n|---|---|---|")
    for kind, ids in kinds.items():
        print(f"| {kind} | {len(ids)} | {len(ids) / total:.0%} |")


if __name__ == "__main__":
    main()
