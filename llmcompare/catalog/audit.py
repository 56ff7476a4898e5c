"""Identity conflicts in the store: signs that facts about one model landed on another, or one model on two."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from llmcompare.identity.corrections import Corrections, artefact_reason
from llmcompare.identity.names import (
    family_maker,
    is_plain_family_name,
    maker_from_name,
    name_month,
    name_size_b,
    slug,
)
from llmcompare.store import models as m

PRICE_RATIO = 10.0  # an offering ten times cheaper or dearer than the median of the same model's others
PARAMS_TOLERANCE = 0.20
# A size in a name is rounded (Gemma 7B has 8.5B weights, embeddings included): allow that much on top.
NAME_SIZE_SLACK_B = 1.5
BLEND_INPUT_SHARE = 0.75
# Schemes whose names are the source's own name for the model (not a reseller's packaging of it).
_NAMING_SCHEMES = ("lmarena", "api", "litellm", "eu_osai", "epoch", "hf_v1", "hf_v2", "simple_evals", "ludwig")
_VENDOR_PREFIX = re.compile(r"^(meta|nvidia|google|microsoft|mistralai|amazon|ibm|ai21)-")


@dataclass(frozen=True)
class Conflict:
    """One identity conflict: its class, the models involved and what disagrees."""

    kind: str
    models: tuple[str, ...]
    detail: str


KINDS = {
    "developer": "facts from sources that name different developers",
    "display-name": "one display name for two models",
    "price": "a price far below or above the model's other offerings",
    "parameters": "parameter counts that disagree by more than 20%",
    "date": "a release date before the model or its base existed",
}


def _frames(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with engine.connect() as conn:
        models = pd.DataFrame(
            conn.execute(
                select(m.Model.id, m.Model.name, m.Model.developer_id, m.Model.release_date, m.Model.params_b)
            ).all(),
            columns=["id", "name", "developer_id", "release_date", "params_b"],
        )
        aliases = pd.DataFrame(
            conn.execute(select(m.Alias.scheme, m.Alias.name, m.Alias.model_id)).all(),
            columns=["scheme", "name", "model_id"],
        )
        prices = pd.DataFrame(
            conn.execute(
                select(
                    m.Price.model_id,
                    m.Price.offering,
                    m.Price.input_usd_per_1m,
                    m.Price.output_usd_per_1m,
                    m.Price.as_of,
                    m.Price.source_id,
                )
            ).all(),
            columns=["model_id", "offering", "input", "output", "as_of", "source_id"],
        )
    return models, aliases, prices


def developer_conflicts(models: pd.DataFrame, aliases: pd.DataFrame) -> list[Conflict]:
    """A model whose name, or a source's name for it, belongs to a family another developer makes.

    A fine-tune named after its base (Llama-3.1-Nemotron, gemma-2-9b-it-SimPO) carries words of its own and is
    left alone; a plain family name (Qwen2.5-32B) or a closed API family (Grok, Claude) is not."""
    developer = dict(zip(models["id"], models["developer_id"], strict=True))
    claims: dict[str, set[str]] = defaultdict(set)
    for model_id, name in zip(models["id"], models["name"], strict=True):
        maker = maker_from_name(name) or (family_maker(name) if is_plain_family_name(name) else None)
        if maker:
            claims[model_id].add(maker)
    named = aliases[aliases["scheme"].isin(_NAMING_SCHEMES)]
    for model_id, name in zip(named["model_id"], named["name"], strict=True):
        if maker := maker_from_name(name.rsplit("/", 1)[-1]):
            claims[model_id].add(maker)
    return [
        Conflict("developer", (mid,), f"listed under {developer[mid]!r} but its names belong to {sorted(makers)}")
        for mid, makers in sorted(claims.items())
        if developer.get(mid) and developer[mid] not in makers
    ]


def display_key(name: str) -> str:
    """What two display names must share to read as one: case, punctuation and a vendor prefix ignored."""
    return _VENDOR_PREFIX.sub("", slug(name))


def display_conflicts(models: pd.DataFrame) -> list[Conflict]:
    """Two models that a reader cannot tell apart by name."""
    groups = models.groupby(models["name"].map(display_key))["id"].agg(sorted)
    return [
        Conflict("display-name", tuple(ids), f"{len(ids)} models are shown as {key!r}")
        for key, ids in groups.items()
        if len(ids) > 1
    ]


def price_conflicts(prices: pd.DataFrame, fixes: Corrections | None = None) -> list[Conflict]:
    """An offering far from the median of the same model's other offerings on the same date; flagged ones excepted.

    Siblings are compared within one price snapshot, so an offering a host has since dropped is not held against
    today's prices."""
    fixes = fixes or Corrections((), ())
    flagged = [
        artefact_reason(fixes, o, i, x, sid) is not None
        for o, i, x, sid in zip(prices["offering"], prices["input"], prices["output"], prices["source_id"], strict=True)
    ]
    real = prices[~pd.Series(flagged, index=prices.index, dtype=bool)]
    real = real.assign(blended=BLEND_INPUT_SHARE * real["input"] + (1 - BLEND_INPUT_SHARE) * real["output"])
    found: dict[str, Conflict] = {}
    for (model_id, as_of), group in real.groupby(["model_id", "as_of"]):
        if len(group) < 3:
            continue
        for offering, blended in zip(group["offering"], group["blended"], strict=True):
            others = group.loc[group["offering"] != offering, "blended"].median()
            if others > 0 and not (others / PRICE_RATIO <= blended <= others * PRICE_RATIO):
                detail = (
                    f"{offering} at ${blended:.4g} per 1M blended vs ${others:.4g} for its other offerings ({as_of})"
                )
                found[offering] = Conflict("price", (model_id,), detail)
    return list(found.values())


