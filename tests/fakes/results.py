"""Stored-run building blocks for tests: a SideResult with plausible metrics, any of them overridable."""

from __future__ import annotations

from typing import Any

from llmcompare.providers.base import GenerationSettings, SideResult


def side_result(spec: str = "fake:model", text: str = "hi", **changes: Any) -> SideResult:
    """One side of a run, named after its spec ("provider:model"), that finished without an error."""
    values: dict[str, Any] = {
        "spec": spec,
        "model_name": spec.split(":", 1)[1],
        "settings": GenerationSettings(),
        "text": text,
        "ttft_s": 0.1,
        "total_s": 1.0,
        "input_tokens": 5,
        "output_tokens": 9,
        "tokens_per_s": 10.0,
        "cost_usd": None,
        "cost_basis": "no price on record",
    }
    return SideResult(**{**values, **changes})
