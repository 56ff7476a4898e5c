"""The app's own CSV template for hand-entered facts: list prices and benchmark scores, each with its source page."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from llmcompare.imports.formats import BenchmarkFact, Parsed, PriceFact
from llmcompare.imports.upload import Options, Problem, Upload, text_problem
from llmcompare.io.readers import csv_records, decode

PRICE, BENCHMARK = "price", "benchmark"
MAX_PRICE = 1000.0  # USD per 1M tokens; far above any real list price, so larger values are unit slips
MAX_CONTEXT = 100_000_000
OLDEST = date(2015, 1, 1)
_URL = re.compile(r"https?://[^\s<>\"']+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}([T ].*)?")

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


# The documentation of each column, as a missing value's hint names it.
_DOCS = {name: what.replace("`", "") for name, _, what in COLUMNS}
# Pydantic's error types in this app's wording; {value} is what the cell held.
_WORDING = {
    "float_parsing": "expected a number, got {value!r}",
    "int_parsing": "expected a whole number, got {value!r}",
    "int_from_float": "expected a whole number, got {value!r}",
    "finite_number": "must be a finite number, got {value!r}",
    "greater_than_equal": "must be >= {ge}, got {value}",
}


def _fail(reason: str) -> NoReturn:
    raise PydanticCustomError("template", "{reason}", {"reason": reason})


def _no_formula(value: Any) -> Any:
    """Spreadsheet formulas are refused in every cell; a negative number is left to the range checks."""
    if isinstance(value, str) and not _is_number(value) and (why := text_problem(value)) and "formula" in why:
        _fail(why)
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _plain_text(value: str) -> str:
    if why := text_problem(value):
        _fail(why)
    return value


def _web_address(value: str) -> str:
    if not _URL.fullmatch(value) or len(value) > 500:
        _fail("must be a web address starting with http:// or https://")
    return value


def _iso_day(value: Any) -> Any:
    """YYYY-MM-DD, or an ISO timestamp whose time is dropped; never a bare number read as a Unix time."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            pass
    _fail(f"expected a date YYYY-MM-DD, got {value!r}")


def _plausible_day(value: date, info: ValidationInfo) -> date:
    if value > info.context["today"]:
        _fail(f"{value} is in the future")
    if value < OLDEST:
        _fail(f"{value} is before {OLDEST}; check the year")
    return value


def _price_cap(value: float) -> float:
    if value > MAX_PRICE:
        _fail(f"{value:g} is over ${MAX_PRICE:,.0f} per 1M tokens; is it a price per token or per 1K?")
    return value


def _whole_number(value: Any) -> Any:
    """1000 and 1000.0 (or 1e3) are the same whole number; 12.5 is refused by the int type."""
    return float(value) if isinstance(value, str) and _is_number(value) else value


def _context_cap(value: int) -> int:
    if value > MAX_CONTEXT:
        _fail(f"{value:,} tokens is more than any model offers")
    return value


def _belongs_to(owner: str) -> Callable[[Any], NoReturn]:
    def refuse(value: Any) -> NoReturn:
        _fail(f"belongs to {owner} rows; leave it empty")

    return refuse


def _unknown_fact(value: str) -> str:
    _fail(f"must be one of {PRICE}, {BENCHMARK}, got {value[:40]!r}")


Text = Annotated[str, AfterValidator(_plain_text)]
WebAddress = Annotated[str, AfterValidator(_web_address)]
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_plausible_day)]
Usd = Annotated[float, Field(ge=0, allow_inf_nan=False), AfterValidator(_price_cap)]
Score = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Context = Annotated[int, BeforeValidator(_whole_number), Field(ge=1), AfterValidator(_context_cap)]
Lowercase = BeforeValidator(str.lower)  # 'Price' and 'PRICE' name the same kind
ForPrices = Annotated[None, BeforeValidator(_belongs_to(PRICE))]
ForBenchmarks = Annotated[None, BeforeValidator(_belongs_to(BENCHMARK))]


