"""Exports of what users made: playground runs, votes, win rates and an advisor ranking, in every format."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest

from llmcompare.providers.base import RunResult, SideResult
from llmcompare.store.engine import make_engine
from llmcompare.store.migrations import migrate
from llmcompare.store.runs import save_run, save_vote
from tests.cli.test_cli import cli
from tests.fakes.results import side_result

BANK = "Bank that keeps customer data on its own servers"


def side(spec: str, text: str, cost: float | None) -> SideResult:
    return side_result(
        spec,
        text,
        ttft_s=0.25,
        total_s=1.5,
        input_tokens=7,
        output_tokens=12,
        tokens_per_s=8.0,
        cost_usd=cost,
        cost_basis="test price" if cost else "no price on record",
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("user-exports") / "cli.db"
    cli("build-db", db=path)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    # An answer that a spreadsheet would run as a formula, and one with a comma and a newline.
    first = RunResult(
        "Sum it", datetime.now(UTC), 1.6, [side("local:bundled", "=1+1", None), side("openai:m", "a,\nb", 0.002)]
    )
    second = RunResult(
        "Again", datetime.now(UTC), 1.2, [side("local:bundled", "ok", None), side("openai:m", "fine", 0.001)]
    )
    save_vote(engine, save_run(engine, first), "b")
    save_vote(engine, save_run(engine, second), "tie")
    engine.dispose()
    return path


def test_runs_export_has_one_row_per_side_in_every_format(db, tmp_path):
    for fmt in ("csv", "json", "xlsx"):
        cli("export", "runs", "--format", fmt, "--out", str(tmp_path / f"runs.{fmt}"), db=db)
    from_json = pd.DataFrame(json.loads((tmp_path / "runs.json").read_text(encoding="utf-8")))
    from_csv = pd.read_csv(tmp_path / "runs.csv", keep_default_na=False)
    from_xlsx = pd.read_excel(tmp_path / "runs.xlsx", keep_default_na=False)
    assert len(from_json) == len(from_csv) == len(from_xlsx) == 4
    assert list(from_json["side"]) == ["left", "right", "left", "right"]
    assert from_json.loc[1, "text"] == "a,\nb" and from_csv.loc[1, "text"] == "a,\nb"
    assert from_json.loc[0, "text"] == "=1+1"  # JSON is data, not a spreadsheet
    assert from_csv.loc[0, "text"] == "'=1+1" and from_xlsx.loc[0, "text"] == "'=1+1"
    assert from_json["votes"].tolist() == [1, 1, 1, 1]
    assert from_json["cost_usd"].iloc[1] == pytest.approx(0.002)


def test_votes_and_win_rates_export(db, tmp_path):
    cli("export", "votes", "--format", "json", "--out", str(tmp_path / "votes.json"), db=db)
    votes = json.loads((tmp_path / "votes.json").read_text(encoding="utf-8"))
    assert [(v["winner"], v["model_a"], v["model_b"]) for v in votes] == [
        ("b", "local:bundled", "openai:m"),
        ("tie", "local:bundled", "openai:m"),
    ]
    cli("export", "win-rates", "--format", "csv", "--out", str(tmp_path / "rates.csv"), db=db)
    rates = pd.read_csv(tmp_path / "rates.csv").set_index("model")
    # Grouped by the identity module's key, as the Votes page, Trade-offs and the report group them.
    assert rates.loc["m (OpenAI)", "win_rate"] == pytest.approx(0.75)  # a win and a tie
    assert rates.loc["bundled (local)", "win_rate"] == pytest.approx(0.25)


def test_ranking_export_matches_the_report(db, tmp_path):
    out = tmp_path / "ranking.xlsx"
    done = cli("export", "ranking", "--scenario", BANK, "--format", "xlsx", "--out", str(out), db=db)
    assert "rows" in done.stdout
    table = pd.read_excel(out)
    assert table["rank"].iloc[0] == 1 and table["rank"].is_monotonic_increasing
    assert {"model", "score", "coverage", "Quality", "Licence permissiveness"} <= set(table.columns)
    assert set(table["access"]) == {"Open weights"}  # the bank demands downloadable weights


def test_ranking_export_needs_a_known_scenario(db, tmp_path):
    out = tmp_path / "r.csv"
    missing = cli("export", "ranking", "--out", str(out), db=db, check=False)
    assert missing.returncode == 2 and "needs --scenario" in missing.stderr
    unknown = cli("export", "ranking", "--scenario", "nope", "--out", str(out), db=db, check=False)
    assert unknown.returncode == 1 and "No saved scenario" in unknown.stderr
    assert not out.exists()


def test_report_command_takes_models_sections_and_volume(db, tmp_path):
    ranked = tmp_path / "ranking.json"
    cli("export", "ranking", "--scenario", BANK, "--format", "json", "--out", str(ranked), db=db)
    fifth = json.loads(ranked.read_text(encoding="utf-8"))[4]
    out = tmp_path / "r.md"
    cli(
        "report",
        "--scenario",
        BANK,
        "--format",
        "md",
        "--out",
        str(out),
        "--models",
        fifth["model_id"],
        "--sections",
        "factsheets,tco",
        "--tokens-in",
        "1",
        "--tokens-out",
        "1",
        db=db,
    )
    text = out.read_text(encoding="utf-8")
    assert "## Fact sheets" in text and "## Cost of ownership" in text and "## Ranking" not in text
    assert fifth["model"] in text and "At 2M tokens a month" in text
    bad = cli("report", "--scenario", BANK, "--out", str(out), "--sections", "gossip", db=db, check=False)
    assert bad.returncode == 1 and "Unknown section" in bad.stderr
