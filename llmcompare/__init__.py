"""LLM Compare: facts, measurements and decisions about open-weights and closed-API language models."""

__version__ = "0.1.0"
