"""The lean decoder: the same tokens as the same model under `generate` (int4, int8 or float32 weights), with
generate's stopping and streaming. Every kind runs here on any CPU torch supports; none is skipped."""

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

from llmcompare.providers.base import GenerationSettings, Usage
from llmcompare.providers.lean_decoder import LeanDecoder
from llmcompare.providers.local_hf import LocalHFProvider, _stop_criteria, load_local
from llmcompare.providers.local_speed import KernelSpeeds, apply_precision, in_fresh_thread, kernel_speeds
from llmcompare.providers.packed import Weights, fp16_mm, pack_fp16, pack_model
from llmcompare.providers.rescored_head import is_rescored
from tests.fakes.tiny_llama import build_tiny_llama

PROMPTS = [[5, 17, 42, 99, 7], [3], list(range(40, 90))]


# What "auto" may choose on some CPU, forced here whatever this CPU measured: int4, fp16 or float32 layers, with the
# output layer on int8 or fp16 weights (rescored_head.py).
AUTO_CHOICES = {
    "int4 + int8 output layer": ({"float32": 8.0, "int4": 1.0, "int8": 1.0}, "int4"),
    "float32 + int8 output layer": ({"float32": 8.0, "int4": 9.0, "int8": 1.0}, "float32"),
    "fp16 + fp16 output layer": ({"float32": 8.0, "int4": 4.0, "int8": 5.0, "fp16": 3.0}, "fp16"),
    "int4 + fp16 output layer": ({"float32": 8.0, "int4": 2.0, "int8": 4.0, "fp16": 3.0}, "int4"),
}


@pytest.fixture(scope="module", params=["int4", "int8", "fp16", "float32", *AUTO_CHOICES])
def grid(request, grid_llama_dir):
    """The grid Llama with each kind of weights the decoder runs; float32 as "auto" runs it where int4 loses."""
    local = load_local(str(grid_llama_dir), precision="float32")
    if request.param in AUTO_CHOICES:
        ms, layers = AUTO_CHOICES[request.param]
        assert apply_precision(local.model, "auto", speeds=KernelSpeeds(ms)) == layers
        assert is_rescored(local.model.lm_head)
    else:
        assert apply_precision(local.model, request.param) == request.param
    local = dataclasses.replace(local, precision=request.param.split(" ")[0])
    return dataclasses.replace(local, decoder=LeanDecoder.for_model(local.model))


def tokens(generator, prompt, new, **kwargs):
    """New token ids of one generate call on the given prompt ids, run as the app runs it: in a fresh thread."""
    ids = torch.tensor([prompt])

    def run():
        with torch.inference_mode():
            return generator.generate(input_ids=ids, max_new_tokens=new, pad_token_id=0, **kwargs)

    return in_fresh_thread(run)[0, len(prompt) :].tolist()


def test_a_llama_gets_the_lean_decoder_unless_float32_is_asked_for(grid_llama_dir, tiny_model_dir):
    fast = load_local(str(grid_llama_dir))
    head = f" + {kernel_speeds().head} output layer" if kernel_speeds().head else ""
    assert isinstance(fast.decoder, LeanDecoder) and fast.path == f"{fast.precision}{head}, lean decoder"
    for precision in ("int4", "int8", "fp16"):
        assert load_local(str(grid_llama_dir), precision=precision).path == f"{precision}, lean decoder"
    plain = load_local(str(grid_llama_dir), precision="float32")
    assert plain.decoder is None and plain.path == "float32, transformers generate"
    assert load_local(str(tiny_model_dir)).decoder is None  # a GPT-2 is not a Llama
    assert isinstance(LeanDecoder.for_model(plain.model), LeanDecoder)  # the plain model runs in it all the same


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
    local.model.generation_config.repetition_penalty = 1.3
    assert LeanDecoder.for_model(local.model) is None
    local.model.generation_config.repetition_penalty = 1.0
    assert LeanDecoder.for_model(local.model) is not None


