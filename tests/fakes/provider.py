"""A provider that replays queued answers, for tests of code that only needs the provider seam."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

from llmcompare.providers.base import GenerationSettings, Usage


@dataclass
class Answer:
    """One queued answer: pieces sent delay_s apart, then usage, or a failure after the pieces."""

    pieces: list[str]
    usage: Usage
    delay_s: float = 0.0
    error: Exception | None = None


class FakeProvider:
    """Replays answers in the order they were enqueued; honours the stop event between pieces."""

    def __init__(self, spec: str = "fake:echo", model_name: str = "fake-model") -> None:
        self.spec = spec
        self.model_name = model_name
        self.answers: list[Answer] = []
        self.prompts: list[str] = []

    def enqueue(self, pieces: list[str], *, delay_s: float = 0.0, error: Exception | None = None) -> FakeProvider:
        usage = Usage(input_tokens=3, output_tokens=len(pieces))
        self.answers.append(Answer(pieces, usage, delay_s, error))
        return self

    def stream(self, prompt: str, settings: GenerationSettings, stop: threading.Event) -> Iterator[str | Usage]:
        self.prompts.append(prompt)
        answer = self.answers.pop(0)
        for index, piece in enumerate(answer.pieces):
            if index and stop.wait(answer.delay_s):
                return
            yield piece
        if answer.error:
            raise answer.error
        yield answer.usage
