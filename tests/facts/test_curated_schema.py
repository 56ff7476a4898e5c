"""Declared validation of the hand-curated files: the committed files pass, and each kind of mistake stops the
load with the file, the entry and the field, before anything reaches the seed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from llmcompare.decide.presets import PresetError, load_presets
from llmcompare.facts.curated import load_curated
from llmcompare.facts.curated_schema import OverrideEntry, checked_list
from llmcompare.identity.corrections import CorrectionError, load_corrections
from llmcompare.io.errors import FormatError

CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """A copy of the committed curated folder, to break one file at a time."""
    return Path(shutil.copytree(CURATED, tmp_path / "curated"))


def edit(folder: Path, name: str, change) -> None:
    """Apply change to the first entry of a list file (or the mapping itself) and write the file back."""
    path = folder / name
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc[0] if isinstance(doc, list) else doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_the_committed_files_pass():
    cur = load_curated(CURATED)
    assert len(cur.sources) > 100 and len(cur.licenses) > 40 and len(cur.dimensions) == 30
    assert load_corrections(CURATED).lineage
    assert len(load_presets(CURATED / "presets.yaml")) >= 5


@pytest.mark.parametrize(
    ("file", "change", "field", "reason"),
    [
        ("sources.yaml", lambda e: e.update(url="ftp://example.org/x"), "url", "pattern"),
        ("sources.yaml", lambda e: e.pop("retrieved"), "retrieved", "required"),
        ("sources.yaml", lambda e: e.update(retrieved="last spring"), "retrieved", "date"),
        ("licenses.yaml", lambda e: e.update(commercial_use="maybe"), "commercial_use", "'yes', 'conditional' or 'no'"),
        ("licenses.yaml", lambda e: e.update(user_threshold_mau=-5), "user_threshold_mau", "greater than 0"),
        ("developers.yaml", lambda e: e.update(contry="FR"), "contry", "Extra inputs"),
        ("dimensions.yaml", lambda e: e.update(favours="both"), "favours", "'open', 'closed' or 'depends'"),
        ("dimensions.yaml", lambda e: e.update(lines=[]), "lines", "at least 1 item"),
        ("dimensions.yaml", lambda e: e["lines"][0].update(line=0), "lines.0.line", "greater than 0"),
    ],
)
def test_a_bad_entry_names_file_entry_and_field(curated, file, change, field, reason):
    edit(curated, file, change)
    with pytest.raises(FormatError) as caught:
        load_curated(curated)
    assert (caught.value.file, caught.value.row, caught.value.field) == (file, 1, field)
    assert reason in caught.value.reason


def test_an_override_does_exactly_one_thing():
    entry = {"scheme": "lmarena", "name": "X", "reason": "r", "exclude": True, "same_as": "Y"}
    with pytest.raises(FormatError, match="exactly one of exclude, set, same_as or model"):
        checked_list(OverrideEntry, [entry], "model_overrides.yaml")
    with pytest.raises(FormatError, match="row 1, field 'scheme'"):
        checked_list(OverrideEntry, [{**entry, "scheme": "arena", "same_as": None}], "model_overrides.yaml")
    assert checked_list(OverrideEntry, [{**entry, "same_as": None}], "model_overrides.yaml")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (lambda d: d["facts"][0]["evidence"].update(url="huggingface.co/x"), "facts.0.evidence.url", "pattern"),
        (lambda d: d["facts"][0].update(field="params"), "facts.0.field", "field must be one of"),
        (lambda d: d["lineage"][0].pop("base"), "lineage.0.base", "required"),
        (lambda d: d["prices"][0].update(offering="gpt-(4"), "prices.0.offering", "missing )"),
        (lambda d: d.update(notes="x"), "notes", "Extra inputs"),
    ],
)
def test_a_bad_correction_names_its_field(curated, change, field, reason):
    edit(curated, "corrections.yaml", change)
    with pytest.raises(CorrectionError) as caught:
        load_corrections(curated)
    assert (caught.value.file, caught.value.field) == ("corrections.yaml", field)
    assert reason in caught.value.reason


def test_a_bad_preset_names_its_entry_and_field(curated):
    edit(curated, "presets.yaml", lambda e: e.update(weigths={"cost": 3}))
    with pytest.raises(PresetError, match="presets.yaml, row 1, field 'weigths'"):
        load_presets(curated / "presets.yaml")


def test_a_key_given_twice_is_refused_in_every_curated_reader(curated):
    path = curated / "presets.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: Researcher\n", "  name: Researcher\n  name: Scientist\n", 1), "utf-8")
    with pytest.raises((PresetError, FormatError), match="name"):
        load_presets(path)
    corrections = curated / "corrections.yaml"
    corrections.write_text(corrections.read_text(encoding="utf-8") + "lineage: []\n", encoding="utf-8")
    with pytest.raises(FormatError, match="lineage"):
        load_corrections(curated)
