"""Side-by-side comparison of a few models: key facts as display text, with the best value per row marked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from llmcompare import style
from llmcompare.store.models import API_ONLY, OPEN_WEIGHTS
from llmcompare.store.queries import catalog, dimensions

MIN_MODELS, MAX_MODELS = 2, 5
COMMERCIAL_RANK = {"yes": 2, "conditional": 1, "no": 0}


@dataclass(frozen=True)
class Comparison:
    """Rows are facts and columns are models; best marks the cells that hold each row's best value."""

    table: pd.DataFrame
    best: pd.DataFrame
    models: pd.DataFrame  # model_id, model, access, in the order asked for


@dataclass(frozen=True)
class _Row:
    label: str
    text: Callable[[pd.Series], str]
    value: Callable[[pd.Series], float | None] | None = None
    higher_is_better: bool = True


def _with(text: str, note: object) -> str:
    return text if style.is_missing(note) or text == style.MISSING else f"{text} ({note})"


def _num(column: str) -> Callable[[pd.Series], float | None]:
    return lambda r: None if style.is_missing(r[column]) else float(r[column])


ROWS = (
    _Row("Access", lambda r: style.access_label(r["access"])),
    _Row("Developer", lambda r: r["developer"]),
    _Row("Licence", lambda r: r["license"]),
    _Row(
        "Commercial use",
        lambda r: style.COMMERCIAL_LABELS.get(r["commercial_use"], r["commercial_use"]),
        lambda r: COMMERCIAL_RANK.get(r["commercial_use"]),
    ),
    _Row("User threshold", lambda r: style.format_users(r["user_threshold"])),
    _Row("Input price / 1M tokens", lambda r: style.format_usd(r["input_usd_per_1m"]), _num("input_usd_per_1m"), False),
    _Row(
        "Output price / 1M tokens", lambda r: style.format_usd(r["output_usd_per_1m"]), _num("output_usd_per_1m"), False
    ),
    _Row("Price as of", lambda r: _with(style.format_date(r["price_as_of"]), r["price_provider"])),
    _Row("Context window", lambda r: style.format_tokens(r["context_window"]), _num("context_window")),
    _Row(
        "Arena score",
        lambda r: _with(style.format_number(r["arena_score"]), style.format_date(r["arena_as_of"])),
        _num("arena_score"),
    ),
    _Row(
        "Openness",
        lambda r: _with(style.format_number(r["openness"], suffix="%"), _scheme_label(r["openness_scheme"])),
        _num("openness"),
    ),
    _Row(
        "Developer transparency (FMTI)",
        lambda r: _with(style.format_number(r["fmti_latest"], suffix=" / 100"), r["fmti_edition"]),
        _num("fmti_latest"),
    ),
)


def _scheme_label(scheme: object) -> object:
    return {"eu_osai": "EU OSAI", "ouc": "Opening up ChatGPT"}.get(scheme, scheme)


def _best_cells(values: list[float | None], higher_is_better: bool) -> list[bool]:
    """Mark the best value only when at least two models have one and they differ."""
    known = [v for v in values if v is not None]
    if len(known) < 2 or len(set(known)) == 1:
        return [False] * len(values)
    target = max(known) if higher_is_better else min(known)
    return [v == target for v in values]


def _column_names(facts: pd.DataFrame) -> list[str]:
    """Model names as headers, with the id added where two models share a name."""
    names = facts["model"].tolist()
    return [f"{n} ({i})" if names.count(n) > 1 else n for n, i in zip(names, facts["model_id"], strict=True)]


def compare_table(engine: Engine, model_ids: Sequence[str]) -> Comparison:
    """The key facts of the given models side by side, in the order given; unknown ids are skipped."""
    facts = catalog(engine, model_ids).set_index("model_id")
    facts = facts.reindex([i for i in dict.fromkeys(model_ids) if i in facts.index]).reset_index()
    columns = _column_names(facts)
    records = [r for _, r in facts.iterrows()]
    table = pd.DataFrame([[row.text(r) for r in records] for row in ROWS], index=[row.label for row in ROWS])
    best = pd.DataFrame(
        [
            _best_cells([row.value(r) for r in records], row.higher_is_better) if row.value else [False] * len(records)
            for row in ROWS
        ],
        index=table.index,
    )
    table.columns = best.columns = columns
    return Comparison(table=table, best=best, models=facts[["model_id", "model", "access"]])


def compare_dimensions(engine: Engine, models: pd.DataFrame) -> pd.DataFrame:
    """The open-vs-closed trade-offs, each with the chosen models that sit on the side it favours."""
    dims = dimensions(engine)
    sides = {access: ", ".join(group["model"]) for access, group in models.groupby("access")}
    favoured = {"open": sides.get(OPEN_WEIGHTS, ""), "closed": sides.get(API_ONLY, "")}
    dims["favoured_models"] = dims["favours"].map(lambda f: favoured.get(f, ""))
    return dims
