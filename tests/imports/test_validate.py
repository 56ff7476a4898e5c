"""Each importer's validation: a clear problem per row and field, and no facts from a file that has problems."""

from __future__ import annotations

import io
import stat
import zipfile
from datetime import date

import pytest

from llmcompare.imports.formats import read_eu_osai, read_fmti, read_litellm
from llmcompare.imports.template import (
    COLUMNS,
    HEADER,
    TEMPLATE_ROW,
    BenchmarkRow,
    PriceRow,
    read_template,
    template_csv,
)
from llmcompare.imports.upload import Upload, text_problem
from tests.imports.conftest import TODAY, options, plan_for
from tests.imports.files import (
    FIXTURE_MAP,
    benchmark_row,
    fmti_sheet,
    litellm_map,
    osai_yaml,
    price_entry,
    price_row,
    template_rows,
    zip_of,
)


def reasons(parsed) -> list[str]:
    return [p.describe() for p in parsed.problems]


def test_litellm_reads_priced_chat_entries_and_counts_the_rest():
    parsed = read_litellm(Upload("litellm", "map.json", litellm_map(FIXTURE_MAP)), options())
    assert not parsed.problems
    assert {f.offering for f in parsed.facts} == set(FIXTURE_MAP) - {"text-embedding-3-small"}
    mini = next(f for f in parsed.facts if f.offering == "openai/gpt-4o-mini")
    assert (mini.input_usd_per_1m, mini.output_usd_per_1m, mini.cached_input_usd_per_1m) == (0.2, 0.8, 0.075)
    assert parsed.skipped == {"not a chat, completion or responses model with token prices": 1}
    assert parsed.complete and "text-embedding-3-small" in parsed.keys


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ({"a/m": price_entry("a", -1, 2)}, "row 2, field 'a/m.input_cost_per_token': must be >= 0"),
        ({"a/m": price_entry("a", 1, 2) | {"output_cost_per_token": "cheap"}}, "expected a number, got 'cheap'"),
        ({"=cmd|' /C calc'!A0": price_entry("a", 1, 2)}, "model key starts with '='"),
        ({"<b>bold</b>": price_entry("a", 1, 2)}, "model key contains HTML markup"),
        ({"a/m": price_entry("<script>", 1, 2)}, "provider contains HTML markup"),
        ({"a/m": "not an object"}, "entry must be an object"),
    ],
)
def test_litellm_bad_entries_name_row_and_field(entries, expected):
    parsed = read_litellm(Upload("litellm", "map.json", litellm_map(entries)), options())
    assert not parsed.facts
    assert any(expected in r for r in reasons(parsed)), reasons(parsed)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": 1,', "malformed JSON"),
        (b'{"a/m": {"mode": "chat"}, "a/m": {}}', "key 'a/m' appears twice"),
        (b'{"a/m": {"input_cost_per_token": NaN}}', "NaN is not a number JSON allows"),
        (b"[1, 2]", "expected a JSON object"),
        (b"{}", "no priced chat models found"),
        ('{"caf\u00e9": 1}'.encode("latin-1"), "not valid UTF-8 (line 1"),
        ('{"a": 1}'.encode("utf-16"), "the file is UTF-16"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_litellm_malformed_files_are_one_clear_problem(store, data, expected):
    plan = plan_for(store, "litellm", "map.json", data)
    assert plan.blocked and not plan.writes
    assert expected in plan.problems[0].reason


def test_size_limit_refuses_before_reading(store):
    plan = plan_for(store, "litellm", "huge.json", b" " * 2_000_001)
    assert plan.problems[0].reason == "the file is 2.0 MB; the limit is 2.0 MB (LLMCOMPARE_IMPORT_MAX_MB)"


def test_wrong_suffix_for_the_kind_is_caught(store):
    plan = plan_for(store, "litellm", "prices.csv", b"a,b\n")
    assert "should end in .json" in plan.problems[0].reason


def test_osai_zip_reads_every_system_and_refuses_bad_files_one_by_one():
    data = zip_of(
        {
            "models/Gemma 2.yaml": osai_yaml("Gemma 2", "gemma-2-9b-it"),
            "models/bad.yaml": osai_yaml("Bad", "bad-1", code="wide open"),
            "models/_parameters.yml": "ignored: true",
            "models/template.yaml": "ignored: true",
        }
    )
    parsed = read_eu_osai(Upload("eu-osai", "models.zip", data), options())
    assert [s.name for s in parsed.facts] == ["Gemma 2"]
    assert reasons(parsed) == [
        "models/bad.yaml, field 'code.class': unknown grade 'wide open', expected open, partial, closed or blank"
    ]
    assert parsed.complete


@pytest.mark.parametrize("member", ["../evil.yaml", "/etc/evil.yaml", "models/../../evil.yaml", "C:/evil.yaml"])
def test_osai_zip_with_paths_outside_its_folder_is_refused(store, member):
    plan = plan_for(store, "eu-osai", "models.zip", zip_of({member: osai_yaml("Evil", "evil")}))
    assert plan.blocked and "points outside its folder" in plan.problems[0].reason


def test_osai_zip_with_a_symlink_is_refused(store):
    info = zipfile.ZipInfo("models/link.yaml")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(buffer := io.BytesIO(), "w") as archive:
        archive.writestr(info, "/etc/passwd")
    plan = plan_for(store, "eu-osai", "models.zip", buffer.getvalue())
    assert "is a symbolic link" in plan.problems[0].reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (osai_yaml("<img src=x onerror=alert(1)>", "x"), "field 'system.name': contains HTML markup"),
        (osai_yaml("Fine", "=HYPERLINK(1)"), "field 'system.endmodelname': starts with '='"),
        ("system: [unclosed", "malformed YAML"),
        ("just text", "expected a YAML mapping"),
    ],
)
def test_osai_single_yaml_problems(store, text, expected):
    plan = plan_for(store, "eu-osai", "system.yaml", text.encode())
    assert plan.blocked
    assert expected in plan.problems[0].describe(), plan.problems


