"""Building providers from spec strings."""

from llmcompare.providers.base import OPENAI_BASE_URL, ProviderSpec
from llmcompare.providers.local_hf import LocalHFProvider, load_local
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.providers.registry import build_provider


def test_local_spec_uses_the_given_loader_once(tiny_model_dir):
    asked = []

    def loader(source):
        asked.append(source)
        return load_local(source)

    provider = build_provider(f"local:{tiny_model_dir}", local_loader=loader)
    assert isinstance(provider, LocalHFProvider)
    assert asked == [str(tiny_model_dir)]
    assert provider.spec == f"local:{tiny_model_dir}"


def test_openai_spec_with_base_url():
    provider = build_provider("openai:qwen2.5@http://127.0.0.1:8000/v1", api_key="k")
    assert isinstance(provider, OpenAICompatProvider)
    assert (provider.model_name, provider.base_url, provider.configured) == (
        "qwen2.5",
        "http://127.0.0.1:8000/v1",
        True,
    )
    assert provider.spec == "openai:qwen2.5@http://127.0.0.1:8000/v1"


def test_openai_spec_defaults_to_openai_and_may_lack_a_key():
    provider = build_provider(ProviderSpec("openai", "gpt-4o-mini"))
    assert provider.base_url == OPENAI_BASE_URL and not provider.configured
    assert provider.spec == "openai:gpt-4o-mini"
