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
from llmcompare.providers.endpoints import EndpointRules, Refused, Route, check_budget, check_local, route
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


def checked_route(
    spec: ProviderSpec,
    rules: EndpointRules,
    typed_key: str | None,
    team_access: bool,
    spent_usd: Callable[[str], float],
) -> Route:
    """The URL and key an API side may use under the server's rules, its endpoint's daily budget included."""
    chosen = route(spec, rules, typed_key, team_access)
    if chosen.endpoint is not None and chosen.endpoint.daily_budget_usd is not None:
        check_budget(chosen.endpoint, spent_usd(chosen.endpoint.name))
    return chosen


def guarded_provider(
    spec: str | ProviderSpec,
    rules: EndpointRules,
    *,
    typed_key: str | None,
    team_access: bool,
    spent_usd: Callable[[str], float],
    from_link: bool = False,
    local_loader: Callable[[str], LocalModel] = load_local,
) -> Provider:
    """A provider that obeys the server's rules; a side they refuse fails on its own with the reason."""
    try:
        parsed = parse_spec(spec) if isinstance(spec, str) else spec
        if parsed.kind == "local":
            source = check_local(parsed.target, rules, from_link)
            return build_provider(ProviderSpec("local", source), local_loader=local_loader)
        chosen = checked_route(parsed, rules, typed_key, team_access, spent_usd)
        provider = OpenAICompatProvider(chosen.spec.target, chosen.spec.base_url or OPENAI_BASE_URL, chosen.api_key)
        provider.spec = chosen.stored_spec
        return provider
    except (Refused, SpecError, ProviderError) as exc:
        return UnavailableProvider(str(spec), str(exc))
