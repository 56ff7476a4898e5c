"""A batch of 500 prompts (the most a file may hold) against the fake server: every run saved, memory bounded."""

from __future__ import annotations

import tracemalloc

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from llmcompare.playground.batch import MAX_PROMPTS, run_batch
from llmcompare.playground.run import Side
from llmcompare.providers.base import GenerationSettings
from llmcompare.providers.openai_compat import OpenAICompatProvider
from llmcompare.store.runs import Run, RunSide
from tests.fakes.openai_server import DEFAULT_TEXT, FakeOpenAIServer
from tests.reliability.conftest import API_KEY, app_threads, leftover_threads

# Generous: the 500 results themselves take well under 1 MB; a leak of a client, a thread or a response per run
# (each is tens of kilobytes) would pass it within the batch.
PEAK_GROWTH_LIMIT_MB = 50
RETAINED_GROWTH_LIMIT_MB = 20
SETTINGS = GenerationSettings(max_new_tokens=16, timeout_s=30.0)


@pytest.mark.slow
@pytest.mark.load
@pytest.mark.long
def test_a_500_prompt_batch_completes_with_bounded_memory(runs_db):
    prompts = [f"prompt number {i}: say something about WAL mode" for i in range(MAX_PROMPTS)]
    with FakeOpenAIServer() as left, FakeOpenAIServer() as right:
        sides = [
            Side(OpenAICompatProvider(f"model-{n}", s.base_url, API_KEY), SETTINGS) for n, s in enumerate((left, right))
        ]
        run_batch(prompts[:5], sides, runs_db)  # warm up imports and caches before measuring
        before_threads = app_threads()
        tracemalloc.start()
        try:
            baseline, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            batch = run_batch(prompts, sides, runs_db)
            retained, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert not batch.stopped and len(batch.runs) == MAX_PROMPTS
    assert [result.prompt for _, result in batch.runs] == prompts
    assert all(side.error is None and side.text == DEFAULT_TEXT for _, r in batch.runs for side in r.sides)
    with Session(runs_db) as session:
        assert session.scalar(select(func.count()).select_from(Run)) == MAX_PROMPTS + 5
        assert session.scalar(select(func.count()).select_from(RunSide)) == 2 * (MAX_PROMPTS + 5)
    assert (peak - baseline) / 1e6 < PEAK_GROWTH_LIMIT_MB
    assert (retained - baseline) / 1e6 < RETAINED_GROWTH_LIMIT_MB
    assert leftover_threads(before_threads) == []
