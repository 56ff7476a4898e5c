"""Identity resolution: the spellings each source uses land on one canonical model, ambiguity is refused."""

from llmcompare.identity.names import Resolver, family_of, pretty_name, strict_key, strip_date


def test_strict_key_ignores_case_punctuation_and_hosts():
    assert strict_key("Claude 3.5 Sonnet (20241022)") == strict_key("claude-3-5-sonnet-20241022")
    assert strict_key("together_ai/meta-llama/Llama-3.3-70B-Instruct") == strict_key("Llama-3.3-70B-Instruct")
    assert strict_key("fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct") == strict_key(
        "llama-3.3-70b-instruct"
    )
    assert strict_key("bedrock/meta.llama3-1-70b-instruct-v1:0").startswith("llama-3-1-70b-instruct")


def test_resolver_prefers_strict_match_and_refuses_ambiguity():
    r = Resolver()
    r.add("llama-3-1-8b-instruct", ["Meta-Llama-3.1-8B-Instruct"])
    r.add("gpt-4o-2024-08-06", ["GPT-4o-2024-08-06"])
    r.add("gpt-4o-2024-05-13", ["GPT-4o-2024-05-13"])
    assert r.resolve("deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo") == "llama-3-1-8b-instruct"
    assert r.resolve("azure/gpt-4o-2024-08-06") == "gpt-4o-2024-08-06"
    # A base name never lands on the chat model; a host's serving tier of the chat model does.
    assert r.resolve("llama-3.1-8b") is None
    assert r.resolve("groq/llama-3.1-8b-instant") == "llama-3-1-8b-instruct"
    assert r.resolve("groq/llama-3.1-8b-instant", max_level=2) is None
    assert r.resolve("totally-unknown") is None


def test_resolver_accept_limits_candidates():
    r = Resolver()
    r.add("a", ["Phi-4"])
    r.add("b", ["phi 4"])
    assert r.resolve("phi-4") is None
    assert r.resolve("phi-4", accept=lambda m: m == "b") == "b"


def test_display_helpers():
    assert strip_date("claude-opus-4-5-20251101") == "claude-opus-4-5"
    assert strip_date("gpt-4-1-2025-04-14") == "gpt-4-1"
    assert strip_date("claude-opus-4-5") == "claude-opus-4-5"
    assert pretty_name("claude-opus-4-5", "anthropic") == "Claude Opus 4.5"
    assert pretty_name("gpt-5.1-codex") == "GPT-5.1 Codex"
    assert pretty_name("gemini-3.1-pro-preview") == "Gemini 3.1 Pro Preview"
    assert family_of("Llama-3.1-70B-Instruct") == "Llama 3.1"
    assert family_of("Claude 3.5 Sonnet") == "Claude 3.5"
    assert family_of("Meta-Llama-3.1-70B-Instruct") == "Llama 3.1"


def test_a_plus_in_a_name_is_a_different_model():
    """LMArena's 'Command R+ (08-2024)' is Cohere's command-r-plus-08-2024, not command-r-08-2024."""
    assert strict_key("Command R+ (08-2024)") == strict_key("command-r-plus-08-2024")
    assert strict_key("Command R+ (08-2024)") != strict_key("command-r-08-2024")
    r = Resolver()
    r.add("command-r-plus-08-2024", ["Command R+ (08-2024)"])
    r.add("command-r-08-2024", ["Command R (08-2024)"])
    assert r.resolve("cohere_chat/command-r-plus-08-2024") == "command-r-plus-08-2024"
    assert r.resolve("oci/cohere.command-r-08-2024") == "command-r-08-2024"
