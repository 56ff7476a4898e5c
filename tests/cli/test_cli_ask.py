"""`python -m llmcompare ask`: the concurrent comparison from the command line."""

import json

import pytest

from llmcompare.cli.ask import _loud_loader, ask
from llmcompare.providers.local_speed import kernel_speeds
from tests.fakes.openai_server import DEFAULT_TEXT, fake_openai  # noqa: F401
from tests.fakes.tiny_llama import grid_llama_dir  # noqa: F401
from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401


@pytest.mark.slow
def test_json_has_every_side_and_the_wall_time(tiny_model_dir, fake_openai, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
    argv = ["fox", "--left", f"local:{tiny_model_dir}", "--right", f"openai:gpt-test@{fake_openai.base_url}"]
    rc = ask([*argv, "--max-tokens", "5", "--hardware-usd-per-hour", "1.2", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["wall_s"] > 0
    local, api = out["sides"]
    assert local["output_tokens"] == 5 and local["cost_usd"] > 0 and local["error"] is None
    assert api["text"] == " ".join(DEFAULT_TEXT.split()[:5]) + " " and api["cost_usd"] is None
    assert set(api) >= {"text", "ttft_s", "total_s", "output_tokens", "tokens_per_s", "cost_usd", "error"}
    assert fake_openai.requests[0].authorization == "Bearer sk-cli-test"


@pytest.mark.slow
def test_missing_key_fails_on_that_side_only(tiny_model_dir, fake_openai, monkeypatch, capsys):  # noqa: F811
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    rc = ask(["fox", "--left", f"local:{tiny_model_dir}", "--right", f"openai:m@{fake_openai.base_url}"])
    out = capsys.readouterr().out
    assert rc == 1 and "No API key configured" in out and "wall time" in out


def test_bad_spec_is_a_usage_error(capsys):
    assert ask(["fox", "--left", "ollama:llama3"]) == 2
    assert "Unknown provider kind" in capsys.readouterr().err


def test_local_precision_comes_from_the_flag_then_the_environment(grid_llama_dir, monkeypatch, capsys):  # noqa: F811
    def fresh_ask(argv):  # ask keeps loaded models for the life of the process; each call here loads afresh
        _loud_loader.cache_clear()
        return ask(argv)

    argv = ["fox", "--left", f"local:{grid_llama_dir}", "--right", f"local:{grid_llama_dir}", "--max-tokens", "3"]
    assert fresh_ask(argv) == 0
    speeds = kernel_speeds()  # what auto goes by on this CPU
    layers, head = speeds.layers, f" + {speeds.head} output layer" if speeds.head else ""
    assert f"runs {layers}{head}, lean decoder" in capsys.readouterr().err
    monkeypatch.setenv("LLMCOMPARE_LOCAL_PRECISION", "Float32")
    assert fresh_ask(argv) == 0
    assert "runs float32, transformers generate" in capsys.readouterr().err
    monkeypatch.setenv("LLMCOMPARE_LOCAL_PRECISION", "int4")
    assert fresh_ask([*argv, "--precision", "float32"]) == 0
    assert "runs float32, transformers generate" in capsys.readouterr().err
    monkeypatch.setenv("LLMCOMPARE_LOCAL_PRECISION", "fp8")
    assert fresh_ask(argv) == 2
    assert "LLMCOMPARE_LOCAL_PRECISION must be one of auto, float32, fp16, int4, got 'fp8'" in capsys.readouterr().err
    assert fresh_ask([*argv, "--precision", "float32", "--threads", "0"]) == 2  # the env is read, and is bad
    monkeypatch.delenv("LLMCOMPARE_LOCAL_PRECISION")
    assert fresh_ask([*argv, "--threads", "0"]) == 2
    assert "--threads must be from 1 to 256, got 0" in capsys.readouterr().err


def test_a_server_without_usage_gets_estimated_tokens_and_speed(fake_openai, monkeypatch, capsys):  # noqa: F811
    """As against llama-cpp-python's server, Ollama or LM Studio: tokens and tok/s, never n/a, marked estimated."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
    fake_openai.script.usage, fake_openai.script.token_delay_s = False, 0.01
    server = f"openai:llama@{fake_openai.base_url}"
    assert ask(["fox", "--left", server, "--right", server, "--max-tokens", "5"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("--- ")]
    assert len(lines) == 2
    assert all(" 5 tokens, " in line and "n/a tok/s" not in line and "(estimated" in line for line in lines)
