"""Data exports: every fact in long form, and tables written as CSV, XLSX or JSON safely."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from llmcompare.store import models as m

FACT_COLUMNS = ["subject", "attribute", "value", "unit", "source", "as_of"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx", "json")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def source_citation(url: str | None, path: str | None = None, commit: str | None = None) -> str:
    """One readable citation string: URL, then the file and commit inside it where known."""
    text = url or ""
    if path:
        text += f" : {path}"
    if commit:
        text += f" @ {commit}"
    return text


def _sources(conn) -> dict[str, str]:
    return {s.id: source_citation(s.url or s.title, s.path, s.commit) for s in conn.execute(select(m.Source)).scalars()}


def _source_dates(conn) -> dict[str, object]:
    return dict(conn.execute(select(m.Source.id, m.Source.as_of)).all())


def facts_long(engine: Engine) -> pd.DataFrame:
    """Every fact in the store as (subject, attribute, value, unit, source, as_of)."""
    rows: list[tuple] = []
    with Session(engine) as conn:
        src, dated = _sources(conn), _source_dates(conn)
        for mdl, dev_name in conn.execute(select(m.Model, m.Developer.name).join(m.Model.developer)).all():
            rows += [
                (mdl.name, "developer", dev_name, None, src[mdl.source_id], mdl.as_of),
                (mdl.name, "access", mdl.access, None, src[mdl.source_id], mdl.as_of),
                (mdl.name, "license", mdl.license_id, None, src[mdl.source_id], mdl.as_of),
            ]
            for attr, unit, sid in (
                ("release_date", None, mdl.release_source_id),
                ("params_b", "billion parameters", mdl.params_source_id),
                ("context_window", "tokens", mdl.context_source_id),
            ):
                if getattr(mdl, attr) is not None:
                    rows.append((mdl.name, attr, getattr(mdl, attr), unit, src[sid], dated[sid]))
        names = dict(conn.execute(select(m.Model.id, m.Model.name)).all())
        for p in conn.execute(select(m.Price)).scalars():
            subject = f"{names[p.model_id]} via {p.offering}"
            rows.append((subject, "input_price", p.input_usd_per_1m, "USD per 1M tokens", src[p.source_id], p.as_of))
            rows.append((subject, "output_price", p.output_usd_per_1m, "USD per 1M tokens", src[p.source_id], p.as_of))
        units = dict(conn.execute(select(m.BenchmarkDef.id, m.BenchmarkDef.unit)).all())
        for b in conn.execute(select(m.BenchmarkResult)).scalars():
            rows.append((names[b.model_id], b.benchmark_id, b.score, units[b.benchmark_id], src[b.source_id], b.as_of))
        for o in conn.execute(select(m.OpennessGrade)).scalars():
            attr = f"openness:{o.scheme}:{o.dimension}"
            rows.append((names[o.model_id], attr, o.grade, "open/partial/closed", src[o.source_id], o.as_of))
        devs = dict(conn.execute(select(m.Developer.id, m.Developer.name)).all())
        for t in conn.execute(select(m.TransparencyScore)).scalars():
            attr = f"fmti_{t.edition}:{t.domain}"
            rows.append((devs[t.developer_id], attr, t.score, f"points of {t.max_score}", src[t.source_id], t.as_of))
        rows += _license_facts(conn, src)
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def _license_facts(conn, src: dict[str, str]) -> list[tuple]:
    rows = []
    terms = ("spdx_id", "osi_approved", "commercial_use", "user_threshold_mau", "use_policy", "modification")
    for lic in conn.execute(select(m.License)).scalars():
        for term in (*terms, "redistribution", "attribution"):
            value = getattr(lic, term)
            if value is not None:
                unit = "monthly active users" if term == "user_threshold_mau" else None
                rows.append((lic.name, term, value, unit, src[lic.source_id], lic.as_of))
    return rows


def neutralise(value):
    """Spreadsheet safety: a cell that would start a formula is prefixed with a quote so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _spreadsheet_cell(value):
    """Excel takes neither lists nor time zones: lists become text, aware datetimes become naive UTC."""
    if isinstance(value, list | tuple | set):
        value = ", ".join(map(str, value))
    if isinstance(value, pd.Timestamp) and value.tzinfo is not None:
        value = value.tz_convert("UTC").tz_localize(None)
    return neutralise(value)


def frame_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """A table as csv, xlsx or json bytes; CSV and XLSX cells that look like formulas are neutralised."""
    if fmt == "csv":
        # CRLF rows (RFC 4180) make the writer quote a bare CR inside a cell, so no reader splits the row there.
        return df.map(neutralise).to_csv(index=False, lineterminator="\r\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        df.map(_spreadsheet_cell).to_excel(buffer, index=False, engine="openpyxl")
        return buffer.getvalue()
    if fmt == "json":
        return df.to_json(orient="records", date_format="iso", indent=1).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")


def write_frame(df: pd.DataFrame, fmt: str, out: Path) -> None:
    """Write a table as csv, xlsx or json; CSV and XLSX cells that look like formulas are neutralised."""
    data = frame_bytes(df, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
