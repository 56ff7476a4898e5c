"""Search and filter boxes take hostile text: SQL metacharacters, LIKE wildcards, unicode and 100 kB of it.

Each gives the right rows or a clear message, never an exception, and the store is the same afterwards. Text that
comes in through a link (?run=, ?from_run=, ?left=) and is echoed in a message cannot pull in a remote image.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, inspect, select, table
from streamlit.testing.v1 import AppTest

from components.shell.ui import inert_markdown
from llmcompare.catalog.filters import CatalogFilter, apply_filter
from llmcompare.providers.base import GenerationSettings, RunResult, SideResult
from llmcompare.store.build import build_db
from llmcompare.store.engine import make_engine
from llmcompare.store.history import SEARCH_MAX_CHARS, RunFilter, list_runs
from llmcompare.store.migrations import migrate
from llmcompare.store.queries import catalog, catalog_lookup
from llmcompare.store.runs import save_run
from tests.conftest import FIXTURE_SEED

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 60
HUGE = "x" * 100_000
IMAGE = "![x](http://example.invalid/pixel.png)"
# Search text -> the models the catalogue should keep (every word, literally, in a name, id, developer or alias).
CATALOGUE_CASES = {
    "' OR 1=1 --": [],
    '"; DROP TABLE models; --': [],
    "%": [],
    "_": ["Llama 3.1 70B Instruct"],  # together_ai/meta-llama/... is one of its aliases
    "3.5": ["Claude 3.5 Sonnet"],  # a dot is a dot, not "any character"
    "(Qwen)": ["Qwen2.5 72B Instruct"],
    ".*": [],
    "Ünïcödé 模型 🤖": [],
    "gPt-4O MINI": ["GPT-4o mini"],
    HUGE: [],
}
PROMPTS = (
    "100% sure",
    "snake_case name",
    "It's 'quoted' -- fine",
    "模型 🤖 unicode",
    "plain prompt",
    "Ärzte an der Straße",
)
# Search text -> the prompts the History list should keep.
HISTORY_CASES = {
    "' OR 1=1 --": [],
    '"; DROP TABLE models; --': [],
    "%": ["100% sure"],
    "_": ["snake_case name"],
    "'quoted' --": ["It's 'quoted' -- fine"],
    "模型 🤖": ["模型 🤖 unicode"],
    "PLAIN": ["plain prompt"],
    "\\": [],
    "ÄRZTE": ["Ärzte an der Straße"],  # case in any script, not only A-Z
    "ärzte AN der strasse": ["Ärzte an der Straße"],  # full case folding: ß matches ss
}


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'llmcompare.db'}"
    engine = make_engine(url)
    build_db(engine, FIXTURE_SEED)
    migrate(engine)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LLMCOMPARE_SEED_DIR", str(FIXTURE_SEED))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-inputs-not-a-real-key")
    yield engine
    engine.dispose()


@pytest.fixture
def runs(store):
    """One run per prompt, each with a plain answer on both sides."""
    for prompt in PROMPTS:
        sides = [_side("local:tiny", "an answer"), _side("openai:gpt-4o-mini@http://127.0.0.1:9/v1", "another")]
        save_run(store, RunResult(prompt, datetime.now(UTC), 1.0, sides, False))
    return store


def _side(spec: str, text: str) -> SideResult:
    return SideResult(spec, spec, GenerationSettings(), text, 0.1, 1.0, 3, 2, 5.0, None, "no price on record", None)


def snapshot(engine) -> dict[str, int]:
    """Every table and its row count: a DROP or a stray write would change it."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {name: conn.scalar(select(func.count()).select_from(table(name))) for name in names}


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.query_params.update(query)
    return at.switch_page(f"views/{page}.py").run()


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "success")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("text", list(CATALOGUE_CASES), ids=lambda t: t[:20])
def test_catalogue_filter_matches_hostile_text_literally(store, text: str) -> None:
    kept = apply_filter(catalog(store), catalog_lookup(store), CatalogFilter(text=text))
    assert sorted(kept["model"]) == CATALOGUE_CASES[text]


