"""Provider tests share the fake OpenAI server, the tiny local model and the tiny 4-bit-grid Llama."""

from tests.fakes.openai_server import fake_openai
from tests.fakes.tiny_llama import grid_llama_dir
from tests.fakes.tiny_model import tiny_model_dir

__all__ = ["fake_openai", "grid_llama_dir", "tiny_model_dir"]
