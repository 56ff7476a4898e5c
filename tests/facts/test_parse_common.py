"""FormatError and the shared CSV/JSON reading rules every importer relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import load_json, read_csv


def test_format_error_names_file_row_and_field() -> None:
    err = FormatError("prices.json", "must be >= 0, got -1", row=3, field="gpt-4o.input_cost_per_token")
    assert isinstance(err, ValueError)
    assert (err.file, err.row, err.field) == ("prices.json", 3, "gpt-4o.input_cost_per_token")
    assert str(err) == "prices.json, row 3, field 'gpt-4o.input_cost_per_token': must be >= 0, got -1"


def test_format_error_without_row_or_field() -> None:
    assert str(FormatError("a.csv", "file is empty")) == "a.csv: file is empty"


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "table.csv"
    path.write_bytes(data)
    return path


def test_csv_with_bom_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffname,score\r\nalpha,1\r\n\r\nbeta,2\r\n".encode())
    header, rows = read_csv(path, ["name"])
    assert header == ["name", "score"]
    assert [(cells.row, cells.need_text("name"), cells.need_integer("score")) for cells in rows] == [
        (2, "alpha", 1),
        (4, "beta", 2),
    ]


def test_csv_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"name,score\nalpha,1\nb\xe9ta,2\n")
    with pytest.raises(FormatError, match=r"not valid UTF-8 \(line 3, byte 21\)") as err:
        read_csv(path)
    assert err.value.file == str(path)


def test_csv_bad_quoting_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, b'name,score\nalpha,1\n"beta"x,2\n')
    with pytest.raises(FormatError, match="malformed CSV") as err:
        read_csv(path)
    assert err.value.row == 3


def test_csv_ragged_row(tmp_path: Path) -> None:
    path = write(tmp_path, b"name,score\nalpha,1,extra\n")
    with pytest.raises(FormatError, match="has 3 fields but the header has 2") as err:
        read_csv(path)
    assert err.value.row == 2


def test_csv_missing_and_duplicate_columns(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="required column is missing") as err:
        read_csv(write(tmp_path, b"name,score\nalpha,1\n"), ["votes"])
    assert (err.value.row, err.value.field) == (1, "votes")
    with pytest.raises(FormatError, match="appears twice") as err:
        read_csv(write(tmp_path, b"name,name\nalpha,beta\n"))
    assert err.value.field == "name"


def test_csv_empty_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="empty"):
        read_csv(write(tmp_path, b""))


def test_json_rejects_nan_and_reports_position() -> None:
    with pytest.raises(FormatError, match="NaN"):
        load_json('{"a": NaN}', "x.json")
    with pytest.raises(FormatError, match=r"line 1, column 9"):
        load_json('{"a": 1,,}', "x.json")


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "expected a number"), ("nan", "finite"), ("inf", "finite"), ("-2", "must be >= 0")],
)
def test_number_rejects_bad_values(value: str, message: str) -> None:
    with pytest.raises(FormatError, match=message) as err:
        Cells({"price": value}, "f.csv", 7).number("price", minimum=0)
    assert (err.value.row, err.value.field) == (7, "price")


def test_typed_getters_accept_the_usual_spellings() -> None:
    cells = Cells({"n": "2000000.0", "b": "TRUE", "d": "2024-05-05T12:22:44Z", "blank": "  ", "t": 7}, "f.csv", 2)
    assert cells.integer("n") == 2_000_000
    assert cells.flag("b") is True
    assert str(cells.day("d")) == "2024-05-05"
    assert cells.text("blank") is None
    assert cells.number("missing") is None
    assert cells.text("t") == "7"


def test_typed_getters_reject_wrong_types() -> None:
    cells = Cells({"n": "1.5", "b": "yes please", "d": "05/08/2024", "t": True}, "f.csv", 2)
    with pytest.raises(FormatError, match="expected a whole number"):
        cells.integer("n")
    with pytest.raises(FormatError, match="expected true/false"):
        cells.flag("b")
    with pytest.raises(FormatError, match="expected a date YYYY-MM-DD") as err:
        cells.day("d")
    assert (err.value.row, err.value.field) == (2, "d")
    with pytest.raises(FormatError, match="expected text"):
        cells.text("t")
