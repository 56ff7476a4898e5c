"""Read each public format into candidate facts, collecting a problem per bad row instead of stopping at the first."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from llmcompare.facts import eu_osai, fmti, litellm
from llmcompare.facts.attach import NOT_A_PRICE_PROVIDERS, PLAUSIBLE_MAX_USD_PER_1M
from llmcompare.imports.upload import Options, Problem, Upload, text_problem
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import decode, load_json, zip_members

_EDITION = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")


@dataclass(frozen=True)
class PriceFact:
    """One offering's list price, in USD per million tokens, as of a date."""

    row: int
    name: str  # what the file calls the model: a LiteLLM key or the CSV's model column
    provider: str
    offering: str | None  # the provider's id for it; None: the plan picks the store's offering of that provider
    input_usd_per_1m: float
    output_usd_per_1m: float
    cached_input_usd_per_1m: float | None
    context_window: int | None
    as_of: date
    source: int = 0  # which of the import's sources the fact cites


@dataclass(frozen=True)
class BenchmarkFact:
    """One score of one model on one known benchmark."""

    row: int
    name: str
    benchmark: str
    score: float
    setting: str | None
    as_of: date
    source: int = 0


@dataclass(frozen=True)
class SystemFact:
    """One system of the EU Open Source AI Index with its graded dimensions."""

    row: str  # the YAML file it came from
    name: str
    names: tuple[str, ...]  # end model first, then the system name: either may match a known model
    org: str
    grades: dict[str, eu_osai.Grade]


@dataclass(frozen=True)
class ScoreFact:
    """One developer's FMTI scores in one edition: (domain, score, max) for the total and each domain."""

    row: str  # the developer's column
    developer: str
    edition: str
    parts: tuple[tuple[str, int, int], ...]


@dataclass
class Parsed:
    """What a file holds: candidate facts, problems per row, what was left out and why."""

    facts: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    keys: set[str] = field(default_factory=set)  # every subject the file names, in scope or not
    complete: bool = False  # a whole snapshot, so what it no longer names is worth reporting
    source_urls: list[str | None] = field(default_factory=lambda: [None])


def read_litellm(upload: Upload, options: Options) -> Parsed:
    """Every priced text offering of a LiteLLM map; out-of-scope entries are counted, bad ones reported."""
    parsed = Parsed(complete=True, source_urls=[upload.source_url])
    obj = load_json(decode(upload.data, upload.name), upload.name)
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object of model entries, got {type(obj).__name__}")
    for position, (key, entry) in enumerate(obj.items(), start=1):
        if key == "sample_spec":
            continue
        parsed.keys.add(key)
        if why := text_problem(key):
            parsed.problems.append(Problem(f"model key {why}", position, key[:80]))
            continue
        try:
            offers = litellm.parse_price_map_obj({key: entry}, upload.name)
        except FormatError as exc:
            parsed.problems.append(Problem(exc.reason, position, exc.field))
            continue
        if not offers:
            parsed.skipped["not a chat, completion or responses model with token prices"] += 1
            continue
        _add_offer(parsed, offers[0], position, options.as_of)
    if not parsed.facts and not parsed.problems:
        raise ValueError("no priced chat models found: is this LiteLLM's model_prices_and_context_window.json?")
    return parsed


def _add_offer(parsed: Parsed, offer: litellm.PriceOffer, position: int, as_of: date) -> None:
    if why := text_problem(offer.provider):
        parsed.problems.append(Problem(f"provider {why}", position, f"{offer.key}.litellm_provider"))
        return
    top = max(offer.input_usd_per_1m, offer.output_usd_per_1m)
    if offer.provider in NOT_A_PRICE_PROVIDERS or offer.key.startswith("ft:"):
        parsed.skipped["local runtime or fine-tune, not a list price"] += 1
    elif top == 0:
        parsed.skipped["free (zero price)"] += 1
    elif top > PLAUSIBLE_MAX_USD_PER_1M:
        parsed.skipped[f"implausible price over ${PLAUSIBLE_MAX_USD_PER_1M:,.0f} per 1M tokens (a unit slip)"] += 1
    else:
        parsed.facts.append(
            PriceFact(
                row=position,
                name=offer.key,
                provider=offer.provider,
                offering=offer.key,
                input_usd_per_1m=offer.input_usd_per_1m,
                output_usd_per_1m=offer.output_usd_per_1m,
                cached_input_usd_per_1m=offer.cached_input_usd_per_1m,
                context_window=offer.max_input_tokens,
                as_of=as_of,
            )
        )


