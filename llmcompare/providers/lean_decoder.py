"""A lean decoding loop for Llama-family models on the CPU, with float32, int4, int8 or fp16 weights (see packed.py).

For a 135M model, transformers' `generate` spends most of each step in Python and operator dispatch, not in
arithmetic: module calls, three matmuls for q, k and v, two for gate and up, a cache that grows by concatenation.
This loop does the same arithmetic with a third of the operations: q, k and v share one matrix, gate and up
another (when a probe shows that joining them changes no output; otherwise the parts run one by one), the key/value
cache is allocated once per answer, and the rotary tables come from the model's own rotary module once per answer.
Greedy output matches the same model under `generate` token for token (tests and `bench/generation.py` check it),
and sampling uses transformers' own warpers in the same order.

It takes a subset of `generate`'s keyword arguments, so the provider calls either one the same way.
"""

from __future__ import annotations

from typing import Any

from llmcompare.providers.packed import Weights, join
from llmcompare.providers.rescored_head import is_rescored

_ACCEPTED = {
    "input_ids",
    "attention_mask",
    "max_new_tokens",
    "min_new_tokens",
    "do_sample",
    "temperature",
    "top_p",
    "pad_token_id",
    "streamer",
    "stopping_criteria",
}


_ATTENTION = ("q_proj", "k_proj", "v_proj", "o_proj")
_MLP = ("gate_proj", "up_proj", "down_proj")


def _supported(model: Any) -> bool:
    """A Llama on the CPU whose every projection is a bias-free Linear or PackedLinear, and its output layer too
    or a RescoredHead."""
    config = model.config
    if getattr(config, "model_type", None) != "llama" or getattr(config, "hidden_act", None) != "silu":
        return False
    if getattr(config, "pretraining_tp", 1) != 1 or next(model.parameters()).device.type != "cpu":
        return False
    layers = getattr(getattr(model, "model", None), "layers", None)
    if not layers or (Weights.of(model.lm_head) is None and not is_rescored(model.lm_head)):
        return False
    return all(
        all(Weights.of(getattr(layer.self_attn, n, None)) is not None for n in _ATTENTION)
        and all(Weights.of(getattr(layer.mlp, n, None)) is not None for n in _MLP)
        for layer in layers
    )


def projection_groups(model: Any) -> list[tuple[Any, tuple[str, ...]]]:
    """(parent, names) of the projections the loop joins, q, k and v of each attention and gate and up of each MLP;
    none for a model the loop does not run. Packing to fp16 packs each group as one matrix (packed.pack_model)."""
    if not _supported(model) or not _plain_generation(model):
        return []
    return [
        group for layer in model.model.layers for group in ((layer.self_attn, _ATTENTION[:3]), (layer.mlp, _MLP[:2]))
    ]


def _joined(*modules: Any) -> Any:
    """One call for projections that read the same input: a joined matrix, or the parts one after another."""
    import torch

    joined = join(list(modules))
    if joined is not None:
        return joined
    parts = [Weights.of(m) for m in modules]
    return lambda x: torch.cat([part(x) for part in parts], 1)


# Settings a model's generation config may carry that change generate's choice of token; the loop does only
# temperature, top-k and top-p, so a model that sets any of these others keeps generate.
_NEUTRAL_GENERATION = {
    "repetition_penalty": (None, 1.0),
    "no_repeat_ngram_size": (None, 0),
    "encoder_repetition_penalty": (None, 1.0),
    "min_p": (None,),
    "typical_p": (None, 1.0),
    "epsilon_cutoff": (None, 0.0),
    "eta_cutoff": (None, 0.0),
    "top_h": (None,),
    "bad_words_ids": (None,),
    "suppress_tokens": (None,),
    "begin_suppress_tokens": (None,),
    "forced_bos_token_id": (None,),
    "forced_eos_token_id": (None,),
    "sequence_bias": (None,),
    "min_length": (None, 0),
    "min_new_tokens": (None, 0),
}


def _plain_generation(model: Any) -> bool:
    """Whether the model's generation config leaves token choice to temperature, top-k and top-p alone."""
    config = getattr(model, "generation_config", None)
    return all(getattr(config, name, None) in neutral for name, neutral in _NEUTRAL_GENERATION.items())


