"""State declared once, seeded and reset by generic code (the LocalStack way).

Each emulated service contributes a `StateModel`: its tables (each with a leading `realm` column)
and a loader that turns a pack's data files into rows. Seeding a realm, resetting it, and deciding
whether a persisted database already holds it are the same code for every service.

A pack's rows are inserted once into a pristine template realm (`@pack:<name>`); every realm of
that pack is made by copying the template inside the database (INSERT ... SELECT), and reset by
undoing only the rows writes changed since (see `seed`). The template is rebuilt only when the
pack's files change (their fingerprint is kept beside it).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Integer,
    Row,
    String,
    Table,
    and_,
    delete,
    exc,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from isosim.core import bounded, database
from isosim.core.packs import Pack, read_manifest

Rows = dict[str, list[dict[str, Any]]]
T = TypeVar("T")


@dataclass(frozen=True)
class StateModel:
    service: str
    tables: Sequence[Table]  # parents before children
    load: Callable[[Pack], Rows]  # rows keyed by table name; {} when the pack has no such data
    # Bump when `load` reads the same files differently: templates are then rebuilt from the pack.
    version: int = 1
    # Checks a realm's rows from a snapshot before they are restored (raises ValueError saying why):
    # for state that services trust as a pack's files are trusted (reference data).
    check: Callable[[Rows], None] | None = None


def realm_column(primary_key: bool = True) -> Column[str]:
    """Every state table's leading column: the realm (pack or pack~tenant) a row belongs to."""
    return Column("realm", String(200), primary_key=primary_key, nullable=False)


realms = Table(
    "isosim_realm",
    database.metadata,
    realm_column(),
    Column("pack", String(100), nullable=False),
    Column("seeded_at", DateTime, nullable=False),
    Column("fingerprint", String(64), nullable=False, server_default=""),
    # False: the realm holds no rows of its own yet and reads its pack's template (a tenant that has
    # only read); its first write copies the template (copy on write).
    Column("copied", Boolean, nullable=False, server_default=true()),
)

# For each realm and table with a surrogate key: the realm's rows were copied from the template's
# with ids shifted by `shift`, and hold ids `low` to `high`. That makes a reset incremental.
copies = Table(
    "isosim_copy",
    database.metadata,
    realm_column(),
    Column("table_name", String(100), primary_key=True),
    Column("shift", BigInteger, nullable=False),
    Column("low", BigInteger, nullable=False),
    Column("high", BigInteger, nullable=False),
)

TEMPLATE_PREFIX = "@pack:"
# Between a pack's name and a tenant's in a realm name; tenant names cannot hold it, so realms
# never collide.
TENANT_SEPARATOR = "~"
TENANT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def realm_name(pack: str, tenant: str | None) -> str:
    """Where a pack's state (or one tenant's copy of it) lives in the database."""
    return pack if tenant is None else f"{pack}{TENANT_SEPARATOR}{tenant}"


def split_realm(realm: str) -> tuple[str, str | None]:
    """(pack, tenant or None) of a realm name."""
    pack, separator, tenant = realm.partition(TENANT_SEPARATOR)
    return pack, tenant if separator else None


def load_pack(folder: Path, models: Sequence[StateModel], check_data: bool = True) -> Pack:
    """Read and check a pack: its manifest always, every service's data unless `check_data` is
    False (then on first use, see Pack.rows). Raises PackError."""
    pack = Pack(path=folder, manifest=read_manifest(folder))
    pack.fingerprint = fingerprint(pack.path, models)

    def read_rows() -> Rows:
        rows: Rows = {}
        for model in models:
            rows.update(model.load(pack))
        return rows

    pack.loader = read_rows
    if check_data:
        pack.rows  # noqa: B018 - read now so that a broken pack is refused now
    return pack


