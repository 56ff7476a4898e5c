"""build-db: load the committed seed into the database, idempotently and in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select

from llmcompare.store import models as m
from llmcompare.store.migrations import migrate
from llmcompare.store.seed_io import read_table, seed_digest

SEED_DIGEST_KEY = "seed_digest"


@dataclass(frozen=True)
class BuildResult:
    """What build-db did: whether it loaded anything, and row counts per table."""

    loaded: bool
    counts: dict[str, int]


def build_db(engine: Engine, seed_dir: Path, force: bool = False) -> BuildResult:
    """Bring the database up to the seed. Unchanged seed: nothing to do. Otherwise replace the seed facts at once."""
    migrate(engine)
    digest = seed_digest(seed_dir)
    with engine.connect() as conn:
        current = conn.execute(select(m.Meta.value).where(m.Meta.key == SEED_DIGEST_KEY)).scalar()
    if current == digest and not force:
        return BuildResult(loaded=False, counts=_counts(engine))
    # Read and type-check every file before touching the database, so a bad seed writes nothing.
    tables = [(t.__table__, read_table(seed_dir, t.__table__)) for t in m.SEED_TABLES]
    with engine.begin() as conn:
        for table, _ in reversed(tables):
            conn.execute(delete(table))
        for table, rows in tables:
            if rows:
                conn.execute(insert(table), rows)
        conn.execute(delete(m.Meta).where(m.Meta.key == SEED_DIGEST_KEY))
        conn.execute(insert(m.Meta).values(key=SEED_DIGEST_KEY, value=digest))
    return BuildResult(loaded=True, counts=_counts(engine))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in m.SEED_TABLES}