def read_eu_osai(upload: Upload, options: Options) -> Parsed:
    """Each system YAML of an index folder zip (or one YAML); a bad file is one problem, the others still read."""
    is_zip = upload.name.lower().endswith(".zip")
    members = (
        zip_members(upload.data, upload.name, options.max_bytes, eu_osai.is_system_file)
        if is_zip
        else [(upload.name, upload.data)]
    )
    parsed = Parsed(complete=is_zip and len(members) > 1, source_urls=[upload.source_url])
    seen: dict[str, str] = {}
    for name, data in members:
        system = _read_system(parsed, name, data)
        if system is None:
            continue
        parsed.keys.add(system.name)
        if system.name in seen:
            parsed.problems.append(Problem(f"the system is also in {seen[system.name]}", name, "system.name"))
            continue
        seen[system.name] = name
        if system.type not in ("text", "code"):
            parsed.skipped["not a text or code model"] += 1
            continue
        names = tuple(n for n in (system.end_model, system.name) if n)
        parsed.facts.append(SystemFact(name, system.name, names, system.org, system.grades))
    if not members:
        raise ValueError("the zip holds no system YAML files (templates and _parameters files are ignored)")
    return parsed


def _read_system(parsed: Parsed, name: str, data: bytes) -> eu_osai.OsaiSystem | None:
    try:
        system = eu_osai.parse_system(decode(data, name), name)
    except FormatError as exc:
        parsed.problems.append(Problem(exc.reason, name, exc.field))
        return None
    except (ValueError, RecursionError) as exc:
        parsed.problems.append(Problem(str(exc) or "nested too deeply", name))
        return None
    labelled = (("system.name", system.name), ("org.name", system.org), ("system.endmodelname", system.end_model))
    for label, value in labelled:
        if value is not None and (why := text_problem(value)):
            parsed.problems.append(Problem(why, name, label))
            return None
    return system


def read_fmti(upload: Upload, options: Options) -> Parsed:
    """One FMTI edition's score sheet: every developer column summed per domain."""
    edition = (options.edition or "").strip()
    if not _EDITION.fullmatch(edition):
        raise ValueError(f"give the edition as YYYY or YYYY-MM (for example 2025-12), got {edition!r}")
    decode(upload.data, upload.name)  # a clear message for wrong encodings before the CSV reader sees the bytes
    parsed = Parsed(complete=True, source_urls=[upload.source_url])
    with tempfile.TemporaryDirectory() as folder:
        scores = Path(folder) / "scores.csv"
        scores.write_bytes(upload.data)
        indicators = None
        if options.indicators is not None:
            indicators = Path(folder) / "indicators.csv"
            indicators.write_bytes(options.indicators)
        try:
            sheet = fmti.parse_scores(scores, indicators, edition)
        except FormatError as exc:
            source = "indicators file" if exc.file == str(indicators) else None
            reason = f"{source}: {exc.reason}" if source else exc.reason
            parsed.problems.append(Problem(reason, exc.row, exc.field))
            return parsed
    for score in sheet:
        parsed.keys.add(score.developer)
        if why := text_problem(score.developer):
            parsed.problems.append(Problem(f"developer name {why}", 1, score.developer[:80]))
            continue
        parts = (
            ("Total", score.total, score.upstream_max + score.model_max + score.downstream_max),
            ("Upstream", score.upstream, score.upstream_max),
            ("Model", score.model, score.model_max),
            ("Downstream", score.downstream, score.downstream_max),
        )
        parsed.facts.append(ScoreFact(score.developer, score.developer, edition, parts))
    return parsed
