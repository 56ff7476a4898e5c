"""Indexes for the pages' queries on a big catalogue (schema v5; bench/query_plans.py prints their plans).

Frozen: never follows the ORM models. A database that schema v1 made from later models may already hold the
openness index, hence the existence checks.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Newest first within each model, index and dimension, so current_grades() reads it in order without a sort;
    # it starts with the old index's columns, so it serves every query that one did.
    op.create_index(
        "ix_openness_current",
        "openness",
        ["model_id", "scheme", "dimension", sa.text("as_of DESC"), sa.text("id DESC")],
        if_not_exists=True,
    )
    op.drop_index("ix_openness_model", table_name="openness", if_exists=True)
    # vote_frame() joins each vote to both sides of its run; without this SQLite builds a throwaway index per query.
    op.create_index("ix_run_sides_run_position", "run_sides", ["run_id", "position"])
    # run_models() lists the distinct specs for the History filter, in order, straight from the index.
    op.create_index("ix_run_sides_provider_spec", "run_sides", ["provider_spec"])


def downgrade() -> None:
    op.drop_index("ix_run_sides_provider_spec", table_name="run_sides")
    op.drop_index("ix_run_sides_run_position", table_name="run_sides")
    op.create_index("ix_openness_model", "openness", ["model_id", "scheme"])
    op.drop_index("ix_openness_current", table_name="openness")
