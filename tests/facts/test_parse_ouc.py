"""Opening up ChatGPT df.csv importer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmcompare.facts.eu_osai import Grade
from llmcompare.facts.ouc import DIMENSIONS, parse_projects_csv
from llmcompare.io.errors import FormatError

DF = "ouc/df.csv"


def test_projects(sources: Path) -> None:
    alpha, closed = parse_projects_csv(sources / DF)
    assert alpha.name == "Alpha Chat 7B"  # df.csv has no name column; read from projects/alpha-chat.yaml
    assert closed.name == "closedgpt"  # no YAML next to it: the file stem
    assert (alpha.org, alpha.link, alpha.llm_base, alpha.rl_base, alpha.license) == (
        "Example Lab",
        "https://example.org/alpha-chat",
        "Alpha 7B",
        "Alpha SFT mix",
        "Apache 2.0",
    )
    assert (alpha.openness, closed.openness) == (9.5, 1.5)
    assert alpha.source_file == "/projects/alpha-chat.yaml"
    assert list(alpha.grades) == list(DIMENSIONS)
    assert alpha.grades["rldata"] == Grade(
        "partial", "https://example.org/rldata", ("https://example.org/rldata",), None
    )
    assert alpha.grades["api"] == Grade(None, None, (), None)
    assert closed.grades["code"].notes == 'Notes with a comma, and "quotes"'
    assert closed.grades["api"].grade == "open"


def test_unknown_grade(variant: Callable[..., Path]) -> None:
    path = variant(DF, "open,https://example.org/rlweights", "opne,https://example.org/rlweights")
    with pytest.raises(FormatError, match="unknown grade 'opne'") as err:
        parse_projects_csv(path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 2, "rlweights.class")


def test_openness_must_match_grades(variant: Callable[..., Path]) -> None:
    path = variant(DF, ",1.5", ",2.5")
    with pytest.raises(FormatError, match=r"is 2\.5 but the grades add up to 1\.5") as err:
        parse_projects_csv(path)
    assert (err.value.row, err.value.field) == (3, "openness")


def test_missing_column(variant: Callable[..., Path]) -> None:
    path = variant(DF, "api.class", "api.klass")
    with pytest.raises(FormatError, match="required column is missing") as err:
        parse_projects_csv(path)
    assert (err.value.row, err.value.field) == (1, "api.class")


def test_source_file_must_stay_inside(variant: Callable[..., Path]) -> None:
    path = variant(DF, "/projects/closedgpt.yaml", "../../etc/closedgpt.yaml")
    with pytest.raises(FormatError, match="must stay inside") as err:
        parse_projects_csv(path)
    assert (err.value.row, err.value.field) == (3, "source.file")


def test_not_utf8(tmp_path: Path, sources: Path) -> None:
    path = tmp_path / "df.csv"
    path.write_bytes((sources / DF).read_bytes().replace(b"ClosedCo", b"Closed\xc3Co"))
    with pytest.raises(FormatError, match="not valid UTF-8"):
        parse_projects_csv(path)
