"""A random two-layer Llama whose linear weights sit on a 4-bit grid, as in a Q4_1 GGUF: the int4 path in seconds."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401  (the fixture below builds on it)


def on_q4_grid(weight: torch.Tensor) -> torch.Tensor:
    """The weight rounded to 16 levels per 32 inputs, as a Q4_1 GGUF stores it."""
    groups = weight.detach().reshape(weight.shape[0], -1, 32)
    low = groups.amin(-1, keepdim=True)
    step = (groups.amax(-1, keepdim=True) - low) / 15
    return (torch.round((groups - low) / step) * step + low).reshape(weight.shape)


def build_tiny_llama(folder: Path, tokenizer_dir: Path, on_grid: bool = True, hidden_size: int = 128) -> Path:
    """A random two-layer Llama with the tiny tokenizer; with on_grid its linear weights sit on a 4-bit grid.

    Four heads share two key/value heads; at the default width each projection has a multiple of 64 output rows.
    """
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    tokenizer.save_pretrained(folder)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        bos_token_id=None,
        eos_token_id=None,
        # Untied: a random model with tied embeddings only repeats the prompt's last token, a special one here.
        tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    if on_grid:
        with torch.no_grad():
            for name, module in model.named_modules():
                if isinstance(module, torch.nn.Linear) and name != "lm_head":
                    module.weight.copy_(on_q4_grid(module.weight))
    model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def grid_llama_dir(tiny_model_dir, tmp_path_factory):  # noqa: F811
    return build_tiny_llama(tmp_path_factory.mktemp("grid-llama"), tiny_model_dir)
