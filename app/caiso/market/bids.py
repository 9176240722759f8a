"""Bids, as SIBR takes them: what a bid says (parsed from its CIM ParticipantInterfaces tree), the
rules it must meet, and its status from submission to market close (CIM/SIBR bid status codes).

Rules (SIBR's, README "The CAISO market"):
- Timing: a bid is taken from seven days before its trading day until its market closes (DAM 10:00
  Pacific the day before, RTM 75 minutes before the hour); outside that it is refused and nothing
  is stored.
- Energy prices between the -150 $/MWh floor and the 2,000 $/MWh hard cap; above the 1,000 $/MWh
  soft cap a bid is conditionally valid and is capped at 1,000 at market close (status M).
- At most 10 segments, MW increasing, prices monotonic (rising for supply, falling for demand);
  every MW (curve points and self-schedule) within the resource's Pmin..Pmax.
- Self-schedule types are SIBR's (PT, ETC, TOR, RMT, SP, RA, BAS, LOF, WHL, LPT).
- Ancillary services: one segment, 0 < MW <= Pmax - Pmin, 0..250 $/MW; a product the resource is
  not certified for is conditionally valid and rejected at market close (status RJ).
- One bid per resource, market, product and interval; loads do not bid in real time.
A bid breaking a hard rule is stored as invalid (I) with its reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from isosim.caiso.market import timeline
from isosim.caiso.market.registry import AS_PRODUCTS, Resource

ENERGY = "EN"
PRODUCTS = (ENERGY, *AS_PRODUCTS)
ENERGY_FLOOR, SOFT_CAP, HARD_CAP = -150.0, 1000.0, 2000.0  # $/MWh
AS_CAP = 250.0  # $/MW
MAX_SEGMENTS = 10
SELF_SCHEDULE_TYPES = ("PT", "ETC", "TOR", "RMT", "SP", "RA", "BAS", "LOF", "WHL", "LPT")

# Bid statuses (CIM/SIBR codes)
VALID, CONDITIONAL, INVALID, REJECTED = "V", "CV", "I", "RJ"
CLEAN, MODIFIED, OBSOLETE, CANCELLED = "CL", "M", "O", "CX"
CLEARED_STATUSES = frozenset({CLEAN, MODIFIED})  # what the market clears, once closed

Tree = dict[str, list[Any]]


class BidError(ValueError):
    """A bid whose numbers or times cannot be read at all."""


@dataclass(frozen=True)
class Schedule:
    """One product's bid over one interval (a BidSchedule)."""

    product: str
    start: datetime  # aware UTC
    end: datetime
    curve: tuple[tuple[float, float], ...]  # (MW, price) breakpoints, as submitted
    self_mw: float | None = None
    self_type: str = ""


@dataclass(frozen=True)
class Bid:
    resource: str
    market: str  # DAM or RTM
    start: datetime
    end: datetime
    schedules: tuple[Schedule, ...]

    def schedule(self, product: str, instant: datetime) -> Schedule | None:
        for found in self.schedules:
            if found.product == product and found.start <= instant < found.end:
                return found
        return None


def _first(tree: Tree, name: str) -> Any:
    found = tree.get(name) or []
    return found[0] if found else None


