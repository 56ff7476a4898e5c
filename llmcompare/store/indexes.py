"""Schema v5: indexes for the pages' queries on a big catalogue (bench/query_plans.py prints their plans).

New databases get the fact-table index from models.py through create_all in v1; this migration adds it to older
ones. The playground's run sides get theirs here for every database. Each step is idempotent.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from llmcompare.store import models as m

# Declared in models.py; created here only where an older database lacks them.
DECLARED = ("ix_openness_current",)
# ix_openness_current starts with the same columns, so it serves every query the old index did.
SUPERSEDED = ("ix_openness_model",)
RUN_SIDE_INDEXES = (
    # vote_frame() joins each vote to both sides of its run; without this SQLite builds a throwaway index per query.
    "CREATE INDEX IF NOT EXISTS ix_run_sides_run_position ON run_sides (run_id, position)",
    # run_models() lists the distinct specs for the History filter, in order, straight from the index.
    "CREATE INDEX IF NOT EXISTS ix_run_sides_provider_spec ON run_sides (provider_spec)",
)


def migrate_v5_indexes(conn: Connection) -> None:
    """Schema v5: the openness index that current_grades() reads in order, and two run-side indexes."""
    declared = {index.name: index for table in m.SEED_TABLES for index in table.__table__.indexes}
    for name in DECLARED:
        declared[name].create(conn, checkfirst=True)
    for name in SUPERSEDED:
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    for statement in RUN_SIDE_INDEXES:
        conn.execute(text(statement))
