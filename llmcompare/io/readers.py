"""The strict readers every loader and upload uses: UTF-8 text, JSON, YAML, CSV and zip archives.

Each refuses what a lenient reader would silently accept (UTF-16, a key given twice, NaN, ragged rows, zip
entries that leave their folder or unpack too large) and raises FormatError naming the file and the place.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn

import yaml

from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError

MAX_ZIP_MEMBERS = 5_000


def decode(data: bytes, file: str) -> str:
    """UTF-8 text (a leading BOM is dropped); UTF-16 and bad bytes fail naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(file, "the file is UTF-16; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(file, f"not valid UTF-8 (line {line}, byte {exc.start + 1}); save the file as UTF-8") from exc


def read_text(path: Path) -> str:
    """Read a whole file as UTF-8 text."""
    return decode(path.read_bytes(), str(path))


def _unique_pairs(items: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """A key may repeat only with the very same value (public price maps do that); else one value would be lost."""
    out: dict[Any, Any] = {}
    for key, value in items:
        if key in out and out[key] != value:
            raise ValueError(f"key {str(key)[:80]!r} appears twice with different values")
        out[key] = value
    return out


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(text: str, file: str) -> Any:
    """Parse JSON, refusing NaN/Infinity and a key given twice with different values (json.loads keeps the last)."""
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise FormatError(file, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:
        raise FormatError(file, f"malformed JSON: {exc}") from exc
    except RecursionError as exc:
        raise FormatError(file, "malformed JSON: nested too deeply") from exc


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, refusing a mapping key given twice."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {str(key)[:80]!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_yaml(text: str, file: str) -> Any:
    """Parse one YAML document with the safe loader, refusing a key given twice."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise FormatError(file, f"malformed YAML: {getattr(exc, 'problem', None) or exc}", row=row) from exc
    except RecursionError as exc:
        raise FormatError(file, "malformed YAML: nested too deeply") from exc


def read_yaml(path: Path) -> Any:
    """Read a whole YAML file strictly."""
    return load_yaml(read_text(path), str(path))


def csv_records(text: str, file: str) -> list[list[str]]:
    """Every record of a CSV text, quoting checked strictly; fails naming the record where it broke."""
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise FormatError(file, f"malformed CSV: {exc}", row=len(records) + 1) from exc
    return records


def csv_rows(text: str, file: str, required: Iterable[str] = ()) -> tuple[list[str], list[Cells]]:
    """A CSV's header and one Cells per non-blank data row (the header is row 1)."""
    records = csv_records(text, file)
    if not records or not any(cell.strip() for cell in records[0]):
        raise FormatError(file, "file is empty, expected a header row")
    header = [name.strip() for name in records[0]]
    _check_header(header, required, file)
    rows = []
    for number, raw in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            raise FormatError(file, f"has {len(raw)} fields but the header has {len(header)}", row=number)
        rows.append(Cells(dict(zip(header, raw, strict=True)), file, number))
    return header, rows


def read_csv(path: Path, required: Iterable[str] = ()) -> tuple[list[str], list[Cells]]:
    """Read a CSV file strictly; see csv_rows."""
    return csv_rows(read_text(path), str(path), required)


def _check_header(header: list[str], required: Iterable[str], file: str) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            raise FormatError(file, "column appears twice in the header", row=1, field=name)
        seen.add(name)
    for name in required:
        if name not in seen:
            raise FormatError(file, "required column is missing", row=1, field=name)


def zip_members(data: bytes, file: str, max_bytes: int, wanted: Callable[[str], bool]) -> list[tuple[str, bytes]]:
    """The wanted members of a zip, refusing paths that leave its folder, links and archives that unpack too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise FormatError(file, f"the zip holds {len(infos)} entries; at most {MAX_ZIP_MEMBERS} are read")
        if sum(i.file_size for i in infos) > max_bytes:
            raise FormatError(file, f"the zip unpacks to more than the size limit ({max_bytes:,} bytes)")
        for info in infos:
            _check_member(info, file)
        chosen = [i for i in infos if not i.is_dir() and wanted(PurePosixPath(i.filename).name)]
        return [(i.filename, archive.read(i)) for i in sorted(chosen, key=lambda i: i.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error) as exc:
        raise FormatError(file, f"not a readable zip file: {exc}") from exc


def _check_member(info: zipfile.ZipInfo, file: str) -> None:
    name = info.filename
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or re.match(r"[A-Za-z]:", name):
        raise FormatError(file, f"the zip entry {name[:120]!r} points outside its folder (absolute path or '..')")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise FormatError(file, f"the zip entry {name[:120]!r} is a symbolic link")
