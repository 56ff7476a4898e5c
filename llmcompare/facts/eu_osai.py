"""European Open Source AI Index: one YAML file per system, graded open/partial/closed on 12 dimensions."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import decode, load_yaml, zip_members

DIMENSIONS = (
    "datasources_basemodel",
    "datasources_endmodel",
    "weights_basemodel",
    "weights_endmodel",
    "trainingcode",
    "code",
    "hardware_architecture",
    "preprint",
    "paper",
    "modelcard",
    "datasheet",
    "licenses",
)
GRADE_VALUES = ("open", "partial", "closed")
_YAML_SUFFIXES = (".yaml", ".yml")
_RELEASE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])(-\d{2})?")
_TAG = re.compile(r"^#\s*-\s*(National origin|Contributor type):\s*(.+?)\s*$", re.MULTILINE)

# The most a zip of the index may unpack to; the whole index is about 1 MB.
MAX_UNPACKED_BYTES = 100_000_000


@dataclass(frozen=True)
class Grade:
    """One openness judgement: grade is open, partial, closed or None (not assessed)."""

    grade: str | None
    link: str | None
    links: tuple[str, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class OsaiSystem:
    """One system of the index with its 12 graded dimensions."""

    file: str
    name: str
    org: str
    link: str | None
    type: str | None
    base_model: str | None
    end_model: str | None
    end_model_license: str | None
    release: str | None
    grades: dict[str, Grade]
    performance_class: str | None = None
    org_link: str | None = None
    national_origin: str | None = None
    contributor_type: str | None = None


def read_grade(cells: Cells, class_field: str, link_field: str, notes_field: str) -> Grade:
    """Read one dimension's class/link/notes; a blank class means not assessed."""
    value = cells.text(class_field)
    grade = value.lower() if value is not None else None
    if grade is not None and grade not in GRADE_VALUES:
        cells.fail(class_field, f"unknown grade {value!r}, expected open, partial, closed or blank")
    links = read_links(cells, link_field)
    return Grade(grade, links[0] if links else None, links, cells.text(notes_field))


def read_links(cells: Cells, field: str) -> tuple[str, ...]:
    """A link field may hold one URL or a list of URLs."""
    value = cells.raw(field)
    items = value if isinstance(value, list) else [value]
    links = []
    for item in items:
        if isinstance(item, str) and item.strip():
            links.append(item.strip())
        elif item is not None and not isinstance(item, str):
            cells.fail(field, f"expected a URL or a list of URLs, got {item!r}")
    return tuple(links)


def parse_index(path: Path) -> list[OsaiSystem]:
    """Parse every system YAML in a models/ folder or a .zip of it."""
    return [parse_system(text, name) for name, text in _yaml_files(path)]


def parse_system(text: str, file: str) -> OsaiSystem:
    """Parse one system YAML document."""
    doc = load_yaml(text, file)
    if not isinstance(doc, dict):
        raise FormatError(file, "expected a YAML mapping with system, org and the 12 dimensions")
    top = Cells(doc, file)
    system, org = top.section("system"), top.section("org")
    tags = dict(_TAG.findall(text))
    org_links = read_links(org, "link")
    return OsaiSystem(
        file=PurePosixPath(file.replace("\\", "/")).name,
        name=system.need_text("name"),
        org=org.need_text("name"),
        link=system.text("link"),
        type=system.text("type"),
        base_model=system.text("basemodelname"),
        end_model=system.text("endmodelname"),
        # a few files spell the key with a space
        end_model_license=system.text("endmodellicense") or system.text("endmodel license"),
        release=_release(system),
        grades={dim: _dimension(top, dim) for dim in DIMENSIONS},
        performance_class=system.text("performanceclass"),
        org_link=org_links[0] if org_links else None,
        national_origin=tags.get("National origin"),
        contributor_type=tags.get("Contributor type"),
    )


def _dimension(top: Cells, dimension: str) -> Grade:
    if top.raw(dimension) is None:
        top.fail(dimension, "dimension is missing")
    return read_grade(top.section(dimension), "class", "link", "notes")


def _release(system: Cells) -> str | None:
    """Release month as YYYY-MM; YAML turns full dates into date objects, so accept those too."""
    value = system.raw("releasedate")
    if value is None:
        return None
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    match = _RELEASE.fullmatch(str(value))
    if match is None:
        system.fail("releasedate", f"expected YYYY-MM, got {value!r}")
    return f"{match.group(1)}-{match.group(2)}"


def _yaml_files(path: Path) -> Iterator[tuple[str, str]]:
    if path.is_dir():
        for member in sorted(path.iterdir()):
            if member.is_file() and is_system_file(member.name):
                yield str(member), decode(member.read_bytes(), str(member))
    elif path.is_file() and zipfile.is_zipfile(path):
        yield from _zip_files(path)
    else:
        raise FormatError(str(path), "expected a folder of YAML files or a .zip of them")


def _zip_files(path: Path) -> Iterator[tuple[str, str]]:
    """The system files of a zip, through the same checks an uploaded zip gets (paths, links, unpacked size)."""
    for member, data in zip_members(path.read_bytes(), str(path), MAX_UNPACKED_BYTES, is_system_file):
        file = f"{path}:{member}"
        yield file, decode(data, file)


def is_system_file(name: str) -> bool:
    """A system YAML, not a template, sample or _parameters file."""
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    is_template = "template" in stem.lower() or stem.lower() in {"sample", "a_sample"}
    return suffix.lower() in _YAML_SUFFIXES and not stem.startswith("_") and not is_template
