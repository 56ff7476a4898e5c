"""runs.who: the signed-in user who ran it (empty for the single local user and for runs stored before sign-in).
Frozen: never follows the ORM models.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("who", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("who")
