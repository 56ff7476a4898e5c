"""The declared shape of each hand-curated file in data/curated/: one pydantic model per entry.

The seed build checks every entry against its model before using it, so a typo (an unknown key, a missing source,
a word outside its list, a date that is not a date) stops the build with the file, the entry and the field, instead
of landing in the store. Checks that need more than one file (a source id that must exist) stay in the loaders.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from llmcompare.io.errors import FormatError
from llmcompare.io.validate import validate

Grant = Literal["yes", "conditional", "no"]
Text = Field(min_length=1)


class Entry(BaseModel):
    """An entry of a curated file: unknown keys are refused, so a misspelt key never goes unnoticed."""

    model_config = ConfigDict(extra="forbid")


class SourceEntry(Entry):
    id: str = Text
    title: str = Text
    url: str | None = Field(default=None, pattern=r"^https?://")
    path: str | None = None
    commit: str | None = None
    data_license: str = Text
    attribution: str | None = None
    retrieved: date
    as_of: date | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> SourceEntry:
        if self.url is None and self.path is None:
            raise ValueError("a source needs a url or a path")
        return self


class LicenseEntry(Entry):
    id: str = Text
    name: str = Text
    kind: Literal["permissive", "copyleft", "open-weights-custom", "non-commercial", "proprietary"]
    spdx_id: str | None = None
    osi_approved: bool
    commercial_use: Grant
    user_threshold_mau: int | None = Field(default=None, gt=0)
    use_policy: bool
    modification: Grant
    redistribution: Grant
    attribution: str | None = None
    summary: str = Text
    text_url: str | None = Field(default=None, pattern=r"^https?://")
    source_id: str = Text
    as_of: date | None = None


class DeveloperEntry(Entry):
    id: str = Text
    name: str = Text
    country: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")
    source_id: str = Text
    as_of: date | None = None
    aliases: list[str] = []
    providers: list[str] = []
    fmti_names: list[str] = []


class ArticleLine(Entry):
    article: str = Field(pattern=r"^article-\d{3}$")
    line: int = Field(gt=0)
    quote: str = Text


class DimensionEntry(Entry):
    id: str = Text
    name: str = Text
    group: str = Text
    open_side: str = Text
    closed_side: str = Text
    favours: Literal["open", "closed", "depends"]
    source_id: str = Text
    as_of: date | None = None
    lines: list[ArticleLine] = Field(min_length=1)


class BenchmarkEntry(Entry):
    id: str = Text
    name: str = Text
    unit: Literal["elo", "percent"]
    description: str = Text


class OverrideSet(Entry):
    access: Literal["open_weights", "api_only"] | None = None
    license_id: str | None = None


class OverrideEntry(Entry):
    """A correction to one source row: exclude it, set fields, name the row it is the same model as, or the model
    it grades. Exactly one of the four."""

    scheme: Literal["lmarena", "lmarena_catalog", "eu_osai", "ouc", "api"]
    name: str = Text
    reason: str = Text
    exclude: Literal[True] | None = None
    set: OverrideSet | None = None
    same_as: str | None = None
    setting: str | None = None  # with same_as: the request setting the name stands for (e.g. "reasoning effort high")
    model: str | None = None

    @model_validator(mode="after")
    def _one_action(self) -> OverrideEntry:
        actions = [a for a in ("exclude", "set", "same_as", "model") if getattr(self, a) is not None]
        if len(actions) != 1:
            raise ValueError(f"give exactly one of exclude, set, same_as or model (got {actions or 'none'})")
        if self.setting is not None and self.same_as is None:
            raise ValueError("a setting describes a same_as entry: give same_as too")
        return self


def checked_list(model: type[Entry], doc: Any, file: str) -> list[dict[str, Any]]:
    """The entries of a curated list file, each checked against model; returned as read, so loaders keep working
    on plain mappings. A problem raises FormatError with the file, the entry's number (from 1) and the field."""
    if doc is None:
        return []
    if not isinstance(doc, list):
        raise FormatError(file, f"the file must hold a list of entries, not a {type(doc).__name__}")
    for number, entry in enumerate(doc, start=1):
        validate(model, entry, file, row=number)
    return doc
