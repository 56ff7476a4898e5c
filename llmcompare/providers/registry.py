"""Build a provider from a spec string such as `local:bundled` or `openai:gpt-4o-mini@http://localhost:8000/v1`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from llmcompare.providers.base import (
    OPENAI_BASE_URL,
    GenerationSettings,
    Provider,
    ProviderError,
    ProviderSpec,
    SpecError,
    Usage,
    parse_spec,
)
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


class UnavailableProvider:
    """Stands in for a provider that could not be built, so its side fails as data while the other side runs."""

    def __init__(self, spec: str, message: str) -> None:
        self.spec = spec
        self.model_name = spec.partition(":")[2] or spec
        self.message = message

    def stream(self, prompt: str, settings: GenerationSettings, stop: threading.Event) -> Iterator[str | Usage]:
        raise ProviderError(self.message)


def provider_or_error(
    spec: str | ProviderSpec,
    *,
    api_key: str | None = None,
    local_loader: Callable[[str], LocalModel] = load_local,
) -> Provider:
    """build_provider, except that a bad spec or a model that will not load becomes an UnavailableProvider."""
    try:
        return build_provider(spec, api_key=api_key, local_loader=local_loader)
    except (SpecError, ProviderError) as exc:
        return UnavailableProvider(str(spec), str(exc))
