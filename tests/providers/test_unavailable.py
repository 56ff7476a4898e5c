"""A side whose provider cannot be built fails on its own, as data, while the other side answers."""

from llmcompare.playground.run import Side, run_comparison
from llmcompare.providers.base import GenerationSettings, ProviderError
from llmcompare.providers.registry import UnavailableProvider, provider_or_error
from tests.fakes.provider import FakeProvider


def failing_loader(source):
    raise ProviderError(f"Could not load local model {source!r}: no such folder")


def test_a_model_that_will_not_load_becomes_an_error_on_its_side():
    broken = provider_or_error("local:/no/such/model", local_loader=failing_loader)
    assert isinstance(broken, UnavailableProvider) and broken.spec == "local:/no/such/model"
    fine = FakeProvider().enqueue(["still ", "here"])
    result = run_comparison("hi", [Side(broken, GenerationSettings()), Side(fine)])
    assert result.sides[0].error == "Could not load local model '/no/such/model': no such folder"
    assert result.sides[0].text == "" and result.sides[0].model_name == "/no/such/model"
    assert (result.sides[1].text, result.sides[1].error) == ("still here", None)


def test_a_spec_that_cannot_be_read_is_an_error_too():
    broken = provider_or_error("mystery:thing")
    assert isinstance(broken, UnavailableProvider)
    assert "Unknown provider kind 'mystery'" in broken.message
