"""Engine factory: SQLite with WAL, foreign keys and a busy timeout; any other DATABASE_URL as given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, String, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

BUSY_TIMEOUT_MS = 15000  # a writer waits this long for another's commit before SQLite gives up


FOLD_FUNCTION = "llmcompare_fold"


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


class folded(FunctionElement):  # noqa: N801 (used like a SQL function: folded(column))
    """A text column case-folded in any script, for matching without regard to case.

    SQLite's own lower() folds only A-Z, so "Ärzte" and "ärzte" stayed different; on SQLite this calls Python's
    str.casefold, registered on every connection. Compare it with `text.casefold()`. Elsewhere it is lower().
    """

    type = String()
    inherit_cache = True


@compiles(folded)
def _folded_default(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return f"{FOLD_FUNCTION}({compiler.process(element.clauses, **kw)})"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """Set per-connection pragmas and functions; WAL lets readers go on while an import writes."""
    dbapi_conn.create_function(FOLD_FUNCTION, 1, _casefold, deterministic=True)
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


def begin_write(target: Session | Connection) -> None:
    """Start a write transaction by taking SQLite's write lock at once (BEGIN IMMEDIATE).

    A deferred transaction takes the lock only at its first write, and SQLite cannot always wait there: a
    transaction that read first and then writes while another writer holds the lock gets "database is locked" at
    once, whatever the busy timeout. Taking the lock first means waiting, within the busy timeout, for the writer
    ahead. Call it first thing inside `session.begin()` or `engine.begin()`; other databases need nothing.
    """
    connection = target.connection() if isinstance(target, Session) else target
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