def test_top_k_follows_the_generation_config_as_generate_does(grid_llama_dir):
    local = load_local(str(grid_llama_dir), precision="int4")
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


@pytest.mark.parametrize("precision", ["int4", "int8"])
def test_the_joined_weights_are_shared_not_copied(grid_llama_dir, precision):
    local = load_local(str(grid_llama_dir), precision=precision)
    attention = local.model.model.layers[0].self_attn
    joined = local.decoder.layers[0][1].tensors[0]
    for part in (attention.q_proj, attention.k_proj, attention.v_proj):
        assert part.packed.untyped_storage().data_ptr() == joined.untyped_storage().data_ptr()


def test_fp16_projections_join_into_one_matrix_that_their_modules_share(grid_llama_dir):
    local = load_local(str(grid_llama_dir), precision="fp16")
    plain = load_local(str(grid_llama_dir), precision="float32").model.model.layers[0].self_attn
    qkv = local.decoder.layers[0][1]
    assert isinstance(qkv, Weights) and qkv.kind == "fp16"  # joined, not the parts one by one
    attention = local.model.model.layers[0].self_attn
    parts = (attention.q_proj, attention.k_proj, attention.v_proj)
    # FBGEMM's weights cannot be sliced: the modules run the joined matrix and keep their own outputs, no copy.
    assert all(part.packed is qkv.tensors[0] for part in parts)
    assert [(p.rows.start, p.rows.stop) for p in parts] == [(0, 128), (128, 192), (192, 256)]
    x = torch.randn(3, attention.q_proj.in_features)
    with torch.inference_mode():
        assert torch.equal(qkv(x), torch.cat([part(x) for part in parts], 1))
        for name, part in zip(("q_proj", "k_proj", "v_proj"), parts, strict=True):
            # Each output as the layer's own fp16 matrix computes it.
            assert torch.equal(part(x), fp16_mm(x, pack_fp16(getattr(plain, name).weight)[0]))


def test_its_norm_and_rotation_give_the_numbers_of_transformers_own(grid):
    # The loop's one-operation RMS norm and its roll with a signed sine must be bit for bit what Llama computes.
    from transformers.models.llama.modeling_llama import LlamaRMSNorm, apply_rotary_pos_emb

    decoder, layer = grid.decoder, grid.model.model.layers[0]
    norm = layer.input_layernorm
    assert isinstance(norm, LlamaRMSNorm)
    torch.manual_seed(0)
    cos, signed_sin = decoder._rope(12)
    _, sin = grid.model.model.rotary_emb(decoder.embed[:1][None], torch.arange(12)[None])
    for rows in (1, 5):
        x = torch.randn(rows, decoder.embed.shape[1]) * 4
        assert torch.equal(decoder._norm(x, norm.weight), norm(x))
        q = torch.randn(decoder.heads, rows, decoder.head_dim)
        want, _ = apply_rotary_pos_emb(q[None], q[None], cos[None, 7 - rows : 7], sin[:, 7 - rows : 7])
        assert torch.equal(decoder._rotate(q, cos[7 - rows : 7], signed_sin[7 - rows : 7]), want[0])


def unpack_fp16(packed):
    """The float32 values of FBGEMM's half-precision weights, as its kernel reads them."""
    return torch.ops.quantized.linear_unpack_fp16(packed)[0]


def test_fbgemm_rounds_fp16_weights_as_torch_half_does():
    # pack_fp16 measures its change from .half() instead of unpacking FBGEMM's copy: the two must be the same values.
    generator = torch.Generator().manual_seed(0)
    for scale in (1e-6, 0.02, 1.0, 300.0):
        weight = torch.randn(192, 256, generator=generator) * scale
        packed, _, change = pack_fp16(weight)
        unpacked = unpack_fp16(packed)
        assert torch.equal(unpacked, weight.half().float())
        assert change == float((unpacked - weight).abs().max()) / float(weight.abs().max())
    edge = torch.zeros(8, 16)
    edge[0, 0] = 65519.0  # rounds to half precision's largest value, 65504
    assert torch.equal(unpack_fp16(pack_fp16(edge)[0]), edge.half().float())
    for beyond in (65520.0, -1e6, float("nan")):  # would round to infinity, or is no number
        edge[0, 0] = beyond
        assert pack_fp16(edge) is None


