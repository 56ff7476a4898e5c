"""The one provider seam, the settings it takes, the events a run emits and the spec strings that name providers."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

BUNDLED = "bundled"
OPENAI_BASE_URL = "https://api.openai.com/v1"


REPLACEMENT_CHARACTER = "\ufffd"


def invalid_text_at(text: str) -> int | None:
    """Where text stops being encodable Unicode (a lone UTF-16 surrogate), or None when all of it is valid."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def valid_text(text: str) -> str:
    """Text with surrogate pairs joined into their characters and any lone half replaced by U+FFFD."""
    if invalid_text_at(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class ProviderError(Exception):
    """A failure worded for the user; the playground shows it on the side concerned."""


class SpecError(ValueError):
    """A provider spec string that cannot be understood."""


@dataclass(frozen=True)
class GenerationSettings:
    """What one side generates with. Holds no secret, so it is stored with each run."""

    system_prompt: str = ""
    max_new_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.95
    seed: int | None = None
    timeout_s: float = 60.0

    def problems(self) -> list[str]:
        """Every invalid setting, worded for the user; empty when all are valid."""
        found = []
        if not 1 <= self.max_new_tokens <= 32768:
            found.append("Max new tokens must be between 1 and 32768.")
        if not 0.0 <= self.temperature <= 2.0:
            found.append("Temperature must be between 0 and 2.")
        if not 0.0 < self.top_p <= 1.0:
            found.append("Top-p must be above 0 and at most 1.")
        if self.timeout_s <= 0:
            found.append("Timeout must be above 0 seconds.")
        if (at := invalid_text_at(self.system_prompt)) is not None:
            found.append(f"The system prompt holds a character that is not valid text at position {at + 1}.")
        return found


@dataclass(frozen=True)
class Usage:
    """Token counts as the provider reports them; None where it reports nothing."""

    input_tokens: int | None = None
    output_tokens: int | None = None


class Provider(Protocol):
    """Streams text pieces for one prompt, then yields a Usage; raises ProviderError on failure."""

    spec: str
    model_name: str

    def stream(self, prompt: str, settings: GenerationSettings, stop: threading.Event) -> Iterator[str | Usage]: ...


@dataclass(frozen=True)
class ProviderSpec:
    """A parsed spec: `local:bundled`, `local:PATH_OR_ID`, `openai:MODEL` or `openai:MODEL@BASE_URL`."""

    kind: Literal["local", "openai"]
    target: str
    base_url: str | None = None

    def __str__(self) -> str:
        if self.kind == "openai" and self.base_url and self.base_url != OPENAI_BASE_URL:
            return f"openai:{self.target}@{self.base_url}"
        return f"{self.kind}:{self.target}"


# The model name may itself contain "@", so the URL starts at the first "@http(s)://".
_OPENAI_TARGET = re.compile(r"^(?P<model>.+?)@(?P<url>https?://\S+)$")


def parse_spec(text: str) -> ProviderSpec:
    """Parse a spec string; raise SpecError with an example of the right form."""
    kind, sep, rest = text.strip().partition(":")
    rest = rest.strip()
    if not sep or not rest:
        raise SpecError(f"Cannot read provider {text!r}: use local:bundled, local:PATH_OR_ID or openai:MODEL@BASE_URL.")
    if kind == "local":
        return ProviderSpec("local", rest)
    if kind == "openai":
        match = _OPENAI_TARGET.match(rest)
        if match:
            return ProviderSpec("openai", match["model"], match["url"].rstrip("/"))
        return ProviderSpec("openai", rest, OPENAI_BASE_URL)
    raise SpecError(f"Unknown provider kind {kind!r} in {text!r}: use local:... or openai:...")


@dataclass(frozen=True)
class TokenEvent:
    """A piece of text from one side, at seconds since the run started."""

    side: int
    text: str
    at_s: float


@dataclass(frozen=True)
class UsageEvent:
    """Token counts from one side."""

    side: int
    usage: Usage


@dataclass(frozen=True)
class ErrorEvent:
    """One side failed; the message is meant for the user and never holds a key."""

    side: int
    message: str


@dataclass(frozen=True)
class SideResult:
    """Everything one side produced, with its metrics."""

    spec: str
    model_name: str
    settings: GenerationSettings
    text: str
    ttft_s: float | None
    total_s: float
    input_tokens: int | None
    output_tokens: int | None
    tokens_per_s: float | None
    cost_usd: float | None
    cost_basis: str
    error: str | None = None
    stopped: bool = False
    tokens_estimated: bool = False  # output_tokens (and so tokens_per_s) counted here: the server reported none


@dataclass(frozen=True)
class DoneEvent:
    """One side finished, failed or was stopped; its result is final."""

    side: int
    result: SideResult


Event = TokenEvent | UsageEvent | ErrorEvent | DoneEvent


@dataclass(frozen=True)
class RunResult:
    """One prompt sent to every side, in side order."""

    prompt: str
    created_at: datetime
    wall_s: float
    sides: list[SideResult] = field(default_factory=list)
    stopped: bool = False
