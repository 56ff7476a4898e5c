"""The playground's runs, their sides and blind votes (schema v2). Frozen: never follows the ORM models."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wall_s", sa.Float(), nullable=False),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
    )
    op.create_index("ix_runs_created_at", "runs", ["created_at"])
    op.create_table(
        "run_sides",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("provider_spec", sa.String(500), nullable=False),
        sa.Column("model_name", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ttft_s", sa.Float()),
        sa.Column("total_s", sa.Float(), nullable=False),
        sa.Column("input_tokens", sa.Integer()),
        sa.Column("output_tokens", sa.Integer()),
        sa.Column("tokens_per_s", sa.Float()),
        sa.Column("cost_usd", sa.Float()),
        sa.Column("cost_basis", sa.Text(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("stopped", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_run_sides_run_id", "run_sides", ["run_id"])
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("winner", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("winner IN ('a', 'b', 'tie', 'both_bad')", name="ck_votes_winner"),
    )
    op.create_index("ix_votes_run_id", "votes", ["run_id"])


def downgrade() -> None:
    for table in ("votes", "run_sides", "runs"):
        op.drop_table(table)
