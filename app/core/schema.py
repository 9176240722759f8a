"""The database's tables: made on first start, and rebuilt when an earlier isosim made them, with the
live state carried over (the upgrade path; a template is rebuilt from its pack anyway).

The tables' shape is summed up in a digest kept in `isosim_schema`; a start that finds the same
digest does nothing more than read it. Otherwise the tables the database holds are read as they
are (reflected), dropped, made anew, and every live realm's rows are written back: columns that
still exist keep their values, new ones take their defaults. A realm that cannot be carried whole
(a new required column without a default) is left out, logged, and seeded again from its pack on
first use; nothing is half carried. Why not Alembic: isosim's state is a cache of packs plus what
clients wrote, in tables that services declare as data; one generic carry-over covers every change
to them without a migration script per change, and is tested on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, inspect, select, text

from isosim.core import database

log = logging.getLogger("isosim")

schema_table = Table(
    "isosim_schema",
    database.metadata,
    Column("name", String(40), primary_key=True),
    Column("digest", String(64), nullable=False),
)
KEY = "tables"
TEMPLATE_PREFIX = "@pack:"  # state.TEMPLATE_PREFIX (state imports this module's caller)


def digest(metadata: MetaData = database.metadata) -> str:
    """Changes with any table, column (name, type, nullability, key, default) or index."""
    text = []
    for table in metadata.sorted_tables:
        text.append(table.name)
        for column in table.c:
            default = column.server_default.arg if column.server_default is not None else None  # type: ignore[attr-defined]
            text.append(f" {column.name} {column.type} {column.nullable} {column.primary_key} {default}")
        text += sorted(f" index {index.name} {[c.name for c in index.columns]}" for index in table.indexes)
    return hashlib.sha256("\n".join(text).encode()).hexdigest()


def ensure(engine: Engine) -> None:
    """Make the tables, or bring an earlier isosim's up to date carrying its live state."""
    wanted = digest()
    with database.write(engine) as conn:
        if conn.dialect.name == "postgresql":  # replicas starting together: one builds, the others wait
            conn.execute(text("SELECT pg_advisory_xact_lock(7310731)"))
        names = set(inspect(conn).get_table_names())
        if schema_table.name in names:
            held = conn.execute(select(schema_table.c.digest).where(schema_table.c.name == KEY)).scalar()
            if held == wanted:
                return
        ours = [t for t in database.metadata.sorted_tables if t.name in names and t is not schema_table]
        carried = _read(conn, ours) if ours else {}
        if ours:
            old = MetaData()
            old.reflect(conn, only=[t.name for t in ours])
            old.drop_all(conn)
            log.warning("isosim: the database was made by an earlier isosim; rebuilding its tables")
        database.metadata.create_all(conn)
        _write(conn, carried)
        conn.execute(schema_table.delete())
        conn.execute(schema_table.insert().values(name=KEY, digest=wanted))


# Bookkeeping of how realms were copied from templates: rebuilt templates make it stale.
NOT_CARRIED = ("isosim_copy",)


def _read(conn: Connection, tables: list[Table]) -> dict[str, list[dict[str, Any]]]:
    """Every live (non-template) row of the tables as they are now, by table name; surrogate ids
    are left out (the new table numbers the rows afresh, in their old order)."""
    old = MetaData()
    old.reflect(conn, only=[t.name for t in tables])
    found = {}
    for table in tables:
        if table.name in NOT_CARRIED:
            continue
        held = old.tables[table.name]
        surrogate = table.autoincrement_column
        query = select(*(c for c in held.c if surrogate is None or c.name != surrogate.name))
        if "realm" in held.c:
            query = query.where(~held.c.realm.startswith(TEMPLATE_PREFIX))
        if surrogate is not None and surrogate.name in held.c:
            query = query.order_by(held.c[surrogate.name])
        found[table.name] = [dict(row._mapping) for row in conn.execute(query)]
    return found


def _write(conn: Connection, carried: dict[str, list[dict[str, Any]]]) -> None:
    """Write the carried rows into the new tables, realm by realm, whole realms only."""
    tables = [t for t in database.metadata.sorted_tables if t.name in carried]
    lost: set[str] = set()
    for table in tables:
        for row in carried[table.name]:
            if _missing(table, row):
                lost.add(row.get("realm", ""))
    for realm in sorted(lost):
        log.warning(
            "isosim: realm %r could not be carried to the new tables; it starts again from its pack", realm
        )
    for table in tables:
        names = {c.name for c in table.c}
        rows = [{k: v for k, v in row.items() if k in names} for row in carried[table.name]]
        rows = [row for row in rows if row.get("realm", "") not in lost]
        if rows:
            conn.execute(table.insert(), rows)


def _missing(table: Table, row: dict[str, Any]) -> bool:
    """Whether the row lacks a value the new table requires (a new column without a default)."""
    return any(
        not column.nullable
        and column.server_default is None
        and column.default is None
        and column is not table.autoincrement_column
        and row.get(column.name) is None
        for column in table.c
    )
