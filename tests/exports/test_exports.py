"""Table exports: XLSX reads back with the same rows, and formula-looking cells are neutralised in CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from llmcompare.exports.tables import facts_long, frame_bytes, write_frame

RISKY = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx", "safe", "a=b"]


def risky_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "answer": RISKY,
            "n": range(len(RISKY)),
            "access": [["open-weights"]] * len(RISKY),
            "seen": pd.Timestamp("2026-01-02", tz="UTC"),
        }
    )


def test_xlsx_reads_back_with_the_same_rows(engine, tmp_path):
    facts = facts_long(engine)
    out = tmp_path / "facts.xlsx"
    write_frame(facts, "xlsx", out)
    back = pd.read_excel(out)
    assert list(back.columns) == list(facts.columns)
    assert len(back) == len(facts)
    assert back["subject"].tolist() == facts["subject"].tolist()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_cells_are_neutralised(fmt):
    data = frame_bytes(risky_frame(), fmt)
    if fmt == "csv":  # the csv module, because pandas' C parser splits quoted cells at a bare CR
        cells = [row["answer"] for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))]
    else:
        cells = pd.read_excel(io.BytesIO(data))["answer"].tolist()
    assert all(cell.startswith("'") for cell in cells[:6])
    assert cells[6:] == ["safe", "a=b"]


def test_xlsx_has_no_formula_cells():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(frame_bytes(risky_frame(), "xlsx"))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["C2"].value == "open-weights"


def test_json_keeps_the_raw_text():
    records = json.loads(frame_bytes(risky_frame(), "json"))
    assert records[0]["answer"] == RISKY[0]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        frame_bytes(risky_frame(), "ods")
