"""The market's results, as every service reads them: each resource's schedule in a market run of a
trading day, cleared from the inputs the run had when it closed:

- the clean bids (SIBR records in their bidding window, valid or modified at close; the latest one
  for an interval wins), falling back in real time on the day-ahead bid and, for resource-adequacy
  resources, on the bid CAISO generates;
- the outages in force (OMS records approved when the run closed).

Clearing is deterministic in those inputs, so results are cached by them: computed once, the same
for every tenant holding the same bids, and unchanged by anything submitted after the close (the
bidding window refuses it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Row, select

from isosim.caiso.b2b.tables import record as record_table
from isosim.caiso.market import bids, outages, timeline
from isosim.caiso.market.clearing import Offer, Schedule, clear, generated_offer
from isosim.caiso.market.registry import Node, Registry, Resource
from isosim.caiso.market.system import RUNS, System
from isosim.caiso.pacific import Interval, day_bounds, intervals
from isosim.core.clock import naive_utc, utc

BID_DATASET, OUTAGE_DATASET = "RawBid", "ResourceOutage"
SCHEDULE_RUNS = ("DAM", "RTPD", "RTD")  # the runs that award resources (IFM, FMM, RTD)


@dataclass(frozen=True)
class _StoredBid:
    record_id: str
    received: datetime
    stored: str | None
    stored_at: datetime | None
    at_close: str
    bid: bids.Bid

    def counts(self, close: datetime) -> bids.Bid | None:
        """The clean bid as the market saw it at `close`, or None if it did not count."""
        if self.received > close:
            return None
        stored = self.stored if self.stored_at is not None and self.stored_at <= close else None
        final = bids.status(stored, self.at_close, self.bid.market, self.bid.start, close)
        return bids.cleaned(self.bid, final) if final in bids.CLEARED_STATUSES else None


@dataclass(frozen=True)
class _StoredOutage:
    received: datetime
    stored: str | None
    stored_at: datetime | None
    pending_until: datetime | None
    outage: outages.Outage

    def in_force(self, close: datetime) -> bool:
        if self.received > close:
            return False
        o = self.outage
        found = outages.status(
            self.stored, self.stored_at, self.received, o.start, o.end, self.pending_until, close
        )
        return found in outages.IN_FORCE


def _records(
    conn: Connection,
    realm: str,
    dataset: str,
    resources: list[Resource],
    day: date,
    now: datetime,
    *where: Any,
) -> Iterator[tuple[Row[Any], dict[str, Any]]]:
    """The resources' B2B records of a dataset overlapping the trading day, received by `now`, in
    order of reception, with their stored content."""
    start, end = day_bounds(day)
    t = record_table
    rows = conn.execute(
        select(t)
        .where(
            t.c.realm == realm,
            t.c.dataset == dataset,
            t.c.scheduling_coordinator.in_(sorted({r.scheduling_coordinator for r in resources})),
            t.c.name.in_([r.resource_id for r in resources]),
            t.c.start_time < naive_utc(end),
            t.c.end_time > naive_utc(start),
            t.c.received_at <= naive_utc(now),
            *where,
        )
        .order_by(t.c.received_at, t.c.record_id)
    )
    for row in rows:
        yield row, json.loads(row.fields)


def _bids(
    conn: Connection, realm: str, resources: list[Resource], markets: list[str], day: date, now: datetime
) -> dict[str, list[_StoredBid]]:
    found: dict[str, list[_StoredBid]] = defaultdict(list)
    in_markets = record_table.c.market_type.in_(markets)
    for row, content in _records(conn, realm, BID_DATASET, resources, day, now, in_markets):
        try:
            bid = bids.parse(
                content["tree"], row.name, row.market_type, utc(row.start_time), utc(row.end_time)
            )
        except (bids.BidError, KeyError, TypeError, AttributeError):
            continue  # not a bid the market can read (it was refused or marked invalid on arrival)
        stored_at = utc(row.status_at) if row.status_at else None
        held = _StoredBid(
            row.record_id, utc(row.received_at), row.status, stored_at, content.get("at_close", ""), bid
        )
        found[row.name].append(held)
    return found


def _outages(
    conn: Connection, realm: str, resources: list[Resource], day: date, now: datetime
) -> dict[str, list[_StoredOutage]]:
    found: dict[str, list[_StoredOutage]] = defaultdict(list)
    for row, content in _records(conn, realm, OUTAGE_DATASET, resources, day, now):
        received = utc(row.received_at)
        pending = outages.pending_until(content, received)
        outage = outages.Outage(
            row.name, utc(row.start_time), utc(row.end_time), outages.availability(content.get("tree", {}))
        )
        stored_at = utc(row.status_at) if row.status_at else None
        found[row.name].append(_StoredOutage(received, row.status, stored_at, pending, outage))
    return found


def _in_force(stored: list[_StoredBid], close: datetime, instant: datetime) -> list[bids.Bid]:
    """The clean bids covering an interval that counted at close, in order of reception (a newer
    submission has made the older ones obsolete; records of one submission stand together)."""
    found = []
    for item in stored:
        if item.bid.start <= instant < item.bid.end:
            bid = item.counts(close)
            if bid is not None:
                found.append(bid)
    return found


def _offer(held: list[bids.Bid], instant: datetime) -> Offer | None:
    """What the bids in force offer for the interval: each product's latest schedule."""
    chosen: dict[str, bids.Schedule] = {}
    for bid in held:
        for product in bids.PRODUCTS:
            found = bid.schedule(product, instant)
            if found is not None:
                chosen[product] = found
    energy = chosen.get(bids.ENERGY)
    ancillary = tuple(
        (product, found.curve[0][0], found.curve[0][1])
        for product, found in chosen.items()
        if product != bids.ENERGY and found.curve
    )
    if energy is None and not ancillary:
        return None
    return Offer(energy.curve if energy else (), energy.self_mw if energy else None, ancillary)


