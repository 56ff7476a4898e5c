"""Shared fixtures for the importer tests: the hand-written source files and edited copies of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


@pytest.fixture
def sources() -> Path:
    """The folder of hand-written fixture files."""
    return SOURCES


@pytest.fixture
def variant(tmp_path: Path) -> Callable[..., Path]:
    """Copy a fixture into tmp_path with one exact text replacement, so each bad file differs in one place."""

    def make(relative: str, old: str, new: str) -> Path:
        text = (SOURCES / relative).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        out = tmp_path / Path(relative).name
        out.write_text(text.replace(old, new, 1), encoding="utf-8")
        return out

    return make
