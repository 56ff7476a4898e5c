"""Property tests: a thousand generated bad files per format, each with at least one defect. None crashes the
validators, every one is refused with a problem, and the database is byte-for-byte the same afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmcompare.facts.eu_osai import DIMENSIONS
from llmcompare.imports.apply import apply_plan
from llmcompare.imports.context import StoreContext, load_context
from llmcompare.imports.plan import build_plan
from llmcompare.imports.template import HEADER
from llmcompare.imports.upload import Upload
from llmcompare.store.imports import ImportRefused
from tests.fakes.dbfile import snapshot
from tests.imports.conftest import new_store, options
from tests.imports.files import fmti_sheet, osai_yaml, price_entry, price_row, template_rows, zip_of

pytestmark = pytest.mark.slow
THOUSAND = settings(max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = new_store(f"sqlite:///{path}")  # parsing is what varies here; one backend suffices
        self.ctx: StoreContext = load_context(self.engine)
        self.before = snapshot(self.engine)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("property") / "store.db")
    yield store
    assert snapshot(store.engine) == store.before  # nothing any example did reached the database
    store.engine.dispose()


def refused(db: Store, kind: str, name: str, data: bytes, **kw) -> None:
    """The file must give a problem (never an exception), and applying it must be refused before any write."""
    plan = build_plan(db.ctx, Upload(kind, name, data), options(**kw))
    assert plan.blocked, f"accepted a bad {kind} file: {data[:200]!r}"
    with pytest.raises(ImportRefused):
        apply_plan(db.engine, plan)


junk = st.binary(min_size=1, max_size=400)
words = st.text(min_size=1, max_size=30)
hostile = st.sampled_from(["=1+1", "+cmd", "-2+3", "@SUM(A1)", "<script>x</script>", "<b>x", "a\x00b", "&lt;i&gt;"])
keys = st.from_regex(r"[a-z]{1,8}/[a-z0-9.\-]{1,20}", fullmatch=True)
good_entries = st.dictionaries(
    keys, st.builds(lambda i, o: price_entry("host", i, o), st.floats(0.01, 50), st.floats(0.01, 50)), max_size=4
)


def _map_defect(entries: dict, defect: str, text: str, cut: int) -> bytes:
    if defect == "negative":
        entries["bad/m"] = price_entry("host", -abs(float(len(text)) + 1), 2)
    elif defect == "string":
        entries["bad/m"] = price_entry("host", 1, 2) | {"output_cost_per_token": text}
    elif defect == "bool":
        entries["bad/m"] = price_entry("host", 1, 2) | {"input_cost_per_token": True}
    elif defect == "not-object":
        entries["bad/m"] = [text]
    body = json.dumps({"sample_spec": {}, **entries})
    if defect == "truncated":
        return body[: max(1, min(cut, len(body) - 1))].encode()
    if defect == "nan":
        return body.replace("{", '{"bad/m": {"mode": "chat", "input_cost_per_token": NaN}, ', 1).encode()
    if defect == "duplicate":
        return body.replace("{", '{"x/y": {}, "x/y": {"mode": "chat"}, ', 1).encode()
    if defect == "latin1":
        return (body[:-1] + ', "caf\u00e9": 1}').encode("latin-1")
    if defect == "utf16":
        return body.encode("utf-16")
    return body.encode()


MAP_DEFECTS = ("negative", "string", "bool", "not-object", "truncated", "nan", "duplicate", "latin1", "utf16")
# Letters only: never a number, and "nan" or "inf" are refused as not finite.
not_numbers = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=20)
hostile_keys = st.builds(lambda e, k: json.dumps({**e, k: price_entry("h", 1, 2)}).encode(), good_entries, hostile)
bad_maps = st.one_of(
    junk,
    hostile_keys,
    st.builds(_map_defect, good_entries, st.sampled_from(MAP_DEFECTS), st.one_of(hostile, not_numbers), st.integers(1)),
)


@THOUSAND
@given(data=bad_maps)
def test_bad_litellm_maps_are_refused(db, data):
    refused(db, "litellm", "map.json", data)


def _osai_defect(defect: str, text: str, grade: str) -> bytes:
    good = osai_yaml("Gemma 2", "gemma-2-9b-it")
    if defect == "grade":
        bad = osai_yaml("Bad", "bad", code=json.dumps(grade))
    elif defect == "missing-dimension":
        bad = "\n".join(line for line in osai_yaml("Bad", "bad").splitlines() if not line.startswith(DIMENSIONS[3]))
    elif defect == "hostile-name":
        bad = osai_yaml(json.dumps(text), "bad")
    elif defect == "hostile-org":
        bad = osai_yaml("Bad", "bad", org=json.dumps(text))
    elif defect == "not-mapping":
        bad = "- " + json.dumps(text)
    else:
        return zip_of({f"{defect}evil.yaml": good})
    return zip_of({"models/good.yaml": good, "models/bad.yaml": bad})


bad_zips = st.one_of(
    junk,
    st.builds(
        _osai_defect,
        st.sampled_from(["grade", "missing-dimension", "hostile-name", "hostile-org", "not-mapping", "../", "/"]),
        hostile,
        words.filter(lambda g: g.strip().lower() not in ("open", "partial", "closed", "")),
    ),
)


@THOUSAND
@given(data=bad_zips)
def test_bad_osai_archives_are_refused(db, data):
    refused(db, "eu-osai", "models.zip", data)


def _sheet_defect(defect: str, cell: str, developer: str) -> tuple[bytes, str]:
    good = fmti_sheet({"Meta": [1, 0, 1], "OpenAI": [0, 1, 1]}).decode()
    if defect == "cell":
        return good.replace(",0,", f",{cell},", 1).encode(), "2026-05"
    if defect == "developer":
        return good.replace("OpenAI", developer.replace(",", ";").replace("\n", " "), 1).encode(), "2026-05"
    if defect == "edition":
        return good.encode(), cell
    if defect == "no-domain":
        return good.replace("Domain,", "Area,", 1).encode(), "2026-05"
    return good.replace("\n", ",1\n", 2).encode(), "2026-05"  # rows with an extra field


bad_cells = st.one_of(hostile, st.sampled_from(["2", "-1", "x", "0.5", "", "1e9"]))
bad_sheets = st.one_of(
    st.tuples(junk, st.just("2026-05")),
    st.builds(
        _sheet_defect,
        st.sampled_from(["cell", "developer", "edition", "no-domain", "extra-field"]),
        bad_cells,
        st.one_of(hostile, st.just("Meta")),
    ),
)


@THOUSAND
@given(case=bad_sheets)
def test_bad_fmti_sheets_are_refused(db, case):
    data, edition = case
    refused(db, "fmti", "scores.csv", data, edition=edition)


def _template_defect(defect: str, value: str, good_rows: int) -> bytes:
    rows = [price_row(inp=str(i + 1), as_of=f"2026-0{i + 1}-01") for i in range(good_rows)]
    bad = {
        "negative": price_row(inp="-" + str(len(value) + 1)),
        "number": price_row(out=value.replace(",", ";") or "x"),
        "future": price_row(as_of="2099-01-01"),
        "url": price_row(source_url=value.replace(",", ";") or "x"),
        "hostile-model": price_row(model=value),
        "fields": price_row() + ",extra",
        "fact": price_row(fact="licence"),
        "benchmark-in-price": price_row(score="5"),
    }.get(defect)
    if defect == "header":
        return template_rows(*rows).replace(HEADER[-1].encode(), b"source", 1)
    return template_rows(*rows, bad)


bad_templates = st.one_of(
    junk,
    st.builds(
        _template_defect,
        st.sampled_from(["negative", "number", "future", "url", "hostile-model", "fields", "fact", "header"])
        | st.just("benchmark-in-price"),
        hostile.map(lambda v: v.replace(",", ";")),
        st.integers(0, 3),
    ),
)


@THOUSAND
@given(data=bad_templates)
def test_bad_csv_templates_are_refused(db, data):
    refused(db, "csv", "facts.csv", data)