def _close(run: str, iv: Interval) -> datetime:
    return timeline.bid_close(RUNS[run].market, iv.start)


@lru_cache(maxsize=2048)
def _cleared(
    resource: Resource,
    node: Node,
    system: System,
    run: str,
    day: date,
    offers: tuple[Offer | None, ...],
    caps: tuple[float | None, ...],
    committed: tuple[bool, ...] | None,
) -> Schedule:
    return clear(resource, node, system, run, day, offers, caps, committed)


def schedules(
    conn: Connection,
    realm: str,
    registry: Registry,
    resources: list[Resource],
    run: str,
    day: date,
    now: datetime,
) -> list[Schedule]:
    """Each resource's schedule in the run (DAM, RTPD or RTD) of the trading day, every interval of
    it (callers show only what is published)."""
    assert run in SCHEDULE_RUNS, run
    resources = [r for r in resources if registry.node(r.pnode) is not None]
    if not resources:
        return []
    real_time = run != "DAM"
    stored = _bids(conn, realm, resources, ["DAM", "RTM"] if real_time else ["DAM"], day, now)
    held = _outages(conn, realm, resources, day, now)
    ivs = intervals(day, RUNS[run].minutes)
    closes = [_close(run, iv) for iv in ivs]
    system = registry.system
    day_ahead = (
        {s.resource.resource_id: s for s in schedules(conn, realm, registry, resources, "DAM", day, now)}
        if real_time
        else {}
    )
    da_close = timeline.dam_close(day)
    found = []
    for resource in resources:
        node = registry.node(resource.pnode)
        assert node is not None
        mine = stored.get(resource.resource_id, [])
        rt_bids = [b for b in mine if b.bid.market == "RTM"]
        da_bids = [b for b in mine if b.bid.market == "DAM"]
        hourly = _hourly(day_ahead.get(resource.resource_id))
        generated = _generated(resource, node, system, run, day)
        offers: list[Offer | None] = []
        for n, (iv, close) in enumerate(zip(ivs, closes, strict=True)):
            offer = None
            if real_time and resource.resource_type == "LOAD":
                # Loads do not bid in real time: their day-ahead schedule stands.
                hour = hourly.get(_hour_of(iv))
                offer = Offer(self_mw=hour) if hour else None
            else:
                if real_time and rt_bids:
                    offer = _offer(_in_force(rt_bids, close, iv.start), iv.start)
                if offer is None and da_bids:
                    offer = _offer(_in_force(da_bids, da_close, iv.start), iv.start)
                if offer is None:
                    offer = generated[n]
            offers.append(offer)
        caps: list[float | None] = []
        outages_of = held.get(resource.resource_id, [])
        for iv, close in zip(ivs, closes, strict=True):
            cap = None
            for item in outages_of:
                limit = item.outage.cap(iv.start, iv.end)
                if limit is not None and item.in_force(close):
                    cap = limit if cap is None else min(cap, limit)
            caps.append(cap)
        committed = tuple((hourly.get(_hour_of(iv)) or 0) > 0 for iv in ivs) if real_time else None
        found.append(_cleared(resource, node, system, run, day, tuple(offers), tuple(caps), committed))
    return found


@lru_cache(maxsize=4096)
def _generated(
    resource: Resource, node: Node, system: System, run: str, day: date
) -> tuple[Offer | None, ...]:
    """The bids SIBR would generate for the resource in every interval of the run's day."""
    return tuple(
        generated_offer(resource, node, system, run, day, iv) for iv in intervals(day, RUNS[run].minutes)
    )


def _hour_of(iv: Interval) -> datetime:
    """The start of the hour holding an interval (Pacific hours begin on whole UTC hours)."""
    return iv.start.replace(minute=0)


def _hourly(schedule: Schedule | None) -> dict[datetime, float]:
    """A day-ahead schedule's cleared MW by hour start."""
    if schedule is None:
        return {}
    return dict(zip((iv.start for iv in schedule.intervals), schedule.cleared, strict=True))
