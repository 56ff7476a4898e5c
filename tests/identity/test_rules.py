"""The identity rules, each tried on real names copied from the public sources (LiteLLM 1.109.1, Open LLM Leaderboard
v2, the EU Open Source AI Index, LMArena). The names are written out here: tests never read the sources folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from llmcompare.facts import attach, litellm
from llmcompare.facts.catalog import Catalog, add_api_models, is_family_entry, own_model_name
from llmcompare.facts.curated import load_curated
from llmcompare.facts.seed import apply_corrections
from llmcompare.identity.corrections import Corrections, Evidence, Lineage
from llmcompare.identity.names import Resolver, maker_from_name, name_month, strict_key

ROOT = Path(__file__).resolve().parents[2]

# LiteLLM keys of closed models sold by a reseller or cloud; the maker is in the name, never the host.
HOSTED = {
    "github_copilot/claude-opus-5.5": "anthropic", "kyma/gpt-5.6-luna-pro": "openai", "azure/us/gpt-5.1": "openai",
    "vertex_ai/claude-fable-5-1": "anthropic", "aihubmix/gemini-3.1-pro-preview-customtools": "google",
    "azure/gpt-5-nano": "openai", "azure_ai/gpt-5.5-2026-04-23": "openai", "aihubmix/claude-opus-5": "anthropic",
    "gmi/openai/gpt-5.2": "openai", "kyma/grok-4.3": "xai", "github_copilot/claude-haiku-5.5": "anthropic",
    "databricks/databricks-claude-opus-4-6": "anthropic", "aihubmix/claude-sonnet-5": "anthropic",
    "kyma/gemini-3.7-flash": "google", "kyma/grok-4.20": "xai", "aihubmix/gemini-3.7-flash": "google",
    "snowflake/claude-sonnet-4-5": "anthropic", "bedrock/ap-northeast-1/anthropic.claude-instant-v1": "anthropic",
    "github_copilot/claude-fable-5.1": "anthropic", "bedrock/ap-northeast-1/anthropic.claude-v1": "anthropic",
    "bedrock/claude_platform/claude-sonnet-4-6": "anthropic", "bedrock_mantle/xai.grok-4.3": "xai",
    "azure_ai/gpt-5.4": "openai", "azure/gpt-5-mini": "openai", "azure/gpt-4-32k-0613": "openai",
    "bedrock/eu-central-1/anthropic.claude-instant-v1": "anthropic", "replicate/openai/o4-mini": "openai",
    "azure/eu/o3-mini-2025-01-31": "openai", "gradient_ai/openai-gpt-4o": "openai",
    "aihubmix/gemini-3.1-pro-preview": "google", "vertex_ai/xai/grok-4.6": "xai",
    "bedrock/us-gov-west-1/anthropic.claude-opus-5-5": "anthropic", "azure/eu/gpt-5": "openai",
    "bedrock/us-gov-east-1/anthropic.claude-haiku-4-5-20251001-v1:0": "anthropic",
    "azure/us/o3-mini-2025-01-31": "openai",
    "vertex_ai/claude-opus-4-6@default": "anthropic", "azure/eu/gpt-5.6": "openai",
    "azure/global/gpt-4o-2024-11-20": "openai", "azure/us/o4-mini-2025-04-16": "openai",
    "vertex_ai/claude-sonnet-5-5@default": "anthropic", "databricks/databricks-gpt-5-4": "openai",
    "gmi/anthropic/claude-opus-4": "anthropic", "azure_ai/grok-3-mini": "xai", "github_copilot/grok-4.5": "xai",
    "vertex_ai/xai/grok-4.3": "xai", "vertex_ai/xai/grok-4.7": "xai", "perplexity/xai/grok-4.5": "xai",
}  # fmt: skip
# Open-weights names whose first word is not a closed API family, however a host spells them.
NOT_CLOSED = [
    "togethercomputer/GPT-NeoXT-Chat-Base-20B", "AI-Sweden-Models/gpt-sw3-6.7b-v2-instruct",
    "nomic-ai/gpt4all-13b-snoozy", "google/gemma-7b", "EleutherAI/gpt-j-6b", "openai-community/gpt2",
]  # fmt: skip
# Moving `-latest` aliases from LiteLLM: which model they name changes, so no rule may pin them to one.
LATEST = [
    "xai/grok-4.20-non-reasoning-latest", "mistral/codestral-latest", "mistral/mistral-medium-latest",
    "gpt-5.3-chat-latest", "mistral/magistral-small-latest", "mistral/mistral-small-latest",
    "mistral/devstral-small-latest", "mistral/mistral-code-agent-latest", "gemini/gemini-flash-latest",
    "gpt-5-chat-latest", "vertex_ai/mistral-large@latest", "azure/gpt-chat-latest", "gpt-5.2-chat-latest",
    "mistral/ministral-8b-latest", "vertex_ai/codestral@latest", "vertex_ai/mistral-nemo@latest",
    "qwencloud/qwen-turbo-latest", "xai/grok-build-latest", "chat-latest", "aihubmix/gpt-chat-latest",
    "xai/grok-4.20-experimental-beta-latest", "gemini-flash-latest", "codestral/codestral-latest",
    "deepinfra/anthropic/claude-3-7-sonnet-latest", "oci/cohere.command-plus-latest", "moonshot/kimi-latest",
    "gemini/gemini-pro-latest", "dashscope/qwen-turbo-latest", "xai/grok-4.5-latest",
]  # fmt: skip
# Open LLM Leaderboard v2 uploads by the developers themselves: base weights, and chat/instruct weights.
BASE = [
    "microsoft/Orca-2-7b", "Qwen/Qwen2.5-72B", "tiiuae/Falcon3-1B-Base", "deepseek-ai/deepseek-moe-16b-base",
    "mistralai/Mistral-Nemo-Base-2407", "tiiuae/falcon-40b", "01-ai/Yi-1.5-9B", "google/gemma-7b", "Qwen/Qwen2.5-3B",
    "tiiuae/Falcon3-3B-Base", "01-ai/Yi-34B-200K", "Qwen/Qwen1.5-1.8B", "mistralai/Mixtral-8x7B-v0.1",
    "meta-llama/Llama-2-70b-hf", "Qwen/Qwen1.5-0.5B", "meta-llama/Llama-3.2-1B", "01-ai/Yi-1.5-34B-32K",
    "Qwen/Qwen2.5-0.5B", "Qwen/Qwen2.5-Coder-32B", "Qwen/Qwen2-57B-A14B", "tiiuae/Falcon3-Mamba-7B-Base",
    "meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-13b-hf", "google/gemma-2b", "Qwen/Qwen2.5-7B",
]  # fmt: skip
CHAT = [
    "Qwen/Qwen1.5-1.8B-Chat", "Qwen/Qwen2-1.5B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3",
    "tiiuae/Falcon3-Mamba-7B-Instruct", "meta-llama/Llama-2-70b-chat-hf", "Qwen/Qwen2-0.5B-Instruct",
    "tiiuae/Falcon3-1B-Instruct", "01-ai/Yi-1.5-34B-Chat", "mistralai/Mixtral-8x7B-Instruct-v0.1",
    "Qwen/Qwen2.5-1.5B-Instruct", "Qwen/Qwen2.5-14B-Instruct", "Qwen/Qwen2-Math-72B-Instruct",
    "mistralai/Mistral-Nemo-Instruct-2407", "Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen/Qwen2.5-0.5B-Instruct",
    "microsoft/Phi-3-mini-4k-instruct", "mistralai/Mistral-Small-Instruct-2409", "01-ai/Yi-1.5-6B-Chat",
    "google/gemma-2-27b-it", "google/recurrentgemma-2b-it", "Qwen/Qwen2-57B-A14B-Instruct", "Qwen/Qwen1.5-0.5B-Chat",
    "deepseek-ai/deepseek-llm-7b-chat", "google/gemma-7b-it", "meta-llama/Llama-2-7b-chat-hf",
]  # fmt: skip
# Base uploads whose chat sibling the catalogue holds (LMArena names): the base must not inherit its scores.
BASE_BESIDE_CHAT = [
    ("meta-llama/Llama-2-70b-hf", "Llama-2-70B-chat"), ("google/gemma-7b", "Gemma-7B-it"),
    ("meta-llama/Llama-2-7b-hf", "Llama-2-7B-chat"), ("meta-llama/Llama-2-13b-hf", "Llama-2-13b-chat"),
    ("google/gemma-2b", "Gemma-2B-it"), ("Qwen/Qwen2.5-72B", "Qwen2.5-72B-Instruct"),
    ("mistralai/Mixtral-8x7B-v0.1", "Mixtral-8x7B-Instruct-v0.1"), ("01-ai/Yi-1.5-34B", "Yi-1.5-34B-Chat"),
    ("replicate/meta/llama-2-70b", "Llama-2-70B-chat"), ("ludwig: llama-2-70b", "Llama-2-70B-chat"),
]  # fmt: skip
# Hosts' serving tiers of a chat model find it; the base name of the same size does not.
TIERS = [
    ("groq/llama-3.1-8b-instant", "Meta-Llama-3.1-8B-Instruct"),
    ("groq/llama-3.3-70b-versatile", "Llama-3.3-70B-Instruct"),
    ("together_ai/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo", "Meta-Llama-3.1-405B-Instruct-bf16"),
    ("deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "Meta-Llama-3.1-8B-Instruct"),
]
# Undated API names and the dated snapshots LMArena lists.
UNDATED = [
    ("gpt-4.1", ["GPT-4.1-2025-04-14"], "GPT-4.1-2025-04-14"),
    ("azure/eu/gpt-4.1-mini", ["GPT-4.1-mini-2025-04-14"], "GPT-4.1-mini-2025-04-14"),
    ("o3", ["o3-2025-04-16"], "o3-2025-04-16"),
    ("gpt-4o", ["GPT-4o-2024-05-13", "GPT-4o-2024-08-06"], None),  # names two snapshots over time
    ("DeepSeek-R1", ["DeepSeek-R1-0528"], None),  # a four-digit suffix marks new open weights, not a snapshot
    ("DeepSeek-V3", ["DeepSeek-V3-0324"], None),
    ("claude-3-5-haiku", ["Claude 3.5 Haiku (20241022)"], "Claude 3.5 Haiku (20241022)"),
    ("openai/gpt-4o-mini", ["GPT-4o-mini-2024-07-18"], "GPT-4o-mini-2024-07-18"),
]
# EU Open Source AI Index systems (name, end model, release month): is the month the family's, not the member's?
OSAI_DATES = [
    ("Devstral 2", "Devstral-2-123B-Instruct-2512", "2025-05", True),
    ("Apertus", "Apertus-70B-Instruct-2509", "2025-09", False),
    ("Kimi", "Kimi-Dev-72B", "2025-06", False),
    ("GLM", "GLM-5", "2026-02", False),
    ("Mistral Small", "Mistral-Small-3.2-24B-Instruct-2506", "2025-06", False),
    ("Ministral", "Ministral-8B-Instruct-2410", "2024-10", False),
    ("Magistral", "Magistral-Small-2509", "2025-03", True),
]


def _sized(name: str) -> str:
    return name.split("/")[-1] if ": " not in name else name.split(": ")[1]


@pytest.mark.parametrize("key,maker", sorted(HOSTED.items()))
def test_a_host_is_never_the_maker(key, maker):
    assert maker_from_name(key) == maker


@pytest.mark.parametrize("name", NOT_CLOSED)
def test_open_names_are_not_taken_for_a_closed_family(name):
    assert maker_from_name(name) is None


def _api_catalog(tmp_path, entries: dict[str, tuple[str, float]]) -> tuple[Catalog, list]:
    """A catalogue built from a real-shaped LiteLLM map holding only these keys (provider, $ per token)."""
    cur = load_curated(ROOT / "data" / "curated")
    raw = {
        key: {"litellm_provider": provider, "mode": "chat", "input_cost_per_token": usd, "output_cost_per_token": usd}
        for key, (provider, usd) in entries.items()
    }
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    offers = litellm.parse_price_map(path)
    cat = Catalog(cur)
    add_api_models(cat, offers, "litellm-1.109.1")
    return cat, attach.attach_prices(cat, offers, "litellm-1.109.1")


def test_grok_sold_through_vertex_stays_one_xai_model(tmp_path):
    cat, prices = _api_catalog(
        tmp_path,
        {"vertex_ai/xai/grok-4.3": ("vertex_ai", 3e-6), "xai/grok-4.3": ("xai", 3e-6)},
    )
    assert [(m["name"], m["developer_id"]) for m in cat.models.values()] == [("Grok 4.3", "xai")]
    assert {(p["provider"], p["first_party"]) for p in prices} == {("vertex_ai", False), ("xai", True)}


def test_a_model_only_a_host_sells_is_not_created_under_the_host(tmp_path):
    cat, _ = _api_catalog(tmp_path, {"vertex_ai/xai/grok-4.7": ("vertex_ai", 2e-6)})
    assert cat.models == {}


@pytest.mark.parametrize("name", LATEST)
def test_a_latest_alias_never_resolves(name):
    r = Resolver()
    undated = name.rsplit("/", 1)[-1].replace("-latest", "").replace("@latest", "")
    r.add("the-model", [undated or "chat", f"{undated}-2501"])
    assert r.resolve(name) is None


@pytest.mark.parametrize("name", ["dashscope/qwen-turbo", "qwencloud/qwen-turbo", "qwen_ai_platform/qwen-turbo"])
def test_a_family_word_does_not_land_on_a_member(name):
    r = Resolver()
    r.add("qwen3-5-397b-a17b", ["Qwen3.5-397B-A17B", "Qwen"])
    assert r.resolve(name) is None


@pytest.mark.parametrize("name,snapshots,expected", UNDATED)
def test_an_undated_name_stands_for_a_snapshot_only_while_it_names_one(name, snapshots, expected):
    r = Resolver()
    for snapshot in snapshots:
        r.add(strict_key(snapshot), [snapshot])
    assert r.resolve(name) == (strict_key(expected) if expected else None)


@pytest.mark.parametrize("name", BASE)
def test_a_base_upload_finds_its_own_model(name):
    r = Resolver()
    for other in BASE + CHAT:
        r.add(other, [other])
    assert r.resolve(name) == name


@pytest.mark.parametrize("name", CHAT)
def test_a_chat_upload_finds_its_own_model(name):
    r = Resolver()
    for other in BASE + CHAT:
        r.add(other, [other])
    assert r.resolve(name) == name


@pytest.mark.parametrize("base,chat", BASE_BESIDE_CHAT)
def test_a_base_name_never_lands_on_the_chat_model(base, chat):
    r = Resolver()
    r.add("chat", [chat])
    assert r.resolve(_sized(base)) is None


@pytest.mark.parametrize("offering,chat", TIERS)
def test_a_hosts_serving_tier_finds_the_chat_model(offering, chat):
    r = Resolver()
    r.add("chat", [chat])
    assert r.resolve(offering) == "chat"


@pytest.mark.parametrize("name,end,release,family", OSAI_DATES)
def test_a_family_month_is_not_given_to_a_later_member(name, end, release, family):
    system = SimpleNamespace(name=name, end_model=end, release=release)
    assert is_family_entry(system) is family


@pytest.mark.parametrize(
    "name,month",
    [("Devstral-2-123B-Instruct-2512", (2025, 12)), ("Ministral-8B-2410", (2024, 10)), ("DeepSeek-R1-0528", None)],
)
def test_months_in_names(name, month):
    assert name_month(name) == month


@pytest.mark.parametrize(
    "name,base,end,developer,own",
    [
        ("Guru", "Guru-32B", "Qwen2.5-32B", "llm360", "Guru-32B"),
        ("SynLogic", "SynLogic-32B", "Qwen2.5-32B", "minimax", "SynLogic-32B"),
        ("Qwen3.5", "Qwen3.5-397B-A17B", "Qwen3.5-397B-A17B", "alibaba", "Qwen3.5-397B-A17B"),
        ("Tulu", "Llama-3.1-8B", "Llama-3.1-Tulu-3-8B", "ai2", "Llama-3.1-Tulu-3-8B"),
    ],
)
def test_an_index_entry_that_swaps_base_and_end_model_keeps_its_own(name, base, end, developer, own):
    system = SimpleNamespace(name=name, base_model=base, end_model=end)
    assert own_model_name(system, developer) == own


def _lineage_catalog() -> Catalog:
    cat = Catalog(load_curated(ROOT / "data" / "curated"))
    rows = [
        ("gemma-2-9b-it", "Gemma-2-9B-it", "google", "gemma-terms", None),
        ("gemma-2-9b-it-simpo", "Gemma-2-9B-it-SimPO", "princeton", "mit", None),
        ("llama-2-13b-chat", "Llama-2-13b-chat", "meta", "llama-2-community", date(2023, 7, 18)),
        ("vicuna-13b-v1-5", "Vicuna-13B-v1.5", "lmsys", "non-commercial-other", date(2023, 3, 1)),
    ]
    for model_id, name, dev, licence, released in rows:
        cat.models[model_id] = {"id": model_id, "name": name, "developer_id": dev, "license_id": licence}
        cat.models[model_id] |= {"release_date": released, "source_id": "eu-osai", "as_of": date(2026, 6, 12)}
    return cat


def test_a_derivative_takes_its_base_licence_unless_its_card_says_otherwise():
    cat = _lineage_catalog()
    evidence = Evidence("https://ai.google.dev/gemma/terms", "Model Derivatives")
    lineage = (
        Lineage("gemma-2-9b-it-simpo", "gemma-2-9b-it", None, evidence),
        Lineage("vicuna-13b-v1-5", "llama-2-13b-chat", "llama-2-community", evidence),
    )
    apply_corrections(cat, Corrections((), lineage))
    assert cat.models["gemma-2-9b-it-simpo"]["license_id"] == "gemma-terms"
    assert cat.models["gemma-2-9b-it-simpo"]["source_id"] == "llmcompare-curation"
    assert cat.models["vicuna-13b-v1-5"]["license_id"] == "llama-2-community"
    # Released before its base existed: the family's date, dropped.
    assert cat.models["vicuna-13b-v1-5"]["release_date"] is None


def test_the_committed_corrections_fix_the_audit_examples():
    """The committed seed carries the fixes: Grok under xAI once, Qwen2.5-32B not merged, licences, dates."""
    import csv

    with open(ROOT / "data" / "seed" / "models.csv", encoding="utf-8") as f:
        models = {row["id"]: row for row in csv.DictReader(f)}
    groks = [row for row in models.values() if row["name"].startswith("Grok 4.")]
    assert groks and {row["developer_id"] for row in groks} == {"xai"}
    assert "qwen2-5-32b" not in models and models["guru-32b"]["license_id"] == "cc-by-nc-4.0"
    assert models["gemma-2-9b-it-simpo"]["license_id"] == "gemma-terms"
    assert models["vicuna-13b-v1-5"]["license_id"] == "llama-2-community"
    assert models["vicuna-13b-v1-5"]["release_date"] == "" and models["intern-s1-pro"]["release_date"] == ""
    assert models["devstral-2-123b-instruct-2512"]["release_date"] == ""
    assert float(models["llama-2-7b-chat"]["params_b"]) < 8
    assert not any(model_id.endswith("-x") for model_id in models)
