"""Providers: one protocol, a local transformers model and any OpenAI-compatible endpoint."""

from llmcompare.providers.base import (
    BUNDLED,
    GenerationSettings,
    Provider,
    ProviderError,
    ProviderSpec,
    SpecError,
    Usage,
    parse_spec,
)

__all__ = [
    "BUNDLED",
    "GenerationSettings",
    "Provider",
    "ProviderError",
    "ProviderSpec",
    "SpecError",
    "Usage",
    "parse_spec",
]