def test_osai_damaged_zip_is_one_problem(store):
    plan = plan_for(store, "eu-osai", "models.zip", b"PK\x03\x04 not really a zip")
    assert plan.problems[0].reason.startswith("not a readable zip file")


def test_fmti_sheet_sums_each_domain():
    data = fmti_sheet({"Meta": [1, 0, 1], "OpenAI": [0, 0, 1]})
    parsed = read_fmti(Upload("fmti", "scores.csv", data), options(edition="2026-05"))
    assert not parsed.problems
    meta = parsed.facts[0]
    assert meta.developer == "Meta" and meta.parts[0] == ("Total", 2, 3) and meta.parts[1] == ("Upstream", 1, 1)


@pytest.mark.parametrize(
    ("data", "edition", "expected"),
    [
        (fmti_sheet({"Meta": [1, 2, 1]}), "2026-05", "row 3, field 'Meta': scores are 0 or 1, got 2"),
        (fmti_sheet({"Meta": [1, 0, 1]}), "", "give the edition as YYYY or YYYY-MM"),
        (fmti_sheet({"Meta": [1, 0, 1]}), "May '26", "give the edition as YYYY or YYYY-MM"),
        (b"Indicator,Meta\nData size,1\n", "2026-05", "an indicators CSV is needed"),
        (fmti_sheet({"=cmd()": [1, 0, 1]}), "2026-05", "developer name starts with '='"),
        (b"Domain,Indicator,Meta\nUpstream,x,1,1\n", "2026-05", "has 4 fields but the header has 3"),
    ],
)
def test_fmti_problems(store, data, edition, expected):
    plan = plan_for(store, "fmti", "scores.csv", data, edition=edition)
    assert plan.blocked and not plan.writes
    assert any(expected in p.describe() for p in plan.problems), plan.problems


def test_fmti_sheet_without_domain_reads_with_an_indicators_file():
    from tests.facts.conftest import SOURCES

    scores = (SOURCES / "fmti" / "dec_scores.csv").read_bytes()
    indicators = (SOURCES / "fmti" / "dec_indicators.csv").read_bytes()
    parsed = read_fmti(Upload("fmti", "dec.csv", scores), options(edition="2025-12", indicators=indicators))
    assert not parsed.problems and {f.developer for f in parsed.facts} == {"IBM", "xAI"}


def test_template_download_is_a_valid_import():
    parsed = read_template(Upload("csv", "template.csv", template_csv()), options())
    assert not parsed.problems
    assert [type(f).__name__ for f in parsed.facts] == ["PriceFact", "BenchmarkFact"]
    assert parsed.source_urls == ["https://openai.com/api/pricing/", "https://github.com/openai/simple-evals"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (price_row(inp="-1"), "row 2, field 'input_usd_per_1m': must be >= 0, got -1"),
        (price_row(out="0.00001", inp="2500"), "field 'input_usd_per_1m': 2500 is over $1,000 per 1M tokens"),
        (price_row(inp="=1+1"), "field 'input_usd_per_1m': starts with '=', which a spreadsheet would run"),
        (price_row(model="@SUM(A1)"), "field 'model': starts with '@'"),
        (price_row(model="<b>GPT</b>"), "field 'model': contains HTML markup"),
        (price_row(as_of="2027-01-01"), "field 'as_of': 2027-01-01 is in the future"),
        (price_row(as_of="01/11/2026"), "field 'as_of': expected a date YYYY-MM-DD"),
        (price_row(source_url="javascript:alert(1)"), "field 'source_url': must be a web address"),
        (price_row(source_url="https://x.org/<script>"), "field 'source_url': must be a web address"),
        (price_row(source_url="openai.com"), "field 'source_url': must be a web address"),
        (price_row(context_window="12.5"), "field 'context_window': expected a whole number"),
        (price_row(benchmark="mmlu"), "field 'benchmark': belongs to benchmark rows"),
        (price_row(provider=""), "field 'provider': is required but empty"),
        (benchmark_row(score="abc"), "field 'score': expected a number, got 'abc'"),
        (benchmark_row(input_usd_per_1m="1"), "field 'input_usd_per_1m': belongs to price rows"),
        (price_row(fact="licence"), "field 'fact': must be one of price, benchmark"),
        ("price,gpt-4o", "row 2: has 2 fields but the header has 13"),
    ],
)
def test_template_rows_report_each_bad_field(row, expected):
    parsed = read_template(Upload("csv", "facts.csv", template_rows(row)), options())
    assert not parsed.facts
    assert any(expected in r for r in reasons(parsed)), reasons(parsed)


