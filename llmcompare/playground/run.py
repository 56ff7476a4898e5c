"""Run several providers on one prompt at once: a worker thread per side, all pushing events into one queue."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from llmcompare.playground.metrics import Pricing, run_cost, tokens_per_second
from llmcompare.providers.base import (
    DoneEvent,
    ErrorEvent,
    Event,
    GenerationSettings,
    Provider,
    ProviderError,
    RunResult,
    SideResult,
    TokenEvent,
    Usage,
    UsageEvent,
    invalid_text_at,
)

JOIN_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Side:
    """One column of the comparison: who answers, with which settings, at which price."""

    provider: Provider
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    price: Pricing | None = None
    # The model's own tokenizer, when one is at hand locally: counts the answer if the server reports no usage
    # (None from it: no tokenizer after all).
    count_tokens: Callable[[str], int | None] | None = None


def request_problems(prompt: str, settings: GenerationSettings) -> list[str]:
    """Everything wrong with a request before it is sent, worded for the user."""
    found = [] if prompt.strip() else ["The prompt is empty."]
    # Lone surrogates (from bytes that were not UTF-8, e.g. on a command line) can be neither sent nor stored.
    if (at := invalid_text_at(prompt)) is not None:
        found.append(f"The prompt holds a character that is not valid text at position {at + 1}: save it as UTF-8.")
    return found + settings.problems()


def output_count(
    usage: Usage, text: str, pieces: int, count_tokens: Callable[[str], int | None] | None
) -> tuple[int | None, bool]:
    """Output tokens and whether they are an estimate: the provider's count, else the model's own tokenizer on the
    answer, else one token per streamed piece (servers such as llama-cpp-python, Ollama or LM Studio send one token
    per chunk and no usage)."""
    if usage.output_tokens is not None:
        return usage.output_tokens, False
    if not pieces:
        return None, False
    counted = count_tokens(text) if count_tokens else None
    return (pieces if counted is None else counted), True


@dataclass
class _Progress:
    """What a worker has seen so far of its side."""

    started: float
    pieces: list[str] = field(default_factory=list)
    first_at: float | None = None
    last_at: float | None = None
    usage: Usage = field(default_factory=Usage)
    error: str | None = None


class PlaygroundRun:
    """A running comparison. Poll it from the UI thread; stop() it in a finally block."""

    def __init__(self, prompt: str, sides: Sequence[Side], *, join_timeout_s: float = JOIN_TIMEOUT_S) -> None:
        self.prompt = prompt
        self.sides = list(sides)
        self.stop_event = threading.Event()
        self._join_timeout_s = join_timeout_s
        self._events: queue.Queue[Event] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._results: dict[int, SideResult] = {}
        self._ended_at: dict[int, float] = {}
        self._t0 = 0.0
        self._created_at = datetime.now(UTC)

    def start(self) -> PlaygroundRun:
        """Start one worker thread per side."""
        self._t0 = time.perf_counter()
        self._created_at = datetime.now(UTC)
        for index in range(len(self.sides)):
            worker = threading.Thread(target=self._work, args=(index,), name=f"llmcompare-side-{index}", daemon=True)
            self._threads.append(worker)
            worker.start()
        return self

    def __enter__(self) -> PlaygroundRun:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _work(self, index: int) -> None:
        """Stream one side into the queue; any failure becomes an error event, never an exception."""
        side = self.sides[index]
        progress = _Progress(started=time.perf_counter())
        try:
            problems = request_problems(self.prompt, side.settings)
            if problems:
                raise ProviderError(" ".join(problems))
            self._consume(index, side, progress)
        except ProviderError as exc:
            progress.error = str(exc)
        except Exception as exc:  # a bug on one side must not take the other side down
            progress.error = f"Unexpected failure: {type(exc).__name__}: {exc}"
        ended = time.perf_counter()
        stopped = self.stop_event.is_set()
        self._ended_at[index] = ended
        if progress.error:
            self._events.put(ErrorEvent(index, progress.error))
        self._events.put(DoneEvent(index, self._side_result(side, progress, ended, stopped)))

    def _consume(self, index: int, side: Side, progress: _Progress) -> None:
        """Forward the provider's pieces and usage as events; providers end soon after the stop event is set."""
        # closing() runs the provider's own cleanup (joining its threads) even if iteration fails.
        with contextlib.closing(side.provider.stream(self.prompt, side.settings, self.stop_event)) as pieces:
            for piece in pieces:
                if isinstance(piece, Usage):
                    progress.usage = piece
                    self._events.put(UsageEvent(index, piece))
                    continue
                now = time.perf_counter()
                progress.first_at = progress.first_at or now
                progress.last_at = now
                progress.pieces.append(piece)
                self._events.put(TokenEvent(index, piece, now - self._t0))

    @staticmethod
    def _side_result(side: Side, progress: _Progress, ended: float, stopped: bool) -> SideResult:
        total_s = ended - progress.started
        ttft_s = progress.first_at - progress.started if progress.first_at else None
        text = "".join(progress.pieces)
        output_tokens, estimated = output_count(progress.usage, text, len(progress.pieces), side.count_tokens)
        cost = run_cost(side.price, progress.usage.input_tokens, output_tokens, total_s)
        return SideResult(
            spec=side.provider.spec,
            model_name=side.provider.model_name,
            settings=side.settings,
            text=text,
            ttft_s=ttft_s,
            total_s=total_s,
            input_tokens=progress.usage.input_tokens,
            output_tokens=output_tokens,
            tokens_per_s=tokens_per_second(output_tokens, progress.first_at, progress.last_at),
            cost_usd=cost.usd,
            cost_basis=cost.basis,
            error=progress.error,
            stopped=stopped,
            tokens_estimated=estimated,
        )

    @property
    def finished(self) -> bool:
        """Whether every side has reported done."""
        return len(self._results) == len(self.sides)

    def poll(self, timeout: float = 0.0) -> list[Event]:
        """The events that have arrived, waiting at most timeout seconds for the first; never blocks longer."""
        events: list[Event] = []
        with contextlib.suppress(queue.Empty):
            events.append(self._events.get(timeout=timeout) if timeout > 0 else self._events.get_nowait())
            while True:
                events.append(self._events.get_nowait())
        for event in events:
            if isinstance(event, DoneEvent):
                self._results[event.side] = event.result
        return events

    def events(self, poll_s: float = 0.1) -> Iterator[Event]:
        """Every event until all sides are done; the run is stopped if the caller stops iterating early."""
        try:
            while not self.finished:
                yield from self.poll(poll_s)
        finally:
            self.stop()

    def stop(self) -> bool:
        """Tell every side to stop and wait for the workers; True when none is left running."""
        self.stop_event.set()
        deadline = time.monotonic() + self._join_timeout_s
        for worker in self._threads:
            worker.join(max(0.0, deadline - time.monotonic()))
        return not any(worker.is_alive() for worker in self._threads)

    def result(self) -> RunResult:
        """The whole run, waiting for any side still going."""
        while not self.finished:
            self.poll(0.1)
        wall_s = max(self._ended_at.values(), default=self._t0) - self._t0
        sides = [self._results[i] for i in range(len(self.sides))]
        stopped = any(side.stopped for side in sides)
        return RunResult(self.prompt, self._created_at, wall_s, sides, stopped)


def run_comparison(prompt: str, sides: Sequence[Side], on_event: Callable[[Event], None] | None = None) -> RunResult:
    """Run every side to the end (the CLI and batch mode); on_event sees each event as it arrives."""
    comparison = PlaygroundRun(prompt, sides).start()
    for event in comparison.events():
        if on_event:
            on_event(event)
    return comparison.result()