@pytest.mark.parametrize("text", list(CATALOGUE_CASES), ids=lambda t: t[:20])
def test_catalogue_search_box_takes_hostile_text(store, text: str) -> None:
    before = snapshot(store)
    at = open_page("catalogue")
    at.text_input(key="q").input(text).run()
    no_exception(at)
    expected = CATALOGUE_CASES[text]
    if expected:
        assert f"**{len(expected)}** of 11 models" in texts(at)
    else:
        assert "No model matches all of these filters" in texts(at)
    assert snapshot(store) == before


@pytest.mark.parametrize("text", list(HISTORY_CASES), ids=lambda t: t[:20])
def test_history_filter_matches_hostile_text_literally(runs, text: str) -> None:
    before = snapshot(runs)
    assert sorted(list_runs(runs, RunFilter(text=text))["prompt"]) == HISTORY_CASES[text]
    assert snapshot(runs) == before


@pytest.mark.parametrize("text", [*HISTORY_CASES, HUGE], ids=lambda t: t[:20])
def test_history_search_box_takes_hostile_text(runs, text: str) -> None:
    before = snapshot(runs)
    at = open_page("history")
    # set_value, not input: AppTest's input ignores text over max_chars; the server cuts what a client sends.
    at.text_input(key="history.q").set_value(text).run()
    no_exception(at)
    expected = HISTORY_CASES.get(text, [])
    if expected:
        assert f"**{len(expected)}** runs" in texts(at)
    else:
        assert "No run matches these filters" in texts(at)
    assert len(at.text_input(key="history.q").value) == min(len(text), SEARCH_MAX_CHARS)
    assert snapshot(runs) == before


def test_the_history_list_does_not_treat_a_wildcard_as_everything(runs) -> None:
    everything = list_runs(runs)
    assert len(everything) == len(PROMPTS)
    for wildcard in ("%", "_", "%%", "[a-z]", "*"):
        assert len(list_runs(runs, RunFilter(text=wildcard))) < len(everything)


@pytest.mark.parametrize(
    "text, expected",
    [
        (IMAGE, "!\\[x](http://example.invalid/pixel.png)"),
        ("\\![x](u)", "\\![x](u)"),  # already escaped: left alone
        ("\\\\![x](u)", "\\\\!\\[x](u)"),  # an escaped backslash, then a real image
        ("[![y](u)](v)", "[!\\[y](u)](v)"),
        ("a ! [b] and x![", "a ! [b] and x!\\["),
        ("**bold** <b>tag</b> `code`", "**bold** <b>tag</b> `code`"),
    ],
)
def test_inert_markdown_breaks_every_image(text: str, expected: str) -> None:
    assert inert_markdown(text) == expected
    assert not re.search(r"(?<!\\)(?:\\\\)*!\[", inert_markdown(text))


@pytest.mark.parametrize(
    "page, query, shown",
    [
        ("history", {"run": IMAGE}, "is not a run number"),
        ("playground", {"from_run": IMAGE}, "There is no stored run"),
        ("playground", {"right": f"openai:{IMAGE}@http://127.0.0.1:9/v1"}, "Cost:"),
        ("playground", {"right": f"nonsense:{IMAGE}"}, "Could not use the link's settings"),
        ("compare", {"models": IMAGE}, "Not in the store"),
        ("model", {"model": f"`{IMAGE}`"}, "There is no model with the id"),
    ],
)
def test_text_from_a_link_is_echoed_without_its_image(runs, page: str, query: dict[str, str], shown: str) -> None:
    at = open_page(page, **query)
    no_exception(at)
    echoed = [line for line in texts(at).splitlines() if "example.invalid" in line]
    assert any(shown in line for line in texts(at).splitlines()), texts(at)
    assert echoed, texts(at)
    assert all("![" not in line.replace("\\![", "") for line in echoed), echoed


def test_a_frame_with_hostile_names_filters_without_regex(store) -> None:
    frame = catalog(store).head(3).assign(model=["100% model", "snake_model", "(a|b)+ model"])
    lookup = pd.DataFrame({"model_id": frame["model_id"], "aliases": "", "benchmarks": 0})
    for text, expected in (("%", ["100% model"]), ("_", ["snake_model"]), ("(a|b)+", ["(a|b)+ model"])):
        assert apply_filter(frame, lookup, CatalogFilter(text=text))["model"].tolist() == expected
