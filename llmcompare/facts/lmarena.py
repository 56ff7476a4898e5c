"""LMArena's own leaderboard data (lmarena/arena-catalog): ratings with 95% intervals per category, dated
versions of the overall board, and its price list with a source URL per price."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from llmcompare.facts.attach import benchmark_row
from llmcompare.facts.catalog import Catalog
from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import load_json, read_csv, read_text
from llmcompare.store.intervals import interval_text

OVERALL = "full"
# The categories kept, by group; the others (no_tie, no_short, no_refusal, hard_english_6) are filters of the
# overall board, not strengths of a model.
CATEGORIES = {
    "task": ("coding", "math", "if", "creative_writing", "multiturn", "long_user", "expert", "hard_6"),
    "language": ("english", "chinese", "french", "german", "japanese", "korean", "russian", "spanish"),
    "industry": (
        "industry_software_and_it_services",
        "industry_business_and_management_and_financial_operations",
        "industry_legal_and_government",
        "industry_medicine_and_healthcare",
        "industry_mathematical",
        "industry_life_and_physical_and_social_science",
        "industry_writing_and_literature_and_language",
        "industry_entertainment_and_sports_and_media",
    ),
}
# Read from the newest board: the overall rating (its models) and every kept category.
KEPT = (OVERALL, *(c for names in CATEGORIES.values() for c in names))
_VERSION_FILE = re.compile(r"leaderboard-text-full\.(\d{4}-\d{2}-\d{2})\.([0-9a-f]{7,40})\.json")


@dataclass(frozen=True)
class ArenaRating:
    """One model's rating in one category, with the bounds of its 95% interval."""

    model: str
    category: str
    rating: float
    lower: float
    upper: float


@dataclass(frozen=True)
class ArenaVersion:
    """The overall board as committed on one date."""

    as_of: date
    commit: str
    ratings: list[ArenaRating]


@dataclass(frozen=True)
class ArenaListing:
    """One entry of LMArena's price list: the model's API name, organisation, licence and list price."""

    name: str
    model: str
    organization: str
    license: str
    input_usd_per_1m: float | None
    output_usd_per_1m: float | None
    price_source: str | None
    model_source: str | None
    hidden: bool


def parse_leaderboard(path: Path, categories: tuple[str, ...] | None = None) -> list[ArenaRating]:
    """Parse leaderboard-text.json: {category: {model: {rating, rating_q025, rating_q975}}}."""
    file = str(path)
    board = load_json(read_text(path), file)
    if not isinstance(board, dict) or OVERALL not in board:
        raise FormatError(file, f"expected an object of categories including '{OVERALL}'")
    wanted = categories if categories is not None else tuple(board)
    missing = [c for c in wanted if c not in board]
    if missing:
        raise FormatError(file, f"categories missing: {', '.join(missing)}")
    return [rating for category in wanted for rating in _category(board[category], category, file)]


def _category(models: Any, category: str, file: str) -> list[ArenaRating]:
    if not isinstance(models, dict) or not models:
        raise FormatError(file, "expected a non-empty object of models", field=category)
    ratings = []
    for row, (model, entry) in enumerate(models.items(), start=1):
        if not isinstance(entry, dict):
            raise FormatError(file, "expected an object", row=row, field=f"{category}.{model}")
        cells = Cells(entry, file, row, f"{category}.{model}.")
        rating = cells.need_number("rating", minimum=0)
        lower, upper = cells.need_number("rating_q025", minimum=0), cells.need_number("rating_q975", minimum=0)
        if not lower <= rating <= upper:
            cells.fail("rating", f"{rating:g} lies outside its interval {lower:g} to {upper:g}")
        ratings.append(ArenaRating(model.strip(), category, rating, lower, upper))
    return ratings


def parse_versions(folder: Path) -> list[ArenaVersion]:
    """Every dated version of the overall board, oldest first; file names carry the commit date and hash."""
    versions = []
    for path in sorted(folder.glob("*.json")):
        match = _VERSION_FILE.fullmatch(path.name)
        if match is None:
            raise FormatError(str(path), "name must be leaderboard-text-full.YYYY-MM-DD.COMMIT.json")
        as_of = date.fromisoformat(match.group(1))
        versions.append(ArenaVersion(as_of, match.group(2), parse_leaderboard(path, (OVERALL,))))
    if not versions:
        raise FormatError(str(folder), "holds no dated versions")
    return versions


