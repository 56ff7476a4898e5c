"""Canonical models: who they are, who built them, how they are licensed, and every name they go by."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llmcompare.facts.curated import Curated
from llmcompare.identity.names import (
    Resolver,
    base_name,
    family_maker,
    family_of,
    is_plain_family_name,
    maker_from_name,
    name_month,
    pretty_name,
    slug,
    strict_key,
    strip_date,
)
from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS

PROPRIETARY = "proprietary-api"
CURATION = "llmcompare-curation"


@dataclass
class Catalog:
    """The canonical models being assembled, with the resolver that finds them by any name."""

    cur: Curated
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    extra_developers: dict[str, dict[str, Any]] = field(default_factory=dict)
    resolver: Resolver = field(default_factory=Resolver)
    skipped: Counter = field(default_factory=Counter)
    overrides: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # Names that are a model run with a request setting (reasoning effort, thinking budget), by strict key.
    variants: dict[str, str] = field(default_factory=dict)
    pending: list[tuple[str, tuple[str, ...], dict[str, Any]]] = field(default_factory=list)

    def developer_id(self, org: str | None, source_id: str) -> str | None:
        """The developer for an organisation name, creating one from the source when it is new."""
        if not org or not org.strip():
            return None
        known = self.cur.developer_for(org)
        if known:
            return known
        dev_id = slug(org)
        self.extra_developers.setdefault(
            dev_id,
            {
                "id": dev_id,
                "name": org.strip(),
                "country": None,
                "url": None,
                "source_id": source_id,
                "as_of": self.cur.source_as_of[source_id],
            },
        )
        self.cur.developer_alias.setdefault(slug(org), dev_id)
        return dev_id

    def add_model(self, name: str, developer_id: str, license_id: str, source_id: str, scheme: str) -> str | None:
        """Register a new canonical model under a unique id and remember the name the source used."""
        fix = self.overrides.get((scheme, name.strip()), {})
        if fix.get("exclude"):
            self.skipped[f"{scheme}: excluded by model_overrides.yaml"] += 1
            return None
        if fix.get("same_as"):
            return self.fold(scheme, (name,), fix)
        model_id = slug(name)
        while model_id in self.models:
            model_id += "-x"
        access = API_ONLY if license_id == PROPRIETARY else OPEN_WEIGHTS
        self.models[model_id] = {
            "id": model_id,
            "name": name.strip(),
            "developer_id": developer_id,
            "family": family_of(name),
            "access": access,
            "license_id": license_id,
            "source_id": source_id,
            "as_of": self.cur.source_as_of[source_id],
        }
        if fix.get("set"):
            self.models[model_id].update(fix["set"], source_id=CURATION, as_of=self.cur.source_as_of[CURATION])
        self.add_alias(scheme, name, model_id)
        return model_id

    def fold(self, scheme: str, names: tuple[str, ...], fix: dict[str, Any]) -> str | None:
        """Record names as another model's (a `same_as` entry); wait for that model when no source made it yet.

        same_as is the base's name in the same source, else a catalogue model id; `setting` marks a request
        setting of the base (its scores then never stand in for the base's own)."""
        base = fix["same_as"]
        target = self.aliases.get((scheme, base)) or (base if base in self.models else None)
        if target is None:
            self.pending.append((scheme, names, fix))
            return None
        for name in names:
            self.add_alias(scheme, name, target)
            if fix.get("setting"):
                self.variants[strict_key(name)] = fix["setting"]
        return target

    def fold_pending(self) -> None:
        """Fold the names whose base model a later source created, and those no model list named (a board's own
        spelling), so every source finds them; a base that never appeared is an error."""
        pending, self.pending = self.pending, []
        overrides = self.overrides.items()
        unseen = [(s, (n,), f) for (s, n), f in overrides if f.get("same_as") and (s, n) not in self.aliases]
        for scheme, names, fix in pending + unseen:
            if self.fold(scheme, names, fix) is None:
                raise KeyError(f"model_overrides.yaml: {names[0]!r} is same_as unknown {fix['same_as']!r}")

    def variant_setting(self, name: str) -> str | None:
        """The request setting a name stands for ('reasoning effort high'), or None for a model's own name."""
        return self.variants.get(strict_key(name))

    def own_names_first(self, rows: list, name: Callable[[Any], str]) -> list:
        """Rows under a model's own name before rows under a variant's, so a setting's score never displaces it."""
        return sorted(rows, key=lambda row: self.variant_setting(name(row)) is not None)

    def variant_note(self, name: str, setting: str | None) -> str | None:
        """The setting text for a score measured on a variant: the source's own, then which name and setting."""
        variant = self.variant_setting(name)
        if variant is None:
            return setting
        note = f"as {name.strip()} ({variant})"
        return f"{setting}; {note}"[:120] if setting else note[:120]

    def add_alias(self, scheme: str, name: str, model_id: str, resolvable: bool = True) -> None:
        """Record that a source calls model_id by name, and (unless a family name) let the resolver find it so."""
        key = (scheme, name.strip())
        if key in self.aliases:
            return
        self.aliases[key] = model_id
        if resolvable:
            self.resolver.add(model_id, [name])

    def pin_aliases(self) -> None:
        """Apply the hand-checked name -> model mappings, once the models they point at exist."""
        for (scheme, name), fix in self.overrides.items():
            if fix.get("model"):
                if fix["model"] not in self.models:
                    raise KeyError(f"model_overrides.yaml: {name!r} points at unknown model {fix['model']!r}")
                self.aliases[(scheme, name)] = fix["model"]

    def find(
        self, name: str, developer_id: str | None = None, max_level: int = 3, scheme: str | None = None
    ) -> str | None:
        """Resolve a name: a recorded alias of this scheme first, then by key, optionally among one developer's."""
        if scheme and (scheme, name.strip()) in self.aliases:
            return self.aliases[(scheme, name.strip())]
        if developer_id is None:
            return self.resolver.resolve(name, max_level=max_level)
        return self.resolver.resolve(
            name, accept=lambda m: self.models[m]["developer_id"] == developer_id, max_level=max_level
        )

    def set_attr(self, model_id: str, attr: str, value: Any, source_id: str, source_col: str) -> None:
        """Set an attribute with its own source, keeping the first source that gave it."""
        row = self.models[model_id]
        if value is None or row.get(attr) is not None:
            return
        row[attr] = value
        row[source_col] = source_id

    def alias_rows(self) -> list[dict[str, Any]]:
        return [{"scheme": s, "name": n, "model_id": m} for (s, n), m in self.aliases.items()]


def add_arena_models(cat: Catalog, rows, source_id: str) -> None:
    """LMArena's text board is the backbone: each row is a model with an organisation and a licence.

    Rows that model_overrides.yaml marks as another row's model (a thinking budget of the same API version) come
    last, once the model they belong to exists."""
    merged = {name for (scheme, name), fix in cat.overrides.items() if scheme == "lmarena" and fix.get("same_as")}
    for row in sorted(rows, key=lambda r: r.model.strip() in merged):
        license_id = cat.cur.license_for(row.license)
        developer_id = cat.developer_id(row.organization, source_id)
        if license_id is None or developer_id is None:
            cat.skipped["lmarena: no licence or organisation"] += 1
            continue
        if cat.find(row.model, max_level=0):
            continue
        cat.add_model(row.model, developer_id, license_id, source_id, "lmarena")


_SKIP_API = re.compile(
    r"(^ft:|audio|tts|realtime|search|transcribe|image|embed|computer-use|moderation|robotics|lyria|deep-research"
    r"|learnlm|customtools|gv2|multi-agent|-latest$|gemma|gpt-oss|live|native|vision-exp|babbage|davinci|instruct$"
    r"|beta|experimental|reasoning|preview-\d\d-)"
)


def add_api_models(cat: Catalog, offers, source_id: str) -> None:
    """Closed models that only the developers' own APIs list (newer than the arena snapshot)."""
    closed_devs = {"openai", "anthropic", "google", "xai"}
    for offer in offers:
        name = base_name(offer.key)
        # The name says who made it; a host (vertex_ai selling Grok) only sells it and never becomes its maker.
        developer_id = maker_from_name(name)
        sells_own = developer_id in closed_devs and offer.provider in cat.cur.first_party.get(developer_id, ())
        if not sells_own or _SKIP_API.search(name.lower()):
            continue
        if cat.find(offer.key, developer_id, max_level=1):
            continue
        undated = strip_date(strict_key(name))
        existing = cat.find(undated, developer_id, max_level=0)
        if existing:
            cat.add_alias("litellm", offer.key, existing)
            continue
        display = pretty_name(strip_date(name.lower()), offer.provider)
        model_id = cat.add_model(display, developer_id, PROPRIETARY, source_id, "api")
        if model_id:
            cat.add_alias("litellm", offer.key, model_id)


_OPEN_GRADES = {"open", "partial"}


def own_model_name(system, developer_id: str | None) -> str | None:
    """The index's name for the system's own model, correcting entries that give the base as the end model.

    Guru lists Qwen2.5-32B as its end model and Guru-32B as its base; a plain family name of another developer is
    the base a derivative was trained from, so the system's own model is the other one."""
    end, base = system.end_model, system.base_model
    maker = family_maker(end) if end and is_plain_family_name(end) else None
    if maker and developer_id and maker != developer_id and base and not is_plain_family_name(base):
        return base
    return end


def is_family_entry(system) -> bool:
    """Whether an index system's release month is its family's, not its end model's.

    The end model's own name may give a later month (Devstral-2-123B-Instruct-2512 under "Devstral 2", dated
    2025-05); then the index's month belongs to the family's first release and would date the member too early."""
    month = name_month(system.end_model) if system.end_model else None
    return bool(month and system.release and system.release[:7] < f"{month[0]}-{month[1]:02d}")


def add_osai_models(cat: Catalog, systems, source_id: str) -> dict[str, str]:
    """EU Open Source AI Index systems: match them to known models, add the text/code ones that are new."""
    matched: dict[str, str] = {}
    for system in systems:
        if system.type not in ("text", "code"):
            continue
        developer_id = cat.developer_id(system.org, source_id)
        names = [n for n in (own_model_name(system, developer_id), system.name) if n]
        model_id = next((m for n in names if (m := cat.find(n, developer_id, 2, "eu_osai"))), None)
        if model_id is None:
            weights = system.grades.get("weights_endmodel")
            license_id = cat.cur.license_for(system.end_model_license)
            if developer_id is None or license_id is None or license_id == PROPRIETARY:
                cat.skipped["eu_osai: licence or organisation not known"] += 1
                continue
            if weights is None or weights.grade not in _OPEN_GRADES:
                cat.skipped["eu_osai: weights not available"] += 1
                continue
            model_id = cat.add_model(names[0], developer_id, license_id, source_id, "eu_osai")
            if model_id is None:
                continue
        for name in names:
            # A system named for its family (K2 grading K2-Think-V2, Amber grading AmberSafe) is recorded, but its
            # name must not lead other sources' "K2" or "Amber" to the member.
            own = strict_key(name) == strict_key(names[0])
            cat.add_alias("eu_osai", name, model_id, resolvable=own)
        matched[system.file] = model_id
    return matched
