"""Builders for the files the import tests feed in: small, valid by default, each bad in one chosen way."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from llmcompare.facts.eu_osai import DIMENSIONS


def price_entry(provider: str, input_usd: float, output_usd: float, **extra: Any) -> dict[str, Any]:
    """One LiteLLM entry priced per million tokens, as the map writes it (per token)."""
    entry = {"litellm_provider": provider, "mode": "chat"}
    entry |= {"input_cost_per_token": input_usd / 1e6, "output_cost_per_token": output_usd / 1e6}
    return entry | extra


def litellm_map(entries: dict[str, dict[str, Any]]) -> bytes:
    return json.dumps({"sample_spec": {"mode": "one of: chat"}, **entries}, indent=1).encode()


# Against tests/fixtures/seed: one unchanged, one moved, one new offering, one unknown name, one out of scope.
FIXTURE_MAP = {
    "openai/gpt-4o": price_entry("openai", 2.5, 10, cache_read_input_token_cost=1.25e-06, max_input_tokens=128000),
    "openai/gpt-4o-mini": price_entry("openai", 0.2, 0.8, cache_read_input_token_cost=7.5e-08, max_input_tokens=128000),
    "deepinfra/Qwen/Qwen2.5-72B-Instruct": price_entry("deepinfra", 0.23, 0.4, max_input_tokens=32768),
    "mystery/gpt-4o-2099": price_entry("mystery", 1, 2),
    "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08},
}


def osai_yaml(name: str, end_model: str, org: str = "Google", grade: str = "open", **grades: str) -> str:
    """One EU OSAI system file; every dimension gets `grade` unless named in grades."""
    lines = [
        "system:",
        f"    name: {name}",
        "    type: text",
        f"    endmodelname: {end_model}",
        "    endmodel license: Gemma",
        "org:",
        f"    name: {org}",
    ]
    for dim in DIMENSIONS:
        lines.append(f"{dim}: {{class: {grades.get(dim, grade)}, link: https://example.org/{dim}, notes: }}")
    return "\n".join(lines) + "\n"


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def fmti_sheet(scores: dict[str, list[int]], domains: tuple[str, ...] = ("Upstream", "Model", "Downstream")) -> bytes:
    """A score sheet with a Domain column: one indicator per domain entry, one column per developer."""
    developers = list(scores)
    rows = ["Domain,Indicator," + ",".join(developers)]
    for i, domain in enumerate(domains):
        rows.append(f"{domain},Indicator {i}," + ",".join(str(scores[d][i]) for d in developers))
    return ("\n".join(rows) + "\n").encode()


def template_rows(*rows: str) -> bytes:
    """A filled-in template: the real header, then the given lines."""
    from llmcompare.imports.template import HEADER

    return ("\n".join([",".join(HEADER), *rows]) + "\n").encode()


def price_row(model: str = "gpt-4o", provider: str = "openai", inp: str = "2", out: str = "8", **kw: str) -> str:
    cells = {"fact": "price", "model": model, "provider": provider, "input_usd_per_1m": inp, "output_usd_per_1m": out}
    cells |= {"as_of": "2026-11-01", "source_url": "https://openai.com/api/pricing/"} | kw
    return _row(cells)


def benchmark_row(model: str = "gpt-4o", benchmark: str = "mmlu", score: str = "88.1", **kw: str) -> str:
    cells = {"fact": "benchmark", "model": model, "benchmark": benchmark, "score": score}
    cells |= {"as_of": "2026-11-01", "source_url": "https://example.org/paper"} | kw
    return _row(cells)


def _row(cells: dict[str, str]) -> str:
    from llmcompare.imports.template import HEADER

    return ",".join(cells.get(name, "") for name in HEADER)
