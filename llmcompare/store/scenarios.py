"""Saved advisor scenarios: named weights, constraints, shortlist and missing-data policy, kept across upgrades."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, DateTime, Engine, String, Text, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from llmcompare.io.errors import FormatError
from llmcompare.io.readers import read_yaml
from llmcompare.io.validate import problems, validate
from llmcompare.store.engine import begin_write
from llmcompare.store.models import Base, Meta

NAME_MAX = 80
EXAMPLES_KEY = "scenario_examples_added"  # set once, so a deleted example does not come back on restart


class ScenarioRow(Base):
    """One saved scenario; the JSON columns hold exactly what the advisor page shows."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    weights: Mapped[dict[str, float]] = mapped_column(JSON)
    constraints: Mapped[dict[str, Any]] = mapped_column(JSON)
    shortlist: Mapped[list[str]] = mapped_column(JSON)
    missing_policy: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScenarioError(ValueError):
    """A scenario that cannot be saved, worded for the user."""


@dataclass(frozen=True)
class Scenario:
    """A named set of advisor settings."""

    name: str
    weights: dict[str, float]
    constraints: dict[str, Any] = field(default_factory=dict)
    shortlist: list[str] = field(default_factory=list)
    missing_policy: str = "average"
    description: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


def clean_name(name: str | None) -> str:
    """The name without surrounding spaces; raises ScenarioError when it is empty or too long."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise ScenarioError("Give the scenario a name.")
    if len(cleaned) > NAME_MAX:
        raise ScenarioError(f"Keep the name to {NAME_MAX} characters or fewer.")
    return cleaned


class ConstraintFields(BaseModel):
    """The hard limits a scenario may set; an unknown key is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", strict=True)
    commercial_use: bool = False
    self_hostable: bool = False
    max_price: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    min_context: Annotated[int, Field(gt=0)] | None = None
    min_user_cap: Annotated[int, Field(ge=0)] | None = None
    exclude_developers: list[str] = []
    min_coverage: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0


class ScenarioFields(BaseModel):
    """What a scenario holds, declared once for saves from the page and for the shipped examples."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
    description: str = ""
    weights: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]]
    constraints: ConstraintFields = ConstraintFields()
    shortlist: list[str] = []
    missing_policy: Literal["average", "worst", "exclude"] = "average"


def _check_shape(scenario: Scenario) -> None:
    """The JSON columns must hold plain JSON of the expected kind, so a reload never meets a surprise."""
    fields = {
        "name": scenario.name,
        "description": scenario.description,
        "weights": scenario.weights,
        "constraints": scenario.constraints,
        "shortlist": scenario.shortlist,
        "missing_policy": scenario.missing_policy,
    }
    found = problems(ScenarioFields, fields)
    if found:
        where, reason = found[0]
        raise ScenarioError(f"The scenario's {where or 'settings'} cannot be saved: {reason}.")


def _find(session: Session, name: str) -> ScenarioRow | None:
    """Names are unique regardless of case in any script, so 'Bank' and 'BANK', or 'Straße' and 'STRASSE', cannot
    both exist. Compared with Python's str.casefold, as no database's lower() maps ß to ss; a team keeps few."""
    wanted = name.casefold()
    return next((row for row in session.scalars(select(ScenarioRow)) if row.name.casefold() == wanted), None)


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _to_scenario(row: ScenarioRow) -> Scenario:
    return Scenario(
        name=row.name,
        description=row.description,
        weights=dict(row.weights),
        constraints=dict(row.constraints),
        shortlist=list(row.shortlist),
        missing_policy=row.missing_policy,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


def save_scenario(engine: Engine, scenario: Scenario, overwrite: bool = False) -> Scenario:
    """Store a scenario under its name; an existing name is replaced only when overwrite is set."""
    name = clean_name(scenario.name)
    _check_shape(scenario)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        begin_write(session)  # the name check and the write must see the same state
        row = _find(session, name)
        if row is not None and not overwrite:
            raise ScenarioError(f"A scenario called “{row.name}” already exists. Pick another name or replace it.")
        if row is None:
            row = ScenarioRow(name=name, created_at=now)
            session.add(row)
        row.name = name
        row.description = scenario.description.strip()
        row.weights = dict(scenario.weights)
        row.constraints = dict(scenario.constraints)
        row.shortlist = list(scenario.shortlist)
        row.missing_policy = scenario.missing_policy
        row.updated_at = now
        session.flush()
        return _to_scenario(row)


def load_scenario(engine: Engine, name: str) -> Scenario | None:
    """The scenario with this name (any case), or None."""
    with Session(engine) as session:
        row = _find(session, name.strip())
        return None if row is None else _to_scenario(row)


def list_scenarios(engine: Engine) -> list[Scenario]:
    """Every saved scenario, by name."""
    with Session(engine) as session:
        rows = sorted(session.scalars(select(ScenarioRow)), key=lambda row: row.name.casefold())
        return [_to_scenario(r) for r in rows]


def delete_scenario(engine: Engine, name: str) -> bool:
    """Delete the scenario with this name; False when there was none."""
    with Session(engine) as session, session.begin():
        begin_write(session)
        row = _find(session, name.strip())
        if row is None:
            return False
        session.delete(row)
        return True


def read_examples(path: Path) -> list[Scenario]:
    """The worked example scenarios shipped in a YAML file; a bad entry names the file, entry and field."""
    raw = read_yaml(path) or []
    if not isinstance(raw, list):
        raise FormatError(str(path), "expected a list of scenarios")
    examples = []
    for number, item in enumerate(raw, start=1):
        spec = validate(ScenarioFields, item, str(path), row=number)
        examples.append(
            Scenario(
                name=spec.name,
                description=" ".join(spec.description.split()),
                weights=spec.weights,
                constraints=spec.constraints.model_dump(exclude_defaults=True),
                shortlist=spec.shortlist,
                missing_policy=spec.missing_policy,
            )
        )
    return examples


def ensure_examples(engine: Engine, path: Path) -> list[str]:
    """Add the shipped examples once per database; a name already taken, or an example deleted later, stays so."""
    with engine.connect() as conn:
        if conn.execute(select(Meta.value).where(Meta.key == EXAMPLES_KEY)).scalar() is not None:
            return []
    taken = {s.name.lower() for s in list_scenarios(engine)}
    added = []
    for example in read_examples(path):
        if example.name.lower() not in taken:
            save_scenario(engine, example)
            added.append(example.name)
    with engine.begin() as conn:
        conn.execute(insert(Meta).values(key=EXAMPLES_KEY, value=", ".join(added) or "-"))
    return added