def fingerprint(folder: Path, models: Sequence[StateModel] = ()) -> str:
    """Changes whenever any file of the pack changes, or the shape of the state it loads into (a
    column added, a loader's version bumped): a template built by an older isosim is rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for model in models:
        digest.update(f"{model.service}:{model.version}".encode())
        for table in model.tables:
            digest.update(f"{table.name}({','.join(f'{c.name} {c.type}' for c in table.c)})".encode())
    return digest.hexdigest()


def _tables(models: Sequence[StateModel]) -> list[Table]:
    return [table for model in models for table in model.tables]


def _clear(conn: Connection, realm: str, tables: list[Table]) -> None:
    for table in reversed(tables):
        conn.execute(delete(table).where(table.c.realm == realm))
    conn.execute(delete(realms).where(realms.c.realm == realm))
    conn.execute(delete(copies).where(copies.c.realm == realm))


def _mark(conn: Connection, realm: str, pack: Pack, copied: bool = True) -> None:
    conn.execute(
        insert(realms).values(
            realm=realm,
            pack=pack.name,
            seeded_at=datetime.now(UTC),
            fingerprint=pack.fingerprint,
            copied=copied,
        )
    )


def _ensure_template(conn: Connection, pack: Pack, tables: list[Table]) -> str:
    """The pack's template realm, rebuilt if the pack's files changed since it was built."""
    template = TEMPLATE_PREFIX + pack.name
    held = conn.execute(select(realms.c.fingerprint).where(realms.c.realm == template)).scalar()
    if held != pack.fingerprint:
        _clear(conn, template, tables)
        for table in tables:
            rows = pack.rows.get(table.name)
            if rows:
                _insert_many(conn, table, [{"realm": template, **row} for row in rows])
        _mark(conn, template, pack)
    return template


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT thousands of rows at once: the statement compiled once and each column's bind
    processor applied directly, which saves most of the per-row work of executing insert(table)
    with a list (a third of a fresh start-up)."""
    names = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    dialect = conn.dialect  # the dialect's own type (SQLite's DATETIME) formats values, not the generic one
    processors = {name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names}

    def value(name: str, raw: Any) -> Any:
        process = processors[name]
        return process(raw) if process is not None and raw is not None else raw

    if compiled.positional:
        order = compiled.positiontup or []
        params: list[Any] = [tuple(value(n, row.get(n)) for n in order) for row in rows]
    else:
        params = [{n: value(n, row.get(n)) for n in names} for row in rows]
    conn.exec_driver_sql(str(compiled), params)


def _copy(conn: Connection, table: Table, source: str, target: str) -> None:
    """Copy a realm's rows inside the database; surrogate keys are fresh, in the source's order."""
    surrogate = table.autoincrement_column
    columns = [c for c in table.c if c.name != "realm" and c is not surrogate]
    rows = select(literal(target), *columns).where(table.c.realm == source)
    if surrogate is not None:
        rows = rows.order_by(surrogate)
    conn.execute(insert(table).from_select([table.c.realm, *columns], rows))


def seed(conn: Connection, realm: str, pack: Pack, models: Sequence[StateModel]) -> None:
    """Make `realm` hold exactly the pack's state, inside the caller's transaction.

    A realm already copied from the current template is refreshed row by row: only what writes
    changed is undone, which costs milliseconds. Otherwise (first seed, pack changed, ids not
    shifted uniformly) it is cleared and copied whole.
    """
    tables = _tables(models)
    template = _ensure_template(conn, pack, tables)
    held = conn.execute(select(realms.c.fingerprint, realms.c.copied).where(realms.c.realm == realm)).first()
    if (
        held is not None
        and held.copied
        and held.fingerprint == pack.fingerprint
        and _refresh(conn, realm, template, tables)
    ):
        conn.execute(update(realms).where(realms.c.realm == realm).values(seeded_at=datetime.now(UTC)))
        return
    _clear(conn, realm, tables)
    for table in tables:
        _copy(conn, table, template, realm)
        _record_shift(conn, table, template, realm)
    _mark(conn, realm, pack)


def _same(a: Table, b: Table, columns: list[str]) -> ColumnElement[bool]:
    return and_(*(a.c[name].is_not_distinct_from(b.c[name]) for name in columns))


