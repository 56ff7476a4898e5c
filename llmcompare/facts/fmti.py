"""Foundation Model Transparency Index score sheets: binary indicator scores per developer, summed by domain."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_csv

DOMAINS = ("Upstream", "Model", "Downstream")
_NOT_DEVELOPERS = frozenset({"Domain", "Subdomain", "Indicator", "Total"})
# The 2023/2024 score sheets word these indicators differently from fmti-indicators.csv (keys are normalised).
_RENAMED = {
    "data copyright status": "copyrighted data",
    "data license status": "data license",
    "release decision making protocol": "release decision making",
    "machine generated content": "detection of machine generated content",
    "model asset license": "model license",
    "license": "model license",
}


@dataclass(frozen=True)
class FmtiScore:
    """One developer's score in one edition: indicators met per domain, and how many each domain has."""

    developer: str
    edition: str
    total: int
    upstream: int
    model: int
    downstream: int
    upstream_max: int
    model_max: int
    downstream_max: int


def parse_scores(scores_csv: Path, indicators_csv: Path | None, edition: str) -> list[FmtiScore]:
    """Parse a score sheet; domains come from its Domain column or, failing that, from the indicators CSV."""
    file = str(scores_csv)
    header, rows = read_csv(scores_csv, ["Indicator"])
    developers = _developers(header, file)
    if "Domain" in header:
        lookup = None
    elif indicators_csv is None:
        raise FormatError(file, "has no Domain column, so an indicators CSV is needed to find each indicator's domain")
    else:
        lookup = indicator_domains(indicators_csv)
    sums = {developer: Counter[str]() for developer in developers}
    maxima: Counter[str] = Counter()
    seen: set[str] = set()
    total_row = None
    for cells in rows:
        indicator = cells.need_text("Indicator")
        if indicator.lower() == "total":
            total_row = cells
            continue
        key = _normalise(indicator)
        if key in seen:
            cells.fail("Indicator", f"indicator {indicator!r} appears twice")
        seen.add(key)
        domain = _domain(cells, lookup)
        maxima[domain] += 1
        for developer in developers:
            sums[developer][domain] += _binary(cells, developer)
    if total_row is not None:
        _check_totals(total_row, sums)
    return [_score(developer.strip(), edition, sums[developer], maxima) for developer in developers]


def indicator_domains(path: Path) -> dict[str, str]:
    """Map each normalised indicator name of an indicators CSV to its domain."""
    _, rows = read_csv(path, ["Domain", "Indicator"])
    domains: dict[str, str] = {}
    for cells in rows:
        key = _normalise(cells.need_text("Indicator"))
        if key in domains:
            cells.fail("Indicator", "indicator appears twice")
        domains[key] = _canonical_domain(cells, cells.need_text("Domain"))
    return domains


def _developers(header: list[str], file: str) -> list[str]:
    developers = [name for name in header if name not in _NOT_DEVELOPERS]
    if not developers:
        raise FormatError(file, "no developer columns next to Indicator", row=1)
    if "" in developers:
        raise FormatError(file, "a developer column has no name", row=1)
    return developers


def _normalise(indicator: str) -> str:
    """Names differ in case, hyphens and trailing spaces between files ('Third-party' vs 'Third party ')."""
    return " ".join(indicator.lower().replace("-", " ").split())


def _domain(cells: Cells, lookup: dict[str, str] | None) -> str:
    if lookup is None:
        return _canonical_domain(cells, cells.need_text("Domain"))
    key = _normalise(cells.need_text("Indicator"))
    domain = lookup.get(key) or lookup.get(_RENAMED.get(key, ""))
    if domain is None:
        cells.fail("Indicator", f"indicator {cells.raw('Indicator')!r} is not in the indicators file")
    return domain


def _canonical_domain(cells: Cells, value: str) -> str:
    for domain in DOMAINS:
        if value.lower() == domain.lower():
            return domain
    cells.fail("Domain", f"unknown domain {value!r}, expected one of {', '.join(DOMAINS)}")


def _binary(cells: Cells, developer: str) -> int:
    score = cells.need_integer(developer)
    if score not in (0, 1):
        cells.fail(developer, f"scores are 0 or 1, got {score}")
    return score


def _check_totals(total_row: Cells, sums: dict[str, Counter[str]]) -> None:
    for developer, per_domain in sums.items():
        stated = total_row.need_integer(developer)
        computed = sum(per_domain.values())
        if stated != computed:
            total_row.fail(developer, f"Total row says {stated} but the indicators add up to {computed}")


def _score(developer: str, edition: str, per_domain: Counter[str], maxima: Counter[str]) -> FmtiScore:
    return FmtiScore(
        developer=developer,
        edition=edition,
        total=sum(per_domain.values()),
        upstream=per_domain["Upstream"],
        model=per_domain["Model"],
        downstream=per_domain["Downstream"],
        upstream_max=maxima["Upstream"],
        model_max=maxima["Model"],
        downstream_max=maxima["Downstream"],
    )
