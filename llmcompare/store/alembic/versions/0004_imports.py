"""The import audit log and change list, and an import_id link on every table an import writes (schema v4).

Frozen: never follows the ORM models. A database that schema v1 made from later models already has import_id on
some tables, so a column is added only where it is missing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LINKED = ("sources", "models", "aliases", "prices", "benchmarks", "openness", "transparency")


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("facts_as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rolled_back_at", sa.DateTime(timezone=True)),
        sa.Column("rolled_back_by", sa.String(100)),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.CheckConstraint("status IN ('applied', 'rolled_back')", name="ck_imports_status"),
    )
    op.create_index("ix_imports_created_at", "imports", ["created_at"])
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("fact", sa.String(300), nullable=False),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column("table_name", sa.String(32)),
        sa.Column("row_id", sa.String(300)),
        sa.Column("old_row", sa.JSON()),
    )
    op.create_index("ix_import_changes_import_id", "import_changes", ["import_id"])
    inspector = sa.inspect(op.get_bind())
    for table in LINKED:
        if "import_id" not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, sa.Column("import_id", sa.Integer()))


def downgrade() -> None:
    for table in LINKED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("import_id")
    op.drop_table("import_changes")
    op.drop_table("imports")