def _record_shift(conn: Connection, table: Table, template: str, realm: str) -> None:
    """After a whole copy: remember the id shift if every row sits at template id + shift."""
    surrogate = table.autoincrement_column
    if surrogate is None:
        return
    stats = []
    for name in (template, realm):
        stats.append(
            conn.execute(
                select(func.count(), func.min(surrogate), func.max(surrogate)).where(table.c.realm == name)
            ).one()
        )
    (t_count, t_low, t_high), (r_count, r_low, r_high) = stats
    if not r_count or r_count != t_count or r_high - r_low + 1 != r_count or t_high - t_low + 1 != t_count:
        return
    shift = r_low - t_low
    source = table.alias("source")
    columns = [c.name for c in table.c if c.name != "realm" and c is not surrogate]
    matched = conn.execute(
        select(func.count())
        .select_from(table.join(source, source.c[surrogate.name] == surrogate - shift))
        .where(table.c.realm == realm, source.c.realm == template, _same(table, source, columns))
    ).scalar_one()
    if matched == r_count:
        conn.execute(
            insert(copies).values(realm=realm, table_name=table.name, shift=shift, low=r_low, high=r_high)
        )


def _refresh(conn: Connection, realm: str, template: str, tables: list[Table]) -> bool:
    """Undo the writes made to `realm` since it was copied; False (nothing done) if it cannot.

    Runs in a savepoint: any conflict midway (a unique index between two updated rows) rolls the
    attempt back and the caller copies the realm whole instead.
    """
    shifts = {row.table_name: row for row in conn.execute(select(copies).where(copies.c.realm == realm))}
    if any(t.autoincrement_column is not None and t.name not in shifts for t in tables):
        return False
    savepoint = conn.begin_nested()
    try:
        for table in reversed(tables):  # children first: nothing left refers to a deleted parent
            _delete_extra(conn, table, realm, template, shifts.get(table.name))
        for table in tables:  # parents first
            _restore_changed(conn, table, realm, template, shifts.get(table.name))
        savepoint.commit()
        return True
    except exc.DBAPIError:
        savepoint.rollback()
        return False


def _keys(table: Table) -> tuple[list[str], list[str]]:
    """(key columns, other columns), realm excluded: a surrogate id, else the primary key."""
    surrogate = table.autoincrement_column
    key = (
        [surrogate.name]
        if surrogate is not None
        else [c.name for c in table.primary_key if c.name != "realm"]
    )
    return key, [c.name for c in table.c if c.name != "realm" and c.name not in key]


def _counterpart(table: Table, source: Table, shift: Row | None) -> ColumnElement[bool]:
    """`source` is the template row of `table`'s row: same key (ids shifted back)."""
    key, _ = _keys(table)
    if shift is not None:
        return source.c[key[0]] == table.c[key[0]] - shift.shift
    return and_(*(source.c[name] == table.c[name] for name in key))


def _delete_extra(conn: Connection, table: Table, realm: str, template: str, shift: Row | None) -> None:
    source = table.alias("source")
    if shift is not None:
        surrogate = table.autoincrement_column
        assert surrogate is not None
        outside = or_(surrogate < shift.low, surrogate > shift.high)
        conn.execute(delete(table).where(table.c.realm == realm, outside))
    else:
        in_template = select(source.c.realm).where(
            source.c.realm == template, _counterpart(table, source, None)
        )
        conn.execute(delete(table).where(table.c.realm == realm, ~in_template.exists()))