class LeanDecoder:
    """Greedy or sampled decoding of one sequence at a time; build with LeanDecoder.for_model."""

    def __init__(self, model: Any, layers: list[tuple[Any, ...]]) -> None:
        config = model.config
        self.model = model
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // self.heads
        self.eps = config.rms_norm_eps
        self.embed = model.model.embed_tokens.weight
        self.final_norm = model.model.norm.weight
        self.head = model.lm_head if is_rescored(model.lm_head) else Weights.of(model.lm_head)
        self.layers = layers
        generation = getattr(model, "generation_config", None)
        eos = getattr(generation, "eos_token_id", None)
        if eos is None:
            eos = config.eos_token_id
        self.eos_ids = [] if eos is None else [eos] if isinstance(eos, int) else list(eos)
        top_k = getattr(generation, "top_k", None)
        self.top_k = 50 if top_k is None else top_k  # generate's default when the model sets none; 0 means off

    @classmethod
    def for_model(cls, model: Any) -> LeanDecoder | None:
        """A decoder for the model, or None when it is not a Llama on the CPU with plain or packed projections, or
        its generation config asks for more than temperature, top-k and top-p."""
        if not _supported(model) or not _plain_generation(model):
            return None
        layers = []
        for layer in model.model.layers:
            attn, mlp = layer.self_attn, layer.mlp
            layers.append(
                (
                    layer.input_layernorm.weight,
                    _joined(*(getattr(attn, name) for name in _ATTENTION[:3])),
                    Weights.of(attn.o_proj),
                    layer.post_attention_layernorm.weight,
                    _joined(*(getattr(mlp, name) for name in _MLP[:2])),
                    Weights.of(mlp.down_proj),
                )
            )
        return cls(model, layers)

    def _norm(self, x: Any, weight: Any) -> Any:
        """RMS norm as LlamaRMSNorm computes it: torch's one operation gives the same numbers (a test checks)."""
        import torch.nn.functional as F

        return F.rms_norm(x, weight.shape, weight, self.eps)

    @staticmethod
    def _rotate(x: Any, cos: Any, signed_sin: Any) -> Any:
        """transformers' rotary step, x * cos + rotate_half(x) * sin, with the sign of rotate_half's negated half
        moved into the sine (see _rope): one roll instead of a negation, two slices and a join; the same numbers."""
        return x * cos + x.roll(x.shape[-1] // 2, -1) * signed_sin

    def _logits(self, tokens: Any, pos: int, cache: list[tuple[Any, Any]], rope: tuple[Any, Any]) -> Any:
        """Run the tokens at positions pos, pos+1, ... through the model; the last one's logits.

        Queries and keys rotate in one go (the same arithmetic, element by element), and o and down add their
        kernels' outputs to the residual stream in place: adding bfloat16 to float32 computes in float32, as
        generate's add after PackedLinear's conversion does.
        """
        import torch.nn.functional as F

        count = tokens.shape[0]
        heads, q_width, kv_width = self.heads, self.heads * self.head_dim, self.kv_heads * self.head_dim
        cos, sin = rope[0][pos : pos + count], rope[1][pos : pos + count]
        x = self.embed[tokens]
        for (norm1, qkv_w, o_w, norm2, gate_up_w, down_w), (keys, values) in zip(self.layers, cache, strict=True):
            qkv = qkv_w(self._norm(x, norm1))
            qk = qkv[:, : q_width + kv_width].view(count, -1, self.head_dim).transpose(0, 1)
            qk = self._rotate(qk, cos, sin)
            keys[:, pos : pos + count] = qk[heads:]
            values[:, pos : pos + count] = qkv[:, q_width + kv_width :].view(count, self.kv_heads, -1).transpose(0, 1)
            attended = F.scaled_dot_product_attention(
                qk[None, :heads],
                keys[None, :, : pos + count],
                values[None, :, : pos + count],
                is_causal=count > 1,  # only the prompt comes as several tokens, always from position 0
                enable_gqa=True,
            )
            x.add_(o_w.raw(attended[0].transpose(0, 1).reshape(count, q_width)))
            gate, up = gate_up_w(self._norm(x, norm2)).chunk(2, -1)
            x.add_(down_w.raw(F.silu(gate).mul_(up)))
        return self.head(self._norm(x[-1:], self.final_norm))

    def _rope(self, length: int) -> tuple[Any, Any]:
        """cos and sin for positions 0..length-1, from the model's rotary module (any rope type it supports); the
        sine's first half is negated, for _rotate."""
        import torch

        positions = torch.arange(length)[None]
        cos, sin = self.model.model.rotary_emb(self.embed[:1][None], positions)
        half = sin.shape[-1] // 2
        return cos[0], torch.cat((-sin[0, :, :half], sin[0, :, half:]), -1)

    def _warpers(self, temperature: float, top_p: float) -> list[Any]:
        from transformers import TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

        warpers: list[Any] = []
        if temperature != 1.0:
            warpers.append(TemperatureLogitsWarper(temperature))
        if self.top_k:
            warpers.append(TopKLogitsWarper(top_k=self.top_k))
        if top_p < 1.0:
            warpers.append(TopPLogitsWarper(top_p=top_p))
        return warpers

    def generate(self, **kwargs: Any) -> Any:
        """Like `model.generate` for one sequence: returns the prompt and new token ids as a [1, n] tensor."""
        import torch

        unknown = set(kwargs) - _ACCEPTED
        if unknown:
            raise TypeError(f"LeanDecoder.generate does not take {', '.join(sorted(unknown))}")
        prompt = kwargs["input_ids"]
        if prompt.shape[0] != 1:
            raise ValueError("LeanDecoder.generate takes one sequence at a time")
        max_new, min_new = kwargs.get("max_new_tokens", 20), kwargs.get("min_new_tokens", 0)
        warpers = self._warpers(kwargs.get("temperature", 1.0), kwargs.get("top_p", 1.0))
        sample = bool(kwargs.get("do_sample", False))
        streamer, stopping = kwargs.get("streamer"), kwargs.get("stopping_criteria")
        total = prompt.shape[1] + max_new
        cache = [
            (torch.empty(self.kv_heads, total, self.head_dim), torch.empty(self.kv_heads, total, self.head_dim))
            for _ in self.layers
        ]
        rope = self._rope(total)
        ids = prompt
        if streamer is not None:
            streamer.put(prompt.cpu())
        with torch.inference_mode():
            tokens, pos = prompt[0], 0
            for made in range(max_new):
                scores = self._logits(tokens, pos, cache, rope)
                pos += tokens.shape[0]
                if made < min_new and self.eos_ids:
                    scores[:, self.eos_ids] = float("-inf")
                if sample:
                    for warper in warpers:
                        scores = warper(ids, scores)
                    token = torch.multinomial(scores.softmax(-1), num_samples=1)[0]
                else:
                    token = scores.argmax(-1)
                ids = torch.cat([ids, token[None]], 1)
                if streamer is not None:
                    streamer.put(token)
                if int(token) in self.eos_ids or (stopping is not None and bool(stopping(ids, scores).any())):
                    break
                tokens = token
        if streamer is not None:
            streamer.end()
        return ids
