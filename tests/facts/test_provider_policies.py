"""provider_policies.yaml: the committed file loads whole, and each kind of bad entry is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from llmcompare.facts.curated import load_curated
from llmcompare.facts.provider_policies import load_provider_policies
from llmcompare.io.errors import FormatError
from llmcompare.store.policy_tables import ATTRIBUTES

CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"
SOURCES = {"src-a": {"url": "https://example.org/a"}}


def write(tmp_path: Path, facts: list[dict], providers: dict | None = None) -> Path:
    path = tmp_path / "provider_policies.yaml"
    path.write_text(yaml.safe_dump({"providers": providers or {"acme": "Acme"}, "facts": facts}), encoding="utf-8")
    return path


def complete(first: dict | None = None) -> list[dict]:
    """Every attribute for provider acme: `first` (a fact by default) then explicit gaps."""
    fact = {
        "provider": "acme",
        "attribute": "trains_on_api_data",
        "basis": "fact",
        "answer": "no",
        "value": "Not by default",
        "source_id": "src-a",
        "as_of": "2025-06-01",
        "quote": "We do not train on API data.",
    }
    entries = [first if first is not None else fact]
    for attribute in ATTRIBUTES:
        if attribute != entries[0].get("attribute"):
            entries.append({"provider": "acme", "attribute": attribute, "basis": "none", "value": "Not found"})
    return entries


def test_the_committed_file_answers_every_attribute_for_at_least_twelve_providers() -> None:
    cur = load_curated(CURATED)
    rows = load_provider_policies(CURATED / "provider_policies.yaml", cur.sources)
    providers = {r["provider"] for r in rows}
    assert len(providers) >= 12
    assert len(rows) == len(providers) * len(ATTRIBUTES)
    facts = [r for r in rows if r["basis"] == "fact"]
    assert len(facts) >= 60
    for row in facts:
        assert cur.sources[row["source_id"]]["url"].startswith("https://"), row
        assert row["quote"] and row["answer"] in ("yes", "no", "conditional")
    for row in rows:
        if row["basis"] == "none":
            assert row["source_id"] is None and row["quote"] is None and row["answer"] is None


def test_a_valid_file_gives_one_row_per_attribute(tmp_path) -> None:
    rows = load_provider_policies(write(tmp_path, complete()), SOURCES)
    first = rows[0]
    assert (first["provider_name"], first["answer"], first["source_id"]) == ("Acme", "no", "src-a")
    assert first["as_of"].isoformat() == "2025-06-01"
    assert len(rows) == len(ATTRIBUTES)


def test_an_undated_page_keeps_an_unknown_date(tmp_path) -> None:
    entry = complete()[0] | {"as_of": None}
    rows = load_provider_policies(write(tmp_path, complete(entry)), SOURCES)
    assert rows[0]["as_of"] is None


BAD_ENTRIES = [
    ({"provider": "nobody"}, "provider", "unknown provider"),
    ({"attribute": "colour"}, "attribute", "unknown attribute"),
    ({"basis": "maybe"}, "basis", "must be one of"),
    ({"answer": "perhaps"}, "answer", "must be one of"),
    ({"source_id": "src-missing"}, "source_id", "unknown source"),
    ({"quote": "  "}, "quote", "non-empty string"),
    ({"value": None}, "value", "non-empty string"),
    ({"as_of": "June 2025"}, "as_of", "not an ISO date"),
    ({"homepage": "https://example.org"}, "homepage", "not allowed"),
]


@pytest.mark.parametrize(("change", "field", "reason"), BAD_ENTRIES)
def test_a_bad_fact_is_refused_naming_file_entry_and_field(tmp_path, change, field, reason) -> None:
    entries = complete()
    entries[0] = entries[0] | change
    with pytest.raises(FormatError, match=reason) as caught:
        load_provider_policies(write(tmp_path, entries), SOURCES)
    err = caught.value
    assert (err.file, err.row, err.field) == ("provider_policies.yaml", 1, field)
    assert "provider_policies.yaml, row 1, field" in str(err)


def test_a_fact_without_as_of_is_refused(tmp_path) -> None:
    entry = {k: v for k, v in complete()[0].items() if k != "as_of"}
    with pytest.raises(FormatError, match="as_of") as caught:
        load_provider_policies(write(tmp_path, complete(entry)), SOURCES)
    assert caught.value.field == "as_of"


def test_a_gap_that_carries_a_source_is_refused(tmp_path) -> None:
    entries = complete()
    entries[3] = entries[3] | {"source_id": "src-a"}
    with pytest.raises(FormatError, match="not allowed when basis is 'none'") as caught:
        load_provider_policies(write(tmp_path, entries), SOURCES)
    assert (caught.value.row, caught.value.field) == (4, "source_id")
    assert f"acme/{entries[3]['attribute']}" in str(caught.value)


def test_a_repeated_entry_is_refused(tmp_path) -> None:
    entries = complete()
    entries.append(dict(entries[2]))
    with pytest.raises(FormatError, match="appears twice") as caught:
        load_provider_policies(write(tmp_path, entries), SOURCES)
    assert caught.value.row == len(entries)


def test_a_missing_attribute_is_refused(tmp_path) -> None:
    entries = [e for e in complete() if e["attribute"] != "uptime_sla"]
    with pytest.raises(FormatError, match="missing \\['acme/uptime_sla'\\]"):
        load_provider_policies(write(tmp_path, entries), SOURCES)


def test_a_file_without_providers_is_refused(tmp_path) -> None:
    path = tmp_path / "provider_policies.yaml"
    path.write_text(yaml.safe_dump({"facts": complete()}), encoding="utf-8")
    with pytest.raises(FormatError, match="exactly the keys"):
        load_provider_policies(path, SOURCES)
