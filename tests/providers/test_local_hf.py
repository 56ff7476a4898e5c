"""The local transformers provider, on a tiny model built by the tests and, once, on the bundled SmolLM2."""

import threading

import pytest
import torch

from llmcompare.providers.base import GenerationSettings, ProviderError, Usage
from llmcompare.providers.gguf_conversion import publish
from llmcompare.providers.local_hf import (
    BUNDLED_FOLDER,
    LocalHFProvider,
    bundled_gguf,
    load_local,
    prepare_bundled,
)
from llmcompare.providers.local_speed import (
    CoreShare,
    KernelSpeeds,
    apply_precision,
    eager_streamer,
    in_fresh_thread,
    kernel_speeds,
)
from llmcompare.providers.packed import pack_fp16, pack_int4, pack_int8, packed_linear_class
from llmcompare.providers.rescored_head import is_rescored
from tests.fakes.tiny_llama import build_tiny_llama, on_q4_grid
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
    rest = list(stream)
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
    with pytest.raises(ProviderError, match="Could not load local model") as caught:
        load_local(str(tmp_path / "no-such-model"))
    assert "there is no file or folder" in str(caught.value) and "repo" not in str(caught.value).lower()


def test_bundled_gguf_is_found():
    assert bundled_gguf().suffix == ".gguf"


def test_converted_cache_is_reused_without_converting(tmp_path):
    folder = tmp_path / BUNDLED_FOLDER
    folder.mkdir()
    for name in ("config.json", "model.safetensors"):
        (folder / name).write_text("already converted")
    assert prepare_bundled(tmp_path) == folder
    assert [p.name for p in tmp_path.iterdir()] == [BUNDLED_FOLDER]


def _conversion(folder, text):
    folder.mkdir()
    for name in ("config.json", "model.safetensors"):
        (folder / name).write_text(text)
    return folder


def test_a_conversion_finished_elsewhere_first_is_kept(tmp_path):
    """Two processes converting at once (two servers, two test workers): the second to finish keeps the first's."""
    target = _conversion(tmp_path / BUNDLED_FOLDER, "first")
    publish(_conversion(tmp_path / ".converting-b", "second"), target)
    assert (target / "config.json").read_text() == "first"


def test_a_failed_publish_with_nothing_in_place_still_fails(tmp_path):
    target = tmp_path / BUNDLED_FOLDER
    target.mkdir()
    (target / "stray").write_text("not a conversion")  # a non-empty folder the rename cannot replace
    with pytest.raises(OSError):
        publish(_conversion(tmp_path / ".converting-b", "second"), target)


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


def test_the_kernels_are_timed_once_on_this_cpu():
    speeds = kernel_speeds()
    assert kernel_speeds() is speeds  # measured once per process
    assert {"float32", "int4", "int8", "fp16"} <= set(speeds.ms) and all(ms > 0 for ms in speeds.ms.values())
    assert speeds.ms[speeds.layers] == min(speeds.ms[k] for k in ("float32", "int4", "fp16"))
    head = speeds.fastest(("int8", "fp16"))
    assert speeds.head == (None if head == "float32" else head)
    assert "float32" in speeds.describe() and "int4" in speeds.describe()


def test_auto_precision_goes_by_what_was_measured_here(grid_llama_dir):
    statuses = []
    local = load_local(str(grid_llama_dir), on_status=statuses.append)
    assert local.precision == kernel_speeds().layers
    head = f" + {kernel_speeds().head} output layer" if kernel_speeds().head else ""
    assert local.path == f"{local.precision}{head}, lean decoder"
    assert is_rescored(local.model.lm_head) == bool(kernel_speeds().head)
    assert any(kernel_speeds().describe() in s for s in statuses)  # the user sees why
    pieces, usage = collect(LocalHFProvider(local, "local:grid"), GenerationSettings(max_new_tokens=10, temperature=0))
    assert pieces and usage.output_tokens == 10


@pytest.mark.parametrize(
    ("ms", "expected", "head"),
    [
        ({"float32": 8.0, "int4": 2.7}, "int4", False),
        ({"float32": 8.0, "int4": 2.7, "int8": 9.0}, "int4", False),  # int8 slower: the output layer stays float32
        ({"float32": 8.0, "int4": 2.7, "int8": 5.0}, "int4", True),
        ({"float32": 8.0, "int4": 9.0, "int8": 5.0}, "float32", True),  # int4 slower, int8 faster
        ({"float32": 8.0, "int4": 9.0}, "float32", False),  # a CPU where the int4 kernel is slower
        ({"float32": 8.0}, "float32", False),  # a torch whose int4 and int8 kernels do not run here
        ({"float32": 8.0, "int4": 4.3, "int8": 5.0, "fp16": 2.9}, "fp16", "fp16"),  # torch's AVX2 kernels
        ({"float32": 8.0, "int4": 2.1, "int8": 4.3, "fp16": 2.8}, "int4", "fp16"),  # its AVX512 ones
    ],
)
def test_auto_precision_packs_only_what_measured_faster(grid_llama_dir, ms, expected, head):
    model = load_local(str(grid_llama_dir), precision="float32").model
    assert apply_precision(model, "auto", speeds=KernelSpeeds(ms)) == expected
    up = model.model.layers[0].mlp.up_proj
    assert (up.kind if isinstance(up, packed_linear_class()) else "float32") == expected
    assert is_rescored(model.lm_head) == bool(head) and isinstance(model.lm_head, torch.nn.Linear) != bool(head)
    if head:
        assert model.lm_head.kind == ("int8" if head is True else head)


