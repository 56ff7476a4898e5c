"""The preview of an import: each fact compared with the store (new, changed old -> new, unchanged, no longer
present), unknown names with suggestions, and the exact rows that applying it will write."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from llmcompare.facts import eu_osai
from llmcompare.identity.names import family_of, slug
from llmcompare.imports import formats, template
from llmcompare.imports.context import EU_OSAI, StoreContext, Suggestion
from llmcompare.imports.upload import Options, Problem, Upload, size_problem, suffix_problem
from llmcompare.io.errors import FormatError
from llmcompare.store.imports import row_json
from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS

READERS = {
    "litellm": formats.read_litellm,
    "eu-osai": formats.read_eu_osai,
    "fmti": formats.read_fmti,
    "csv": template.read_template,
}
SCHEMES = {"litellm": "litellm", "eu-osai": EU_OSAI, "csv": "manual"}
MAX_SCORE = {"percent": 100.0, "elo": 4000.0}


@dataclass(frozen=True)
class NewModel:
    """A model to add for an unknown name: who built it and under which licence."""

    name: str
    developer_id: str
    license_id: str


@dataclass
class Decisions:
    """What the user said about unknown names: which known model (or developer) each means, or add it as new."""

    mapped: dict[str, str] = field(default_factory=dict)
    added: dict[str, NewModel] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One line of the preview."""

    change: str  # new | changed | unchanged | confirmed (unchanged, recorded again on a later date) | gone | added
    subject: str
    fact: str
    old: str | None = None
    new: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Write:
    """One row applying the import will add, or, with update_id, overwrite (same key and date)."""

    table: str
    values: dict[str, Any]
    change: Change
    source: int = 0  # which of the import's sources the row cites
    update_id: int | None = None
    old_row: dict[str, Any] | None = None


@dataclass(frozen=True)
class Unknown:
    """A name in the file that matches no model (or developer), with how many facts hang on it."""

    name: str
    facts: int
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class Plan:
    """Everything the user reviews before applying, and everything apply needs."""

    kind: str
    file_name: str
    sha256: str
    size_bytes: int
    as_of: date
    source_urls: tuple[str | None, ...]
    problems: tuple[Problem, ...]
    skipped: dict[str, int]
    unknown: tuple[Unknown, ...]
    changes: tuple[Change, ...]
    writes: tuple[Write, ...]
    data_version: str | None

    @property
    def blocked(self) -> bool:
        """A file with any problem is not applied at all."""
        return bool(self.problems)

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(c.change for c in self.changes)
        added = Counter(w.table for w in self.writes if w.change.change == "added")
        return {
            **{k: tally[k] for k in ("new", "changed", "unchanged", "confirmed", "gone")},
            "unknown": len(self.unknown),
            "skipped": sum(self.skipped.values()),
            "errors": len(self.problems),
            "models_added": added["models"],
            "aliases_added": added["aliases"],
        }


def build_plan(ctx: StoreContext, upload: Upload, options: Options, decisions: Decisions | None = None) -> Plan:
    """Read and check the file, then compare it with the store. Never writes."""
    early = (size_problem(upload, options.max_bytes), suffix_problem(upload))
    parsed = formats.Parsed(problems=[p for p in early if p])
    if not parsed.problems:
        try:
            parsed = READERS[upload.kind](upload, options)
        except FormatError as exc:
            parsed = formats.Parsed(problems=[Problem(exc.reason, exc.row, exc.field)])
        except ValueError as exc:
            parsed = formats.Parsed(problems=[Problem(str(exc))])
    plan = _Planner(ctx, parsed, decisions or Decisions(), upload.kind, options)
    if parsed.facts:  # the good rows of a file with problems are previewed too, though it cannot be applied
        DIFFERS[upload.kind](plan, options)
    return Plan(
        kind=upload.kind,
        file_name=upload.name,
        sha256=upload.sha256,
        size_bytes=upload.size,
        as_of=options.as_of,
        source_urls=tuple(parsed.source_urls),
        problems=tuple(parsed.problems),
        skipped=dict(parsed.skipped),
        unknown=tuple(plan.unknowns()),
        changes=tuple(plan.changes),
        writes=tuple(plan.writes),
        data_version=ctx.version,
    )


