"""The command line as a user runs it: build-db from the committed seed, then exports with their sources."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import run_cli

ROOT = Path(__file__).resolve().parents[2]
CATALOG_COLUMNS = [
    "model",
    "developer",
    "access",
    "license",
    "commercial_use",
    "user_threshold",
    "input_usd_per_1m",
    "output_usd_per_1m",
    "price_as_of",
    "context_window",
    "arena_score",
    "openness",
    "fmti_latest",
]


def cli_env(db: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{db}", "LLMCOMPARE_SEED_DIR": str(ROOT / "data/seed")}


def cli(*args, db: Path, check=True):
    return run_cli(*args, env=cli_env(db), check=check)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Built by a real `python -m llmcompare build-db` process; other commands run in this one (tests/cli/runner)."""
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    first = subprocess.run(
        [sys.executable, "-m", "llmcompare", "build-db"],
        cwd=ROOT,
        env={**os.environ, **cli_env(path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "built from seed" in first.stdout
    return path


def test_build_db_is_idempotent(db):
    again = cli("build-db", db=db)
    assert "already up to date" in again.stdout


def test_export_catalog_csv_has_every_fact_column_with_its_source(db, tmp_path):
    out = tmp_path / "catalog.csv"
    cli("export", "catalog", "--format", "csv", "--out", str(out), db=db)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) >= 250
    header = rows[0].keys()
    assert set(CATALOG_COLUMNS) <= set(header)
    for column in ("license", "price", "context", "arena", "openness", "fmti"):
        assert f"{column}_source" in header
    llama = next(r for r in rows if r["model"] == "Meta-Llama-3.1-405B-Instruct-bf16")
    assert llama["access"] == "open_weights" and llama["user_threshold"].startswith("700000000")
    priced = [r for r in rows if r["input_usd_per_1m"]]
    assert all(r["price_source"] and r["price_as_of"] for r in priced)


def test_export_catalog_json_matches_csv_rows(db, tmp_path):
    out = tmp_path / "catalog.json"
    cli("export", "catalog", "--format", "json", "--out", str(out), db=db)
    records = json.loads(out.read_text())
    assert len(records) >= 250 and set(CATALOG_COLUMNS) <= set(records[0])


@pytest.mark.slow
def test_export_catalog_xlsx_reads_back_with_the_json_rows(db, tmp_path):
    import pandas as pd

    cli("export", "catalog", "--format", "xlsx", "--out", str(tmp_path / "catalog.xlsx"), db=db)
    cli("export", "catalog", "--format", "json", "--out", str(tmp_path / "catalog.json"), db=db)
    sheet = pd.read_excel(tmp_path / "catalog.xlsx")
    assert len(sheet) == len(json.loads((tmp_path / "catalog.json").read_text()))
    assert set(CATALOG_COLUMNS) <= set(sheet.columns)


def test_export_facts_long_form(db, tmp_path):
    out = tmp_path / "facts.csv"
    cli("export", "facts", "--format", "csv", "--out", str(out), db=db)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0].keys()) == ["subject", "attribute", "value", "unit", "source", "as_of"]
    assert all(r["source"] and r["as_of"] for r in rows)
    attributes = {r["attribute"] for r in rows}
    assert {"input_price", "lmarena_text", "commercial_use", "fmti_2025-12:Total"} <= attributes


def test_bad_arguments_give_a_clear_message(db, tmp_path):
    result = cli("export", "catalog", "--format", "xml", "--out", str(tmp_path / "x"), db=db, check=False)
    assert result.returncode == 2 and "invalid choice" in result.stderr
    missing = cli("build-seed", "--sources", str(tmp_path / "nowhere"), db=db, check=False)
    assert missing.returncode == 2 and "sources folder not found" in missing.stderr