def _number(text: Any, what: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise BidError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise BidError(f"{what} {text!r} is not a finite number")
    return value


def _instant(text: Any) -> datetime:
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise BidError(f"{text!r} is not a time") from None
    if value.tzinfo is None:
        raise BidError(f"{text!r} has no time zone")
    return value


def parse(tree: Tree, resource: str, market: str, start: datetime, end: datetime) -> Bid:
    """A bid record's content (GeneratingBid, LoadBid or InterTieBid) as a Bid. Raises BidError."""
    schedules = []
    for product_bid in tree.get("ProductBid", []):
        product = _first(_first(product_bid, "MarketProduct") or {}, "marketProductType") or ""
        for item in product_bid.get("BidSchedule", []):
            curve = []
            price_curve = _first(item, "BidPriceCurve")
            for point in (price_curve or {}).get("CurveSchedData", []):
                curve.append(
                    (
                        _number(_first(point, "xAxisData"), "xAxisData"),
                        _number(_first(point, "y1AxisData"), "y1AxisData"),
                    )
                )
            self_mw = _first(item, "selfScheduleMW")
            schedules.append(
                Schedule(
                    product,
                    _instant(_first(item, "timeIntervalStart")),
                    _instant(_first(item, "timeIntervalEnd")),
                    tuple(curve),
                    None if self_mw in (None, "") else _number(self_mw, "selfScheduleMW"),
                    _first(item, "selfScheduleType") or "",
                )
            )
    return Bid(resource, market, start, end, tuple(schedules))


# --- SIBR's rules ----------------------------------------------------------------------------------


def refusal(market: str, start: datetime, end: datetime, now: datetime) -> str:
    """SIBR's answer to a bid outside its bidding window (nothing is stored), or ""."""
    close = timeline.bid_close(market, start)
    if now >= close:
        local = close.astimezone(timeline.PACIFIC)
        return (
            f"The {market} market for {start.astimezone(timeline.PACIFIC):%Y-%m-%d %H:%M} closed at "
            f"{local:%Y-%m-%d %H:%M} Pacific: bids can no longer be submitted, changed or cancelled"
        )
    opens = timeline.bid_open(market, start)
    if now < opens:
        return (
            f"The {market} market for {start.astimezone(timeline.PACIFIC):%Y-%m-%d} is not open yet: "
            f"bids are taken from {opens.astimezone(timeline.PACIFIC):%Y-%m-%d %H:%M} Pacific"
        )
    return ""


@dataclass(frozen=True)
class Verdict:
    status: str  # V, CV or I
    errors: tuple[str, ...] = ()
    at_close: str = ""  # what a conditionally valid bid becomes at market close: M or RJ


def judge(bid: Bid, resource: Resource) -> Verdict:
    """SIBR's validation of a bid that arrived in its bidding window."""
    hard: list[str] = []
    capped: list[str] = []
    uncertified: list[str] = []
    demand = not resource.supply
    seen: set[tuple[str, datetime]] = set()
    if demand and bid.market == "RTM" and resource.resource_type == "LOAD":
        hard.append(f"{resource.resource_id}: loads do not bid in the real-time market")
    for item in bid.schedules:
        when = f"{item.product} {item.start:%Y-%m-%dT%H:%MZ}"
        if item.product not in PRODUCTS:
            hard.append(f"{when}: unknown product {item.product!r}")
            continue
        if (item.product, item.start) in seen:
            hard.append(
                f"{when}: more than one bid for {resource.resource_id} in {bid.market} for this interval"
            )
        seen.add((item.product, item.start))
        if not (bid.start <= item.start < item.end <= bid.end):
            hard.append(f"{when}: the interval lies outside the bid's period")
        if item.product == ENERGY:
            _energy_rules(item, resource, demand, when, hard, capped)
        else:
            _ancillary_rules(item, resource, when, hard)
            if item.product not in resource.products:
                uncertified.append(f"{when}: {resource.resource_id} is not certified for {item.product}")
    if hard:
        return Verdict(INVALID, tuple(hard))
    if uncertified:
        return Verdict(CONDITIONAL, tuple(uncertified + capped), REJECTED)
    if capped:
        return Verdict(CONDITIONAL, tuple(capped), MODIFIED)
    return Verdict(VALID)


def _energy_rules(
    item: Schedule, resource: Resource, demand: bool, when: str, hard: list[str], capped: list[str]
) -> None:
    low, high = resource.pmin, resource.pmax
    if len(item.curve) > MAX_SEGMENTS:
        hard.append(f"{when}: {len(item.curve)} segments, more than {MAX_SEGMENTS}")
    if not item.curve and item.self_mw is None:
        hard.append(f"{when}: neither a bid curve nor a self-schedule")
    previous: tuple[float, float] | None = None
    for mw, price in item.curve:
        if not low <= mw <= high:
            hard.append(f"{when}: {mw:g} MW is outside {low:g} to {high:g} MW (Pmin..Pmax)")
        if price < ENERGY_FLOOR:
            hard.append(f"{when}: {price:g} $/MWh is below the bid floor of {ENERGY_FLOOR:g} $/MWh")
        elif price > HARD_CAP:
            hard.append(f"{when}: {price:g} $/MWh is above the hard offer cap of {HARD_CAP:g} $/MWh")
        elif price > SOFT_CAP:
            capped.append(f"{when}: {price:g} $/MWh is above the soft offer cap of {SOFT_CAP:g} $/MWh")
        if previous is not None:
            if mw <= previous[0]:
                hard.append(f"{when}: the curve's MW must increase from segment to segment")
            if (price > previous[1]) if demand else (price < previous[1]):
                direction = "fall" if demand else "rise"
                hard.append(f"{when}: the curve's prices must {direction} with its MW (monotonic)")
        previous = (mw, price)
    if item.self_mw is not None:
        if not low <= item.self_mw <= high:
            hard.append(f"{when}: self-schedule {item.self_mw:g} MW is outside {low:g} to {high:g} MW")
        if item.self_type not in SELF_SCHEDULE_TYPES:
            known = ", ".join(SELF_SCHEDULE_TYPES)
            hard.append(f"{when}: self-schedule type {item.self_type!r} is not one of {known}")
    elif item.self_type:
        hard.append(f"{when}: a self-schedule type without selfScheduleMW")


def _ancillary_rules(item: Schedule, resource: Resource, when: str, hard: list[str]) -> None:
    room = resource.pmax - max(resource.pmin, 0.0)
    if len(item.curve) != 1 or item.self_mw is not None:
        hard.append(f"{when}: an ancillary service bid is one segment (MW, $/MW) and no self-schedule")
        return
    mw, price = item.curve[0]
    if not 0 < mw <= room:
        hard.append(f"{when}: {mw:g} MW is outside 0 to {room:g} MW (Pmax - Pmin)")
    if not 0 <= price <= AS_CAP:
        hard.append(f"{when}: {price:g} $/MW is outside 0 to {AS_CAP:g} $/MW")


def status(stored: str | None, at_close: str, market: str, start: datetime, now: datetime) -> str:
    """A bid's status now: what happened to it (invalid, replaced, cancelled) or, for the rest, its
    validation before market close and what market close made of it."""
    if stored in (INVALID, OBSOLETE, CANCELLED):
        return stored
    conditional = stored == CONDITIONAL
    if now < timeline.bid_close(market, start):
        return CONDITIONAL if conditional else VALID
    return (at_close or MODIFIED) if conditional else CLEAN


def cleaned(bid: Bid, final: str) -> Bid:
    """The bid the market clears (its clean bid): a modified bid's prices capped at the soft cap;
    products the resource is not certified for dropped."""
    if final != MODIFIED:
        return bid
    schedules = tuple(
        Schedule(
            s.product,
            s.start,
            s.end,
            tuple((mw, min(price, SOFT_CAP)) for mw, price in s.curve) if s.product == ENERGY else s.curve,
            s.self_mw,
            s.self_type,
        )
        for s in bid.schedules
    )
    return Bid(bid.resource, bid.market, bid.start, bid.end, schedules)
