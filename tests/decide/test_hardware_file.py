"""The curated hardware file is checked against its declared shape; a bad file names the file and the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from llmcompare.decide import tco
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_yaml

SHIPPED = read_yaml(tco.HARDWARE_FILE)


DROP = object()  # remove the key instead of setting it
LAST = len(SHIPPED["hardware"]) - 1  # the CPU server, whose hourly rate is an assumption


def _write(tmp_path: Path, where: tuple[str | int, ...] = (), value: Any = None) -> Path:
    """The shipped file with one value changed (or dropped), written where the test can read it."""
    data: dict[str, Any] = copy.deepcopy(SHIPPED)
    if where:
        *parents, last = where
        parent: Any = data
        for key in parents:
            parent = parent[key]
        if value is DROP:
            del parent[last]
        else:
            parent[last] = value
    path = tmp_path / "hardware.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("where", "value", "field", "reason"),
    [
        (("hardware", 0, "purchase_usd"), -5, "hardware.0.purchase_usd", "greater than 0"),
        (("hardware", 1, "purchase_usd"), "35k", "hardware.1.purchase_usd", "valid number"),
        (("hardware", 0, "kind"), "gpu", "hardware.0.kind", "'GPU' or 'CPU'"),
        (("hardware", 2, "memory"), 80, "hardware.2.memory", "Extra inputs are not permitted"),
        (("hardware", 0, "price_note"), DROP, "hardware.0.price_note", "Field required"),
        (("hardware", 0, "hourly_usd"), 2.0, "hardware.0", "exactly one"),
        (("hardware", LAST, "hourly_usd"), DROP, f"hardware.{LAST}", "exactly one"),
        (("hardware", 1, "id"), SHIPPED["hardware"][0]["id"], "hardware", "repeated: nvidia-h100"),
        (("hardware", 0, "id"), "NVIDIA H100", "hardware.0.id", "should match pattern"),
        (("source", "url"), "http://x.org", "source.url", "should match pattern"),
        (("source", "as_of"), "2025-12-24", "source.as_of", "valid date"),
        (("source", "retrieved"), SHIPPED["source"]["as_of"].replace(year=2020), "source", "after"),
        (("assumptions", "overhead_factor"), 0.5, "assumptions.overhead_factor", "greater than"),
        (("hardware",), [], "hardware", "at least 1 item"),
    ],
)
def test_a_bad_hardware_file_names_the_file_and_field(tmp_path, where, value, field, reason):
    path = _write(tmp_path, where, value)
    with pytest.raises(FormatError) as caught:
        tco.load_hardware(path)
    assert caught.value.file == str(path) and caught.value.field == field
    assert reason in caught.value.reason


def test_the_shipped_hardware_file_round_trips_unchanged(tmp_path):
    path = _write(tmp_path)
    assert tco.load_hardware(path) == tco.load_hardware()
