"""Engine factory: SQLite with WAL, foreign keys and a busy timeout; any other DATABASE_URL as given."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

BUSY_TIMEOUT_MS = 15000  # a writer waits this long for another's commit before SQLite gives up


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """Set per-connection pragmas; WAL lets readers go on while an import writes."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine for url; SQLite files get their folder created and the pragmas above."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def begin_write(session: Session) -> None:
    """Start a write transaction by taking SQLite's write lock at once (BEGIN IMMEDIATE).

    A deferred transaction takes the lock only at its first write, and SQLite cannot always wait there: under many
    concurrent writers it can answer "database is locked" at once. Taking the lock first means waiting, within the
    busy timeout, for the writer ahead. Call it first thing inside `session.begin()`; other databases need nothing.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
