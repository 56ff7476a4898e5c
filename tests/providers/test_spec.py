"""Provider spec strings and generation settings."""

import pytest

from llmcompare.providers.base import OPENAI_BASE_URL, GenerationSettings, ProviderSpec, SpecError, parse_spec


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("local:bundled", ProviderSpec("local", "bundled")),
        ("local:/models/qwen", ProviderSpec("local", "/models/qwen")),
        ("local:Qwen/Qwen2.5-0.5B-Instruct", ProviderSpec("local", "Qwen/Qwen2.5-0.5B-Instruct")),
        ("openai:gpt-4o-mini", ProviderSpec("openai", "gpt-4o-mini", OPENAI_BASE_URL)),
        (
            "openai:llama3.2@http://localhost:11434/v1/",
            ProviderSpec("openai", "llama3.2", "http://localhost:11434/v1"),
        ),
        (
            "openai:claude@2024@https://proxy.example/v1",
            ProviderSpec("openai", "claude@2024", "https://proxy.example/v1"),
        ),
        (" openai:m@x ", ProviderSpec("openai", "m@x", OPENAI_BASE_URL)),
    ],
)
def test_parse_spec(text, expected):
    assert parse_spec(text) == expected


@pytest.mark.parametrize("text", ["local:bundled", "openai:gpt-4o-mini", "openai:qwen@http://127.0.0.1:8000/v1"])
def test_spec_round_trips(text):
    assert str(parse_spec(text)) == text


@pytest.mark.parametrize(
    ("text", "needle"),
    [("", "Cannot read"), ("bundled", "Cannot read"), ("local:", "Cannot read"), ("ollama:x", "Unknown provider kind")],
)
def test_bad_specs_say_what_is_expected(text, needle):
    with pytest.raises(SpecError, match=needle):
        parse_spec(text)


def test_default_settings_are_valid():
    assert GenerationSettings().problems() == []


def test_each_bad_setting_is_named():
    bad = GenerationSettings(max_new_tokens=0, temperature=3, top_p=0, timeout_s=0)
    assert len(bad.problems()) == 4