@pytest.mark.parametrize(("precision", "tolerance"), [("int4", 0.05), ("int8", 0.05), ("fp16", 0.005)])
def test_packed_layers_compute_what_the_float32_layers_do_up_to_rounding(grid_llama_dir, precision, tolerance):
    plain = load_local(str(grid_llama_dir), precision="float32")
    packed = load_local(str(grid_llama_dir), precision=precision)
    assert packed.precision == precision
    assert not any(isinstance(m, torch.nn.Linear) for m in packed.model.model.modules())
    ids = torch.tensor([[5, 17, 42, 99, 7]])
    with torch.inference_mode():
        want, got = plain.model(ids).logits, packed.model(ids).logits
    assert plain.precision == "float32"
    assert torch.allclose(got, want, atol=tolerance * want.abs().max().item())
    pieces, usage = collect(LocalHFProvider(packed, "local:grid"), GenerationSettings(max_new_tokens=6, temperature=0))
    assert pieces and usage.output_tokens == 6


def test_auto_precision_keeps_float32_when_packing_would_change_weights(tiny_model_dir, tmp_path):
    off_grid = build_tiny_llama(tmp_path, tiny_model_dir, on_grid=False)
    local = load_local(str(off_grid), precision="float32")
    assert apply_precision(local.model, "auto", speeds=KernelSpeeds({"float32": 8.0, "int4": 1.0})) == "float32"
    fp16_fastest = KernelSpeeds({"float32": 8.0, "fp16": 1.0})
    assert apply_precision(load_local(str(off_grid), precision="float32").model, "auto", speeds=fp16_fastest) == (
        "float32"
    )
    assert load_local(str(off_grid)).precision == "float32"
    assert all(isinstance(m, torch.nn.Linear) for m in (local.model.model.layers[0].mlp.up_proj, local.model.lm_head))
    assert load_local(str(tiny_model_dir)).precision == "float32"


def test_unknown_precision_is_refused(tiny_model_dir):
    with pytest.raises(ValueError, match="precision must be one of"):
        load_local(str(tiny_model_dir), precision="int3")


def test_off_grid_weights_report_how_far_packing_moves_them():
    weight = torch.randn(32, 64)
    assert pack_int4(on_q4_grid(weight))[2] < 1e-6
    assert pack_int4(weight)[2] > 1e-3
    assert pack_int4(torch.randn(32, 40)) is None
    codes, scales, change = pack_int8(weight)
    assert codes.dtype == torch.int8 and scales.shape == (32,) and 0 < change < 0.01
    packed, none, change = pack_fp16(weight)
    assert none is None and 0 < change <= 2**-11
    assert pack_fp16(torch.full((32, 64), 1e6)) is None  # beyond half precision


def test_fresh_thread_returns_the_result_or_raises_the_error():
    assert in_fresh_thread(lambda: threading.current_thread().name) == "llmcompare-load"

    def fail():
        raise OSError("no such model")

    with pytest.raises(OSError, match="no such model"):
        in_fresh_thread(fail)


def test_the_streamer_hands_out_each_token_at_once_but_never_half_a_character(tiny_model_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    ids = tokenizer("the café 🎉 fox")["input_ids"]
    streamer = eager_streamer(tokenizer, timeout=1)
    streamer.put(torch.tensor([[1, 2, 3]]))  # the prompt, skipped
    pieces = []
    for token in ids:
        streamer.put(torch.tensor([token]))
        while not streamer.text_queue.empty():
            pieces.append(streamer.text_queue.get())
    streamer.end()
    assert pieces[0] == tokenizer.decode(ids[:1])
    assert not any("\ufffd" in piece for piece in pieces)
    assert "".join(pieces) == "the café 🎉 fox"


def test_generations_running_at_once_split_the_cpu_threads_and_take_them_back():
    share = CoreShare()
    share.base = 2
    original = torch.get_num_threads()
    seen: dict[str, int] = {}
    both_in, first_out = threading.Barrier(2), threading.Event()

    def generation(name: str, leaves_first: bool) -> None:
        with share.taking_part() as rebalance:
            both_in.wait(timeout=5)
            rebalance()
            seen[f"{name} together"] = torch.get_num_threads()
            both_in.wait(timeout=5)  # both have looked before either leaves
            if not leaves_first:
                first_out.wait(timeout=5)
                rebalance()  # between two tokens, after the other side ended
                seen[f"{name} alone"] = torch.get_num_threads()
        if leaves_first:
            first_out.set()

    try:
        workers = [threading.Thread(target=generation, args=(n, n == "a")) for n in ("a", "b")]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=10)
    finally:
        torch.set_num_threads(original)
    assert seen == {"a together": 1, "b together": 1, "b alone": 2}
    assert share.share() == 2  # nobody running: a new generation gets every thread


def test_a_conversion_parses_the_gguf_once_and_puts_gguf_back():
    import gguf

    from llmcompare.providers.gguf_conversion import parsed_once

    originals = (gguf.GGUFReader, gguf.get_tensor_name_map)
    with parsed_once():
        first, again = gguf.GGUFReader(bundled_gguf()), gguf.GGUFReader(str(bundled_gguf()))
        assert first is again  # the same file, by any spelling of its path: one parse
        assert isinstance(first, originals[0]) and first.tensors
        names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, 30)
        assert gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, 30) is names
        assert names.get_name("model.layers.3.self_attn.q_proj") == "blk.3.attn_q"
    assert (gguf.GGUFReader, gguf.get_tensor_name_map) == originals