@pytest.mark.parametrize("kind", ["int4", "int8", "fp16"])
def test_a_packed_layer_with_a_bias_adds_it(kind):
    # Qwen-style attention projections carry a bias; their packed layer must still run its weights and add it.
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(256, 128, bias=True))
    model.get_output_embeddings = lambda: None
    with torch.no_grad():
        model[0].bias.fill_(3.0)
    [(_, _, module)] = pack_model(model, kind)
    x = torch.randn(3, 256)
    with torch.inference_mode():
        got, want = module(x), model[0](x)
    assert Weights.of(module) is None  # a biased layer never joins others
    assert torch.allclose(got, want, atol=0.15)  # the weights' rounding is a few hundredths; a lost bias is 3


def test_projections_that_do_not_join_run_one_by_one_with_the_same_tokens(tiny_model_dir, tmp_path):
    # Width 64 gives key and value projections 32 rows each, half a block of the AVX512 int4 layout; and a float32
    # key projection among int4 ones never joins them, on any CPU.
    narrow = load_local(str(build_tiny_llama(tmp_path, tiny_model_dir, hidden_size=64)), precision="int4")
    attention = narrow.model.model.layers[0].self_attn
    attention.k_proj = torch.nn.Linear(64, 32, bias=False)
    decoder = LeanDecoder.for_model(narrow.model)
    assert not hasattr(decoder.layers[0][1], "tensors")  # q, k and v each run alone
    for prompt in PROMPTS:
        want = tokens(narrow.model, prompt, 16, do_sample=False, min_new_tokens=16)
        assert tokens(decoder, prompt, 16, do_sample=False, min_new_tokens=16) == want


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


def bundled_prompt_ids(tokenizer, prompt):
    messages = [{"role": "user", "content": prompt}]
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")
    ids = ids["input_ids"] if hasattr(ids, "keys") else ids
    return ids[0].tolist()


BUNDLED_PROMPTS = ("What is the capital of France?", "Write a haiku about the sea.")


@pytest.mark.slow
def test_the_bundled_model_answers_as_under_generate():
    bundled = load_local("bundled", precision="int4")
    assert bundled.path == "int4, lean decoder"
    for prompt in BUNDLED_PROMPTS:
        prompt_ids = bundled_prompt_ids(bundled.tokenizer, prompt)
        assert tokens(bundled.decoder, prompt_ids, 32, do_sample=False) == tokens(
            bundled.model, prompt_ids, 32, do_sample=False
        )


@pytest.mark.slow
def test_the_bundled_model_with_an_int8_output_layer_picks_what_the_float32_layer_picks():
    bundled = load_local("bundled", precision="float32")
    model = bundled.model
    float32_head = model.lm_head
    assert apply_precision(model, "auto", speeds=KernelSpeeds({"float32": 8.0, "int4": 1.0, "int8": 1.0})) == "int4"
    assert is_rescored(model.lm_head) and model.lm_head.weight is model.model.embed_tokens.weight  # tied, no copy
    decoder = LeanDecoder.for_model(model)
    for prompt in BUNDLED_PROMPTS:
        prompt_ids = bundled_prompt_ids(bundled.tokenizer, prompt)
        got = tokens(decoder, prompt_ids, 32, do_sample=False, min_new_tokens=32)
        assert got == tokens(model, prompt_ids, 32, do_sample=False, min_new_tokens=32)
        model.lm_head, rescored = float32_head, model.lm_head
        try:
            assert got == tokens(model, prompt_ids, 32, do_sample=False, min_new_tokens=32)
        finally:
            model.lm_head = rescored
