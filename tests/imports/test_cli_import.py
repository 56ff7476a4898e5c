"""`python -m llmcompare import ...` and `imports ...`: preview, apply, audit, rollback, template, offline refresh."""

from __future__ import annotations

import socket

import pytest

from llmcompare.cli.main import main
from llmcompare.imports.refresh import RefreshError, fetch
from tests.imports.files import FIXTURE_MAP, litellm_map, price_row, template_rows


@pytest.fixture
def env(store, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    monkeypatch.setenv("LLMCOMPARE_IMPORT_MAX_MB", "1")
    (tmp_path / "map.json").write_bytes(litellm_map(FIXTURE_MAP))
    return tmp_path


def test_dry_run_prints_the_diff_and_writes_nothing(env, capsys):
    assert main(["import", "litellm", str(env / "map.json"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "new 1 · changed 1 · unchanged 0 · confirmed 1" in out  # the unchanged price is recorded as of today
    assert "GPT-4o mini (OpenAI) | price of openai/gpt-4o-mini: $0.15 in / $0.6 out" in out
    assert "mystery/gpt-4o-2099 (1 fact) -> did you mean gpt-4o, gpt-4o-mini?" in out
    assert "dry run: nothing was written" in out
    assert main(["imports", "list"]) == 0 and "no imports yet" in capsys.readouterr().out


def test_skip_unchanged_only_counts_them(env, capsys):
    assert main(["import", "litellm", str(env / "map.json"), "--dry-run", "--skip-unchanged"]) == 0
    assert "new 1 · changed 1 · unchanged 1 · confirmed 0" in capsys.readouterr().out


def test_apply_list_show_and_rollback(env, capsys):
    args = ["import", "litellm", str(env / "map.json"), "--yes", "--who", "Ana", "--map", "mystery/gpt-4o-2099=gpt-4o"]
    assert main(args) == 0
    assert "applied as import #1" in capsys.readouterr().out
    assert main(["imports", "list"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("#1 ") and "by Ana litellm map.json" in listed and "new 2, changed 1" in listed
    assert main(["imports", "show", "1"]) == 0
    assert "changed  GPT-4o mini (OpenAI) | price of openai/gpt-4o-mini" in capsys.readouterr().out
    assert main(["imports", "rollback", "1", "--yes", "--who", "Ben"]) == 0
    assert "rolled back import #1" in capsys.readouterr().out
    assert main(["imports", "rollback", "1", "--yes"]) == 1
    assert "already rolled back" in capsys.readouterr().err


def test_without_yes_and_without_a_terminal_nothing_is_applied(env, capsys):
    assert main(["import", "litellm", str(env / "map.json")]) == 1
    captured = capsys.readouterr()
    assert "add --yes to apply" in captured.err and "cancelled: nothing was written" in captured.out


def test_bad_rows_are_listed_with_row_and_field(env, capsys):
    (env / "facts.csv").write_bytes(template_rows(price_row(inp="-3"), price_row(model="=cmd()", as_of="2026-01-01")))
    assert main(["import", "csv", str(env / "facts.csv"), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s); nothing was written:" in err
    assert "row 2, field 'input_usd_per_1m': must be >= 0, got -3" in err
    assert "row 3, field 'model': starts with '='" in err


def test_a_file_over_the_limit_is_refused_before_reading(env, capsys):
    (env / "big.json").write_bytes(b" " * 1_000_001)
    assert main(["import", "litellm", str(env / "big.json"), "--dry-run"]) == 1
    assert "is 1.0 MB; the limit is 1.0 MB" in capsys.readouterr().err


def test_template_is_written(env, capsys):
    assert main(["imports", "template", "--out", str(env / "t.csv")]) == 0
    assert (env / "t.csv").read_text().startswith("fact,model,provider,offering,")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


def test_refresh_says_clearly_when_offline():
    url = f"http://127.0.0.1:{closed_port()}/model_prices_and_context_window.json"
    with pytest.raises(RefreshError, match=r"could not reach .* This machine looks offline"):
        fetch(url, timeout_s=2, max_bytes=1000)


def test_cli_fetch_offline(env, capsys, monkeypatch):
    monkeypatch.setenv("LLMCOMPARE_LITELLM_URL", f"http://127.0.0.1:{closed_port()}/map.json")
    monkeypatch.setenv("LLMCOMPARE_REFRESH_TIMEOUT_S", "2")
    assert main(["import", "litellm", "--fetch", "--dry-run"]) == 1
    assert "looks offline" in capsys.readouterr().err