class _TemplateRow(BaseModel):
    """What every row holds; blank cells are left out, so a required one reads as missing."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fact: str  # each kind narrows it; declared first so its problem is reported first
    model: Text
    as_of: Day
    source_url: WebAddress

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_formulas(cls, value: Any) -> Any:
        return _no_formula(value)


class PriceRow(_TemplateRow):
    """A list price of one offering, in USD per million tokens; benchmark columns stay empty."""

    fact: Annotated[Literal["price"], Lowercase]
    benchmark: ForBenchmarks = None
    score: ForBenchmarks = None
    setting: ForBenchmarks = None
    provider: Text
    offering: Text | None = None
    input_usd_per_1m: Usd
    output_usd_per_1m: Usd
    cached_input_usd_per_1m: Usd | None = None
    context_window: Context | None = None


class BenchmarkRow(_TemplateRow):
    """One score on a known benchmark; price columns stay empty."""

    fact: Annotated[Literal["benchmark"], Lowercase]
    provider: ForPrices = None
    offering: ForPrices = None
    input_usd_per_1m: ForPrices = None
    output_usd_per_1m: ForPrices = None
    cached_input_usd_per_1m: ForPrices = None
    context_window: ForPrices = None
    benchmark: Text
    score: Score
    setting: Text | None = None


class _UnknownRow(_TemplateRow):
    """A row of neither kind: the fact is refused, and the columns every row shares are still checked."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    fact: Annotated[str, AfterValidator(_unknown_fact)]


def _kind_of(row: Any) -> str:
    fact = str(row.get("fact", "") if isinstance(row, dict) else getattr(row, "fact", "")).lower()
    return fact if fact in (PRICE, BENCHMARK) else "unknown"


TEMPLATE_ROW: TypeAdapter[PriceRow | BenchmarkRow] = TypeAdapter(
    Annotated[
        Annotated[PriceRow, Tag(PRICE)]
        | Annotated[BenchmarkRow, Tag(BENCHMARK)]
        | Annotated[_UnknownRow, Tag("unknown")],
        Discriminator(_kind_of),
    ]
)


def read_template(upload: Upload, options: Options) -> Parsed:
    """Every row of a filled-in template, each checked against its declared row model; duplicates are problems too."""
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
        fact = _fact(parsed, dict(zip(header, raw, strict=True)), number, options)
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


def _fact(parsed: Parsed, cells: dict[str, str], number: int, options: Options) -> PriceFact | BenchmarkFact | None:
    """One row as a fact, or None after recording a problem for each bad field."""
    filled = {name: value.strip() for name, value in cells.items() if value.strip()}
    try:
        row = TEMPLATE_ROW.validate_python(filled, context={"today": options.today})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            parsed.problems.append(Problem(_reason(error), number, str(error["loc"][-1])))
        return None
    source = _source_index(parsed, row.source_url)
    if isinstance(row, PriceRow):
        prices = (row.input_usd_per_1m, row.output_usd_per_1m, row.cached_input_usd_per_1m)
        return PriceFact(number, row.model, row.provider, row.offering, *prices, row.context_window, row.as_of, source)
    return BenchmarkFact(number, row.model, row.benchmark, row.score, row.setting, row.as_of, source)


def _reason(error: ErrorDetails) -> str:
    """Pydantic's error in the words the rest of the importers use, naming the value that was given."""
    if error["type"] == "missing":
        return f"is required but empty; the column holds {_DOCS[str(error['loc'][-1])]}"
    wording = _WORDING.get(error["type"])
    if wording is None:
        return error["msg"]
    bounds = {name: f"{value:g}" for name, value in error.get("ctx", {}).items() if isinstance(value, int | float)}
    return wording.format(value=error["input"], **bounds)


def _source_index(parsed: Parsed, url: str) -> int:
    """Each distinct source page becomes one source of the import."""
    if url not in parsed.source_urls:
        parsed.source_urls.append(url)
    return parsed.source_urls.index(url)