class _Planner:
    """Collects the preview while resolving names, so each new model or alias is written once and first."""

    def __init__(self, ctx: StoreContext, parsed: formats.Parsed, decisions: Decisions, kind: str, options: Options):
        self.ctx, self.parsed, self.decisions = ctx, parsed, decisions
        self.as_of, self.confirm = options.as_of, options.confirm_unchanged
        self.scheme = SCHEMES.get(kind, "")
        self.names_developers = kind == "fmti"
        self.changes: list[Change] = []
        self.writes: list[Write] = []
        self.unknown: Counter[str] = Counter()
        self.new_ids: dict[str, str] = {}  # unknown name -> id of the model added for it
        self.new_aliases: set[str] = set()

    def problem(self, reason: str, row: int | str | None, field: str | None = None) -> None:
        self.parsed.problems.append(Problem(reason, row, field))

    def record(self, change: Change, table: str | None = None, values: dict[str, Any] | None = None, **write) -> None:
        self.changes.append(change)
        if table is not None:
            self.writes.append(Write(table, values or {}, change, **write))

    def label(self, model_id: str) -> str:
        added = {v: k for k, v in self.new_ids.items()}
        return f"{added[model_id]} (new)" if model_id in added else self.ctx.model_label(model_id)

    def model_for(self, name: str, also: tuple[str, ...] = (), row: int | str | None = None) -> str | None:
        """The model a name means: the user's decision, else the store's aliases and keys; unknown names are noted."""
        if name in self.decisions.mapped:
            target = self.decisions.mapped[name]
            if target not in self.ctx.models:
                self.problem(f"{name!r} is mapped to {target!r}, which is not a model in the store", row)
                return None
            self._alias(name, target)
            return target
        if name in self.decisions.added:
            return self._add_model(name, self.decisions.added[name], row)
        for candidate in (name, *also):
            if found := self.ctx.find_model(candidate, self.scheme):
                if self.scheme != "manual":
                    self._alias(candidate, found)
                return found
        self.unknown[name] += 1
        return None

    def _alias(self, name: str, model_id: str) -> None:
        key = (self.scheme, name.strip())
        if key in self.ctx.aliases or key[1] in self.new_aliases:
            return
        self.new_aliases.add(key[1])
        change = Change("added", self.label(model_id), "alias", None, f"{self.scheme}: {key[1]}")
        self.record(change, "aliases", {"scheme": self.scheme, "name": key[1], "model_id": model_id})

    def _add_model(self, name: str, spec: NewModel, row: int | str | None) -> str | None:
        if name in self.new_ids:
            return self.new_ids[name]
        if spec.developer_id not in self.ctx.developers or spec.license_id not in self.ctx.licenses:
            self.problem(f"cannot add {name!r}: choose a known developer and licence", row)
            return None
        model_id = slug(spec.name) or "model"
        while model_id in self.ctx.models or model_id in self.new_ids.values():
            model_id += "-x"
        self.new_ids[name] = model_id
        access = API_ONLY if self.ctx.licenses[spec.license_id] == "proprietary" else OPEN_WEIGHTS
        values = {"id": model_id, "name": spec.name.strip(), "developer_id": spec.developer_id}
        values |= {"family": family_of(spec.name), "access": access, "license_id": spec.license_id, "as_of": self.as_of}
        developer = self.ctx.developers[spec.developer_id]
        self.record(Change("added", spec.name, "model", None, f"{developer}, {spec.license_id}"), "models", values)
        self._alias(name, model_id)
        return model_id

    def unknowns(self) -> list[Unknown]:
        suggest = self.ctx.suggest_developers if self.names_developers else self.ctx.suggest_models
        found = [Unknown(name, count, tuple(suggest(name))) for name, count in self.unknown.items()]
        # The ones with a likely match first: those are the ones worth a decision.
        return sorted(found, key=lambda u: (not u.suggestions, -u.facts, u.name.lower()))


def _money(p: dict[str, Any] | formats.PriceFact) -> str:
    get = p.get if isinstance(p, dict) else lambda k: getattr(p, k)
    text = f"${get('input_usd_per_1m'):,.4g} in / ${get('output_usd_per_1m'):,.4g} out"
    if get("cached_input_usd_per_1m") is not None:
        text += f" (cached ${get('cached_input_usd_per_1m'):,.4g})"
    return text + (f", {get('context_window'):,} ctx" if get("context_window") else "")


def _same_price(point: dict[str, Any], fact: formats.PriceFact) -> bool:
    keys = ("input_usd_per_1m", "output_usd_per_1m", "cached_input_usd_per_1m", "context_window")
    return all(point[k] == getattr(fact, k) for k in keys)