def _restore_changed(conn: Connection, table: Table, realm: str, template: str, shift: Row | None) -> None:
    key, others = _keys(table)
    source = table.alias("source")
    match = and_(source.c.realm == template, _counterpart(table, source, shift))
    if others:
        differs = or_(*(source.c[name].is_distinct_from(table.c[name]) for name in others))
        conn.execute(
            update(table)
            .where(table.c.realm == realm, select(source.c.realm).where(match, differs).exists())
            .values({name: select(source.c[name]).where(match).scalar_subquery() for name in others})
        )
    # Rows a write deleted come back, with the ids they had.
    target = table.alias("target")
    if shift is not None:
        id_name = key[0]
        present = select(target.c.realm).where(target.c[id_name] == source.c[id_name] + shift.shift)
        shifted = [(source.c[id_name] + shift.shift).label(id_name)]
    else:
        present = select(target.c.realm).where(
            target.c.realm == realm, *(target.c[name] == source.c[name] for name in key)
        )
        shifted = [source.c[name] for name in key]
    missing = select(literal(realm), *shifted, *(source.c[name] for name in others)).where(
        source.c.realm == template, ~present.exists()
    )
    conn.execute(insert(table).from_select([table.c.realm, *key, *others], missing))


def template_fingerprints(engine: Engine) -> dict[str, str]:
    """The fingerprint of the files each pack's template was built from, by pack name."""
    with database.read(engine) as conn:
        found = conn.execute(
            select(realms.c.realm, realms.c.fingerprint).where(realms.c.realm.startswith(TEMPLATE_PREFIX))
        )
        return {realm[len(TEMPLATE_PREFIX) :]: held for realm, held in found}


def template_of(pack: str) -> str:
    return TEMPLATE_PREFIX + pack


def _copied(conn: Connection, realm: str) -> bool | None:
    """Whether the realm holds its own rows; None if the database has no such realm."""
    return conn.execute(select(realms.c.copied).where(realms.c.realm == realm)).scalar()


