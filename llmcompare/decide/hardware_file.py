"""The declared shape of data/curated/hardware.yaml, checked before the cost calculator reads it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from llmcompare.io.readers import read_yaml
from llmcompare.io.validate import validate

Text = Annotated[str, Field(min_length=1)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class HardwareSource(BaseModel):
    """Where the purchase prices come from; every fact has a source and an as-of date."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: Text
    title: Text
    url: Annotated[str, Field(pattern=r"^https://\S+$")]
    data_license: Text
    attribution: Text
    retrieved: date
    as_of: date

    @model_validator(mode="after")
    def _as_of_not_after_retrieved(self) -> HardwareSource:
        if self.as_of > self.retrieved:
            raise ValueError(f"as_of {self.as_of} is after retrieved {self.retrieved}")
        return self


class HardwareAssumptions(BaseModel):
    """How a purchase price becomes a default hourly rate; both are labelled as assumptions on the page."""

    model_config = ConfigDict(extra="forbid", strict=True)
    service_life_years: Annotated[float, Field(gt=0, le=20)]
    overhead_factor: Annotated[float, Field(ge=1, le=10)]  # below 1 would cost less than the card alone


class HardwareItem(BaseModel):
    """One accelerator or server: a sourced purchase price, or an hourly rate stated as an assumption."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Text
    kind: Literal["GPU", "CPU"]
    memory_gb: Positive | None = None
    release_date: date | None = None
    purchase_usd: Positive | None = None
    hourly_usd: Positive | None = None
    price_note: Text

    @model_validator(mode="after")
    def _one_price(self) -> HardwareItem:
        if (self.purchase_usd is None) == (self.hourly_usd is None):
            raise ValueError(f"{self.id}: give purchase_usd (sourced) or hourly_usd (an assumption), exactly one")
        return self


class HardwareFile(BaseModel):
    """The whole file: its source, the assumptions and at least one row, each id once."""

    model_config = ConfigDict(extra="forbid", strict=True)
    source: HardwareSource
    assumptions: HardwareAssumptions
    hardware: Annotated[list[HardwareItem], Field(min_length=1)]

    @field_validator("hardware")
    @classmethod
    def _ids_once(cls, rows: list[HardwareItem]) -> list[HardwareItem]:
        ids = [row.id for row in rows]
        if repeated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"ids must be unique; repeated: {', '.join(repeated)}")
        return rows


def read_hardware_file(path: Path) -> dict[str, Any]:
    """The file as read, after it passed the declared checks; FormatError names the file and the field."""
    raw = read_yaml(path)
    validate(HardwareFile, raw, str(path))
    return raw
