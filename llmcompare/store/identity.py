"""The identity rules applied to what the store holds: names a user, a run or a vote gives -> one catalogue model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import Engine, inspect, select

from llmcompare.identity.names import Resolver, is_latest_alias
from llmcompare.providers.base import OPENAI_BASE_URL, SpecError, parse_spec
from llmcompare.store import models as m

_AMBIGUOUS = ""  # a name two models go by names neither


@dataclass
class NameIndex:
    """Every name the store knows for each model: ids, display names, aliases and priced offerings."""

    names: dict[str, str]  # model id -> display name
    exact: dict[str, str] = field(default_factory=dict)  # lower-case name -> model id, or "" when ambiguous
    resolver: Resolver = field(default_factory=Resolver)

    def _put(self, name: str, model_id: str, authoritative: bool = False) -> None:
        key = name.strip().lower()
        if authoritative or key not in self.exact:
            self.exact[key] = model_id
        elif self.exact[key] != model_id:
            self.exact[key] = _AMBIGUOUS

    def model_id(self, name: str | None) -> str | None:
        """The model a name stands for: exactly as written (with or without a provider/ prefix), else by key."""
        if not name or not str(name).strip():
            return None
        key = str(name).strip().lower()
        for candidate in (key, key.split("/", 1)[-1], key.rsplit("/", 1)[-1]):
            if candidate in self.exact:
                return self.exact[candidate] or None
        return None if is_latest_alias(key) else self.resolver.resolve(key)

    def label(self, name: str) -> str:
        """The catalogue's display name for a name, or the name itself when no single model goes by it."""
        model_id = self.model_id(name)
        return self.names[model_id] if model_id else name


def name_index(engine: Engine) -> NameIndex:
    """Build the index once per read; model ids and display names win over aliases that collide with them."""
    if not inspect(engine).has_table(m.Model.__tablename__):
        return NameIndex(names={})
    with engine.connect() as conn:
        models = conn.execute(select(m.Model.id, m.Model.name)).all()
        aliases = conn.execute(select(m.Alias.name, m.Alias.model_id).order_by(m.Alias.scheme, m.Alias.name)).all()
        offerings = conn.execute(select(m.Price.offering, m.Price.model_id).distinct()).all()
    index = NameIndex(names=dict(models))
    for model_id, name in models:
        index.resolver.add(model_id, [name, model_id])
    for name, model_id in [*aliases, *offerings]:
        if not is_latest_alias(name):
            index._put(name, model_id)
            index._put(name.rsplit("/", 1)[-1], model_id)
            index.resolver.add(model_id, [name])
    for model_id, name in models:
        index._put(model_id, model_id, authoritative=True)
        index._put(name, model_id, authoritative=True)
    return index


def spec_target(spec: str) -> tuple[str, str]:
    """A provider spec's model name and where it runs: ('gpt-4o-mini', 'OpenAI'), ('bundled', 'local')."""
    try:
        parsed = parse_spec(spec)
    except SpecError:
        return spec, ""
    if parsed.kind == "local":
        return Path(parsed.target).name or parsed.target, "local"
    if parsed.base_url in (None, OPENAI_BASE_URL):
        return parsed.target, "OpenAI"
    return parsed.target, urlparse(parsed.base_url).netloc


def spec_identity(index: NameIndex, spec_or_name: str) -> tuple[str | None, str]:
    """A run side's catalogue model id (None when unknown) and the one key runs and votes are grouped by.

    The key is the catalogue model's name, so two specs that reach the same model (gpt-4o-mini at OpenAI and
    through a proxy) share it; a model no catalogue entry matches keeps its own name and where it ran."""
    target, where = spec_target(str(spec_or_name))
    model_id = index.model_id(target)
    if model_id:
        return model_id, index.names[model_id]
    if not where:
        return None, target
    if where == "local":
        return None, f"{target} (local)"
    return None, f"{target} (OpenAI)" if where == "OpenAI" else f"{target} @ {where}"


def model_key(index: NameIndex, spec_or_name: str) -> str:
    """The grouping key of a run side or a vote's side: see spec_identity."""
    return spec_identity(index, spec_or_name)[1]
