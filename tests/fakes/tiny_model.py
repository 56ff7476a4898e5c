"""A tiny GPT-2 and BPE tokenizer built in a tmp folder in a fraction of a second, for fast local-provider tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Our machines cannot reach the Hugging Face hub; fail fast instead of waiting on it.
os.environ["HF_HUB_OFFLINE"] = "1"

SPECIALS = ["<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
CORPUS = [
    "the quick brown fox jumps over the lazy dog",
    "open weights and closed models answer the same prompt",
    "a local model streams tokens while the api streams chunks",
    "time to first token, tokens per second and cost per run",
]


def build_tiny_model(folder: Path, n_positions: int = 1024) -> Path:
    """Write a random two-layer GPT-2 with a byte-level BPE tokenizer and a chat template; return the folder."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=320, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    bpe.train_from_iterator(CORPUS, trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token=SPECIALS[0], pad_token=SPECIALS[0])
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.save_pretrained(folder)
    # No eos or pad: a random model would otherwise stop at a random step, and tests want a known token count.
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=n_positions,
        n_embd=32,
        n_layer=2,
        n_head=2,
        bos_token_id=None,
        eos_token_id=None,
    )
    torch.manual_seed(0)
    GPT2LMHeadModel(config).save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One tiny model folder for the whole session."""
    yield build_tiny_model(tmp_path_factory.mktemp("tiny-model"))
