"""One SQLAlchemy engine per process, the shared metadata, and the transaction helpers.

Every emulated service declares its tables on `metadata` with a leading `realm` column: the pack (and,
later, tenant) whose state a row belongs to. Seeding and reset are generic over those tables
(`app.core.state`), so a service never writes its own reset code.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.pool import StaticPool

metadata = MetaData()

# Execution option that asks for a write transaction (BEGIN IMMEDIATE on SQLite).
_WRITE = "isosim_write"
# An in-memory SQLite database is one connection shared by every thread: its transactions take turns.
_SHARED: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_engine(url: str) -> Engine:
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    kwargs: dict = {"connect_args": {"check_same_thread": False}}
    if in_memory:
        # One shared connection, or each thread would see its own empty database.
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    if in_memory:
        _SHARED[engine] = threading.RLock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Wildcard filters are case-sensitive, as on PostgreSQL (and Oracle behind the real services).
        cursor.execute("PRAGMA case_sensitive_like=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes SQLite's write lock at BEGIN: two POSTs then queue instead of one of them
        # failing with "database is locked" when it upgrades a read lock.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


def in_memory(engine: Engine) -> bool:
    """Whether the database lives in this process only (SQLite in memory)."""
    return engine in _SHARED


def _turn(engine: Engine) -> threading.RLock | nullcontext[None]:
    """The in-memory database's turn (its one connection serves one transaction at a time)."""
    return _SHARED.get(engine) or nullcontext()


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction: one consistent snapshot for the whole request."""
    with _turn(engine), engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One transaction for a whole request: committed only if the block ends without an exception."""
    with _turn(engine), engine.connect() as conn:
        conn = conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn
