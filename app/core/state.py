"""State declared once, seeded and reset by generic code (the LocalStack way).

Each emulated service contributes a `StateModel`: its tables (each with a leading `realm` column)
and a loader that turns a pack's data files into rows. Seeding a realm, resetting it, and deciding
whether a persisted database already holds it are the same code for every service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Engine, String, Table, delete, insert, select

from app.core import database
from app.core.packs import Pack, read_manifest

Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class StateModel:
    service: str
    tables: Sequence[Table]  # parents before children
    load: Callable[[Pack], Rows]  # rows keyed by table name; {} when the pack has no such data


realms = Table(
    "isosim_realm",
    database.metadata,
    Column("realm", String(200), primary_key=True),
    Column("pack", String(100), nullable=False),
    Column("seeded_at", DateTime, nullable=False),
)


def load_pack(folder: Path, models: Sequence[StateModel]) -> Pack:
    """Read and check a whole pack: manifest and every service's data. Raises PackError."""
    pack = Pack(path=folder, manifest=read_manifest(folder))
    for model in models:
        pack.rows.update(model.load(pack))
    return pack


def seed(conn: Connection, realm: str, pack: Pack, models: Sequence[StateModel]) -> None:
    """Make `realm` hold exactly the pack's state, inside the caller's transaction."""
    tables = [table for model in models for table in model.tables]
    for table in reversed(tables):
        conn.execute(delete(table).where(table.c.realm == realm))
    for table in tables:
        rows = pack.rows.get(table.name)
        if rows:
            conn.execute(insert(table), [{"realm": realm, **row} for row in rows])
    conn.execute(delete(realms).where(realms.c.realm == realm))
    conn.execute(insert(realms).values(realm=realm, pack=pack.name, seeded_at=datetime.now(UTC)))


def ensure_seeded(engine: Engine, realm: str, pack: Pack, models: Sequence[StateModel]) -> bool:
    """Seed `realm` unless the database already holds it (state survives a restart). True if seeded."""
    with database.write(engine) as conn:
        if conn.execute(select(realms.c.realm).where(realms.c.realm == realm)).first():
            return False
        seed(conn, realm, pack, models)
        return True


def reset(engine: Engine, realm: str, pack: Pack, models: Sequence[StateModel]) -> None:
    with database.write(engine) as conn:
        seed(conn, realm, pack, models)