def parameter_conflicts(models: pd.DataFrame, aliases: pd.DataFrame) -> list[Conflict]:
    """A stored parameter count more than 20% away from the size the model's own names state."""
    sizes: dict[str, set[float]] = defaultdict(set)
    named = [*zip(models["id"], models["name"], strict=True), *zip(aliases["model_id"], aliases["name"], strict=True)]
    for model_id, name in named:
        if (size := name_size_b(name)) is not None:
            sizes[model_id].add(size)
    out = []
    for model_id, params in zip(models["id"], models["params_b"], strict=True):
        stated = sizes.get(model_id)
        if pd.isna(params) or not stated or len(stated) > 1:
            continue
        size = next(iter(stated))
        if abs(params - size) > PARAMS_TOLERANCE * size + NAME_SIZE_SLACK_B:
            out.append(Conflict("parameters", (model_id,), f"{params:g}B stored, its names say {size:g}B"))
    return out


def date_conflicts(models: pd.DataFrame, lineage: dict[str, str]) -> list[Conflict]:
    """A release date before the month the model's own name gives, or before its base model's release."""
    released = {i: d for i, d in zip(models["id"], models["release_date"], strict=True) if d is not None}
    released = {i: d for i, d in released.items() if not pd.isna(d)}
    out = []
    for model_id, name in zip(models["id"], models["name"], strict=True):
        when = released.get(model_id)
        month = name_month(name)
        if when and month and (when.year, when.month) < month:
            out.append(Conflict("date", (model_id,), f"released {when} but its name says {month[0]}-{month[1]:02d}"))
    for derivative, base in sorted(lineage.items()):
        when, base_when = released.get(derivative), released.get(base)
        if when and base_when and _as_date(when) < _as_date(base_when):
            out.append(
                Conflict("date", (derivative, base), f"released {when}, before its base model {base} ({base_when})")
            )
    return out


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def audit(engine: Engine, fixes: Corrections | None = None) -> list[Conflict]:
    """Every identity conflict the store holds, given the reviewed corrections (lineage and price flags)."""
    fixes = fixes or Corrections((), ())
    models, aliases, prices = _frames(engine)
    return [
        *developer_conflicts(models, aliases),
        *display_conflicts(models),
        *price_conflicts(prices, fixes),
        *parameter_conflicts(models, aliases),
        *date_conflicts(models, fixes.bases()),
    ]
