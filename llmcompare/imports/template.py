"""The app's own CSV template for hand-entered facts: list prices and benchmark scores, each with its source page."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from llmcompare.imports.formats import BenchmarkFact, Parsed, PriceFact
from llmcompare.imports.upload import Options, Problem, Upload, text_problem
from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import csv_records, decode

PRICE, BENCHMARK = "price", "benchmark"
MAX_PRICE = 1000.0  # USD per 1M tokens; far above any real list price, so larger values are unit slips
MAX_CONTEXT = 100_000_000
OLDEST = date(2015, 1, 1)
_URL = re.compile(r"https?://[^\s<>\"']+")

# (column, which facts use it, what goes in it) -- the documentation shown on the Data page and in the README.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("fact", "all", "`price` or `benchmark`"),
    ("model", "all", "the model's name or id as the catalogue shows it, or any alias (e.g. `gpt-4o`)"),
    ("provider", "price", "who sells it, in LiteLLM's spelling (`openai`, `together_ai`, `bedrock`, ...)"),
    ("offering", "price", "optional: the provider's model id; by default the one the store already has"),
    ("input_usd_per_1m", "price", "list price per million input tokens, in US dollars (0 to 1000)"),
    ("output_usd_per_1m", "price", "list price per million output tokens, in US dollars (0 to 1000)"),
    ("cached_input_usd_per_1m", "price", "optional: price per million cached input tokens"),
    ("context_window", "price", "optional: the offering's context window in tokens"),
    ("benchmark", "benchmark", "a benchmark id from the catalogue (e.g. `mmlu`, `gpqa`, `lmarena_text`)"),
    ("score", "benchmark", "the score in the benchmark's unit (percent 0-100, or Elo)"),
    ("setting", "benchmark", "optional: how it was measured (e.g. `5-shot`)"),
    ("as_of", "all", "the date the fact describes, YYYY-MM-DD (not in the future)"),
    ("source_url", "all", "the page the fact comes from, starting with https://"),
)
HEADER = tuple(name for name, _, _ in COLUMNS)
PRICE_ONLY = ("provider", "offering", "input_usd_per_1m", "output_usd_per_1m", "cached_input_usd_per_1m")
PRICE_ONLY += ("context_window",)
BENCHMARK_ONLY = ("benchmark", "score", "setting")
EXAMPLE = (
    ("price", "gpt-4o", "openai", "gpt-4o", "2.5", "10", "1.25", "128000", "", "", "", "2025-10-01",
     "https://openai.com/api/pricing/"),
    ("benchmark", "gpt-4o", "", "", "", "", "", "", "mmlu", "88.7", "0-shot", "2024-05-13",
     "https://github.com/openai/simple-evals"),
)  # fmt: skip


def template_csv() -> bytes:
    """The template: the header and one example row per kind of fact, to be replaced by the user's own."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(EXAMPLE)
    return out.getvalue().encode("utf-8")


def read_template(upload: Upload, options: Options) -> Parsed:
    """Every row of a filled-in template, each checked field by field; duplicates are problems too."""
    records = csv_records(decode(upload.data, upload.name), upload.name)
    if not records or not any(cell.strip() for cell in records[0]):
        raise ValueError(f"the file is empty; start from the template, whose header is: {','.join(HEADER)}")
    header = [name.strip() for name in records[0]]
    parsed = Parsed(source_urls=[])
    if _header_problems(parsed, header):
        return parsed
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            parsed.problems.append(Problem(f"has {len(raw)} fields but the header has {len(header)}", number))
            continue
        fact = _row(parsed, Cells(dict(zip(header, raw, strict=True)), upload.name, number), options)
        if fact is None:
            continue
        key = _key(fact)
        if key in seen:
            parsed.problems.append(Problem(f"repeats row {seen[key]} (same fact and date)", number))
            continue
        seen[key] = number
        parsed.facts.append(fact)
    if not parsed.facts and not parsed.problems:
        raise ValueError("the file has a header but no rows")
    return parsed


def _header_problems(parsed: Parsed, header: list[str]) -> bool:
    for name in header:
        if name not in HEADER:
            parsed.problems.append(Problem(f"unknown column; the template's columns are {', '.join(HEADER)}", 1, name))
        elif header.count(name) > 1:
            parsed.problems.append(Problem("column appears twice", 1, name))
    for name in HEADER:
        if name not in header:
            parsed.problems.append(Problem("column is missing; download the template for the full header", 1, name))
    return bool(parsed.problems)


def _key(fact: PriceFact | BenchmarkFact) -> tuple:
    if isinstance(fact, PriceFact):
        return (PRICE, fact.name.lower(), fact.provider.lower(), (fact.offering or "").lower(), fact.as_of)
    return (BENCHMARK, fact.name.lower(), fact.benchmark, fact.setting, fact.as_of)


