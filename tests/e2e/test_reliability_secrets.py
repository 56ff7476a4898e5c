"""The API key goes to the API and nowhere else: not the database, the server log, an export or any page's HTML.

One test walks the whole app with two unique keys, one in the server's environment and one typed into the sidebar:
it runs the playground with each (single, blind with a vote, batch), downloads every table, report and vote chart
(those in a tab not shown or a closed expander too), runs every CLI export, opens every page, then searches all of
it. The fake API must have received both keys, and the search must find the run's prompt token where runs are kept,
so that a leak could not go unnoticed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from llmcompare.store.migrations import migrate
from llmcompare.store.scenarios import ensure_examples, list_scenarios
from tests.conftest import FixtureDB
from tests.e2e.conftest import ROOT, TIMEOUT_MS, Server, private_db, streamlit_server
from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.long]

ENV_KEY = f"sk-test-env-{uuid.uuid4().hex}"
SIDEBAR_KEY = f"sk-test-sidebar-{uuid.uuid4().hex}"
TOKEN = f"tok{uuid.uuid4().hex[:10]}"  # in every prompt: where runs are kept, the search must find it
# Every page in the navigation, by its url_path; the default page (Home) has none.
PAGES = ["", *re.findall(r'url_path="([\w-]+)"', (ROOT / "app.py").read_text())]
# Pages whose downloads take a moment to appear, and the button to wait for.
WAIT_FOR = {
    "report": "Download PDF",
    "history": "Download CSV",
    "votes": "Download CSV",
    "catalogue": "Download CSV",
    "advisor": "Download CSV",  # the full ranking's; under load its buttons came after the other results
}
# Pages whose results are drawn after the script's first pass, and a text that shows once they are there.
WAIT_FOR_TEXT = {"advisor": "Left out by your must-haves"}
CHART_PAGES = {"votes"}  # chart PNG/SVG downloads take seconds each: the page whose labels come from runs
# Pages with downloads that do not show when the page opens: a tab not shown (Data) or a closed expander (Advisor).
HIDDEN_DOWNLOADS = {"data", "advisor"}
# Pages that show their tables only for chosen models: opened by link, and each must offer downloads.
DEEP_LINKS = {
    "model-deepseek": "model?model=deepseek-v3",
    "compare-three": "compare?models=claude-3.5-sonnet,deepseek-v3,gemma-2-9b-it",
}
DONE = "data-e2e-done"  # set on each download button once clicked (or skipped, for a chart image)


@dataclass
class Haul:
    """Everything the key must not be in: files by path, page HTML by name."""

    folder: Path
    pages: dict[str, str]

    def save(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path


@dataclass(frozen=True)
class Downloads:
    """A page's downloads: files saved, and how many of its buttons showed when it opened."""

    saved: int
    shown: int


def searchable(path: Path) -> str:
    """A file's text as a reader would find it: raw bytes, plus unzipped members (XLSX) and extracted PDF text."""
    raw = path.read_bytes()
    parts = [raw.decode("utf-8", errors="ignore"), raw.decode("utf-16", errors="ignore")]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            parts += [archive.read(name).decode("utf-8", errors="ignore") for name in archive.namelist()]
    if raw.startswith(b"%PDF"):
        parts += [page.extract_text() for page in PdfReader(path).pages]
    return "\n".join(parts)


def leaks(text: str) -> list[str]:
    """The keys (or a tell-tale fragment of one) found in text."""
    return [key for key in (ENV_KEY, SIDEBAR_KEY) if key in text or key[-20:] in text]


@pytest.fixture(scope="module")
def api() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureDB]:
    with private_db(tmp_path_factory.mktemp("secrets-db")) as built:
        migrate(built.engine)  # the runs, scenarios and imports tables
        ensure_examples(built.engine, ROOT / "data" / "curated" / "scenarios.yaml")  # the report needs a scenario
        yield built