def parse_rating_history(path: Path) -> list[ArenaVersion]:
    """Parse a rating history CSV (key, rating, date as YYYYMMDD): one version per date, oldest first, no intervals."""
    _, rows = read_csv(path, ["key", "rating", "date"])
    by_day: dict[date, list[ArenaRating]] = {}
    for cells in rows:
        raw = cells.need_text("date")
        if not re.fullmatch(r"\d{8}", raw):
            cells.fail("date", f"expected YYYYMMDD, got {raw!r}")
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        rating = cells.need_number("rating", minimum=0)
        by_day.setdefault(day, []).append(ArenaRating(cells.need_text("key"), OVERALL, rating, rating, rating))
    return [ArenaVersion(day, "", ratings) for day, ratings in sorted(by_day.items())]


def monthly(versions: list[ArenaVersion]) -> list[ArenaVersion]:
    """The last version of each month: a history sampled at a steady pace."""
    last = {(v.as_of.year, v.as_of.month): v for v in sorted(versions, key=lambda v: v.as_of)}
    return list(last.values())


def parse_price_list(path: Path) -> list[ArenaListing]:
    """Parse scatterplot-data.json; a blank price stays None, a price without its source URL is refused."""
    file = str(path)
    entries = load_json(read_text(path), file)
    if not isinstance(entries, list):
        raise FormatError(file, f"expected a list of models, got {type(entries).__name__}")
    listings = []
    for row, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise FormatError(file, "expected an object", row=row)
        cells = Cells(entry, file, row)
        listing = ArenaListing(
            name=cells.need_text("name"),
            model=cells.need_text("model_api_name"),
            organization=cells.need_text("organization"),
            license=cells.need_text("license"),
            input_usd_per_1m=cells.number("input_token_price", minimum=0),
            output_usd_per_1m=cells.number("output_token_price", minimum=0),
            price_source=cells.text("price_source"),
            model_source=cells.text("model_source"),
            hidden=bool(cells.flag("hidden")),
        )
        if (listing.input_usd_per_1m is not None or listing.output_usd_per_1m is not None) and not listing.price_source:
            cells.fail("price_source", "a price needs the URL it was taken from")
        listings.append(listing)
    return listings


# --- Attaching the parsed data to the catalogue -------------------------------------------------------------

SCHEME = "lmarena_catalog"
OVERALL_BENCHMARK = "lmarena_text"  # the same Bradley-Terry rating, without style control, as the older snapshot
PRICE_SOURCE_PREFIX = "lmarena-price-"


def resolve_model(cat: Catalog, name: str, scheme: str = SCHEME) -> str | None:
    """The one way an arena name becomes a model: the catalogue's resolver, strict keys only.

    Looser keys would drop `-turbo`, `-latest` or `-instruct` and so merge different models."""
    return cat.find(name, max_level=1, scheme=scheme)


# Benchmark ids fit the store's 64 characters; the one longer category name gets a shorter id.
_SHORT = {"industry_business_and_management_and_financial_operations": "business_management_finance"}


def benchmark_id(category: str) -> str:
    """'full' -> lmarena_text, 'coding' -> lmarena_task_coding, 'industry_legal_...' -> lmarena_industry_legal_..."""
    if category == OVERALL:
        return OVERALL_BENCHMARK
    group = next((g for g, names in CATEGORIES.items() if category in names), None)
    if group is None:
        raise KeyError(f"unknown LMArena category {category!r}")
    return f"lmarena_{group}_{_SHORT.get(category, category.removeprefix('industry_'))}"


_LABELS = {"if": "Instruction following", "hard_6": "Hard prompts", "long_user": "Longer queries"}


def category_defs() -> list[dict[str, Any]]:
    """Benchmark definitions for the kept categories, one per category."""
    defs = []
    for group, names in CATEGORIES.items():
        for category in names:
            label = _LABELS.get(category) or category.removeprefix("industry_").replace("_", " ").capitalize()
            defs.append(
                {
                    "id": benchmark_id(category),
                    "name": f"LMArena {group}: {label.replace(' and ', ', ').replace(',,', ',')}",
                    "unit": "elo",
                    "description": f"LMArena text rating on the votes of the '{category}' category ({group}), "
                    "with its 95% interval in the setting.",
                }
            )
    return defs


