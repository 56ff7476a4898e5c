"""The local transformers provider, on a tiny model built by the tests and, once, on the bundled SmolLM2."""

import threading
import time

import pytest

from llmcompare.providers.base import GenerationSettings, ProviderError, Usage
from llmcompare.providers.local_hf import (
    BUNDLED_FOLDER,
    LocalHFProvider,
    bundled_gguf,
    load_local,
    prepare_bundled,
)
from tests.fakes.tiny_model import build_tiny_model


def collect(provider, settings, stop=None, prompt="the quick brown fox"):
    """All pieces of one stream, split into text pieces and the final usage."""
    items = list(provider.stream(prompt, settings, stop or threading.Event()))
    assert isinstance(items[-1], Usage)
    return [i for i in items if isinstance(i, str)], items[-1]


def generate_threads():
    return [t for t in threading.enumerate() if t.name == "llmcompare-generate"]


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    return LocalHFProvider(load_local(str(tiny_model_dir)), f"local:{tiny_model_dir}")


def test_streams_pieces_then_exact_usage(tiny):
    pieces, usage = collect(tiny, GenerationSettings(max_new_tokens=12, seed=1))
    assert pieces and all(pieces)
    assert usage.output_tokens == 12 and usage.input_tokens > 0


def test_system_prompt_goes_through_the_chat_template(tiny):
    _, plain = collect(tiny, GenerationSettings(max_new_tokens=1))
    _, with_system = collect(tiny, GenerationSettings(max_new_tokens=1, system_prompt="be brief"))
    assert with_system.input_tokens > plain.input_tokens


def test_greedy_and_seeded_runs_repeat(tiny):
    for settings in (GenerationSettings(max_new_tokens=8, temperature=0), GenerationSettings(max_new_tokens=8, seed=3)):
        assert collect(tiny, settings)[0] == collect(tiny, settings)[0]


def test_stop_event_ends_generation_early(tiny):
    stop = threading.Event()
    stream = tiny.stream("the lazy dog", GenerationSettings(max_new_tokens=1000), stop)
    next(stream)
    stop.set()
    started = time.perf_counter()
    rest = list(stream)
    assert time.perf_counter() - started < 1.0
    assert rest[-1].output_tokens < 1000
    assert generate_threads() == []


def test_closing_the_stream_early_ends_the_generate_thread(tiny):
    stream = tiny.stream("the lazy dog", GenerationSettings(max_new_tokens=1000), threading.Event())
    next(stream)
    stream.close()
    assert generate_threads() == []


def test_prompt_longer_than_the_context_is_refused(tmp_path):
    short = LocalHFProvider(load_local(str(build_tiny_model(tmp_path, n_positions=16))), "local:short")
    with pytest.raises(ProviderError, match="reads at most 16"):
        collect(short, GenerationSettings(), prompt="the quick brown fox jumps over the lazy dog " * 3)


def test_new_tokens_are_capped_by_the_context(tmp_path):
    short = LocalHFProvider(load_local(str(build_tiny_model(tmp_path, n_positions=32))), "local:short")
    _, usage = collect(short, GenerationSettings(max_new_tokens=500), prompt="fox")
    assert usage.input_tokens + usage.output_tokens == 32


def test_unknown_model_is_a_clear_error(tmp_path):
    with pytest.raises(ProviderError, match="Could not load local model"):
        load_local(str(tmp_path / "no-such-model"))


def test_bundled_gguf_is_found():
    assert bundled_gguf().suffix == ".gguf"


def test_converted_cache_is_reused_without_converting(tmp_path):
    folder = tmp_path / BUNDLED_FOLDER
    folder.mkdir()
    for name in ("config.json", "model.safetensors"):
        (folder / name).write_text("already converted")
    assert prepare_bundled(tmp_path) == folder
    assert [p.name for p in tmp_path.iterdir()] == [BUNDLED_FOLDER]


@pytest.mark.slow
def test_bundled_smollm2_end_to_end(tmp_path):
    statuses = []
    local = load_local("bundled", tmp_path, statuses.append)
    weights = tmp_path / BUNDLED_FOLDER / "model.safetensors"
    converted_at = weights.stat().st_mtime_ns
    assert any("Converting" in s for s in statuses)
    pieces, usage = collect(
        LocalHFProvider(local, "local:bundled"),
        GenerationSettings(max_new_tokens=8, temperature=0),
        prompt="What is the capital of France?",
    )
    assert "".join(pieces).strip() and 0 < usage.output_tokens <= 8

    statuses.clear()
    again = load_local("bundled", tmp_path, statuses.append)
    assert not any("Converting" in s for s in statuses)
    assert weights.stat().st_mtime_ns == converted_at
    assert again.name == "SmolLM2-135M-Instruct"