def _price(plan: _Planner, model_id: str, fact: formats.PriceFact, offering: str) -> None:
    """A new point for a new or moved price; a same-day point of another value is overwritten, never an older one."""
    prior, later = plan.ctx.current_price(offering, fact.as_of)
    subject, what = plan.label(model_id), f"price of {offering}"
    note = f"kept as history: a newer point ({later}) stays current" if later else ""
    developer = plan.ctx.models.get(model_id, {}).get("developer_id")
    first_party = fact.provider in plan.ctx.first_party.get(developer, ()) or slug(fact.provider) == developer
    values = {"model_id": model_id, "provider": fact.provider, "first_party": first_party, "offering": offering}
    values |= {k: getattr(fact, k) for k in ("input_usd_per_1m", "output_usd_per_1m", "cached_input_usd_per_1m")}
    values |= {"context_window": fact.context_window, "as_of": fact.as_of}
    if prior is None:
        plan.record(Change("new", subject, what, None, _money(fact), note), "prices", values, source=fact.source)
    elif _same_price(prior, fact):
        change = _unchanged(
            plan, Change("unchanged", subject, what, _money(prior), _money(fact)), prior["as_of"], later
        )
        plan.record(change, "prices" if change.change == "confirmed" else None, values, source=fact.source)
    elif prior["as_of"] == fact.as_of:
        change = Change("changed", subject, what, _money(prior), _money(fact), f"replaces the point of {fact.as_of}")
        old = row_json("prices", prior)
        plan.record(change, "prices", values, source=fact.source, update_id=prior["id"], old_row=old)
    else:
        change = Change("changed", subject, what, f"{_money(prior)} ({prior['as_of']})", _money(fact), note)
        plan.record(change, "prices", values, source=fact.source)


def _unchanged(plan: _Planner, change: Change, recorded: date, later: date | None) -> Change:
    """An unchanged fact seen on a later date is recorded as confirmed then, unless the user chose to only count it."""
    if plan.confirm and later is None and recorded < plan.as_of:
        return Change("confirmed", change.subject, change.fact, f"{change.old} ({recorded})", change.new)
    return change


def _litellm(plan: _Planner, options: Options) -> None:
    for fact in plan.parsed.facts:
        if model_id := plan.model_for(fact.name, row=fact.row):
            _price(plan, model_id, fact, fact.offering)
    for offering, points in plan.ctx.prices.items():
        newest = points[-1]
        if newest["source_id"] in plan.ctx.litellm_sources and offering not in plan.parsed.keys:
            what, old = f"price of {offering}", f"{_money(newest)} ({newest['as_of']})"
            plan.record(Change("gone", plan.label(newest["model_id"]), what, old, None, "not in this file"))


def _eu_osai(plan: _Planner, options: Options) -> None:
    matched: set[str] = set()
    for system in plan.parsed.facts:
        model_id = plan.model_for(system.name, system.names, row=system.row)
        if model_id is None:
            continue
        if model_id in matched:
            plan.parsed.skipped["another system in the file already graded the same model"] += 1
            continue
        matched.add(model_id)
        for dimension in eu_osai.DIMENSIONS:
            _grade(plan, model_id, system, dimension, options.as_of)
    if plan.parsed.complete:
        for model_id in sorted({m for m, _ in plan.ctx.grades} - matched):
            plan.record(Change("gone", plan.label(model_id), "EU OSAI grades", "graded", None, "not in this index"))


def _grade(plan: _Planner, model_id: str, system: formats.SystemFact, dimension: str, as_of: date) -> None:
    grade = system.grades[dimension]
    current = plan.ctx.grades.get((model_id, dimension))
    what, new = f"openness: {dimension}", grade.grade or "not assessed"
    values = {"model_id": model_id, "scheme": EU_OSAI, "system_name": system.name, "dimension": dimension}
    values |= {"grade": grade.grade, "evidence_url": grade.link.split()[0] if grade.link else None, "as_of": as_of}
    if current is None:
        plan.record(Change("new", plan.label(model_id), what, None, new), "openness", values)
    elif current["grade"] == grade.grade:
        change = _unchanged(plan, Change("unchanged", plan.label(model_id), what, new, new), current["as_of"], None)
        plan.record(change, "openness" if change.change == "confirmed" else None, values)
    else:
        old = f"{current['grade'] or 'not assessed'} ({current['as_of']})"
        plan.record(Change("changed", plan.label(model_id), what, old, new), "openness", values)


