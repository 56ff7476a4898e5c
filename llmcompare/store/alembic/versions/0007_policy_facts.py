"""The provider-policy and model-fact tables: data-handling and service terms per API provider, and dated facts
about a model that have no column of their own (hosts, deprecation, training compute). Both are seed tables that
build-db refills. Frozen: never follows the ORM models.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_policies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("provider_name", sa.String(120), nullable=False),
        sa.Column("attribute", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("answer", sa.String(12), nullable=True),
        sa.Column("basis", sa.String(8), nullable=False),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.UniqueConstraint("provider", "attribute"),
    )
    op.create_index("ix_provider_policies_provider", "provider_policies", ["provider"])
    op.create_table(
        "model_facts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_id", sa.String(120), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("attribute", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("number", sa.Float(), nullable=True),
        sa.Column("detail", sa.String(300), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=False),
        sa.UniqueConstraint("model_id", "attribute", "detail", "source_id"),
    )
    op.create_index("ix_model_facts_model_id", "model_facts", ["model_id"])


def downgrade() -> None:
    op.drop_table("model_facts")
    op.drop_table("provider_policies")
