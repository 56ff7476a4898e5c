"""How old each fact is, and which facts are older than the threshold (LLMCOMPARE_STALE_AFTER_DAYS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from llmcompare import style
from llmcompare.store.imports import LastImport

# Catalogue facts that carry their own date, by the name the flags use.
FACT_DATES = {"price": "price_as_of", "arena": "arena_as_of", "openness": "openness_as_of", "FMTI": "fmti_as_of"}


def age_days(as_of: object, today: date) -> int | None:
    """Whole days from the fact's as-of date to today; None for a missing date."""
    if style.is_missing(as_of):
        return None
    day = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of)[:10])
    return (today - day).days


def format_age(days: int | None) -> str:
    """'today', '12 days', '5 months', '1.9 years': precise when recent, rounded when old."""
    if days is None:
        return style.MISSING
    if days <= 0:
        return "today" if days == 0 else "in the future"
    if days < 60:
        return f"{days} day{'s' if days > 1 else ''}"
    if days < 730:
        return f"{days // 30} months"
    return f"{days / 365.25:.1f} years"


@dataclass(frozen=True)
class StaleRule:
    """Today and the threshold: a fact dated more than after_days ago is flagged."""

    today: date
    after_days: int

    def is_stale(self, as_of: object) -> bool:
        days = age_days(as_of, self.today)
        return days is not None and days > self.after_days

    def age(self, as_of: object) -> str:
        """'5 months', or '1.9 years · stale' past the threshold; n/a without a date."""
        text = format_age(age_days(as_of, self.today))
        return f"{text} · stale" if self.is_stale(as_of) else text

    def note(self, as_of: object) -> str:
        """' (1.9 years old; older than 365 days)' for tooltips and captions; '' without a date."""
        days = age_days(as_of, self.today)
        if days is None:
            return ""
        flag = f"; older than {self.after_days} days" if days > self.after_days else ""
        return f" ({format_age(days)} old{flag})"

    def stale_facts(self, catalog: pd.DataFrame) -> pd.Series:
        """Per catalogue row, the names of its facts past the threshold (an empty list when all are fresh)."""
        flags = [catalog[column].map(self.is_stale).tolist() for column in FACT_DATES.values()]
        # Plain lists: indexing a Series per row and fact costs seconds on a catalogue of tens of thousands.
        rows = zip(*flags, strict=True)
        names = [[name for name, stale in zip(FACT_DATES, row, strict=True) if stale] for row in rows]
        return pd.Series(names, index=catalog.index, dtype=object)


@dataclass(frozen=True)
class Freshness:
    """How fresh the store is, for the Home page."""

    newest_price: date | None
    stale_after_days: int
    models: int
    stale_models: int
    stale_by_fact: dict[str, int]
    last_import: LastImport | None


def freshness(catalog: pd.DataFrame, last: LastImport | None, rule: StaleRule) -> Freshness:
    """The newest price, the last import, and how many models carry facts past the threshold."""
    flags = rule.stale_facts(catalog)
    prices = catalog["price_as_of"].dropna()
    return Freshness(
        newest_price=max(prices) if len(prices) else None,
        stale_after_days=rule.after_days,
        models=len(catalog),
        stale_models=int(flags.map(bool).sum()),
        stale_by_fact={name: sum(name in f for f in flags) for name in FACT_DATES},
        last_import=last,
    )


def describe(fresh: Freshness, today: date) -> str:
    """One paragraph of Markdown: newest price, last import, and how many models carry stale facts."""
    parts = []
    if fresh.newest_price is not None:
        days = age_days(fresh.newest_price, today)
        ago = "today" if days == 0 else f"{format_age(days)} ago"
        parts.append(f"Newest list prices are from **{style.format_date(fresh.newest_price)}** ({ago}).")
    if fresh.last_import is None:
        parts.append("No import since the database was built from the seed.")
    else:
        last = fresh.last_import
        who = f" by {last.who}" if last.who else ""
        parts.append(
            f"Last import: #{last.id}, {last.kind} file `{last.file_name}` on {last.created_at:%Y-%m-%d}{who}."
        )
    detail = ", ".join(f"{name} {count}" for name, count in fresh.stale_by_fact.items() if count)
    parts.append(
        f"**{fresh.stale_models}** of {fresh.models} models have a fact older than {fresh.stale_after_days} days"
        + (f" ({detail})." if detail else ".")
    )
    return " ".join(parts)
