"""Schema migrations with Alembic. User data must survive upgrades, so the schema is versioned, never recreated.

Each revision under store/alembic/versions holds its own frozen DDL, so an old database is upgraded step by step
to what each step made at the time, never to whatever the ORM models are today. Alembic runs from code here: no
alembic.ini and no env.py. Databases from before Alembic carry a schema_version table (versions 1 to 5); they are
stamped with the matching revision once and upgraded from there.
"""

from __future__ import annotations

from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from llmcompare.store.engine import begin_write

SCRIPTS = Path(__file__).with_name("alembic")
LEGACY_TABLE = "schema_version"
# The old ordered steps and the revision each one became.
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003", 4: "0004", 5: "0005"}


def scripts() -> ScriptDirectory:
    """The revision scripts, found without a config file."""
    return ScriptDirectory(str(SCRIPTS))


def head() -> str:
    """The newest revision: what `migrate` brings every database to."""
    return scripts().get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at, None for an empty one."""
    return MigrationContext.configure(conn).get_current_revision()


def _adopt_legacy(conn: Connection, context: MigrationContext) -> None:
    """Stamp a database versioned by the old schema_version table with the revision of its highest version."""
    if not inspect(conn).has_table(LEGACY_TABLE):
        return
    version = conn.execute(text(f"SELECT MAX(version) FROM {LEGACY_TABLE}")).scalar()
    if version:
        context.stamp(scripts(), LEGACY_REVISIONS[version])
    conn.execute(text(f"DROP TABLE {LEGACY_TABLE}"))


def upgrade(conn: Connection, target: str = "head") -> None:
    """Apply the revisions up to target on an open transaction, after adopting a pre-Alembic database."""
    script = scripts()
    context = MigrationContext.configure(
        conn, opts={"fn": lambda rev, _ctx: script._upgrade_revs(target, rev), "script": script}
    )
    if context.get_current_revision() is None:
        _adopt_legacy(conn, context)
    with Operations.context(context):
        context.run_migrations()


def migrate(engine: Engine, target: str = "head") -> str:
    """Bring the database to target (default: head) in one transaction; return the revision it is at.

    The write lock comes first, so processes starting at once on a new database migrate it once: the others wait,
    then find nothing left to do.
    """
    with engine.begin() as conn:
        begin_write(conn)
        upgrade(conn, target)
        return current_revision(conn)
