"""What the store already holds, loaded once per preview: names to resolve against and the current facts."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, select

from llmcompare.config import DATA_DIR
from llmcompare.identity.names import Resolver, loose_keys, slug
from llmcompare.io.readers import read_yaml
from llmcompare.store import models as m
from llmcompare.store.imports import ImportRecord
from llmcompare.store.queries import current_grades, data_version

EU_OSAI = "eu_osai"
SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    """A known model or developer an unknown name may mean."""

    id: str
    label: str


@dataclass
class StoreContext:
    """The store as an import sees it; read-only, and cheap to rebuild for each preview."""

    version: str | None
    models: dict[str, dict[str, Any]]  # id -> name, developer_id
    developers: dict[str, str]  # id -> name
    licenses: dict[str, str]  # id -> kind
    benchmarks: dict[str, str]  # id -> unit
    aliases: dict[tuple[str, str], str]  # (scheme, name) -> model id
    prices: dict[str, list[dict[str, Any]]]  # offering -> its points, oldest first
    grades: dict[tuple[str, str], dict[str, Any]]  # (model id, dimension) -> newest EU OSAI grade
    fmti: dict[tuple[str, str, str], dict[str, Any]]  # (developer, edition, domain) -> score row
    scores: dict[tuple[str, str], dict[str, Any]]  # (model id, benchmark) -> newest result
    first_party: dict[str, set[str]]  # developer id -> providers that sell its own models
    litellm_sources: set[str]  # sources whose prices came from a LiteLLM map
    resolver: Resolver = field(default_factory=Resolver)
    _keys: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))

    def __post_init__(self) -> None:
        for model_id, row in self.models.items():
            self._index(model_id, [row["name"], model_id])
        for (_, name), model_id in self.aliases.items():
            self._index(model_id, [name])

    def _index(self, model_id: str, names: list[str]) -> None:
        self.resolver.add(model_id, names)
        for name in names:
            key = loose_keys(name)[-1]
            self._keys[key.split("-")[0]][key].add(model_id)

    def find_model(self, name: str, scheme: str) -> str | None:
        """A recorded alias of this source first, then a model id or any alias, then the loose keys."""
        name = name.strip()
        if (scheme, name) in self.aliases:
            return self.aliases[(scheme, name)]
        if name in self.models:
            return name
        return self.resolver.resolve(name)

    def suggest_models(self, name: str) -> list[Suggestion]:
        """Close matches among names whose key starts with the same word, best first."""
        key = loose_keys(name)[-1]
        bucket = self._keys.get(key.split("-")[0], {})
        ids: list[str] = []
        for match in difflib.get_close_matches(key, list(bucket), n=SUGGESTIONS * 2, cutoff=0.5):
            ids += [i for i in sorted(bucket[match]) if i not in ids]
        return [Suggestion(i, self.model_label(i)) for i in ids[:SUGGESTIONS]]

    def model_label(self, model_id: str) -> str:
        row = self.models[model_id]
        return f"{row['name']} ({self.developers.get(row['developer_id'], row['developer_id'])})"

    def find_developer(self, name: str) -> str | None:
        """A developer by id or name, ignoring case and punctuation; a unique first-word match also counts."""
        wanted = slug(name)
        by_slug = {slug(n): d for d, n in self.developers.items()} | {d: d for d in self.developers}
        if wanted in by_slug:
            return by_slug[wanted]
        first = {d for s, d in by_slug.items() if s.split("-")[0] == wanted.split("-")[0]}
        return first.pop() if len(first) == 1 else None

    def suggest_developers(self, name: str) -> list[Suggestion]:
        names = {n: d for d, n in self.developers.items()}
        close = difflib.get_close_matches(name, list(names), n=SUGGESTIONS, cutoff=0.4)
        return [Suggestion(names[n], n) for n in close]

    def current_price(self, offering: str, as_of: date) -> tuple[dict[str, Any] | None, date | None]:
        """The offering's point in force on as_of, and the date of a later point if there is one."""
        points = self.prices.get(offering, [])
        before = [p for p in points if p["as_of"] <= as_of]
        later = [p["as_of"] for p in points if p["as_of"] > as_of]
        return (before[-1] if before else None), (max(later) if later else None)


def load_context(engine: Engine, curated_dir: Path = DATA_DIR / "curated") -> StoreContext:
    """Read what an import compares against; a few thousand rows, well under a second."""
    with engine.connect() as conn:
        rows = partial(_rows, conn)
        models = {r["id"]: r for r in rows(select(m.Model.id, m.Model.name, m.Model.developer_id))}
        prices: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for point in rows(select(m.Price).order_by(m.Price.as_of, m.Price.id)):
            prices[point["offering"]].append(point)
        first_party = _curated_first_party(curated_dir / "developers.yaml")
        for point in (p for points in prices.values() for p in points if p["first_party"]):
            first_party[models[point["model_id"]]["developer_id"]].add(point["provider"])
        grades = current_grades()
        newest_grades = rows(select(grades).where(grades.c.scheme == EU_OSAI))
        result = m.BenchmarkResult
        scores = {}
        for row in rows(select(result).order_by(result.as_of, result.id)):
            scores[(row["model_id"], row["benchmark_id"])] = row
        return StoreContext(
            version=data_version(engine),
            models=models,
            developers=dict(conn.execute(select(m.Developer.id, m.Developer.name)).all()),
            licenses=dict(conn.execute(select(m.License.id, m.License.kind)).all()),
            benchmarks=dict(conn.execute(select(m.BenchmarkDef.id, m.BenchmarkDef.unit)).all()),
            aliases={(a.scheme, a.name): a.model_id for a in conn.execute(select(m.Alias)).all()},
            prices=dict(prices),
            grades={(g["model_id"], g["dimension"]): g for g in newest_grades},
            fmti={(t["developer_id"], t["edition"], t["domain"]): t for t in rows(select(m.TransparencyScore))},
            scores=scores,
            first_party=dict(first_party),
            litellm_sources=_litellm_sources(engine, conn),
        )


def _curated_first_party(path: Path) -> dict[str, set[str]]:
    """Each developer's own API providers as curated for the seed; prices seen in the store add to them."""
    first_party: dict[str, set[str]] = defaultdict(set)
    if path.is_file():
        for developer in read_yaml(path) or []:
            first_party[developer["id"]].update(developer.get("providers") or ())
    return first_party


def _rows(conn: Connection, stmt: Select) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(stmt).mappings()]


def _litellm_sources(engine: Engine, conn: Connection) -> set[str]:
    """Seed snapshots of the map (ids starting litellm) and the sources of earlier LiteLLM imports."""
    ids = {s for s in conn.execute(select(m.Source.id)).scalars() if s.startswith("litellm")}
    stmt = select(m.Source.id).join(ImportRecord, ImportRecord.id == m.Source.import_id)
    return ids | set(conn.execute(stmt.where(ImportRecord.kind == "litellm")).scalars())
