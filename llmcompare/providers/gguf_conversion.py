"""A GGUF file dequantised once into a plain safetensors folder, which later loads in seconds.

transformers does the conversion (it knows each architecture's tensor names and undoes llama.cpp's reordering of the
attention weights). Left to itself it parses the file's header, 49,152 tokenizer strings included, once for the
config, once for the weights and once for the tokenizer, and it builds gguf's tensor-name table anew for each of the
model's ~400 submodules: two thirds of the time on the bundled SmolLM2. `parsed_once` keeps one parse and one table
per conversion; both are only read, so sharing them changes nothing in the result.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def is_converted(folder: Path) -> bool:
    return (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()


@contextmanager
def parsed_once() -> Iterator[None]:
    """While inside, gguf's reader and tensor-name table are made once per file and per architecture.

    transformers imports both from the `gguf` package at each call, so they are swapped there and put back on exit.
    Not for use from two threads at once: callers hold the conversion lock.
    """
    import gguf

    originals = {"GGUFReader": gguf.GGUFReader, "get_tensor_name_map": gguf.get_tensor_name_map}
    readers: dict[tuple[str, str], object] = {}

    def reader(path, mode: str = "r"):
        key = (str(Path(path).resolve()), mode)
        if key not in readers:
            readers[key] = originals["GGUFReader"](path, mode)
        return readers[key]

    gguf.GGUFReader = reader
    gguf.get_tensor_name_map = functools.lru_cache(maxsize=None)(originals["get_tensor_name_map"])
    try:
        yield
    finally:
        for name, value in originals.items():
            setattr(gguf, name, value)


def convert_gguf(gguf_file: Path, target: Path) -> None:
    """Dequantise gguf_file and save it as a safetensors folder at target (published whole, see `publish`)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with parsed_once():
        model = AutoModelForCausalLM.from_pretrained(gguf_file.parent, gguf_file=gguf_file.name)
        tokenizer = AutoTokenizer.from_pretrained(gguf_file.parent, gguf_file=gguf_file.name)
    # Without this the saved folder still claims GGUF quantisation and every later load looks for the .gguf.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".converting-", dir=target.parent))
    try:
        model.save_pretrained(scratch)
        tokenizer.save_pretrained(scratch)
        publish(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def publish(scratch: Path, target: Path) -> None:
    """Move a finished conversion into place.

    A rename is atomic, so an interrupted conversion never leaves a half-written cache behind. When another process
    (a second server, a parallel test worker) finished the same conversion first, its folder is kept and ours dropped.
    """
    try:
        scratch.rename(target)
    except OSError:
        if not is_converted(target):
            raise
