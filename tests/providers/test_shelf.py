"""The server's shelf of local models: one load per source however many sessions ask, and loads in the background."""

import threading

import pytest

from llmcompare.providers.base import ProviderError
from llmcompare.providers.local_hf import load_local
from llmcompare.providers.shelf import LOADING, ModelShelf
from tests.fakes.tiny_model import tiny_model_dir  # noqa: F401


class GatedLoader:
    """load_local, counting its calls, and holding each one until the test opens the gate."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.gate = threading.Event()
        self.entered = threading.Event()

    def __call__(self, source, on_status=None, **options):
        self.calls.append(source)
        self.entered.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return load_local(source, on_status=on_status, **options)


def test_sessions_asking_at_once_share_one_load(tiny_model_dir):  # noqa: F811
    loader = GatedLoader()
    shelf = ModelShelf(loader)
    source = str(tiny_model_dir)
    got = []
    threads = [threading.Thread(target=lambda: got.append(shelf.load(source, precision="float32"))) for _ in range(3)]
    for thread in threads:
        thread.start()
    assert loader.entered.wait(30)
    assert shelf.state(source) == LOADING and shelf.get(source) is None
    loader.gate.set()
    for thread in threads:
        thread.join(60)
    assert loader.calls == [source]
    assert len(got) == 3 and got[0] is got[1] is got[2] is shelf.get(source)
    assert shelf.state(source) is None


def test_a_background_load_is_there_for_the_first_run(tiny_model_dir):  # noqa: F811
    loader = GatedLoader()
    shelf = ModelShelf(loader)
    source = str(tiny_model_dir)
    assert shelf.start(source, precision="float32")
    assert shelf.state(source) == LOADING  # at once, before the thread has even begun
    assert not shelf.start(source, precision="float32")  # a second page view starts nothing
    assert loader.entered.wait(30)
    waiting = threading.Thread(target=lambda: shelf.load(source))  # a run started meanwhile waits for it
    waiting.start()
    loader.gate.set()
    waiting.join(60)
    assert loader.calls == [source]
    loaded = shelf.get(source)
    assert loaded is not None and loaded.precision == "float32"
    assert shelf.state(source) is None
    assert not shelf.start(source)


def test_a_failed_background_load_says_why_and_a_run_tries_again(tmp_path):
    loader = GatedLoader()
    loader.gate.set()
    shelf = ModelShelf(loader)
    missing = str(tmp_path / "no-such-model")
    assert shelf.start(missing)
    for _ in range(300):
        if shelf.state(missing) != LOADING:
            break
        threading.Event().wait(0.1)
    assert "there is no file or folder" in shelf.state(missing)
    assert not shelf.start(missing)  # the page does not retry on every rerun
    with pytest.raises(ProviderError, match="there is no file or folder"):
        shelf.load(missing)
    assert loader.calls == [missing, missing]
    assert shelf.get(missing) is None
