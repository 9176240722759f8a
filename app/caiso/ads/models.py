"""ADS rules: batches issued every 5 minutes for each scheduling coordinator, each carrying a
dispatch operating target (DOT) per resource the real-time dispatch (RTD) moves; validation;
instruction responses; trajectories.

A batch for the interval starting at T is sent at T - 150 s and can be answered until T + 5 min.
Its DOTs are the CAISO market's RTD awards for that interval (app/caiso/market): a resource gets an
instruction when its award or the one before is not zero, with the LMP at its node as the price.
Its UID is derived from the seed, the coordinator and T, so the same batch always says the same;
what callers did with it (validated, accepted, declined) is state.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from isosim.caiso.ads.tables import batch, response, trajectory_read
from isosim.caiso.market import prices, results
from isosim.caiso.market.clearing import Schedule
from isosim.caiso.market.registry import Registry, Resource
from isosim.caiso.pacific import trading_day
from isosim.caiso.soap.envelope import SoapFault
from isosim.core.clock import naive_utc

INTERVAL = timedelta(minutes=5)
LEAD = timedelta(seconds=150)  # a batch is sent this long before its interval starts
LISTED = timedelta(hours=1)  # getDispatchBatchesSinceUID("-1") lists the last hour
STATUS_SENT, STATUS_VALIDATED = 1, 2  # getBatchStatus
DISPATCHED = ("GEN", "PDR")  # resource types the real-time dispatch instructs


@dataclass
class Fleet:
    """The dispatched resources of a realm's market, and their RTD schedules (read once per day)."""

    conn: Connection
    realm: str
    registry: Registry
    now: datetime
    _days: dict[tuple[str, date], dict[str, Schedule]] = field(default_factory=dict)

    @property
    def seed(self) -> str:
        return self.registry.seed

    def of(self, coordinators: list[str]) -> list[Resource]:
        return [r for r in self.registry.resources_of(coordinators) if r.resource_type in DISPATCHED]

    def schedules(self, coordinator: str, day: date) -> dict[str, Schedule]:
        key = (coordinator, day)
        if key not in self._days:
            mine = self.of([coordinator])
            found = results.schedules(self.conn, self.realm, self.registry, mine, "RTD", day, self.now)
            self._days[key] = {s.resource.resource_id: s for s in found}
        return self._days[key]


def batch_uid(fleet: Fleet, coordinator: str, start: datetime) -> str:
    """CAISO-looking UIDs: DISP-12A1D8C0-ADD6-4038-FFFD-AC15E2EC8892, stable for (coordinator, T)."""
    value = uuid.uuid5(uuid.NAMESPACE_URL, f"isosim-ads|{fleet.seed}|{coordinator}|{start:%Y%m%dT%H%M}")
    return "DISP-" + str(value).upper()


def _floor(instant: datetime) -> datetime:
    instant = naive_utc(instant)
    return instant - timedelta(
        minutes=instant.minute % 5, seconds=instant.second, microseconds=instant.microsecond
    )


@dataclass(frozen=True)
class Instruction:
    resource: Resource
    dot: float
    price: float


def instructions(fleet: Fleet, coordinator: str, start: datetime) -> list[Instruction]:
    """The batch's instructions: each dispatched resource's RTD award for the interval starting at
    `start` (naive or aware UTC), when it or the previous interval's is not zero."""
    moment = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
    found = []
    for resource in fleet.of([coordinator]):
        schedule = fleet.schedules(coordinator, trading_day(moment)).get(resource.resource_id)
        if schedule is None:
            continue
        index = next((n for n, iv in enumerate(schedule.intervals) if iv.start == moment), None)
        if index is None:
            continue
        dot = schedule.cleared[index]
        before = schedule.cleared[index - 1] if index > 0 else 0.0
        if dot == 0 and before == 0:
            continue
        price = schedule.prices[index].lmp / prices.UNIT
        found.append(Instruction(resource, dot, round(price, 2)))
    return found


def latest_start(now: datetime) -> datetime:
    """The interval of the newest batch sent by `now`."""
    return _floor(now + LEAD)


def issue(conn: Connection, realm: str, fleet: Fleet, coordinators: list[str], now: datetime) -> None:
    """Record every batch sent to these coordinators in the last hour that is not recorded yet."""
    newest = latest_start(now)  # the latest interval whose batch has been sent
    starts = [newest - INTERVAL * n for n in range(int(LISTED / INTERVAL))]
    for coordinator in coordinators:
        if not fleet.of([coordinator]):
            continue
        wanted = {batch_uid(fleet, coordinator, s): s for s in starts}
        held = set(
            conn.execute(
                select(batch.c.batch_uid).where(batch.c.realm == realm, batch.c.batch_uid.in_(list(wanted)))
            ).scalars()
        )
        rows = [
            {"realm": realm, "batch_uid": uid, "scheduling_coordinator": coordinator, "start_time": start}
            for uid, start in wanted.items()
            if uid not in held
        ]
        if rows:
            conn.execute(insert(batch), rows)


