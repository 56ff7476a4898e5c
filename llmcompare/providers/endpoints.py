"""Endpoints the server trusts, and where a key may go.

A key the server holds (an [endpoints.NAME] key, or OPENAI_API_KEY in secrets or the environment) is only ever sent
to the base URL configured with it. Any other URL, typed by a visitor or carried by a link, runs only with a key the
visitor typed in this session. Link-local and cloud-metadata addresses are refused always.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from llmcompare.providers.base import BUNDLED, OPENAI_BASE_URL, ProviderSpec

KEY_ENV = "OPENAI_API_KEY"
URL_ENV = "OPENAI_BASE_URL"  # the openai SDK's own name for where OPENAI_API_KEY goes
CUSTOM_SETTING = "LLMCOMPARE_CUSTOM_ENDPOINTS"
MODELS_DIR_SETTING = "LLMCOMPARE_MODELS_DIR"
DEFAULT_NAME = "openai"  # the endpoint OPENAI_API_KEY belongs to, unless [endpoints.openai] says otherwise
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
# Cloud instance metadata and link-local addresses: a request there can hand out the machine's own credentials.
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "100.100.100.200/32", "0.0.0.0/8", "::/128")
)
METADATA_HOSTS = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"}
)


class Refused(ValueError):
    """A run the server's rules do not allow, worded for the user."""


def blocked_address(address: str) -> bool:
    """Whether an IP address is link-local or cloud metadata (IPv4-mapped IPv6 included)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in BLOCKED_NETWORKS if net.version == ip.version)


def check_url(url: str) -> str:
    """The URL without a trailing slash; Refused for a scheme other than http(s), or a metadata or link-local host."""
    url = url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError as exc:
        raise Refused(f"{url!r} is not a URL this app can call ({exc}).") from None
    if parts.scheme not in ("http", "https") or not host:
        raise Refused(f"The base URL must start with http:// or https:// and name a host, as in http://{url}.")
    if parts.username or parts.password:
        raise Refused("The base URL may not carry a user name or password; type the key in the sidebar instead.")
    if host in METADATA_HOSTS or blocked_address(host):
        raise Refused(f"{host} is a cloud-metadata or link-local address; this app never calls one.")
    return url


@dataclass(frozen=True)
class Endpoint:
    """One endpoint the team configured: its URL, its key (never shown), its models and its daily budget."""

    name: str
    base_url: str
    api_key: str | None = field(default=None, repr=False)
    models: tuple[str, ...] = ()
    daily_budget_usd: float | None = None

    def allows(self, model: str) -> bool:
        """Whether model may run here; an empty list allows any model."""
        return not self.models or model in self.models


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{CUSTOM_SETTING} must be true or false, got {value!r}")


def _endpoint(name: str, section: Mapping[str, Any]) -> Endpoint:
    if not NAME.match(name):
        raise ValueError(f"[endpoints.{name}]: a name is letters, digits, - and _, at most 40 characters")
    raw_url = str(section.get("base_url") or "").strip()
    if not raw_url:
        raise ValueError(f"[endpoints.{name}] needs a base_url")
    try:
        url = check_url(raw_url)
    except Refused as exc:
        raise ValueError(f"[endpoints.{name}]: {exc}") from None
    models = section.get("models") or ()
    budget = section.get("daily_budget_usd")
    if budget is not None and not (isinstance(budget, int | float) and budget >= 0):
        raise ValueError(f"[endpoints.{name}] daily_budget_usd must be a number of US dollars, 0 or more")
    key = str(section.get("api_key") or "").strip() or None
    models = (models,) if isinstance(models, str) else tuple(str(m) for m in models)
    return Endpoint(name, url, key, models, None if budget is None else float(budget))


@dataclass(frozen=True)
class EndpointRules:
    """The configured endpoints, whether visitors may use other URLs, and the folder local models may come from."""

    endpoints: Mapping[str, Endpoint] = field(default_factory=dict)
    custom_urls: bool = True
    models_dir: Path | None = None

    @classmethod
    def from_mapping(cls, secrets: Mapping[str, Any], env: Mapping[str, str]) -> EndpointRules:
        """Rules from secrets ([endpoints.NAME], OPENAI_API_KEY, settings) with the environment beneath them."""
        found = {name: _endpoint(name, dict(sec)) for name, sec in dict(secrets.get("endpoints") or {}).items()}
        server_key = str(secrets.get(KEY_ENV) or env.get(KEY_ENV) or "").strip()
        if server_key and DEFAULT_NAME not in found:
            url = str(secrets.get(URL_ENV) or env.get(URL_ENV) or OPENAI_BASE_URL)
            found[DEFAULT_NAME] = _endpoint(DEFAULT_NAME, {"base_url": url, "api_key": server_key})
        custom = secrets.get(CUSTOM_SETTING, env.get(CUSTOM_SETTING, True))
        folder = str(secrets.get(MODELS_DIR_SETTING) or env.get(MODELS_DIR_SETTING) or "").strip()
        return cls(found, _flag(custom), Path(folder).expanduser().resolve() if folder else None)

    def _by_name(self, spec: ProviderSpec) -> tuple[Endpoint, str] | None:
        """The endpoint and model of `openai:MODEL@NAME`, which parses as a model at OpenAI's URL."""
        model, _, name = spec.target.rpartition("@")
        if spec.kind == "openai" and model and name in self.endpoints and spec.base_url == OPENAI_BASE_URL:
            return self.endpoints[name], model
        return None

    def named(self, spec: ProviderSpec) -> Endpoint | None:
        """The endpoint a spec names: `openai:MODEL@NAME`, or a base URL equal to a configured one."""
        if spec.kind != "openai":
            return None
        if by_name := self._by_name(spec):
            return by_name[0]
        return next((e for e in self.endpoints.values() if e.base_url == spec.base_url), None)

    def expand(self, spec: ProviderSpec) -> ProviderSpec:
        """`openai:MODEL@NAME` as the model at that endpoint's URL; any other spec as it is."""
        by_name = self._by_name(spec)
        return ProviderSpec("openai", by_name[1], by_name[0].base_url) if by_name else spec


