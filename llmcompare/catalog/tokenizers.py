"""A served model's own tokenizer, when it is on this machine: it counts answers from servers that send no usage.

Never downloads: the bundled SmolLM2 once converted, a local path, or an open-weights model whose Hugging Face
repository the store knows and whose files are already in the local Hugging Face cache. Anything else counts streamed
chunks instead.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from llmcompare.catalog.pricing import _resolve_model_id
from llmcompare.providers.local_hf import BUNDLED_FOLDER, BUNDLED_NAME, DEFAULT_CACHE_DIR
from llmcompare.store import models as m

TokenCounter = Callable[[str], int | None]
HF_SCHEME = "hf"  # alias schemes from Hugging Face (hf, hf_v2) name repositories
# A Hugging Face repository id, as the store's aliases spell them: "HuggingFaceTB/SmolLM2-1.7B-Instruct".
_REPO_ID = re.compile(r"^[\w.-]+/[\w.-]+$")
_load_lock = threading.Lock()


def _key(name: str) -> str:
    """A served name compared loosely: case, punctuation, a repository prefix and a .gguf or quantisation suffix."""
    stem = name.strip().split("/")[-1].lower().removesuffix(".gguf")
    stem = re.sub(r"[-.](q\d[\w]*|f16|f32|bf16|fp16)$", "", stem)
    return re.sub(r"[^a-z0-9]+", "", stem)


def _bundled_source(cache_dir: Path) -> str | None:
    """The bundled model's converted folder (`make model` writes it); None before the conversion.

    Reading the tokenizer out of the GGUF file instead takes tens of seconds on a small machine, longer than the
    answer it would count; until the conversion, chunks are counted.
    """
    converted = Path(cache_dir) / BUNDLED_FOLDER
    return str(converted) if (converted / "tokenizer.json").is_file() else None


def _store_repos(engine: Engine, model: str) -> list[str]:
    """Hugging Face repository ids the store knows for the open-weights model this name stands for."""
    model_id = _resolve_model_id(engine, model)
    if model_id is None:
        return []
    with engine.connect() as conn:
        access = conn.scalar(select(m.Model.access).where(m.Model.id == model_id))
        if access != m.OPEN_WEIGHTS:
            return []
        # Only Hugging Face's own names are repositories; other sources' "host/model" names only look like them.
        names = conn.scalars(
            select(m.Alias.name)
            .where(m.Alias.model_id == model_id, m.Alias.scheme.startswith(HF_SCHEME))
            .order_by(m.Alias.id)
        )
        return [name for name in names if _REPO_ID.match(name)]


def tokenizer_sources(engine: Engine | None, model: str, cache_dir: Path = DEFAULT_CACHE_DIR) -> list[str]:
    """Where the model's tokenizer may be, best first: a local path, the bundled model, the store's repositories."""
    path = Path(model).expanduser()
    if path.exists() and (path.is_dir() or path.suffix == ".gguf"):
        return [str(path)]
    sources = []
    if _key(model) in (_key(BUNDLED_NAME), _key(f"HuggingFaceTB/{BUNDLED_NAME}")):
        sources.append(_bundled_source(cache_dir))
    if engine is not None:
        sources.extend(_store_repos(engine, model))
    return [source for source in sources if source]


@functools.lru_cache(maxsize=8)
def _load(source: str) -> Any | None:
    """The tokenizer at source, from local files only; None when there is none."""
    from transformers import AutoTokenizer

    path = Path(source)
    try:
        if path.suffix == ".gguf":
            return AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        return AutoTokenizer.from_pretrained(source, local_files_only=True)
    except (OSError, ValueError):
        return None


def count_with(tokenizer: Any, text: str) -> int:
    """Tokens in text as the model itself would count its answer (no special tokens added)."""
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def token_counter(engine: Engine | None, model: str, cache_dir: Path = DEFAULT_CACHE_DIR) -> TokenCounter | None:
    """A counter using the model's own tokenizer, loaded on first use (only runs without usage need it); None when
    no local tokenizer can exist for this name. The counter answers None when the files turn out to be absent."""
    sources = tokenizer_sources(engine, model, cache_dir)
    if not sources:
        return None

    def count(text: str) -> int | None:
        with _load_lock:
            tokenizer = next((t for source in sources if (t := _load(source)) is not None), None)
        return None if tokenizer is None else count_with(tokenizer, text)

    return count
