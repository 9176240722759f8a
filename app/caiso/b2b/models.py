"""B2B rules, for every dataset of datasets.toml: what a caller may see, what a submission must
satisfy, what is stored, and the records a retrieve returns.

- Data belongs to scheduling coordinators: a caller sees and submits only for the coordinators its
  certificate acts for; naming another one is CAISO's `Invalid role and/or Entity list identifier.`
- A record is what CAISO's documents hold: one subject (a resource, a location, ...) in one market,
  its values over time as intervals (TradeIntervalData, a bid's schedules) or over one period.
- Generated data (market results, reference data) is a function of the pack's seed, the record's key,
  interval and market: the same question always gets the same answer, for any window. It is published
  as CAISO publishes: day-ahead results for a trading day from 13:00 Pacific the day before, real-time
  results once their interval has ended, daily and monthly data once the period has begun.
- Submissions are checked record by record and stored all or nothing. Records that break a value
  rule are refused with the whole submission, unless the dataset stores them with an `invalid`
  status (SIBR's bids: status I, with the reason).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Union

from sqlalchemy import Connection, and_, insert, or_, select, update

from isosim.caiso import pacific
from isosim.caiso.b2b import rules, spec
from isosim.caiso.b2b.tables import record as record_table
from isosim.caiso.b2b.tables import transaction as transaction_table
from isosim.caiso.market.registry import Contract, Registry, Resource
from isosim.caiso.soap.envelope import SoapFault
from isosim.core.clock import naive_utc, utc

if TYPE_CHECKING:
    from isosim.caiso.b2b.schemas import Shape

Tree = dict[str, list[Union[str, "Tree"]]]
ROLE_ERROR = "Invalid role and/or Entity list identifier."
MAX_RECORDS = 200_000  # CAISO's published retrieval limit (settlement meter data), counted in intervals
SPAN_START = datetime(2024, 1, 1, tzinfo=UTC)  # generated reference data (RDTs, definitions) is in force
SPAN_END = datetime(2100, 1, 1, tzinfo=UTC)  # from SPAN_START, open-ended
NAME_LIMIT = 40  # OMS resource names, and names in general
WIRE_TIME = "%Y-%m-%dT%H:%M:%S-00:00"  # interval times as CAISO writes them (GMT, offset -00:00)
# How a pack resource's type reads in CAISO's result documents: (resourceType, resourceSubType).
RESOURCE_TYPES = {
    "GEN": ("GEN", "GEN"),
    "LOAD": ("LOAD", "NPL"),
    "ITIE": ("ITIE", "ITIE_I"),
    "ETIE": ("ITIE", "ITIE_E"),
}
RESOURCE_TYPES["PDR"] = ("GEN", "GEN")  # proxy demand resources are scheduled as supply


@dataclass(frozen=True)
class Name:
    """Something records can be about, for one coordinator ("" for public system data)."""

    name: str
    coordinator: str
    low: float  # the mw scale
    high: float
    resource: Resource | None = None
    attrs: tuple[tuple[str, str], ...] = ()  # what a public name carries besides its name (a zone's level)

    def attribute(self, source: str) -> str:
        """A record element's value drawn from the subject: resource.type|subtype|pnode, name.<x>."""
        kind, _, what = source.partition(".")
        if kind == "resource" and self.resource is not None:
            types = RESOURCE_TYPES[self.resource.resource_type]
            return {"type": types[0], "subtype": types[1], "pnode": self.resource.pnode}.get(what, "")
        if kind == "name":
            return self.name if what == "name" else dict(self.attrs).get(what, "")
        return source  # a literal