class _Row:
    """One template row read field by field, so every bad field of the row is reported, not just the first."""

    def __init__(self, parsed: Parsed, cells: Cells) -> None:
        self.parsed, self.cells, self.before = parsed, cells, len(parsed.problems)

    def get(self, field: str, read: Callable[[Cells, str], Any]) -> Any:
        raw = self.cells.raw(field)
        try:
            if isinstance(raw, str) and (why := _cell_problem(raw)):
                self.cells.fail(field, why)
            return read(self.cells, field)
        except FormatError as exc:
            self.problem(exc.reason, field)
            return None

    def problem(self, reason: str, field: str) -> None:
        self.parsed.problems.append(Problem(reason, self.cells.row, field))

    def must_be_empty(self, fields: tuple[str, ...], owner: str) -> None:
        for field in fields:
            if self.cells.raw(field) is not None:
                self.problem(f"belongs to {owner} rows; leave it empty", field)

    @property
    def ok(self) -> bool:
        return len(self.parsed.problems) == self.before


def _row(parsed: Parsed, cells: Cells, options: Options) -> PriceFact | BenchmarkFact | None:
    """One row as a fact, or None after recording a problem for each bad field."""
    row = _Row(parsed, cells)
    fact = row.get("fact", lambda c, f: _choice(c, f, (PRICE, BENCHMARK)))
    model = row.get("model", _name)
    as_of = row.get("as_of", lambda c, f: _day(c, f, options.today))
    url = row.get("source_url", _url)
    if fact == PRICE:
        row.must_be_empty(BENCHMARK_ONLY, BENCHMARK)
        provider = row.get("provider", _name)
        offering = row.get("offering", _optional_name)
        prices = [row.get(f, _usd) for f in ("input_usd_per_1m", "output_usd_per_1m")]
        cached = row.get("cached_input_usd_per_1m", lambda c, f: _usd(c, f, need=False))
        context = row.get("context_window", _bounded_int)
        if row.ok:
            source = _source_index(parsed, url)
            return PriceFact(cells.row, model, provider, offering, *prices, cached, context, as_of, source)
    elif fact == BENCHMARK:
        row.must_be_empty(PRICE_ONLY, PRICE)
        benchmark = row.get("benchmark", _name)
        score = row.get("score", lambda c, f: c.need_number(f, minimum=0))
        setting = row.get("setting", _optional_name)
        if row.ok:
            return BenchmarkFact(cells.row, model, benchmark, score, setting, as_of, _source_index(parsed, url))
    return None


def _cell_problem(raw: str) -> str | None:
    """Spreadsheet formulas are refused in every cell; a negative number is left to the range checks."""
    try:
        float(raw)
        return None
    except ValueError:
        why = text_problem(raw)
        return why if why and "formula" in why else None


def _choice(cells: Cells, field: str, allowed: tuple[str, ...]) -> str:
    value = (cells.need_text(field)).lower()
    if value not in allowed:
        cells.fail(field, f"must be one of {', '.join(allowed)}, got {value[:40]!r}")
    return value


def _name(cells: Cells, field: str) -> str:
    value = cells.need_text(field)
    if why := text_problem(value):
        cells.fail(field, why)
    return value


def _optional_name(cells: Cells, field: str) -> str | None:
    return _name(cells, field) if cells.raw(field) is not None else None


def _day(cells: Cells, field: str, today: date) -> date:
    value = cells.day(field)
    if value is None:
        cells.fail(field, "is required: the date the fact describes, YYYY-MM-DD")
    if value > today:
        cells.fail(field, f"{value} is in the future")
    if value < OLDEST:
        cells.fail(field, f"{value} is before {OLDEST}; check the year")
    return value


def _url(cells: Cells, field: str) -> str:
    value = cells.need_text(field)
    if not _URL.fullmatch(value) or len(value) > 500:
        cells.fail(field, "must be a web address starting with http:// or https://")
    return value


def _usd(cells: Cells, field: str, need: bool = True) -> float | None:
    value = cells.need_number(field, minimum=0) if need else cells.number(field, minimum=0)
    if value is not None and value > MAX_PRICE:
        cells.fail(field, f"{value:g} is over ${MAX_PRICE:,.0f} per 1M tokens; is it a price per token or per 1K?")
    return value


def _bounded_int(cells: Cells, field: str) -> int | None:
    value = cells.integer(field, minimum=1)
    if value is not None and value > MAX_CONTEXT:
        cells.fail(field, f"{value:,} tokens is more than any model offers")
    return value


def _source_index(parsed: Parsed, url: str) -> int:
    """Each distinct source page becomes one source of the import."""
    if url not in parsed.source_urls:
        parsed.source_urls.append(url)
    return parsed.source_urls.index(url)
