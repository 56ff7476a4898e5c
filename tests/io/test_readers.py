"""The strict readers refuse what a lenient reader would accept silently, naming the file and the place."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from llmcompare.io.cells import parse_flag
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import csv_rows, decode, load_json, load_yaml, read_yaml, zip_members


def test_utf16_is_refused_with_the_reason_and_a_bom_is_dropped() -> None:
    with pytest.raises(FormatError, match="f.csv: the file is UTF-16"):
        decode("a,b\n".encode("utf-16"), "f.csv")
    assert decode(b"\xef\xbb\xbfa,b\n", "f.csv") == "a,b\n"


def test_json_refuses_a_key_given_twice_and_nan() -> None:
    with pytest.raises(FormatError, match="key 'a' appears twice"):
        load_json('{"a": 1, "a": 2}', "x.json")
    with pytest.raises(FormatError, match="NaN is not a number JSON allows"):
        load_json('{"a": NaN}', "x.json")
    assert load_json('{"a": [1, 2.5]}', "x.json") == {"a": [1, 2.5]}


def test_json_accepts_a_key_repeated_with_the_same_value() -> None:
    assert load_json('{"m": {"p": 1}, "m": {"p": 1}}', "x.json") == {"m": {"p": 1}}


def test_yaml_refuses_a_key_given_twice_at_any_depth_and_names_the_line() -> None:
    with pytest.raises(FormatError, match="key 'licence' appears twice") as err:
        load_yaml("- id: m\n  licence: mit\n  licence: apache-2.0\n", "models.yaml")
    assert err.value.row == 3
    assert load_yaml("- id: m\n  dates: {a: 2024-01-02}\n", "m.yaml") == [
        {"id": "m", "dates": {"a": __import__("datetime").date(2024, 1, 2)}}
    ]


def test_yaml_never_builds_python_objects(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("!!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(FormatError, match="malformed YAML"):
        read_yaml(path)


def test_csv_rows_refuse_ragged_rows_and_repeated_columns() -> None:
    with pytest.raises(FormatError, match="row 3: has 3 fields but the header has 2"):
        csv_rows("a,b\n1,2\n1,2,3\n", "t.csv")
    with pytest.raises(FormatError, match="field 'a'"):
        csv_rows("a,a\n1,2\n", "t.csv")
    header, rows = csv_rows("a,b\n1,2\n\n3,4\n", "t.csv")
    assert header == ["a", "b"] and [r.row for r in rows] == [2, 4]


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_zip_members_refuse_escaping_paths_and_archives_too_large() -> None:
    with pytest.raises(FormatError, match="points outside its folder"):
        zip_members(_zip({"../x.yaml": b"a: 1"}), "u.zip", 10_000, lambda name: True)
    with pytest.raises(FormatError, match="unpacks to more than the size limit"):
        zip_members(_zip({"a.yaml": b"x" * 5_000}), "u.zip", 1_000, lambda name: True)
    with pytest.raises(FormatError, match="not a readable zip file"):
        zip_members(b"PK\x03\x04 broken", "u.zip", 1_000, lambda name: True)
    got = zip_members(
        _zip({"d/b.yaml": b"b", "d/a.yaml": b"a", "d/skip.txt": b"s"}), "u.zip", 1_000, lambda n: n.endswith(".yaml")
    )
    assert got == [("d/a.yaml", b"a"), ("d/b.yaml", b"b")]


@pytest.mark.parametrize(
    ("word", "value"), [("TRUE", True), ("yes", True), ("1", True), ("No", False), ("0", False), ("", None)]
)
def test_one_boolean_rule(word: str, value: bool | None) -> None:
    assert parse_flag(word) is value


def test_a_word_that_is_not_a_boolean_is_refused() -> None:
    with pytest.raises(ValueError, match="expected true/false"):
        parse_flag("maybe")
