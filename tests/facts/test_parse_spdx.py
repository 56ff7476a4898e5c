"""SPDX licenses.json importer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmcompare.facts.spdx import SpdxLicense, parse_licenses
from llmcompare.io.errors import FormatError

LICENSES = "spdx/licenses.json"


def test_licenses(sources: Path) -> None:
    licenses = parse_licenses(sources / LICENSES)
    assert list(licenses) == ["Apache-2.0", "CC-BY-NC-4.0", "GPL-3.0"]
    assert licenses["Apache-2.0"] == SpdxLicense(
        id="Apache-2.0",
        name="Apache License 2.0",
        osi_approved=True,
        fsf_libre=True,
        deprecated=False,
        reference_url="https://spdx.org/licenses/Apache-2.0.html",
        see_also=("https://www.apache.org/licenses/LICENSE-2.0",),
    )
    non_commercial = licenses["CC-BY-NC-4.0"]
    assert (non_commercial.osi_approved, non_commercial.fsf_libre, non_commercial.see_also) == (False, False, ())
    assert licenses["GPL-3.0"].deprecated is True


def test_duplicate_id(variant: Callable[..., Path]) -> None:
    path = variant(LICENSES, '"licenseId": "GPL-3.0"', '"licenseId": "Apache-2.0"')
    with pytest.raises(FormatError, match=r"'Apache-2\.0' appears twice") as err:
        parse_licenses(path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 3, "licenseId")


def test_flags_must_be_json_booleans(variant: Callable[..., Path]) -> None:
    path = variant(LICENSES, '"isOsiApproved": false', '"isOsiApproved": "false"')
    with pytest.raises(FormatError, match="expected true or false") as err:
        parse_licenses(path)
    assert (err.value.row, err.value.field) == (2, "isOsiApproved")


def test_missing_id(variant: Callable[..., Path]) -> None:
    path = variant(LICENSES, '"licenseId": "CC-BY-NC-4.0",', "")
    with pytest.raises(FormatError, match="required") as err:
        parse_licenses(path)
    assert (err.value.row, err.value.field) == (2, "licenseId")


def test_wrong_shape_and_malformed(tmp_path: Path, variant: Callable[..., Path]) -> None:
    path = tmp_path / "licenses.json"
    path.write_text('{"licenses": {"MIT": {}}}', encoding="utf-8")
    with pytest.raises(FormatError, match="'licenses' list"):
        parse_licenses(path)
    with pytest.raises(FormatError, match="malformed JSON"):
        parse_licenses(variant(LICENSES, '"releaseDate"', "releaseDate"))