def ensure_seeded(
    engine: Engine, realm: str, pack: Pack, models: Sequence[StateModel], copy: bool = True
) -> bool:
    """Make sure the database holds `realm` (state survives a restart). With `copy`, it holds its own
    rows, copied from the template now if it only shared them; without, a new realm shares the
    template until its first write. True if the realm holds its own rows."""
    with database.read(engine) as conn:
        held = _copied(conn, realm)
    if held or (held is not None and not copy):
        return held
    with database.write(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Processes seeding the same pack (replicas starting together) take turns: SQLite's
            # writer lock does this for it; PostgreSQL's row locks would not stop two inserts.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:pack))"), {"pack": pack.name})
        held = _copied(conn, realm)  # again, under the writer's lock
        if held:
            return True
        if not copy:
            if held is None:
                _ensure_template(conn, pack, _tables(models))
                _mark(conn, realm, pack, copied=False)
            return False
        seed(conn, realm, pack, models)
        return True


def reset(engine: Engine, realm: str, pack: Pack, models: Sequence[StateModel]) -> None:
    """Put the realm back to the pack's state: a realm that shares its template stays sharing it."""
    with database.write(engine) as conn:
        if _copied(conn, realm) is False:
            _ensure_template(conn, pack, _tables(models))
            conn.execute(update(realms).where(realms.c.realm == realm).values(seeded_at=datetime.now(UTC)))
            return
        seed(conn, realm, pack, models)


def realm_names(engine: Engine) -> list[str]:
    """Every live realm in the database (pack templates excluded)."""
    with database.read(engine) as conn:
        names = conn.execute(select(realms.c.realm).order_by(realms.c.realm)).scalars()
        return [name for name in names if not name.startswith(TEMPLATE_PREFIX)]


def drop(engine: Engine, realm: str, models: Sequence[StateModel]) -> bool:
    """Delete a realm's state; True if there was any."""
    with database.write(engine) as conn:
        held = conn.execute(select(realms.c.realm).where(realms.c.realm == realm)).first() is not None
        _clear(conn, realm, _tables(models))
    return held


# --- snapshots ------------------------------------------------------------------------------------

SNAPSHOT_FORMAT = "isosim-snapshot/1"


class SnapshotError(ValueError):
    """A snapshot that cannot be imported; the message says why."""


def _portable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def export(engine: Engine, realm_packs: dict[str, str], models: Sequence[StateModel]) -> dict[str, Any]:
    """The state of the given realms (realm -> pack) as a JSON-ready document, in one snapshot."""
    document: dict[str, Any] = {"format": SNAPSHOT_FORMAT, "realms": {}}
    with database.read(engine) as conn:
        for realm, pack in realm_packs.items():
            source = realm if _copied(conn, realm) is not False else template_of(pack)
            tables: dict[str, list[dict[str, object]]] = {}
            for table in _tables(models):
                surrogate = table.autoincrement_column
                columns = [c for c in table.c if c.name != "realm" and c is not surrogate]
                order = [surrogate] if surrogate is not None else list(table.primary_key.columns)
                rows = conn.execute(select(*columns).where(table.c.realm == source).order_by(*order))
                tables[table.name] = [{k: _portable(v) for k, v in row._mapping.items()} for row in rows]
            document["realms"][realm] = {"pack": pack, "tables": tables}
    return document


def restore(
    engine: Engine, document: object, packs: dict[str, Pack], models: Sequence[StateModel]
) -> list[str]:
    """Replace the state of every realm in the snapshot, all or nothing. Raises SnapshotError.

    Everything is checked before anything is written (realm and tenant names, tables, each value
    against its column, each service's own rules); the database's constraints (keys, references)
    are the last check, inside the one transaction."""
    if not isinstance(document, dict) or document.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(f"not an isosim snapshot (format must be {SNAPSHOT_FORMAT!r})")
    given = document.get("realms", {})
    if not isinstance(given, dict):
        raise SnapshotError("realms must be an object: realm name -> {pack, tables}")
    by_name = {table.name: table for table in _tables(models)}
    checked = [
        (realm, *_checked_realm(realm, content, packs, by_name, models)) for realm, content in given.items()
    ]
    try:
        with database.write(engine) as conn:
            for realm, pack, typed in checked:
                _clear(conn, realm, list(by_name.values()))
                for name, rows in typed.items():
                    if rows:
                        conn.execute(insert(by_name[name]), [{"realm": realm, **row} for row in rows])
                _mark(conn, realm, pack)
    except (exc.DBAPIError, exc.StatementError) as error:  # a duplicate key, a dangling reference
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise SnapshotError(f"snapshot rows break the tables' keys or references: {reason}") from None
    return [realm for realm, _, _ in checked]


def _checked_realm(
    realm: str,
    content: object,
    packs: dict[str, Pack],
    by_name: dict[str, Table],
    models: Sequence[StateModel],
) -> tuple[Pack, Rows]:
    pack_name, tenant = split_realm(realm)
    if tenant is not None and not TENANT_NAME.fullmatch(tenant):
        raise SnapshotError(f"realm {realm!r}: a tenant name is 1-64 letters, digits, '.', '_' or '-'")
    if not isinstance(content, dict) or not isinstance(content.get("tables", {}), dict):
        raise SnapshotError(f"realm {realm!r} must be an object with a pack and tables")
    pack = packs.get(content.get("pack")) if isinstance(content.get("pack"), str) else None
    if pack is None or realm.startswith(TEMPLATE_PREFIX) or pack_name != pack.name:
        raise SnapshotError(f"realm {realm!r} does not belong to a pack served here")
    typed: Rows = {}
    for name, rows in (content.get("tables", {})).items():
        table = by_name.get(name)
        if table is None:
            raise SnapshotError(f"unknown table {name!r} in realm {realm!r}")
        if not isinstance(rows, list):
            raise SnapshotError(f"{name} in realm {realm!r} must be a list of rows")
        typed[name] = [_typed(table, row) for row in rows]
    for model in models:
        if model.check is not None:
            try:
                model.check({t.name: typed.get(t.name, []) for t in model.tables})
            except ValueError as error:
                raise SnapshotError(f"realm {realm!r}: {error}") from None
    return pack, typed


# What a column may hold beyond its SQL type, declared where the table is (Column(..., info=...)):
# "choices" (an enumeration), "range" (low, high) for numbers, "json" ("object") for JSON texts.
INT32 = 2**31 - 1
TEXT_LIMIT = 1 << 20  # a Text column's value, in characters
FLOAT_LIMIT = 1e15  # no MW, $ or ratio the simulated markets hold comes near it


def _typed(table: Table, row: object) -> dict[str, object]:
    """A snapshot row as the table's values, each held to its column's type, length, nullability and
    declared choices or range: what services read back is what they could have written."""
    if not isinstance(row, dict):
        raise SnapshotError(f"a row of {table.name!r} must be an object")
    typed = {}
    for key, value in row.items():
        column = table.c.get(key)
        if column is None or key == "realm" or column is table.autoincrement_column:
            raise SnapshotError(f"unexpected column {key!r} for table {table.name!r}")
        try:
            typed[key] = _value(column, value)
        except ValueError as error:
            raise SnapshotError(f"{table.name}.{key}: {error}") from None
    for column in table.c:
        needed = not column.nullable and column.server_default is None and column.default is None
        if (
            needed
            and column.name != "realm"
            and column is not table.autoincrement_column
            and column.name not in typed
        ):
            raise SnapshotError(f"{table.name}.{column.name} is missing")
    return typed


def _value(column: Column[Any], value: object) -> object:
    if value is None:
        if not column.nullable or column.primary_key:
            raise ValueError("cannot be null")
        return None
    kind = column.type
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if isinstance(kind, Integer):  # BigInteger too
        high = bounded.INT64 if isinstance(kind, BigInteger) else INT32
        if not isinstance(value, int) or isinstance(value, bool) or not -high - 1 <= value <= high:
            raise ValueError(f"must be an integer within ±{high}")
        _in_range(column, value)
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        number = float(value)
        if not math.isfinite(number) or abs(number) > FLOAT_LIMIT:
            raise ValueError(f"must be a finite number within ±{FLOAT_LIMIT:g}")
        _in_range(column, number)
        return number
    if isinstance(kind, DateTime):
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 date and time")
        when = datetime.fromisoformat(value)  # ValueError says why
        if not bounded.instant_in_range(when if when.tzinfo else when.replace(tzinfo=UTC)):
            raise ValueError(f"{value} is outside {bounded.EARLIEST.year}-{bounded.LATEST.year - 1}")
        return when
    if isinstance(kind, String):  # Text too
        if not isinstance(value, str):
            raise ValueError("must be a string")
        limit = kind.length or TEXT_LIMIT
        if len(value) > limit:
            raise ValueError(f"is longer than {limit} characters")
        if "\0" in value or not _encodable(value):
            raise ValueError("holds a NUL or a character UTF-8 cannot write")
        choices = column.info.get("choices")
        if choices is not None and value not in choices:
            raise ValueError(f"must be one of {', '.join(map(repr, choices))}")
        if column.info.get("json") == "object" and not isinstance(_json(value), dict):
            raise ValueError("must be a JSON object")
        return value
    raise ValueError(f"has a type ({kind}) snapshots do not carry")


def _in_range(column: Column[Any], value: float) -> None:
    low, high = column.info.get("range", (None, None))
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"must lie within [{low}, {high}]")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\\ud800" in JSON)
        return False
    return True


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


class PerSeeding(Generic[T]):
    """A value read from a realm's state (a market registry), kept until the realm is seeded again
    (a reset or a snapshot changes its `seeded_at`): read once, then a dictionary lookup."""

    def __init__(self, read: Callable[[Connection, str], T], size: int = 256) -> None:
        self._read = read
        self._size = size
        self._held: dict[tuple[str, datetime], T] = {}
        self._lock = threading.Lock()

    def __call__(self, conn: Connection, realm: str) -> T | None:
        mark = conn.execute(select(realms.c.seeded_at).where(realms.c.realm == realm)).scalar()
        if mark is None:
            return None
        key = (realm, mark)
        with self._lock:
            if key in self._held:
                return self._held[key]
        found = self._read(conn, realm)
        with self._lock:
            for held in [k for k in self._held if k[0] == realm]:
                del self._held[held]  # an older seeding of the realm
            if len(self._held) > self._size:
                self._held.clear()
            self._held[key] = found
        return found
