"""SPDX License List (licenses.json): identifiers, names and OSI / FSF status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import load_json, read_text


@dataclass(frozen=True)
class SpdxLicense:
    """One SPDX licence; fsf_libre is False where the list says nothing."""

    id: str
    name: str
    osi_approved: bool
    fsf_libre: bool
    deprecated: bool
    reference_url: str | None
    see_also: tuple[str, ...] = ()


def parse_licenses(path: Path) -> dict[str, SpdxLicense]:
    """Parse licenses.json into a mapping from licence id to licence; row is the 1-based list position."""
    file = str(path)
    doc = load_json(read_text(path), file)
    if not isinstance(doc, dict) or not isinstance(doc.get("licenses"), list):
        raise FormatError(file, "expected an object with a 'licenses' list", field="licenses")
    licenses: dict[str, SpdxLicense] = {}
    for position, entry in enumerate(doc["licenses"], start=1):
        if not isinstance(entry, dict):
            raise FormatError(file, "licence entry must be an object", row=position, field="licenses")
        license_ = _license(Cells(entry, file, position))
        if license_.id in licenses:
            raise FormatError(file, f"licence id {license_.id!r} appears twice", row=position, field="licenseId")
        licenses[license_.id] = license_
    return licenses


def _license(cells: Cells) -> SpdxLicense:
    see_also = cells.raw("seeAlso") or []
    if not isinstance(see_also, list) or not all(isinstance(url, str) for url in see_also):
        cells.fail("seeAlso", "expected a list of URLs")
    return SpdxLicense(
        id=cells.need_text("licenseId"),
        name=cells.need_text("name"),
        osi_approved=_strict_flag(cells, "isOsiApproved", required=True),
        fsf_libre=_strict_flag(cells, "isFsfLibre", required=False),
        deprecated=_strict_flag(cells, "isDeprecatedLicenseId", required=True),
        reference_url=cells.text("reference"),
        see_also=tuple(see_also),
    )


def _strict_flag(cells: Cells, field: str, *, required: bool) -> bool:
    """JSON booleans only: a string 'false' here would mean the file was hand-edited wrongly."""
    value = cells.raw(field)
    if value is None and not required:
        return False
    if not isinstance(value, bool):
        cells.fail(field, f"expected true or false, got {value!r}")
    return value
