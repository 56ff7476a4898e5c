"""The lean decoder: the same tokens as the int4 model under `generate`, with generate's stopping and streaming."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

from llmcompare.providers.base import GenerationSettings, Usage
from llmcompare.providers.lean_decoder import LeanDecoder
from llmcompare.providers.local_hf import LocalHFProvider, _stop_criteria, load_local
from llmcompare.providers.local_speed import apply_precision, in_fresh_thread, int4_kernel_available
from tests.fakes.tiny_llama import build_tiny_llama

pytestmark = pytest.mark.skipif(not int4_kernel_available(), reason="this CPU lacks the fast int4 kernel")

PROMPTS = [[5, 17, 42, 99, 7], [3], list(range(40, 90))]


@pytest.fixture(scope="module")
def grid(grid_llama_dir):
    return load_local(str(grid_llama_dir))


def tokens(generator, prompt, new, **kwargs):
    """New token ids of one generate call on the given prompt ids, run as the app runs it: in a fresh thread."""
    ids = torch.tensor([prompt])

    def run():
        with torch.inference_mode():
            return generator.generate(input_ids=ids, max_new_tokens=new, pad_token_id=0, **kwargs)

    return in_fresh_thread(run)[0, len(prompt) :].tolist()


def test_an_int4_llama_gets_the_lean_decoder_and_a_float32_one_does_not(grid, grid_llama_dir, tiny_model_dir):
    assert isinstance(grid.decoder, LeanDecoder) and grid.path == "int4, lean decoder"
    plain = load_local(str(grid_llama_dir), precision="float32")
    assert plain.decoder is None and plain.path == "float32, transformers generate"
    assert load_local(str(tiny_model_dir)).decoder is None  # a GPT-2 is not a Llama
    assert LeanDecoder.for_model(plain.model) is None


@pytest.mark.parametrize("prompt", PROMPTS)
def test_greedy_tokens_are_those_of_generate(grid, prompt):
    want = tokens(grid.model, prompt, 24, do_sample=False, min_new_tokens=24)
    assert tokens(grid.decoder, prompt, 24, do_sample=False, min_new_tokens=24) == want
    assert len(want) == 24


@pytest.mark.parametrize(("temperature", "top_p"), [(0.7, 0.9), (1.0, 1.0), (1.3, 0.5)])
def test_seeded_sampling_draws_what_generate_draws(grid, temperature, top_p):
    settings = {"do_sample": True, "temperature": temperature, "top_p": top_p}
    torch.manual_seed(11)
    want = tokens(grid.model, PROMPTS[0], 20, **settings)
    torch.manual_seed(11)
    assert tokens(grid.decoder, PROMPTS[0], 20, **settings) == want
    torch.manual_seed(12)
    assert tokens(grid.decoder, PROMPTS[0], 20, **settings) != want  # the seed matters: this is sampling


def test_a_model_whose_generation_config_asks_for_more_keeps_generate(grid_llama_dir):
    local = load_local(str(grid_llama_dir), precision="float32")
    apply_precision(local.model, "auto")
    local.model.generation_config.repetition_penalty = 1.3
    assert LeanDecoder.for_model(local.model) is None
    local.model.generation_config.repetition_penalty = 1.0
    assert LeanDecoder.for_model(local.model) is not None


def test_top_k_follows_the_generation_config_as_generate_does(grid_llama_dir):
    local = load_local(str(grid_llama_dir))
    local.model.generation_config.top_k = 0  # no top-k cut at all
    decoder = LeanDecoder.for_model(local.model)
    settings = {"do_sample": True, "temperature": 1.5, "top_p": 1.0}
    torch.manual_seed(5)
    want = tokens(local.model, PROMPTS[2], 20, **settings)
    torch.manual_seed(5)
    assert tokens(decoder, PROMPTS[2], 20, **settings) == want


def test_an_end_token_stops_the_answer_and_is_kept(grid):
    free = tokens(grid.decoder, PROMPTS[0], 12)
    end = free[5]
    grid.decoder.eos_ids = [end]
    try:
        stopped = tokens(grid.decoder, PROMPTS[0], 12)
        held = tokens(grid.decoder, PROMPTS[0], 12, min_new_tokens=12)
    finally:
        grid.decoder.eos_ids = []
    assert stopped == free[: free.index(end) + 1]
    assert held == tokens(grid.model, PROMPTS[0], 12, eos_token_id=end, min_new_tokens=12)
    assert end not in held


def test_the_stop_event_ends_generation_after_the_current_token(grid):
    stop = threading.Event()
    criteria = _stop_criteria(stop)
    made = []

    class Counting:
        def put(self, value):
            made.append(value.reshape(-1).tolist())
            if len(made) == 4:  # the prompt, then three tokens
                stop.set()

        def end(self):
            made.append("end")

    out = tokens(grid.decoder, PROMPTS[0], 50, streamer=Counting(), stopping_criteria=criteria)
    assert len(out) == 3 and made[0] == PROMPTS[0] and made[-1] == "end"
    assert [m[0] for m in made[1:-1]] == out


def test_two_answers_at_once_from_one_decoder_are_each_what_one_alone_gives(grid):
    alone = [tokens(grid.decoder, prompt, 16) for prompt in PROMPTS[:2]]
    with ThreadPoolExecutor(2) as pool:  # both playground sides may run the same local model
        together = list(pool.map(lambda prompt: tokens(grid.decoder, prompt, 16), PROMPTS[:2]))
    assert together == alone


def test_the_fused_weights_are_shared_not_copied(grid):
    attention = grid.model.model.layers[0].self_attn
    fused = grid.decoder.layers[0][1][0]
    for part in (attention.q_proj, attention.k_proj, attention.v_proj):
        assert part.packed.untyped_storage().data_ptr() == fused.untyped_storage().data_ptr()


def test_a_layout_whose_joined_matrices_would_compute_otherwise_keeps_generate(tiny_model_dir, tmp_path):
    # Width 64 gives key and value projections 32 rows each: the packed layout's blocks do not line up.
    narrow = load_local(str(build_tiny_llama(tmp_path, tiny_model_dir, hidden_size=64)))
    assert narrow.precision == "int4" and narrow.decoder is None
    assert narrow.path == "int4, transformers generate"


def test_generate_arguments_it_does_not_know_are_refused(grid):
    with pytest.raises(TypeError, match="num_beams"):
        grid.decoder.generate(input_ids=torch.tensor([[1, 2]]), num_beams=2)
    with pytest.raises(ValueError, match="one sequence"):
        grid.decoder.generate(input_ids=torch.tensor([[1, 2], [3, 4]]))


def test_the_provider_streams_through_it_with_exact_usage(grid):
    provider = LocalHFProvider(grid, "local:grid")
    items = list(provider.stream("the quick brown fox", GenerationSettings(max_new_tokens=9), threading.Event()))
    assert isinstance(items[-1], Usage) and items[-1].output_tokens == 9
    assert "".join(i for i in items if isinstance(i, str))


@pytest.mark.slow
def test_the_bundled_model_answers_as_under_generate():
    bundled = load_local("bundled")
    assert bundled.path == "int4, lean decoder"
    for prompt in ("What is the capital of France?", "Write a haiku about the sea."):
        messages = [{"role": "user", "content": prompt}]
        ids = bundled.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")
        ids = ids["input_ids"] if hasattr(ids, "keys") else ids
        prompt_ids = ids[0].tolist()
        assert tokens(bundled.decoder, prompt_ids, 32, do_sample=False) == tokens(
            bundled.model, prompt_ids, 32, do_sample=False
        )
