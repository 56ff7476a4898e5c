"""Opening up ChatGPT (df.csv): openness judgements of instruction-tuned models on 14 dimensions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from llmcompare.facts.eu_osai import Grade, read_grade
from llmcompare.io.cells import Cells
from llmcompare.io.errors import FormatError
from llmcompare.io.readers import load_yaml, read_csv, read_text

DIMENSIONS = (
    "opencode",
    "llmdata",
    "llmweights",
    "rldata",
    "rlweights",
    "license",
    "code",
    "architecture",
    "preprint",
    "paper",
    "modelcard",
    "datasheet",
    "package",
    "api",
)
_POINTS = {"open": 1.0, "partial": 0.5}


@dataclass(frozen=True)
class OucProject:
    """One model project with its 14 graded dimensions; openness = open 1 + partial 0.5, out of 14."""

    name: str
    org: str
    link: str | None
    llm_base: str | None
    license: str | None
    grades: dict[str, Grade]
    rl_base: str | None = None
    openness: float | None = None
    source_file: str | None = None


def parse_projects_csv(path: Path) -> list[OucProject]:
    """Parse df.csv; the name comes from a project.name column or from the project YAML it points to."""
    required = ["org.name", "source.file", *(f"{dim}.class" for dim in DIMENSIONS)]
    _, rows = read_csv(path, required)
    return [_project(cells, path.parent) for cells in rows]


def _project(cells: Cells, folder: Path) -> OucProject:
    grades = {dim: read_grade(cells, f"{dim}.class", f"{dim}.link", f"{dim}.notes") for dim in DIMENSIONS}
    source_file = cells.need_text("source.file")
    return OucProject(
        name=cells.text("project.name") or _name_from_yaml(cells, folder, source_file),
        org=cells.need_text("org.name"),
        link=cells.text("project.link"),
        llm_base=cells.text("project.llmbase"),
        license=cells.text("project.license"),
        grades=grades,
        rl_base=cells.text("project.rlbase"),
        openness=_checked_openness(cells, grades),
        source_file=source_file,
    )


def _checked_openness(cells: Cells, grades: dict[str, Grade]) -> float:
    """The file's own openness total must agree with its grades, else a column was shifted or edited."""
    computed = sum(_POINTS.get(grade.grade or "", 0.0) for grade in grades.values())
    stated = cells.number("openness")
    if stated is not None and abs(stated - computed) > 1e-9:
        cells.fail("openness", f"is {stated:g} but the grades add up to {computed:g}")
    return computed


def _name_from_yaml(cells: Cells, folder: Path, source_file: str) -> str:
    """df.csv has no name column; the project YAML next to it has the display name, else use the file stem."""
    relative = PurePosixPath(source_file.lstrip("/"))
    if ".." in relative.parts:
        cells.fail("source.file", f"must stay inside the data folder, got {source_file!r}")
    candidate = folder / relative
    if not candidate.is_file():
        return relative.stem
    doc = load_yaml(read_text(candidate), str(candidate))
    project = doc.get("project") if isinstance(doc, dict) else None
    name = project.get("name") if isinstance(project, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise FormatError(str(candidate), "project.name is missing", field="project.name")
    return name.strip()
