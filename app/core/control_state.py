"""Control state in the database, so that several isosim processes on one database (uvicorn workers,
replicas behind a load balancer) behave as one server: the clocks (the base one and tenants'), the
fault rules with how often each has fired, and the rate limits' last requests.

Each process mirrors the clocks and rules in memory (Clock, Faults) and checks one version counter
before every request (`sync`): a change made through any process bumps it in the same transaction,
and the others reload. The same counter tells them that a realm was reset, dropped or restored, so
that their realm caches never outlive the rows they describe. The journal stays per process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from isosim.core import database
from isosim.core.clock import Clock, ClockState
from isosim.core.faults import MAX_RULES, Fault, Faults, FaultSpec

BASE = ""  # the base clock's row (tenant names are never empty)

version = Table(
    "isosim_control_version",
    database.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)
clocks = Table(
    "isosim_clock",
    database.metadata,
    Column("tenant", String(64), primary_key=True),
    Column("anchor_sim", DateTime, nullable=False),  # naive UTC
    Column("anchor_real", Float, nullable=False),  # epoch seconds
    Column("rate", Float, nullable=False),
)
faults = Table(
    "isosim_fault",
    database.metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),  # rules are tried in this order
    Column("spec", Text, nullable=False),  # FaultSpec as JSON
    Column("fired", BigInteger, nullable=False),
)
rates = Table(
    "isosim_rate",
    database.metadata,
    Column("caller", String(400), primary_key=True),
    Column("last", Float, nullable=False),  # epoch seconds of the last request let through
)


class SharedControl:
    def __init__(self, engine: Engine, clock: Clock, rules: Faults, changed: Callable[[], None]) -> None:
        self.engine = engine
        self.clock = clock
        self.rules = rules
        self._changed = changed  # forget what this process caches about realms
        self._seen: int | None = None
        self._lock = threading.Lock()
        # An in-memory database has one process: every change is loaded where it is made.
        self.alone = database.in_memory(engine)
        self._sqlite = engine.dialect.name == "sqlite"
        self._probe: Any = None  # SQLite: a connection of its own, asking whether the file changed
        self._probe_lock = threading.Lock()
        self._file_version: int | None = None
        clock.persist = self.set_clock
        rules.backend = self

    # --- reading ----------------------------------------------------------------------------------

    def stale(self) -> bool:
        """Whether `sync` has anything to check, cheaply enough for the event loop: on SQLite,
        whether any other connection committed since the last look (PRAGMA data_version, no lock,
        microseconds); elsewhere always (the check is a query: run `sync` off the event loop)."""
        if self.alone:
            return False
        if not self._sqlite:
            return True
        with self._probe_lock:
            if self._probe is None:
                self._probe = self.engine.raw_connection()
            found = self._probe.cursor().execute("PRAGMA data_version").fetchone()[0]
            if found == self._file_version:
                return False
            self._file_version = found
            return True

    def sync(self) -> None:
        """Reload if any process changed the control state (one indexed read when nothing did)."""
        with database.read(self.engine) as conn:
            current = conn.execute(select(version.c.version).where(version.c.id == 1)).scalar()
            if current == self._seen:
                return
            with self._lock:
                self._reload(conn)
                self._seen = current
        self._changed()

    def _reload(self, conn: Connection) -> None:
        states = {
            row.tenant: ClockState(row.anchor_sim.replace(tzinfo=UTC), row.anchor_real, row.rate)
            for row in conn.execute(select(clocks))
        }
        self.clock.load(states.pop(BASE, None), states)
        found = conn.execute(select(faults).order_by(faults.c.seq)).all()
        self.rules.load(
            [(f"f{row.seq}", FaultSpec.model_validate_json(row.spec), row.fired) for row in found]
        )

    def _bump(self, conn: Connection) -> None:
        if conn.execute(
            update(version).where(version.c.id == 1).values(version=version.c.version + 1)
        ).rowcount:
            return
        conn.execute(insert(version).values(id=1, version=1))

    def changed(self) -> None:
        """Realms were reset, dropped or restored: every process forgets its realm caches."""
        with database.write(self.engine) as conn:
            self._bump(conn)
        self.sync()

    # --- clocks -----------------------------------------------------------------------------------

    def set_clock(self, tenant: str | None, state: ClockState | None) -> None:
        """A tenant's clock (None: the base one); `state` None forgets it (every tenant's if `tenant`
        is None too)."""
        with database.write(self.engine) as conn:
            if state is None:
                where = clocks.c.tenant != BASE if tenant is None else clocks.c.tenant == tenant
                conn.execute(delete(clocks).where(where))
            else:
                key = BASE if tenant is None else tenant
                conn.execute(delete(clocks).where(clocks.c.tenant == key))
                conn.execute(
                    insert(clocks).values(
                        tenant=key,
                        anchor_sim=state.anchor_sim.astimezone(UTC).replace(tzinfo=None),
                        anchor_real=state.anchor_real,
                        rate=state.rate,
                    )
                )
            self._bump(conn)
        self.sync()

    # --- fault rules ------------------------------------------------------------------------------

    def add_fault(self, spec: FaultSpec) -> str:
        with database.write(self.engine) as conn:
            if conn.execute(select(func.count()).select_from(faults)).scalar_one() >= MAX_RULES:
                raise ValueError(f"at most {MAX_RULES} fault rules; remove some first")
            seq = (conn.execute(select(func.max(faults.c.seq))).scalar() or 0) + 1
            conn.execute(insert(faults).values(seq=seq, spec=spec.model_dump_json(), fired=0))
            self._bump(conn)
        self.sync()
        return f"f{seq}"

    def remove_faults(self, ids: list[str]) -> int:
        seqs = [int(i[1:]) for i in ids if i[:1] == "f" and i[1:].isdigit() and len(i) < 20]
        if not seqs:
            return 0
        with database.write(self.engine) as conn:
            removed = conn.execute(delete(faults).where(faults.c.seq.in_(seqs))).rowcount
            self._bump(conn)
        self.sync()
        return removed

    def claim(self, fault: Fault) -> bool:
        """Count a firing; False when a rule limited to `count` firings has had them (through any
        process)."""
        seq = int(fault.id[1:])
        with database.write(self.engine) as conn:
            query = update(faults).where(faults.c.seq == seq)
            if fault.spec.count is not None:
                query = query.where(faults.c.fired < fault.spec.count)
            return conn.execute(query.values(fired=faults.c.fired + 1)).rowcount == 1

    def fired(self) -> dict[str, int]:
        """How often each rule has fired, through every process."""
        with database.read(self.engine) as conn:
            return {f"f{row.seq}": row.fired for row in conn.execute(select(faults.c.seq, faults.c.fired))}

    # --- rate limits ------------------------------------------------------------------------------

    def wait(self, caller: str, seconds: float) -> float:
        """0 if a request from `caller` may go ahead now (and it is counted), else the seconds left;
        refused requests do not restart the wait. Real time: clients sleep."""
        now = time.time()
        with database.write(self.engine) as conn:
            last = conn.execute(select(rates.c.last).where(rates.c.caller == caller)).scalar()
            if last is not None and 0 <= now - last < seconds:
                return seconds - (now - last)
            conn.execute(delete(rates).where(rates.c.caller == caller))
            conn.execute(insert(rates).values(caller=caller[:400], last=now))
        return 0.0
