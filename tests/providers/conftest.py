"""Provider tests share the fake OpenAI server and the tiny local model."""

from tests.fakes.openai_server import fake_openai
from tests.fakes.tiny_model import tiny_model_dir

__all__ = ["fake_openai", "tiny_model_dir"]