@dataclass(frozen=True)
class Route:
    """Where one side's request goes and with which key; the key is for the provider only, never shown."""

    spec: ProviderSpec
    api_key: str | None = field(repr=False)
    endpoint: Endpoint | None  # set when the team's key pays, so that its budget counts the run
    key_origin: str

    @property
    def stored_spec(self) -> str:
        """The spec a run keeps: a run paid by a team endpoint names it, so its budget and re-runs find it."""
        if self.endpoint is not None and self.endpoint.name != DEFAULT_NAME:
            return f"openai:{self.spec.target}@{self.endpoint.name}"
        return str(self.spec)


def route(spec: ProviderSpec, rules: EndpointRules, typed_key: str | None, team_access: bool) -> Route:
    """Decide the URL and key for an API side, or raise Refused saying why it may not run."""
    spec = rules.expand(spec)
    url = check_url(spec.base_url or OPENAI_BASE_URL)
    spec = ProviderSpec("openai", spec.target, url)
    endpoint = rules.named(spec)
    typed_key = (typed_key or "").strip() or None
    if endpoint is None:
        if not rules.custom_urls:
            names = ", ".join(sorted(rules.endpoints)) or "none configured"
            raise Refused(f"This server runs only its own endpoints ({names}); other URLs are turned off.")
        if typed_key is None:
            raise Refused(
                f"{url} is not one of this server's endpoints, so it runs only with an API key you type in the "
                "sidebar. The server's keys go only to their own endpoints."
            )
        return Route(spec, typed_key, None, "your key")
    if not endpoint.allows(spec.target):
        raise Refused(f"Endpoint {endpoint.name} allows only {', '.join(endpoint.models)}, not {spec.target!r}.")
    if typed_key is not None:
        return Route(spec, typed_key, None, "your key")
    if not team_access:
        raise Refused(
            f"Your role may not use the team's key for {endpoint.name}; type your own API key in the sidebar, "
            "or ask an editor of this server for the member role."
        )
    if endpoint.api_key is None:
        raise Refused(f"Endpoint {endpoint.name} has no api_key in secrets; type your own key in the sidebar.")
    return Route(spec, endpoint.api_key, endpoint, f"the team's key for {endpoint.name}")


def check_budget(endpoint: Endpoint, spent_today_usd: float) -> None:
    """Refused when the endpoint's daily budget (UTC day) is already spent."""
    budget = endpoint.daily_budget_usd
    if budget is not None and spent_today_usd >= budget:
        raise Refused(
            f"Endpoint {endpoint.name} has spent USD {spent_today_usd:.2f} of its USD {budget:.2f} budget today "
            "(UTC); it runs again tomorrow, or with your own key."
        )


def check_local(source: str, rules: EndpointRules, from_link: bool) -> str:
    """The local source to load; a link may only name the bundled model or a model in the configured folder."""
    source = source.strip() or BUNDLED
    if source == BUNDLED:
        return source
    folder = rules.models_dir
    if folder is not None:
        candidate = (folder / source).resolve()
        if candidate.is_relative_to(folder) and candidate != folder and candidate.exists():
            return str(candidate)
    if from_link:
        where = f" or a model in {folder.name}/ named by its folder" if folder else ""
        raise Refused(
            f"A link may only run the bundled model{where}, not {source!r}. Type the model in yourself to load it."
        )
    return source