def _fmti(plan: _Planner, options: Options) -> None:
    seen: dict[str, str] = {}
    for score in plan.parsed.facts:
        developer = plan.decisions.mapped.get(score.developer) or plan.ctx.find_developer(score.developer)
        if developer not in plan.ctx.developers:
            plan.unknown[score.developer] += 1
            continue
        if developer in seen:
            plan.problem(f"both {seen[developer]!r} and {score.developer!r} are {developer}", 1, score.developer)
            continue
        seen[developer] = score.developer
        for domain, value, top in score.parts:
            _fmti_score(plan, developer, score.edition, domain, value, top, options.as_of)
    edition = plan.parsed.facts[0].edition if plan.parsed.facts else None
    for dev, ed, domain in sorted(plan.ctx.fmti):
        if (ed, domain) == (edition, "Total") and dev not in seen:
            old = str(plan.ctx.fmti[(dev, ed, domain)]["score"])
            plan.record(Change("gone", plan.ctx.developers[dev], f"FMTI {ed} Total", old, None, "not in this sheet"))


def _fmti_score(plan: _Planner, developer: str, edition: str, domain: str, value: int, top: int, as_of: date) -> None:
    current = plan.ctx.fmti.get((developer, edition, domain))
    subject, what, new = plan.ctx.developers[developer], f"FMTI {edition} {domain}", f"{value}/{top}"
    values = {"developer_id": developer, "edition": edition, "domain": domain, "score": value, "max_score": top}
    values["as_of"] = as_of
    if current is None:
        plan.record(Change("new", subject, what, None, new), "transparency", values)
    elif (current["score"], current["max_score"]) == (value, top):
        plan.record(Change("unchanged", subject, what, new, new))
    else:
        old = f"{current['score']}/{current['max_score']}"
        change = Change("changed", subject, what, old, new, "corrects the same edition")
        plan.record(change, "transparency", values, update_id=current["id"], old_row=row_json("transparency", current))


def _csv(plan: _Planner, options: Options) -> None:
    for fact in plan.parsed.facts:
        model_id = plan.model_for(fact.name, row=fact.row)
        if model_id is None:
            continue
        if isinstance(fact, formats.PriceFact):
            _price(plan, model_id, fact, fact.offering or _offering(plan, model_id, fact))
        else:
            _benchmark(plan, model_id, fact)


def _offering(plan: _Planner, model_id: str, fact: formats.PriceFact) -> str:
    """The store's offering of this model by this provider when there is exactly one, else provider/model."""
    wanted = (model_id, fact.provider)
    known = {o for o, points in plan.ctx.prices.items() if (points[-1]["model_id"], points[-1]["provider"]) == wanted}
    return known.pop() if len(known) == 1 else f"{fact.provider}/{fact.name}"


def _benchmark(plan: _Planner, model_id: str, fact: formats.BenchmarkFact) -> None:
    unit = plan.ctx.benchmarks.get(fact.benchmark)
    if unit is None:
        known = ", ".join(sorted(plan.ctx.benchmarks)[:12])
        plan.problem(f"unknown benchmark {fact.benchmark!r}; known ids include {known}", fact.row, "benchmark")
        return
    if fact.score > MAX_SCORE.get(unit, float("inf")):
        plan.problem(f"{fact.score:g} is out of range for a {unit} score", fact.row, "score")
        return
    current = plan.ctx.scores.get((model_id, fact.benchmark))
    subject, what, new = plan.label(model_id), f"{fact.benchmark} score", f"{fact.score:g}"
    values = {"model_id": model_id, "benchmark_id": fact.benchmark, "score": round(fact.score, 4)}
    values |= {"setting": fact.setting, "as_of": fact.as_of}
    if current is None:
        plan.record(Change("new", subject, what, None, new), "benchmarks", values, source=fact.source)
    elif round(current["score"], 4) == round(fact.score, 4):
        plan.record(Change("unchanged", subject, what, f"{current['score']:g}", new))
    else:
        old = f"{current['score']:g} ({current['as_of']})"
        plan.record(Change("changed", subject, what, old, new), "benchmarks", values, source=fact.source)


DIFFERS = {"litellm": _litellm, "eu-osai": _eu_osai, "fmti": _fmti, "csv": _csv}
