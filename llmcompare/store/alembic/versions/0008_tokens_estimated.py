"""run_sides.tokens_estimated: true when the server sent no usage and the app counted the output tokens itself.
Every run stored before has server counts, so the column defaults to false. Frozen: never follows the ORM models.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite accepts NOT NULL with a default, and no table is rebuilt under the votes' keys.
    op.add_column("run_sides", sa.Column("tokens_estimated", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("run_sides") as batch:
        batch.drop_column("tokens_estimated")
