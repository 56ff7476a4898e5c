"""Room for the committed seed's longest values: source commits such as "litellm==1.109.1 sha256:<64 hex>" (96
characters) and developer ids such as "amd-silo-ai-and-turkunlp-and-...-hplt" (72). PostgreSQL refused the seed.

SQLite never enforces a VARCHAR length (https://sqlite.org/faq.html#q9), and changing a declared one means
rebuilding tables that others point at, which its deferred foreign-key count cannot follow inside one transaction.
So this revision changes nothing on SQLite. Frozen: never follows the ORM models.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WIDER = [
    ("sources", "commit", 64, 200, True),
    ("developers", "id", 64, 120, False),
    ("models", "developer_id", 64, 120, False),
    ("transparency", "developer_id", 64, 120, False),
]


def _resize(narrow_to_wide: bool) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column, old, new, nullable in WIDER:
        before, after = (old, new) if narrow_to_wide else (new, old)
        op.alter_column(
            table, column, type_=sa.String(after), existing_type=sa.String(before), existing_nullable=nullable
        )


def upgrade() -> None:
    _resize(narrow_to_wide=True)


def downgrade() -> None:
    _resize(narrow_to_wide=False)
