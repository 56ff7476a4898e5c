"""Finding a served model's own tokenizer on this machine, never on the network."""

import shutil

import pytest
from transformers import AutoTokenizer

from llmcompare.catalog.tokenizers import count_with, token_counter, tokenizer_sources
from llmcompare.providers.local_hf import BUNDLED_FOLDER
from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401

TEXT = "the quick brown fox jumps over the lazy dog"


def test_a_local_folder_is_its_own_tokenizer_and_counts_like_it(tiny_model_dir):  # noqa: F811
    count = token_counter(None, str(tiny_model_dir))
    assert count(TEXT) == len(AutoTokenizer.from_pretrained(tiny_model_dir)(TEXT, add_special_tokens=False).input_ids)


@pytest.mark.parametrize(
    "served_as",
    ["SmolLM2-135M-Instruct", "HuggingFaceTB/SmolLM2-135M-Instruct", "smollm2-135m-instruct-q4_1.gguf"],
)
def test_the_bundled_model_is_found_under_the_names_servers_give_it(served_as, tiny_model_dir, tmp_path):  # noqa: F811
    assert tokenizer_sources(None, served_as, cache_dir=tmp_path) == []  # not converted yet: chunks are counted
    converted = tmp_path / BUNDLED_FOLDER
    shutil.copytree(tiny_model_dir, converted)  # stands in for the converted SmolLM2: same files, smaller
    assert tokenizer_sources(None, served_as, cache_dir=tmp_path) == [str(converted)]
    tokenizer = AutoTokenizer.from_pretrained(converted)
    assert token_counter(None, served_as, cache_dir=tmp_path)(TEXT) == count_with(tokenizer, TEXT) > 0


def test_the_store_names_the_repositories_of_open_weights_only(engine):
    assert tokenizer_sources(engine, "llama-3.1-8b-instruct") == ["meta-llama/Llama-3.1-8B-Instruct"]
    assert tokenizer_sources(engine, "gpt-4o-mini") == []  # closed weights have no tokenizer to find
    assert tokenizer_sources(engine, "no-such-model") == []
    # A host's "provider/model" alias (LiteLLM's deepseek/deepseek-chat) is not a Hugging Face repository.
    assert tokenizer_sources(engine, "deepseek-v3") == []


def test_a_repository_missing_from_the_local_cache_counts_nothing_and_downloads_nothing(engine, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    count = token_counter(engine, "llama-3.1-8b-instruct")
    assert count is not None and count(TEXT) is None
    assert token_counter(engine, "gpt-4o-mini") is None