def test_template_row_with_several_bad_fields_reports_each():
    parsed = read_template(Upload("csv", "facts.csv", template_rows(price_row(inp="-1", out="x", as_of=""))), options())
    assert {p.field for p in parsed.problems} == {"input_usd_per_1m", "output_usd_per_1m", "as_of"}


def test_template_duplicates_and_header_problems():
    dupes = read_template(Upload("csv", "f.csv", template_rows(price_row(), price_row(inp="3"))), options())
    assert reasons(dupes) == ["row 3: repeats row 2 (same fact and date)"]
    header = read_template(Upload("csv", "f.csv", b"fact,model,price\nprice,gpt-4o,1\n"), options())
    assert "row 1, field 'price': unknown column" in reasons(header)[0]
    assert any("field 'as_of': column is missing" in r for r in reasons(header))


def test_plain_text_checks():
    assert text_problem("Llama 3.1 8B") is None
    assert text_problem("-1") is not None and text_problem("AT&amp;T") == "contains HTML markup; write plain text"
    assert text_problem("x" * 301) == "is longer than 300 characters"
    assert text_problem("tab\x07") == "contains control characters"


def test_template_row_models_declare_every_column():
    assert set(PriceRow.model_fields) == set(HEADER) == set(BenchmarkRow.model_fields)


@pytest.mark.parametrize(("name", "use"), [(name, use) for name, use, _ in COLUMNS if use != "all"])
def test_columns_of_the_other_kind_must_stay_empty(name, use):
    row = benchmark_row(**{name: "1"}) if use == "price" else price_row(**{name: "1"})
    parsed = read_template(Upload("csv", "facts.csv", template_rows(row)), options())
    assert reasons(parsed) == [f"row 2, field '{name}': belongs to {use} rows; leave it empty"]


def test_template_rows_are_read_into_declared_models():
    row = TEMPLATE_ROW.validate_python(
        {"fact": "Price", "model": "gpt-4o", "provider": "openai", "input_usd_per_1m": "2", "output_usd_per_1m": "8"}
        | {"context_window": "1e3", "as_of": "2026-11-01T09:30:00", "source_url": "https://openai.com/api/pricing/"},
        context={"today": TODAY},
    )
    assert isinstance(row, PriceRow)
    assert (row.fact, row.input_usd_per_1m, row.context_window, row.as_of) == ("price", 2.0, 1000, date(2026, 11, 1))
    assert row.offering is None and row.cached_input_usd_per_1m is None


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            price_row(fact="licence", model="", as_of="2014-12-31", source_url="ftp://x"),
            [
                "row 2, field 'fact': must be one of price, benchmark, got 'licence'",
                "row 2, field 'model': is required but empty; the column holds the model's name or id as the catalogue"
                " shows it, or any alias (e.g. gpt-4o)",
                "row 2, field 'as_of': 2014-12-31 is before 2015-01-01; check the year",
                "row 2, field 'source_url': must be a web address starting with http:// or https://",
            ],
        ),
        (price_row(fact=""), ["row 2, field 'fact': is required but empty; the column holds price or benchmark"]),
        (price_row(as_of="20261101"), ["row 2, field 'as_of': expected a date YYYY-MM-DD, got '20261101'"]),
        (
            benchmark_row(score="=1", setting="+x", benchmark="-cmd"),
            [
                "row 2, field 'benchmark': starts with '-', which a spreadsheet would run as a formula",
                "row 2, field 'score': starts with '=', which a spreadsheet would run as a formula",
                "row 2, field 'setting': starts with '+', which a spreadsheet would run as a formula",
            ],
        ),
        (
            price_row(context_window="200000000", cached_input_usd_per_1m="nan", offering="<i>x</i>"),
            [
                "row 2, field 'offering': contains HTML markup; write plain text",
                "row 2, field 'cached_input_usd_per_1m': must be a finite number, got 'nan'",
                "row 2, field 'context_window': 200,000,000 tokens is more than any model offers",
            ],
        ),
        (benchmark_row(score="-0.5"), ["row 2, field 'score': must be >= 0, got -0.5"]),
        (price_row(context_window="0"), ["row 2, field 'context_window': must be >= 1, got 0"]),
    ],
)
def test_template_problems_in_the_order_of_the_columns(row, expected):
    parsed = read_template(Upload("csv", "facts.csv", template_rows(row)), options())
    assert not parsed.facts and reasons(parsed) == expected


def test_template_fact_kind_ignores_case_and_spaces():
    parsed = read_template(Upload("csv", "f.csv", template_rows(price_row(fact=" PRICE "), benchmark_row())), options())
    assert not parsed.problems and [type(f).__name__ for f in parsed.facts] == ["PriceFact", "BenchmarkFact"]
