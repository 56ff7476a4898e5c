"""European Open Source AI Index importer (folder or zip of YAML files)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from llmcompare.facts import eu_osai
from llmcompare.facts.eu_osai import DIMENSIONS, Grade, OsaiSystem, parse_index
from llmcompare.io.errors import FormatError

ALPHA = "Alpha LM.yaml"


def copy_models(sources: Path, tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    """A copy of the fixture models/ folder, optionally with one replacement in the Alpha file."""
    folder = tmp_path / "models"
    shutil.copytree(sources / "eu-osai" / "models", folder)
    if edit is not None:
        alpha = folder / ALPHA
        text = alpha.read_text(encoding="utf-8")
        assert edit[0] in text
        alpha.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    return folder


def zip_of(tmp_path: Path, members: dict[str, str]) -> Path:
    path = tmp_path / "index.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


@pytest.fixture
def systems(sources: Path) -> list[OsaiSystem]:
    return parse_index(sources / "eu-osai" / "models")


def test_skips_parameter_and_template_files(systems: list[OsaiSystem]) -> None:
    assert [system.file for system in systems] == [ALPHA, "beta-chat.yaml"]


def test_alpha_system(systems: list[OsaiSystem]) -> None:
    alpha = systems[0]
    assert (alpha.name, alpha.org, alpha.link) == ("Alpha LM", "Example University", "https://example.org/alpha-lm")
    assert (alpha.type, alpha.base_model, alpha.end_model, alpha.end_model_license, alpha.release) == (
        "text",
        "Alpha-7B",
        "Alpha-7B-Instruct",
        "Apache-2.0",
        "2024-10",
    )
    assert (alpha.performance_class, alpha.org_link) == ("full", "https://example.org")
    assert (alpha.national_origin, alpha.contributor_type) == ("Netherlands", "Academic (University)")
    assert list(alpha.grades) == list(DIMENSIONS)
    assert alpha.grades["datasources_basemodel"] == Grade(
        "open",
        "https://example.org/data/pretrain",
        ("https://example.org/data/pretrain", "https://example.org/data/extra"),
        "Pretraining data released.",
    )
    assert alpha.grades["weights_basemodel"].notes is None
    assert alpha.grades["paper"] == Grade("closed", None, (), "No peer-reviewed paper.")
    assert alpha.grades["datasheet"].grade is None
    grades = [grade.grade for grade in alpha.grades.values()]
    assert (grades.count("open"), grades.count("partial"), grades.count("closed")) == (8, 2, 1)


def test_beta_quirks(systems: list[OsaiSystem]) -> None:
    beta = systems[1]
    assert beta.end_model_license == "Beta Community License"  # spelled 'endmodel license' in the file
    assert beta.release == "2025-03"  # YAML reads 2025-03-15 as a date
    assert (beta.base_model, beta.type, beta.national_origin) == (None, "text,code", None)
    assert beta.grades["licenses"].grade == "closed"


def test_zip_gives_the_same_systems(sources: Path, tmp_path: Path, systems: list[OsaiSystem]) -> None:
    folder = sources / "eu-osai" / "models"
    members = {f"models/{path.name}": path.read_text(encoding="utf-8") for path in folder.iterdir()}
    assert parse_index(zip_of(tmp_path, members)) == systems


@pytest.mark.parametrize("member", ["../evil.yaml", "models/../../evil.yaml", "/etc/evil.yaml", "C:/evil.yaml"])
def test_zip_member_escaping_the_archive(tmp_path: Path, member: str) -> None:
    path = zip_of(tmp_path, {"models/ok.txt": "x", member: "system: {}"})
    with pytest.raises(FormatError, match=r"absolute path or '\.\.'") as err:
        parse_index(path)
    assert err.value.file == str(path) and repr(member) in str(err.value)


def test_a_zip_that_unpacks_too_large_is_refused_as_an_upload_is(tmp_path: Path, monkeypatch) -> None:
    path = zip_of(tmp_path, {"models/big.yaml": "system: {}\n" + "#" * 5_000})
    monkeypatch.setattr(eu_osai, "MAX_UNPACKED_BYTES", 1_000)
    with pytest.raises(FormatError, match="unpacks to more than the size limit"):
        parse_index(path)


def test_unknown_grade(sources: Path, tmp_path: Path) -> None:
    folder = copy_models(
        sources, tmp_path, ("    class: open\n    link: https://example.org/license", "    class: mostly\n    link: x")
    )
    with pytest.raises(FormatError, match="unknown grade 'mostly'") as err:
        parse_index(folder)
    assert (err.value.file, err.value.field) == (str(folder / ALPHA), "licenses.class")


def test_missing_dimension(sources: Path, tmp_path: Path) -> None:
    folder = copy_models(sources, tmp_path, ("trainingcode:", "training_code:"))
    with pytest.raises(FormatError, match="dimension is missing") as err:
        parse_index(folder)
    assert err.value.field == "trainingcode"


def test_bad_release_and_missing_name(sources: Path, tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="expected YYYY-MM, got 'Oct 2024'") as err:
        parse_index(copy_models(sources, tmp_path / "a", ("releasedate: 2024-10", "releasedate: Oct 2024")))
    assert err.value.field == "system.releasedate"
    with pytest.raises(FormatError, match="required") as err:
        parse_index(copy_models(sources, tmp_path / "b", ("    name: Alpha LM", "    name:")))
    assert err.value.field == "system.name"


def test_malformed_yaml_names_the_line(sources: Path, tmp_path: Path) -> None:
    folder = copy_models(sources, tmp_path, ("    notes: Sparse comments.", "    notes: [unclosed"))
    with pytest.raises(FormatError, match="malformed YAML") as err:
        parse_index(folder)
    assert err.value.file == str(folder / ALPHA)
    assert err.value.row is not None
    assert err.value.row > 50


def test_not_utf8_and_not_a_folder(sources: Path, tmp_path: Path) -> None:
    folder = copy_models(sources, tmp_path)
    (folder / ALPHA).write_bytes((folder / ALPHA).read_bytes().replace(b"Alpha LM", b"Alpha \xe9LM"))
    with pytest.raises(FormatError, match="not valid UTF-8"):
        parse_index(folder)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(FormatError, match=r"expected a folder of YAML files or a \.zip"):
        parse_index(text)