def add_listed_models(cat: Catalog, listings: list[ArenaListing], source_id: str, on_board: set[str]) -> None:
    """Text-board models on LMArena's price list that no earlier source named: it gives organisation and licence.

    The list also prices image and vision models; those not on the text board (`on_board`) are left out."""
    for listing in listings:
        if listing.model not in on_board:
            cat.skipped["lmarena price list: not on the text board"] += 1
            continue
        fix = cat.overrides.get((SCHEME, listing.name)) or cat.overrides.get((SCHEME, listing.model)) or {}
        if fix.get("same_as"):
            cat.fold(SCHEME, (listing.name, listing.model), fix)
            continue
        developer_id = cat.developer_id(listing.organization, source_id)
        # The list pairs each API name with a display name; an existing model of the same developer under
        # that display name is the one the list means.
        model_id = resolve_model(cat, listing.model) or (
            developer_id and cat.find(listing.name, developer_id, max_level=1, scheme=SCHEME)
        )
        if model_id is None:
            license_id = cat.cur.license_for(listing.license)
            if license_id is None or developer_id is None:
                cat.skipped["lmarena price list: licence or organisation not known"] += 1
                continue
            # A display name that names another developer's model would make two models look alike.
            name = listing.name if resolve_model(cat, listing.name) is None else listing.model
            model_id = cat.add_model(name, developer_id, license_id, source_id, SCHEME)
            if model_id is None:
                continue
        cat.add_alias(SCHEME, listing.model, model_id)


def rating_rows(
    cat: Catalog, ratings: list[ArenaRating], source_id: str, as_of: date | None = None, scheme: str = SCHEME
) -> list[dict[str, Any]]:
    """One benchmark row per model and category, dated as_of (else the source's date), with its interval when the
    source gives one; names that match no model are counted."""
    as_of = as_of or cat.cur.source_as_of[source_id]
    out: dict[tuple[str, str], dict[str, Any]] = {}
    # A request setting's rating (gpt-5.1-high) stands for its model only where the model has none of its own.
    for r in cat.own_names_first(ratings, lambda r: r.model):
        model_id = resolve_model(cat, r.model, scheme)
        if model_id is None:
            cat.skipped[f"{source_id}: arena name matches no model"] += 1
            continue
        cat.add_alias(scheme, r.model, model_id)
        key = (model_id, benchmark_id(r.category))
        if key in out:
            cat.skipped[f"{source_id}: second arena name for one model"] += 1
            continue
        setting = cat.variant_note(r.model, interval_text(r.lower, r.upper) if r.upper > r.lower else None)
        out[key] = benchmark_row(model_id, key[1], r.rating, as_of, source_id, setting)
    return list(out.values())


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""


def price_source_id(url: str) -> str:
    """A stable source id for one price URL."""
    return PRICE_SOURCE_PREFIX + hashlib.sha1(url.encode()).hexdigest()[:10]


def price_sources(listings: list[ArenaListing], list_source: dict[str, Any], as_of: date) -> list[dict[str, Any]]:
    """One source per price URL, so each price keeps the page it was taken from, the list's commit and date."""
    rows = {}
    for url in sorted({x.price_source for x in listings if x.price_source and x.input_usd_per_1m is not None}):
        rows[url] = {
            "id": price_source_id(url),
            "title": f"LMArena price list: {_host(url)}{urlsplit(url).path}"[:300],
            "url": url,
            "path": list_source["path"],
            "commit": list_source["commit"],
            "data_license": list_source.get("data_license"),
            "attribution": f"Price as listed by LMArena (lmarena/arena-catalog), taken from {url}",
            "retrieved": list_source["retrieved"],
            "as_of": as_of,
            "notes": "Generated by build-seed from LMArena's price list; see the list's own source entry.",
        }
    return list(rows.values())


def price_rows(cat: Catalog, listings: list[ArenaListing], as_of: date) -> list[dict[str, Any]]:
    """A dated list price per listed model; first party when the price page is on the developer's own site."""
    rows = []
    for x in listings:
        model_id = cat.aliases.get((SCHEME, x.model))
        if model_id is None or x.input_usd_per_1m is None or x.output_usd_per_1m is None or not x.price_source:
            continue
        developer = cat.cur.developers.get(cat.models[model_id]["developer_id"], {})
        home, host = _host(developer.get("url")), _host(x.price_source)
        rows.append(
            {
                "model_id": model_id,
                "provider": host,
                "first_party": bool(home) and (host == home or host.endswith("." + home)),
                "offering": f"lmarena/{x.model}",
                "input_usd_per_1m": x.input_usd_per_1m,
                "output_usd_per_1m": x.output_usd_per_1m,
                "cached_input_usd_per_1m": None,
                "context_window": None,
                "as_of": as_of,
                "source_id": price_source_id(x.price_source),
            }
        )
    return rows