@pytest.fixture(scope="module")
def secrets_server(db: FixtureDB, api: FakeOpenAIServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("secrets-log") / "streamlit.log"
    env = {"OPENAI_API_KEY": ENV_KEY, "OPENAI_BASE_URL": api.base_url, "HF_HUB_OFFLINE": "1"}
    with streamlit_server(db, log, env) as server:
        yield server


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def settle(page: Page) -> None:
    """Wait until the page has drawn and its script run has finished."""
    expect(page.get_by_text("Data as of")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("h1").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)  # download buttons load their code on first use


def masked_html(page: Page) -> str:
    """The page's HTML without password fields' own values: the field the user typed the key into may hold it."""
    return page.evaluate(
        """() => { const copy = document.documentElement.cloneNode(true);
                   copy.querySelectorAll('input[type=password]').forEach(e => e.remove());
                   return copy.outerHTML; }"""
    )


def download_all(page: Page, haul: Haul, name: str, charts: bool) -> Downloads:
    """Click every download button on the page (chart images only when asked) and keep the files.

    Buttons in a closed expander or a tab not shown are downloaded too: each tab in turn is opened, and every closed
    expander in it, and the buttons that then show are clicked. Each button is marked once clicked (or skipped, for
    a chart image), so none is clicked twice, and the page must end with no download button left unmarked."""
    buttons = page.get_by_test_id("stDownloadButton").locator("button")
    shown = sum(
        1 for i in range(buttons.count()) if buttons.nth(i).is_visible() and (charts or not is_chart(buttons.nth(i)))
    )
    tabs = page.get_by_role("tab")
    left = page.locator(f"[data-testid=stDownloadButton] button:not([{DONE}])")
    count = 0
    for _ in range(3):  # a late rerun redraws buttons without their marks: walk again until none is left
        for t in range(max(tabs.count(), 1)):  # every tab of every tab bar; a page without tabs is walked once
            if tabs.count() and tabs.nth(t).is_visible():
                tabs.nth(t).click()
                expect(tabs.nth(t)).to_have_attribute("aria-selected", "true")
                settle(page)
            open_expanders(page)
            count += download_shown(page, haul, name or "home", count, charts)
        # Under load an opened expander may draw its buttons after the walk: a page with hidden downloads is walked
        # again until one of them was saved.
        if left.count() == 0 and (name not in HIDDEN_DOWNLOADS or count > shown):
            break
        settle(page)
    assert left.count() == 0, f"{name or 'home'}: download buttons never clicked: {left.all_text_contents()}"
    return Downloads(count, shown)


def is_chart(button: Locator) -> bool:
    """A chart's PNG or SVG download: slow, so clicked only on the pages in CHART_PAGES."""
    return re.search(r"\b(PNG|SVG)\s*$", button.inner_text()) is not None


def open_expanders(page: Page) -> None:
    """Open every closed expander that shows (one in a tab not shown waits for its tab)."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) > summary")
    for i in reversed(range(closed.count())):  # from the last: an opened one leaves the locator, the earlier stay
        if closed.nth(i).is_visible():
            closed.nth(i).click()
    if closed.count():
        settle(page)  # an expander may rerun the script or draw its content late


def download_shown(page: Page, haul: Haul, name: str, first: int, charts: bool) -> int:
    """Click each visible download button not clicked yet, mark it, save its file; returns how many were saved."""
    fresh = page.locator(f"[data-testid=stDownloadButton] button:not([{DONE}])")
    count = 0
    for i in reversed(range(fresh.count())):  # from the last: a marked button leaves the locator
        button = fresh.nth(i)
        if not button.is_visible():
            continue  # in a tab not shown yet
        if not charts and is_chart(button):
            button.evaluate(f"b => b.setAttribute('{DONE}', 'skipped')")
            continue
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=2 * TIMEOUT_MS) as info:
            button.click()
        button.evaluate(f"b => b.setAttribute('{DONE}', 'clicked')")
        info.value.save_as(haul.folder / f"{name}-{first + count}-{info.value.suggested_filename}")
        count += 1
    return count


def run_playground(page: Page, server: Server, api: FakeOpenAIServer, haul: Haul) -> None:
    """A run with the environment's key, then a blind run with a typed key and a vote, then a batch."""
    specs = {"left": f"openai:gpt-4o-mini@{api.base_url}", "right": f"openai:other-model@{api.base_url}"}
    page.goto(f"{server.url}/playground?{urlencode(specs)}")
    settle(page)
    key_box = page.get_by_label("API key", exact=True)
    assert key_box.get_attribute("type") == "password"
    page.get_by_label("Prompt", exact=True).fill(f"First {TOKEN} from the environment key")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("First token", exact=True)).to_have_count(2, timeout=TIMEOUT_MS)

    key_box.fill(SIDEBAR_KEY)
    key_box.press("Enter")
    expect(page.get_by_text("API key: yours, typed in the sidebar")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("Prompt", exact=True).fill(f"Second {TOKEN} from the sidebar key")
    page.get_by_text("Blind mode", exact=True).click()
    page.get_by_role("button", name="Run").click()
    page.get_by_role("button", name="A is better").click(timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile("^Vote saved"))).to_be_visible(timeout=TIMEOUT_MS)

    page.get_by_text("Batch", exact=True).click()
    prompts = haul.save("prompts.txt", f"Batch one {TOKEN}\nBatch two {TOKEN}\n".encode())
    page.locator("input[type=file]").set_input_files(prompts)
    expect(page.get_by_text("2 prompts read from prompts.txt")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("runs saved to history")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Download XLSX")).to_be_visible(timeout=TIMEOUT_MS)
    assert download_all(page, haul, "batch", charts=False).saved >= 2
    haul.pages["playground-after-runs"] = masked_html(page)
    assert SIDEBAR_KEY not in page.url and ENV_KEY not in page.url


def visit_every_page(page: Page, server: Server, haul: Haul) -> dict[str, Downloads]:
    """Each page in the navigation: its HTML and every download it offers; returns each page's downloads."""
    downloads = {}
    for name in PAGES:
        page.goto(f"{server.url}/{name}")
        settle(page)
        if name in WAIT_FOR:
            expect(page.get_by_role("button", name=WAIT_FOR[name]).first).to_be_visible(timeout=TIMEOUT_MS)
        if name in WAIT_FOR_TEXT:
            expect(page.get_by_text(WAIT_FOR_TEXT[name]).first).to_be_visible(timeout=TIMEOUT_MS)
            settle(page)
        haul.pages[name or "home"] = page.content()
        downloads[name or "home"] = download_all(page, haul, name, charts=name in CHART_PAGES)
    for name, link in DEEP_LINKS.items():
        page.goto(f"{server.url}/{link}")
        settle(page)
        expect(page.get_by_test_id("stDownloadButton").first).to_be_visible(timeout=TIMEOUT_MS)  # tables draw late
        haul.pages[name] = page.content()
        downloads[name] = download_all(page, haul, name, charts=False)
    page.goto(f"{server.url}/history?run=1")
    settle(page)
    expect(page.get_by_role("heading", name="Run #1")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stCode").get_by_text(f"First {TOKEN}")).to_be_visible(timeout=TIMEOUT_MS)
    haul.pages["history-run-1"] = page.content()
    return downloads


# Runs each command through the CLI's own entry point in one process (one interpreter start, not thirteen) and prints
# their exit codes last.
CLI_DRIVER = """
import json, sys
from llmcompare.cli.main import main
codes = []
for args in json.loads(sys.argv[1]):
    codes.append(main(args))
    sys.stdout.flush()
print("exit codes: " + json.dumps(codes))
"""


def run_cli(db: FixtureDB, haul: Haul, api: FakeOpenAIServer) -> str:
    """Every CLI export and report format, and a CLI ask, with the key in the environment; returns their output."""
    env = {**os.environ, **db.env(), "OPENAI_API_KEY": ENV_KEY, "HF_HUB_OFFLINE": "1"}
    scenario = list_scenarios(db.engine)[0].name
    commands = [
        ["export", what, "--format", fmt, "--out", str(haul.folder / f"cli-{what}.{fmt}")]
        for what in ("catalog", "facts")
        for fmt in ("csv", "json", "xlsx")
    ]
    commands += [
        ["report", "--scenario", scenario, "--format", fmt, "--out", str(haul.folder / f"cli-report.{fmt}")]
        for fmt in ("html", "md", "pdf")
    ]
    left, right = f"openai:gpt-4o-mini@{api.base_url}", f"openai:other-model@{api.base_url}"
    commands.append(["ask", f"CLI {TOKEN}", "--left", left, "--right", right, "--max-tokens", "16", "--json"])
    done = subprocess.run(
        [sys.executable, "-c", CLI_DRIVER, json.dumps(commands)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "exit codes: " + json.dumps([0] * len(commands)), done.stderr
    return done.stdout + done.stderr


def test_the_api_key_appears_nowhere_but_in_the_request(secrets_server, api, db, page, tmp_path) -> None:
    haul = Haul(tmp_path / "haul", {})
    haul.folder.mkdir()
    run_playground(page, secrets_server, api, haul)
    downloads = visit_every_page(page, secrets_server, haul)
    outputs = run_cli(db, haul, api)

    # The keys did reach the API: the search below is looking for strings that really were in play.
    sent = {request.authorization for request in api.requests}
    assert {f"Bearer {ENV_KEY}", f"Bearer {SIDEBAR_KEY}"} <= sent

    db.engine.dispose()  # let SQLite fold what it can into the main file; the -wal is searched as well
    stores = [p for p in db.path.parent.iterdir() if p.name.startswith(db.path.name)]
    files = [*stores, secrets_server.log, *haul.folder.iterdir()]
    names = {p.name for p in haul.folder.iterdir()}
    for wanted in ("cli-facts.xlsx", "cli-report.pdf", "cli-report.html", "cli-report.md"):
        assert wanted in names
    assert {p.suffix for p in haul.folder.iterdir()} >= {".csv", ".xlsx", ".json", ".html", ".md", ".pdf", ".svg"}
    assert len(haul.pages) >= len(PAGES) + 2
    # Downloads behind a tab or a closed expander were fetched too, not only those showing when the page opened.
    assert {name for name, got in downloads.items() if got.saved > got.shown} >= HIDDEN_DOWNLOADS, downloads
    assert all(downloads[name].saved for name in DEEP_LINKS), downloads

    found = {str(path): leaks(searchable(path)) for path in files}
    found |= {f"page {name}": leaks(html) for name, html in haul.pages.items()}
    found["cli output"] = leaks(outputs)
    assert {where: keys for where, keys in found.items() if keys} == {}

    # The search can see into each kind of place: the run's token is in the store, the history export and its page.
    assert any(TOKEN in searchable(path) for path in stores)
    history_files = [p for p in haul.folder.iterdir() if p.name.startswith("history-")]
    assert {p.suffix for p in history_files if TOKEN in searchable(p)} >= {".csv", ".xlsx"}
    assert TOKEN in haul.pages["history-run-1"]
