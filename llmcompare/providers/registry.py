"""Build a provider from a spec string such as `local:bundled` or `openai:gpt-4o-mini@http://localhost:8000/v1`."""

from __future__ import annotations

from collections.abc import Callable

from llmcompare.providers.base import OPENAI_BASE_URL, Provider, ProviderSpec, parse_spec
from llmcompare.providers.local_hf import LocalHFProvider, LocalModel, load_local
from llmcompare.providers.openai_compat import OpenAICompatProvider

DEFAULT_LEFT = "local:bundled"
DEFAULT_RIGHT = "openai:gpt-4o-mini"


def build_provider(
    spec: str | ProviderSpec,
    *,
    api_key: str | None = None,
    local_loader: Callable[[str], LocalModel] = load_local,
) -> Provider:
    """A ready provider; the UI passes a cached local_loader so that each model loads once per process."""
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    if parsed.kind == "local":
        return LocalHFProvider(local_loader(parsed.target), str(parsed))
    return OpenAICompatProvider(parsed.target, parsed.base_url or OPENAI_BASE_URL, api_key)
