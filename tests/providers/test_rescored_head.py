"""The output layer on int8 or fp16 weights: approximate logits choose candidates, float32 rows decide among them, so
the greedy pick is the float32 layer's; each kind runs on any CPU where its kernel does."""

import pytest
import torch
import torch.nn.functional as F

from llmcompare.providers.rescored_head import is_rescored, rescore_head, rescored_head_class


def near_ties(vocab=4096, width=96, seed=0):
    """A float32 output layer whose rows come in pairs closer than int8 can tell apart, and inputs that make
    each pair's two logits nearly equal: the int8 logits alone pick the wrong one of a pair."""
    generator = torch.Generator().manual_seed(seed)
    weight = torch.randn(vocab, width, generator=generator) * 0.05
    weight[1::2] = weight[0::2] + torch.randn(vocab // 2, width, generator=generator) * 1e-5
    inputs = torch.randn(200, width, generator=generator) * 3
    inputs[:100] = weight[2 * torch.arange(100)] * 400  # each points at one pair, which wins by far
    return weight, inputs


KINDS = ["int8", "fp16"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_greedy_pick_is_the_float32_layers_where_the_approximation_alone_gets_it_wrong(kind):
    weight, inputs = near_ties()
    head = rescored_head_class()(weight, kind)
    with torch.inference_mode():
        want = F.linear(inputs, weight).argmax(-1)
        got = head(inputs)
        alone = head.approximate(inputs)
    assert torch.equal(got.argmax(-1), want)
    assert not torch.equal(alone.argmax(-1), want)  # without rescoring, near-ties flip


@pytest.mark.parametrize("kind", KINDS)
def test_candidates_get_float32_logits_and_the_rest_the_approximate_ones(kind):
    weight, inputs = near_ties(seed=1)
    head = rescored_head_class()(weight, kind)
    x = inputs[0]
    with torch.inference_mode():
        approx = head.approximate(x[None])[0]
        chosen = head.candidates(x, approx.clone())
        got = head(x[None])[0]
        exact = F.linear(x[None], weight)[0]
        bounds = head.bounds(x, approx.clone())
    assert 1 <= len(chosen) < weight.shape[0] // 10  # the pair the input points at, not the whole vocabulary
    assert torch.allclose(got[chosen], exact[chosen], rtol=1e-5, atol=1e-5)
    others = torch.ones(weight.shape[0], dtype=torch.bool)
    others[chosen] = False
    assert torch.equal(got[others], approx[others])
    assert bool(((approx - exact).abs() <= bounds).all())  # the bound holds for every logit
    # the same tokens as the plain rule: every token whose bound reaches the largest lower bound
    plain = (approx + bounds >= (approx - bounds).max()).nonzero()[:, 0]
    assert torch.equal(chosen.sort().values, plain)


@pytest.mark.parametrize("kind", KINDS)
def test_the_output_of_any_shape_keeps_its_shape(kind):
    weight, inputs = near_ties(seed=2)
    head = rescored_head_class()(weight, kind)
    with torch.inference_mode():
        out = head(inputs[:6].reshape(2, 3, -1))
    assert out.shape == (2, 3, weight.shape[0]) and out.dtype == torch.float32
    assert torch.equal(out.reshape(6, -1).argmax(-1), F.linear(inputs[:6], weight).argmax(-1))


def test_only_a_bias_free_linear_output_layer_is_swapped(grid_llama_dir):
    from llmcompare.providers.local_hf import load_local

    model = load_local(str(grid_llama_dir), precision="float32").model
    weight = model.lm_head.weight
    assert rescore_head(model, "fp16") and is_rescored(model.lm_head) and model.lm_head.weight is weight
    assert model.lm_head.kind == "fp16"
    assert not rescore_head(model)  # already swapped: nothing left to swap
    model.lm_head = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=True)
    assert not rescore_head(model) and not is_rescored(model.lm_head)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(3))
def test_random_layers_pick_as_float32_does(seed, kind):
    generator = torch.Generator().manual_seed(seed)
    weight = torch.randn(2048, 64, generator=generator)
    inputs = torch.randn(64, 64, generator=generator)
    head = rescored_head_class()(weight, kind)
    with torch.inference_mode():
        assert torch.equal(head(inputs).argmax(-1), F.linear(inputs, weight).argmax(-1))


def test_a_kind_it_does_not_run_or_weights_beyond_half_precision_are_refused():
    with pytest.raises(ValueError, match="does not pack to int4"):
        rescored_head_class()(torch.randn(64, 32), "int4")
    with pytest.raises(ValueError, match="does not pack to fp16"):
        rescored_head_class()(torch.full((64, 32), 1e6), "fp16")