@dataclass(frozen=True)
class Reference:
    """What B2B data is about: the market registry's resources and contracts (app/caiso/market)."""

    registry: Registry

    @property
    def seed(self) -> str:
        return self.registry.seed

    @property
    def resources(self) -> tuple[Resource, ...]:
        return self.registry.resources

    @property
    def contracts(self) -> tuple[Contract, ...]:
        return self.registry.contracts

    def names(self, dataset: spec.Dataset, coordinators: list[str]) -> list[Name]:
        """Every name of the dataset the coordinators may see (for `any`: none are known ahead)."""
        scale = dataset.capacity or 1000.0
        source = dataset.names
        if isinstance(source, list):
            found = []
            for item in source:
                if isinstance(item, dict):
                    attrs = tuple(sorted((k, v) for k, v in item.items() if k != "name"))
                    found.append(Name(item["name"], "", 0.0, scale, attrs=attrs))
                else:
                    found.append(Name(item, "", 0.0, scale))
            return found
        if source == "coordinator":
            return [Name(c, c, 0.0, scale) for c in coordinators]
        if source == "tac_areas":  # CA ISO-TAC, then the market's CAISO areas
            areas = [a.tac_area for a in self.registry.tac_areas if a.caiso]
            return [Name(n, "", 0.0, scale) for n in ("CA ISO-TAC", *areas)]
        if source == "contracts":
            return [
                Name(c.contract_id, c.scheduling_coordinator, 0.0, c.rights_mw)
                for c in self.contracts
                if c.scheduling_coordinator in coordinators
            ]
        chosen = [
            r
            for r in self.resources
            if r.scheduling_coordinator in coordinators
            and (not dataset.types or r.resource_type in dataset.types)
            and (not dataset.fuels or r.fuel in dataset.fuels)
        ]
        if source == "resources":
            return [
                Name(r.resource_id, r.scheduling_coordinator, min(r.pmin, 0.0), r.pmax, r) for r in chosen
            ]
        if source == "pnodes":
            seen: dict[tuple[str, str], Name] = {}
            for r in chosen:
                seen.setdefault(
                    (r.pnode, r.scheduling_coordinator), Name(r.pnode, r.scheduling_coordinator, 0, scale)
                )
            return list(seen.values())
        return []  # any


# --- records --------------------------------------------------------------------------------------


@dataclass
class Record:
    dataset: str
    coordinator: str  # "" for system data
    name: str
    start: datetime  # UTC, aware: the record's whole period
    end: datetime
    market: str = ""
    execution: str = ""
    tree: Tree = field(default_factory=dict)  # the record element's content
    element: str = ""  # the record element ("" for the document's one kind of record)
    intervals: tuple[tuple[datetime, datetime], ...] = ()
    record_id: str = ""  # submitted records only
    transaction_id: str = ""
    received: datetime | None = None
    status: str = ""
    errors: str = ""
    warning: str = ""  # a submission's warning to acknowledge (OMS)

    def content(self) -> Tree:
        """The tree a result document writes: what was submitted or generated, and for submitted
        records their id, transaction, reception, status and errors (where the shape has them)."""
        if not self.record_id:
            return self.tree
        extras = {
            "recordId": [self.record_id],
            "transactionId": [self.transaction_id],
            "receivedTime": [self.received.strftime(WIRE_TIME)] if self.received else [],
            "status": [self.status] if self.status else [],
            "errors": [self.errors] if self.errors else [],
        }
        extras["mRID"] = [self.record_id]  # the id CAISO gives what it receives (bids, outages)
        return {**self.tree, **extras}


@dataclass(frozen=True)
class Query:
    start: datetime | None = None
    end: datetime | None = None
    market: str = ""
    execution: str = ""
    coordinators: tuple[str, ...] = ()  # asked for; () is every coordinator of the caller
    names: tuple[str, ...] = ()
    transaction_id: str = ""
    record_ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    filters: dict[str, frozenset[str]] = field(default_factory=dict)  # element path -> values wanted
    action: str = ""


def coordinators_for(asked: tuple[str, ...], own: list[str]) -> list[str]:
    """The coordinators a request covers; asking for one the caller does not act for is a role error."""
    if any(c not in own for c in asked):
        raise RoleError(ROLE_ERROR)
    return list(asked) or list(own)


class RoleError(SoapFault):
    """CAISO answers this one inside the attachment, in place of the data document."""


# --- intervals -----------------------------------------------------------------------------------


