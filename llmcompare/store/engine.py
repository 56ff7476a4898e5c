"""Engine factory: SQLite with WAL, foreign keys and a busy timeout; PostgreSQL (or any other URL) as given.

A DATABASE_URL that names an unknown driver, or a server that cannot be reached or refuses the login, raises
StoreUnavailable with a one-line message for the user, instead of a driver traceback.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

BUSY_TIMEOUT_MS = 15000  # a writer waits this long for another's commit before SQLite gives up
WRITE_LOCK_KEY = 0x6C6C6D63  # PostgreSQL advisory lock that stands for SQLite's single write lock ("llmc")
URL_HELP = "use sqlite:///path/to/file.db or postgresql+psycopg://user:password@host:port/database"


class StoreUnavailable(RuntimeError):
    """The database named by DATABASE_URL cannot be used; the message is one line, fit for the user."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """Set per-connection pragmas; WAL lets readers go on while an import writes.

    The busy timeout comes first: switching a new file to WAL needs a lock, and without the timeout a process that
    meets another one's lock there fails at once with "database is locked".
    """
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for url, connected once to prove it works; SQLite files get their folder and the pragmas above."""
    try:
        parsed = make_url(url)
        engine = _sqlite_engine(parsed) if parsed.get_backend_name() == "sqlite" else _server_engine(parsed)
    except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as error:
        message = f"DATABASE_URL is not a database this app can use ({_first_line(error)}); {URL_HELP}."
        raise StoreUnavailable(message) from None
    try:
        with engine.connect():
            pass
    except exc.DBAPIError as error:
        engine.dispose()
        where = parsed.render_as_string(hide_password=True)
        raise StoreUnavailable(f"Cannot open the database at {where}: {_first_line(error.orig)}") from None
    return engine


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _server_engine(url: URL) -> Engine:
    # Without a connect timeout an unreachable host keeps the first page waiting for minutes.
    args = {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, connect_args=args)


def _first_line(error: BaseException | None) -> str:
    """The error's first non-empty line, without the driver's hints and tracebacks."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def begin_write(target: Session | Connection) -> None:
    """Start a write transaction by taking the database's write lock at once.

    A deferred transaction takes the lock only at its first write, and SQLite cannot always wait there: a
    transaction that read first and then writes while another writer holds the lock gets "database is locked" at
    once, whatever the busy timeout. Taking the lock first means waiting, within the busy timeout, for the writer
    ahead. PostgreSQL takes a transaction-level advisory lock instead, so that writers that check before they write
    (is this name taken? which revision is the schema at?) take turns there too; it is freed at commit or rollback.
    Call it first thing inside `session.begin()` or `engine.begin()`.
    """
    connection = target.connection() if isinstance(target, Session) else target
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