def since(conn: Connection, realm: str, coordinators: list[str], uid: str, now: datetime) -> list[str]:
    """Batch UIDs sent after `uid` (all of the last hour for -1 or an unknown UID), oldest first."""
    horizon = latest_start(now)
    after = None
    if uid != "-1":
        after = conn.execute(
            select(batch.c.start_time).where(batch.c.realm == realm, batch.c.batch_uid == uid)
        ).scalar()
    query = select(batch.c.batch_uid).where(
        batch.c.realm == realm,
        batch.c.scheduling_coordinator.in_(coordinators),
        batch.c.start_time <= horizon,
        batch.c.start_time > (after if after is not None else horizon - LISTED),
    )
    return list(conn.execute(query.order_by(batch.c.start_time, batch.c.batch_uid)).scalars())


@dataclass(frozen=True)
class Batch:
    uid: str
    coordinator: str
    start: datetime
    validated_at: datetime | None
    responses: dict[str, dict[str, object]]


def find(conn: Connection, realm: str, coordinators: list[str], uid: str) -> Batch:
    row = conn.execute(select(batch).where(batch.c.realm == realm, batch.c.batch_uid == uid)).first()
    if row is None or row.scheduling_coordinator not in coordinators:
        raise SoapFault(f"Batch {uid} does not exist or does not belong to your scheduling coordinators")
    answers = conn.execute(
        select(response).where(response.c.realm == realm, response.c.batch_uid == uid)
    ).mappings()
    return Batch(
        uid,
        row.scheduling_coordinator,
        row.start_time,
        row.validated_at,
        {a["resource_id"]: dict(a) for a in answers},
    )


def validate(conn: Connection, realm: str, found: Batch, now: datetime) -> None:
    if found.validated_at is None:
        conn.execute(
            update(batch)
            .where(batch.c.realm == realm, batch.c.batch_uid == found.uid)
            .values(validated_at=naive_utc(now))
        )


def respond(
    conn: Connection,
    realm: str,
    fleet: Fleet,
    found: Batch,
    resource_id: str,
    status: str,
    responder: str,
    now: datetime,
    mw: float | None = None,
    reason: str | None = None,
) -> None:
    """Record the answer to one instruction: once, while the batch's interval has not ended."""
    carried = {i.resource.resource_id: i for i in instructions(fleet, found.coordinator, found.start)}
    instruction = carried.get(resource_id)
    if instruction is None:
        raise SoapFault(f"Batch {found.uid} has no instruction for resource {resource_id}")
    if naive_utc(now) >= found.start + INTERVAL:
        raise SoapFault(f"Batch {found.uid} has expired: its instructions can no longer be answered")
    if resource_id in found.responses:
        raise SoapFault(f"The instruction of batch {found.uid} for {resource_id} has already been answered")
    if status == "PARTIAL":
        low, high = sorted((instruction.resource.pmin, instruction.dot))
        if mw is None or not low <= mw <= high:
            raise SoapFault(f"A partial acceptance needs mw between {low:g} and {high:g} for {resource_id}")
    if status == "DECLINE" and not reason:
        raise SoapFault("A declined instruction needs a reasonCode")
    conn.execute(
        insert(response).values(
            realm=realm,
            batch_uid=found.uid,
            resource_id=resource_id,
            accept_status=status,
            mw=mw,
            reason_code=reason,
            responder=responder,
            responded_at=naive_utc(now),
        )
    )


def new_trajectory(conn: Connection, realm: str, coordinators: list[str], now: datetime) -> bool:
    """Whether batches were sent since the coordinators last read their trajectory data."""
    read = (
        conn.execute(
            select(trajectory_read.c.read_through).where(
                trajectory_read.c.realm == realm, trajectory_read.c.scheduling_coordinator.in_(coordinators)
            )
        )
        .scalars()
        .all()
    )
    return not read or min(read) < latest_start(now)


def read_trajectory(conn: Connection, realm: str, coordinators: list[str], now: datetime) -> None:
    through = latest_start(now)
    for coordinator in coordinators:
        done = conn.execute(
            update(trajectory_read)
            .where(trajectory_read.c.realm == realm, trajectory_read.c.scheduling_coordinator == coordinator)
            .values(read_through=through)
        )
        if not done.rowcount:
            conn.execute(
                insert(trajectory_read).values(
                    realm=realm, scheduling_coordinator=coordinator, read_through=through
                )
            )