def periods(interval: str, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """(start, end) of every period of the dataset's interval that overlaps the window."""
    if interval == "span":
        if end > SPAN_START and start < SPAN_END:
            yield SPAN_START, SPAN_END
        return
    if interval == "month":
        at = pacific.month_start(start)
        while at < end:
            following = pacific.next_month(at)
            yield at, following
            at = following
        return
    for day in pacific.trading_days(start, end):
        if interval == "day":
            yield pacific.day_bounds(day)
            continue
        for slot in pacific.intervals(day, spec.INTERVALS[interval]):
            if slot.end > start and slot.start < end:
                yield slot.start, slot.end


def is_period(interval: str, start: datetime, end: datetime) -> bool:
    """Whether [start, end) is exactly one period of the interval (span: any non-empty window)."""
    if interval == "span":
        return start < end
    found = list(periods(interval, start, start + timedelta(microseconds=1)))
    return bool(found) and found[0][0] == start and found[0][1] == end


def _published(dataset: spec.Dataset, market: str, start: datetime, end: datetime, now: datetime) -> bool:
    if dataset.interval == "span":
        return True
    if market == "DAM":
        return end <= pacific.Publication.DAY_AHEAD.until(now)
    if market == "2DA":  # the two-day-ahead run: two trading days ahead
        return end <= pacific.Publication.DAYS_AHEAD_2.until(now)
    if dataset.interval in ("day", "month"):
        return start <= now
    return end <= pacific.Publication.REAL_TIME.until(now)


# --- generated data ------------------------------------------------------------------------------


def _units(count: int, *parts: str) -> list[float]:
    """`count` (at most 8) uniform numbers in [0, 1) drawn from one hash of the parts."""
    digest = hashlib.blake2b("|".join(parts).encode(), digest_size=8 * count).digest()
    return [int.from_bytes(digest[8 * n : 8 * n + 8], "big") / 2**64 for n in range(count)]


def _value(column: spec.Field, name: Name, u: float, hour: float) -> str:
    resource = name.resource
    if column.kind == "mw":
        if resource is not None and column.name.lower().startswith("pmin"):
            return f"{resource.pmin:.2f}"
        if resource is not None and column.name.lower().startswith("pmax"):
            return f"{resource.pmax:.2f}"
        return f"{name.low + u * (name.high - name.low):.2f}"
    if column.kind == "price":
        # An evening peak and a midday dip (the duck), with rare scarcity spikes.
        shape = 38 + 22 * max(0.0, 1 - abs(hour - 19) / 4) - 14 * max(0.0, 1 - abs(hour - 13) / 4)
        spike = 600 * u if u > 0.985 else 0.0
        return f"{shape + (u - 0.5) * 12 + spike:.2f}"
    if column.kind == "cost":
        return f"{500 + u * 49500:.2f}"
    if column.kind == "percent":
        return f"{u * 100:.2f}"
    if column.kind == "count":
        return str(1 + int(u * 10))
    if column.kind == "flag":
        return "true" if u > 0.8 else "false"
    if column.kind == "code":
        if resource is not None and column.name == "fuelType" and resource.fuel in column.choices:
            return resource.fuel
        return column.choices[int(u * len(column.choices))]
    initials = "".join(ch for ch in column.name if ch.isupper()) or column.name[:3].upper()
    return f"{initials}{int(u * 1e8):08d}"  # text


@lru_cache(maxsize=65536)
def _interval_leaves(start: datetime, end: datetime) -> tuple[tuple[str, str], ...]:
    """The elements of TradeIntervalData that the interval itself says (cached: every record of a
    retrieve has the same intervals)."""
    local = start.astimezone(pacific.PACIFIC)
    minutes = int((end - start).total_seconds() // 60)
    day_start = pacific.day_bounds(local.date())[0]
    hour = int((start - day_start).total_seconds() // 3600) + 1
    number = 1 + int(((start - day_start).total_seconds() % 3600) // (minutes * 60)) if minutes < 60 else 1
    return (
        ("intervalStartTime", start.strftime(WIRE_TIME)),
        ("intervalEndTime", end.strftime(WIRE_TIME)),
        ("HR", str(hour)),
        ("intervalNum", str(number)),
        ("intervalDuration", str(minutes)),
        ("tradeDate", local.date().isoformat()),
    )


def _nest(content: Tree, path: str, value: str) -> None:
    head, _, rest = path.partition("/")
    if not rest:
        content.setdefault(head, []).append(value)
        return
    children = content.setdefault(head, [])
    if not children:
        children.append({})
    target = children[0]
    assert isinstance(target, dict)
    _nest(target, rest, value)


def interval_stamp(point_names: set[str], start: datetime, end: datetime) -> Tree:
    """What an interval element says of the interval itself, limited to the elements it has."""
    return {k: [v] for k, v in _interval_leaves(start, end) if k in point_names}


def record_base(
    dataset: spec.Dataset, leaves: set[str], name: Name, market: str, execution: str, values: dict[str, str]
) -> Tree:
    """A result record's own elements: who and what it is about (coordinator, name, market run,
    the subject's attributes) and its record-level fields, limited to the elements the shape has."""
    content: Tree = {}
    roles = {
        dataset.path("market"): market,
        dataset.path("execution"): execution,
        dataset.path("coordinator"): name.coordinator,
        dataset.path("name")
        or ("schedulingCoordinator" if dataset.key == "SchedulingCoordinator" else dataset.key): name.name,
    }
    for path, value in roles.items():
        if value and path.partition("/")[0] in leaves:
            _nest(content, path, value)
    for path, source in dataset.attributes.items():
        value = name.attribute(source)
        if value:
            _nest(content, path, value)
    for column in dataset.record_fields:
        value = values.get(column.name, "")
        if column.name in leaves and not (column.optional and value == ""):
            content.setdefault(column.name, []).append(value)
    return content


def generate(
    reference: Reference,
    dataset: spec.Dataset,
    shape: Shape,
    names: list[Name],
    query: Query,
    now: datetime,
) -> Iterator[Record]:
    """The dataset's records for the window: one per name, market run and combination of its
    record-level codes, its published intervals nested as the shape's interval elements."""
    assert query.start is not None and query.end is not None
    pairs = [
        (m, e)
        for m, e in (dataset.market_pairs or [("", "")])
        if (not query.market or m == query.market) and (not query.execution or e == query.execution)
    ]
    per_record = dataset.record_fields
    per_interval = dataset.interval_fields
    assert len(per_interval) <= 8 and len(per_record) <= 8, f"{dataset.name}: one hash draws at most 8 fields"
    intervals_path = dataset.path("intervals")
    point_shape = shape.find(intervals_path)
    point_names = {c.name for c in point_shape.children} if point_shape is not None else set()
    leaves = set(shape.index)
    slots = list(periods(dataset.interval, query.start, query.end))
    codes = [c for c in per_record if c.kind == "code"]
    for market, execution in pairs:
        published = [s for s in slots if _published(dataset, market, s[0], s[1], now)]
        if not published:
            continue
        # What each interval says of itself, worked out once for every name and combination.
        stamps = [
            (
                start.strftime("%Y%m%dT%H%M"),
                start.astimezone(pacific.PACIFIC).hour + 0.5,
                interval_stamp(point_names, start, end),
            )
            for start, end in published
        ]
        for name in names:
            draws = _units(
                max(1, len(per_record)), reference.seed, dataset.name, name.name, market, execution
            )
            base = {c.name: _value(c, name, u, 12.0) for c, u in zip(per_record, draws, strict=False)}
            for combo in dataset.combos or [[]]:
                values = {**base, **{c.name: v for c, v in zip(codes, combo, strict=False)}}
                key = "/".join(combo)
                content = record_base(dataset, leaves, name, market, execution, values)
                if dataset.span:
                    for start, end in published:
                        yield _span_record(dataset, name, market, execution, content, start, end)
                    continue
                points = []
                draws = max(1, len(per_interval))
                for label, hour, leaves_of_interval in stamps:
                    units = _units(
                        draws, reference.seed, dataset.name, name.name, label, market, execution, key
                    )
                    point = dict(leaves_of_interval)
                    for column, u in zip(per_interval, units, strict=False):
                        if column.name in point_names and not (column.optional and u < 0.2):
                            point[column.name] = [_value(column, name, u, hour)]
                    points.append(point)
                content[intervals_path.split("/")[-1]] = points
                yield Record(
                    dataset.name,
                    name.coordinator,
                    name.name,
                    published[0][0],
                    published[-1][1],
                    market,
                    execution,
                    content,
                    intervals=tuple(published),
                )


def _span_record(
    dataset: spec.Dataset, name: Name, market: str, execution: str, base: Tree, start: datetime, end: datetime
) -> Record:
    content = {
        **base,
        dataset.path("start"): [start.strftime(WIRE_TIME)],
        dataset.path("end"): [end.strftime(WIRE_TIME)],
    }
    return Record(dataset.name, name.coordinator, name.name, start, end, market, execution, content)


def matches(record: Record, query: Query) -> bool:
    """Whether a record passes the request's filters (on elements the record has)."""
    if not query.filters:
        return True
    from isosim.caiso.b2b.codec import values  # the codec owns tree paths

    for path, wanted in query.filters.items():
        found = [v for v in values(record.tree, path) if isinstance(v, str)]
        if found and not wanted.intersection(found):
            return False
    return True


# --- stored data ---------------------------------------------------------------------------------


def _lifecycle(dataset: spec.Dataset, received: datetime, now: datetime) -> str:
    status = ""
    for name, minutes in dataset.lifecycle:
        if now >= received + timedelta(minutes=minutes):
            status = name
    return status or (dataset.lifecycle[0][0] if dataset.lifecycle else "")


def _from_row(row, dataset: spec.Dataset, now: datetime) -> Record:  # type: ignore[no-untyped-def]
    received = utc(row.received_at)
    content = json.loads(row.fields)
    extra = {k: v for k, v in content.items() if k not in ("tree", "element")}
    held = rules.Stored(
        row.status,
        utc(row.status_at) if row.status_at else None,
        received,
        row.market_type,
        utc(row.start_time),
        utc(row.end_time),
        extra,
    )
    applied = rules.of(dataset.name)
    status = applied.status(held, now) or row.status or _lifecycle(dataset, received, now)
    return Record(
        dataset=row.dataset,
        coordinator=row.scheduling_coordinator,
        name=row.name,
        start=held.start,
        end=held.end,
        market=row.market_type,
        tree=applied.shown(content["tree"], status),
        element=content.get("element", ""),
        record_id=row.record_id,
        transaction_id=row.transaction_id,
        received=received,
        status=status,
        errors=row.errors,
        warning=extra.get("warning", ""),
    )


def stored(
    conn: Connection, realm: str, dataset: spec.Dataset, coordinators: list[str], query: Query, now: datetime
) -> Iterator[Record]:
    t = record_table
    where = [t.c.realm == realm, t.c.dataset == dataset.name, t.c.scheduling_coordinator.in_(coordinators)]
    where.append(t.c.received_at <= naive_utc(now))  # a clock moved back does not see the future
    if query.start is not None and query.end is not None:
        where += [t.c.start_time < naive_utc(query.end), t.c.end_time > naive_utc(query.start)]
    if query.market:
        where.append(t.c.market_type == query.market)
    if query.names:
        where.append(t.c.name.in_(query.names))
    if query.transaction_id:
        where.append(t.c.transaction_id == query.transaction_id)
    if query.record_ids:
        where.append(t.c.record_id.in_(query.record_ids))
    statement = select(t).where(*where).order_by(t.c.start_time, t.c.name, t.c.received_at, t.c.record_id)
    for row in conn.execute(statement):
        yield _from_row(row, dataset, now)


def retrieve(
    conn: Connection,
    realm: str,
    reference: Reference,
    operation: spec.Operation,
    shape: Shape,
    own: list[str],
    query: Query,
    now: datetime,
) -> list[Record]:
    dataset = spec.dataset(operation.dataset)
    coordinators = [] if dataset.public else coordinators_for(query.coordinators, own)
    found: list[Record] = []
    generated = dataset.generated and not operation.submitted_only and not query.transaction_id
    if generated and query.start is not None and query.end is not None:
        names = [
            n
            for n in reference.names(dataset, coordinators)
            if (not query.names or n.name in query.names) and (not query.filters or _name_matches(n, query))
        ]
        found = _within_limit(generate(reference, dataset, shape, names, query, now), query)
    if dataset.source == "market" and query.start is not None and query.end is not None:
        from isosim.caiso.b2b import results  # results reads the market, which reads B2B records

        known = reference.names(dataset, coordinators)
        names = [n for n in known if not query.names or n.name in query.names]
        found = _within_limit(
            results.records(conn, realm, reference.registry, dataset, shape, names, query, now), query
        )
    if dataset.submitted:
        found.extend(r for r in stored(conn, realm, dataset, coordinators, query, now) if matches(r, query))
    statuses = operation.statuses or query.statuses
    if statuses:
        found = [r for r in found if r.status in statuses]
    if len(found) > MAX_RECORDS:
        raise SoapFault(f"the request selects more than {MAX_RECORDS} records; narrow the window")
    return found


def _within_limit(made: Iterator[Record], query: Query) -> list[Record]:
    """The records that pass the request's filters, refused past CAISO's retrieval limit (counted
    in intervals) as soon as it is passed, before more are made."""
    found, points = [], 0
    for item in made:
        if not matches(item, query):
            continue
        found.append(item)
        points += max(1, len(item.intervals))
        if points > MAX_RECORDS:
            raise SoapFault(f"the request selects more than {MAX_RECORDS} records; narrow the window")
    return found


def _name_matches(name: Name, query: Query) -> bool:
    """Filters on what a public name carries (a gas zone's company or level)."""
    attrs = dict(name.attrs)
    for path, wanted in query.filters.items():
        leaf = path.rsplit("/", 1)[-1]
        if leaf in attrs and attrs[leaf] not in wanted:
            return False
    return True


# --- submissions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    transaction_id: str
    records: list[Record]
    invalid: int


def _check(
    conn: Connection,
    realm: str,
    registered: dict[str, dict[str, Name]],
    dataset: spec.Dataset,
    item: Record,
    number: int,
    earlier: list[Record],
    now: datetime,
) -> rules.Verdict:
    """Raise a SoapFault for what refuses the submission; return the verdict on the record: its
    status on arrival (invalid, for datasets that store invalid records) and errors. `registered`:
    for each coordinator the caller acts for, the names the dataset accepts; `earlier`: the
    submission's records before this one."""
    from isosim.caiso.b2b.codec import values

    where = f"record {number} ({item.name or 'unnamed'})"
    if item.coordinator not in registered:
        raise SoapFault(ROLE_ERROR)
    if not item.start < item.end:
        raise SoapFault(f"{where}: the end must be after the start")
    periods_of = item.intervals or ((item.start, item.end),)
    if not dataset.span:
        for start, end in periods_of:
            if not is_period(dataset.interval, start, end):
                raise SoapFault(
                    f"{where}: {start:%Y-%m-%dT%H:%M:%SZ} to {end:%Y-%m-%dT%H:%M:%SZ} "
                    f"is not one {dataset.interval} interval (Pacific trading days)"
                )
            if start < item.start or end > item.end:
                raise SoapFault(f"{where}: an interval lies outside the record's period")
        if "/" not in dataset.path("intervals") and len(set(periods_of)) != len(periods_of):
            raise SoapFault(f"{where}: an interval is given twice")
    if dataset.has_market and item.market not in dataset.markets:
        raise SoapFault(f"{where}: marketType must be one of {', '.join(dataset.markets)}")
    if dataset.names == "any":
        if not 0 < len(item.name) <= NAME_LIMIT:
            raise SoapFault(f"{where}: {dataset.key} must have 1 to {NAME_LIMIT} characters")
        name = Name(item.name, item.coordinator, 0.0, dataset.capacity or 1000.0)
    else:
        known = registered[item.coordinator]
        if item.name not in known:
            raise SoapFault(
                f"{where}: {dataset.key} {item.name} is not registered to scheduling coordinator "
                f"{item.coordinator} for {dataset.name}"
            )
        name = known[item.name]
    refusal = rules.of(dataset.name).window(item.market, item.start, item.end, now)
    if refusal:
        raise SoapFault(f"{where}: {refusal}")
    verdict = rules.of(dataset.name).judge(item, name, earlier, now)
    if verdict is not None:
        return verdict
    problems = []
    for path, kind in dataset.value_checks.items():
        for text in values(item.tree, path):
            if not isinstance(text, str) or not text:
                continue
            label = path.rsplit("/", 1)[-1]
            if kind.startswith("ref("):
                _check_reference(conn, realm, item, where, label, text, kind[4:-1])
                continue
            number_value = float(text)
            if kind == "mw" and not name.low <= number_value <= name.high:
                problems.append(f"{label} {text} is outside {name.low:g} to {name.high:g} MW for {item.name}")
            if kind == "price" and not spec.PRICE_FLOOR <= number_value <= spec.PRICE_CAP:
                problems.append(
                    f"{label} {text} is outside the bid floor {spec.PRICE_FLOOR:g} "
                    f"and the soft offer cap {spec.PRICE_CAP:g} $/MWh"
                )
    if problems and not dataset.invalid:
        raise SoapFault(f"{where}: " + "; ".join(problems))
    text = "; ".join(dict.fromkeys(problems))
    return rules.Verdict(dataset.invalid if text else None, text)


def _check_reference(
    conn: Connection, realm: str, item: Record, where: str, label: str, text: str, target: str
) -> None:
    """A reference must name a record of the target dataset that the submitter owns."""
    found = conn.execute(
        select(record_table.c.record_id).where(
            record_table.c.realm == realm,
            record_table.c.dataset == target,
            record_table.c.record_id == text,
            record_table.c.scheduling_coordinator == item.coordinator,
        )
    ).first()
    if found is None:
        raise SoapFault(f"{where}: {label} {text} is not a {target} of {item.coordinator}")


def submit(
    conn: Connection,
    realm: str,
    reference: Reference,
    operation: spec.Operation,
    endpoint_operation: str,
    items: list[Record],
    user: str,
    own: list[str],
    now: datetime,
) -> Receipt:
    """Check every record, then store them all (or nothing: the first problem is a fault)."""
    if not items:
        raise SoapFault(f"the {operation.document} document holds no records")
    dataset = spec.dataset(operation.dataset)
    registered = {c: {n.name: n for n in reference.names(dataset, [c])} for c in own}
    verdicts = [
        _check(conn, realm, registered, dataset, item, n, items[: n - 1], now)
        for n, item in enumerate(items, 1)
    ]
    transaction_id = str(uuid.uuid4())
    received = naive_utc(now)
    conn.execute(
        insert(transaction_table).values(
            realm=realm,
            transaction_id=transaction_id,
            app=operation.app,
            operation=endpoint_operation,
            scheduling_coordinator=items[0].coordinator,
            submitted_by=user,
            received_at=received,
            record_count=len(items),
            invalid_count=sum(1 for v in verdicts if v.status == dataset.invalid and dataset.invalid),
        )
    )
    t = record_table
    if dataset.supersede:
        for item in items:
            conn.execute(
                update(t)
                .where(
                    t.c.realm == realm,
                    t.c.dataset == dataset.name,
                    t.c.scheduling_coordinator == item.coordinator,
                    t.c.name == item.name,
                    t.c.start_time < naive_utc(item.end),
                    t.c.end_time > naive_utc(item.start),
                    t.c.market_type == item.market,
                    or_(t.c.status.is_(None), t.c.status != dataset.supersede),
                )
                .values(status=dataset.supersede, status_at=received)
            )
    rows = []
    for n, (item, verdict) in enumerate(zip(items, verdicts, strict=True), 1):
        item.record_id, item.transaction_id, item.received = f"{transaction_id}-{n}", transaction_id, now
        item.errors, item.warning = verdict.errors, verdict.extra.get("warning", "")
        content = {**verdict.extra, "tree": item.tree, "element": item.element}
        rows.append(
            {
                "realm": realm,
                "record_id": item.record_id,
                "transaction_id": transaction_id,
                "dataset": dataset.name,
                "scheduling_coordinator": item.coordinator,
                "name": item.name,
                "start_time": naive_utc(item.start),
                "end_time": naive_utc(item.end),
                "market_type": item.market,
                "received_at": received,
                "status": verdict.status,
                "status_at": received if verdict.status else None,
                "errors": verdict.errors,
                "fields": json.dumps(content, sort_keys=True),
            }
        )
    conn.execute(insert(t), rows)
    return Receipt(
        transaction_id, items, sum(1 for v in verdicts if v.status == dataset.invalid and dataset.invalid)
    )


def act(
    conn: Connection,
    realm: str,
    operation: spec.Operation,
    request: Query,
    own: list[str],
    now: datetime,
) -> int:
    """Apply an action (cancel, withdraw, acknowledge) to the caller's records it names; returns how
    many. Naming nothing the caller owns is a fault."""
    if not request.transaction_id and not request.record_ids:
        raise SoapFault(f"{operation.document} names no records: give a transactionId or recordIds")
    t = record_table
    selection = [t.c.realm == realm, t.c.dataset.in_(operation.datasets), t.c.scheduling_coordinator.in_(own)]
    chosen = []
    if request.transaction_id:
        chosen.append(t.c.transaction_id == request.transaction_id)
    if request.record_ids:
        chosen.append(t.c.record_id.in_(request.record_ids))
    columns = (t.c.record_id, t.c.dataset, t.c.market_type, t.c.start_time, t.c.end_time, t.c.fields)
    rows = conn.execute(select(*columns).where(*selection, and_(*chosen))).all()
    if not rows:
        raise SoapFault(f"no records of {', '.join(own)} match the {operation.document} request")
    for row in rows:  # SIBR: nothing changes once the market has closed
        refusal = rules.of(row.dataset).window(row.market_type, utc(row.start_time), utc(row.end_time), now)
        if refusal:
            raise SoapFault(f"record {row.record_id}: {refusal}")
    effect = operation.actions[request.action]
    name, equals, value = effect.partition("=")
    for row in rows:
        if equals:  # a field set on the record (OMS warning acknowledgement)
            stored = json.loads(row.fields)
            stored["tree"][name] = [value]
            extra = {k: v for k, v in stored.items() if k not in ("tree", "element")}
            extra = rules.of(row.dataset).acted(extra, now)
            stored = {**extra, "tree": stored["tree"], "element": stored.get("element", "")}
            change = {"fields": json.dumps(stored, sort_keys=True)}
        else:
            change = {"status": effect, "status_at": naive_utc(now)}
        conn.execute(update(t).where(t.c.realm == realm, t.c.record_id == row.record_id).values(**change))
    return len(rows)


@dataclass(frozen=True)
class BatchState:
    transaction_id: str
    scheduling_coordinator: str
    operation: str
    received: datetime
    record_count: int
    invalid_count: int
    errors: tuple[tuple[str, str], ...]  # (record's name, its errors)

    @property
    def status(self) -> str:
        if self.invalid_count == 0:
            return "VALIDATED"
        return "REJECTED" if self.invalid_count == self.record_count else "PARTIALLY_VALIDATED"


def batch_status(
    conn: Connection, realm: str, app: str, transaction_id: str, own: list[str]
) -> BatchState | None:
    """A submission's processing status, for the caller's own submissions to that application."""
    t = transaction_table
    row = conn.execute(
        select(t).where(
            t.c.realm == realm,
            t.c.app == app,
            t.c.transaction_id == transaction_id,
            t.c.scheduling_coordinator.in_(own),
        )
    ).first()
    if row is None:
        return None
    errors = conn.execute(
        select(record_table.c.name, record_table.c.errors)
        .where(
            record_table.c.realm == realm,
            record_table.c.transaction_id == transaction_id,
            record_table.c.errors != "",
        )
        .order_by(record_table.c.record_id)
    ).all()
    return BatchState(
        row.transaction_id,
        row.scheduling_coordinator,
        row.operation,
        utc(row.received_at),
        row.record_count,
        row.invalid_count,
        tuple((e.name, e.errors) for e in errors),
    )
