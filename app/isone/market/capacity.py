"""The Forward Capacity Market's reconfiguration auctions: each capacity commitment period (June to
May) has three annual auctions (ARA1-3) and a monthly one for each of its months (MRA), in which
participants trade capacity supply obligations. One source for the fcmmra and fcmara results and the
masked hbfcmmra and hbfcmara bids: each zone's submitted supply and demand are the sums of its bids,
what clears is what the zone's clearing price accepts, and net capacity cleared is cleared supply
less cleared demand (system results sum the zones).

[I] The zones, interfaces and their names per period, the auction calendar (an MRA on the 15th of
the month before, approved on the 20th; ARA1 two years ahead in June, ARA2 a year ahead in August,
ARA3 in March before the period), prices of the order of ISO-NE's ($1-5/kW-month), and masked bids
published 90 days after approval (README).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from isosim.isone.market import prices, publication
from isosim.isone.market.registry import Registry

FIRST_PERIOD = 2010  # CCP 1 is 2010-11
BIDS_PUBLISHED = timedelta(days=90)
# (zone id, type, name, external interfaces (id, name)) per period: the zones FCA modelled ([I]).
ZONES_FROM_2019 = (
    (8500, "ROP", "Rest-of-Pool", ((4011, "New York AC Ties"), (4014, "Cross Sound Cable"))),
    (8506, "Import", "Southeast New England", ()),
    (8505, "Export", "Northern New England", ((4012, "Phase I/II HQ Excess"), (4013, "Highgate"))),
    (8503, "Export", "Maine", ((4010, "New Brunswick"),)),
)
ZONES_BEFORE = (
    (8500, "ROP", "Rest-of-Pool", ((4011, "New York AC Ties"), (4014, "Cross Sound Cable"))),
    (8504, "Import", "SEMA-RI", ()),
    (8505, "Export", "Northern New England", ((4012, "Phase I/II HQ Excess"), (4013, "Highgate"))),
)


def period_label(first_year: int) -> str:
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def period_of(text: str) -> int | None:
    """The first year of a period label `2021-22`, or None if it is not one."""
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
        return None
    year = int(text[:4])
    return year if (year + 1) % 100 == int(text[5:]) and 1990 <= year <= 2098 else None


@dataclass(frozen=True)
class Period:
    first_year: int

    @property
    def label(self) -> str:
        return period_label(self.first_year)

    @property
    def id(self) -> int:
        return self.first_year - FIRST_PERIOD + 1

    @property
    def begin(self) -> datetime:
        return publication.day_start(date(self.first_year, 6, 1))

    @property
    def end(self) -> datetime:
        return publication.day_start(date(self.first_year + 1, 6, 1))

    @property
    def zones(self) -> tuple:
        return ZONES_FROM_2019 if self.first_year >= 2019 else ZONES_BEFORE


@dataclass(frozen=True)
class Bid:
    zone: int
    interface: int | None  # an import at an external interface
    resource: int  # masked ids
    participant: int
    resource_type: str  # GEN, IMPORT, DR ([I])
    side: str  # SUPPLY, DEMAND
    segments: tuple[tuple[float, float], ...]  # (MW, $/kW-month): supply rising, demand falling


@dataclass(frozen=True)
class ZoneResult:
    zone: int
    zone_type: str
    name: str
    supply_submitted: float
    demand_submitted: float
    supply_cleared: float
    demand_cleared: float
    price: float
    interfaces: tuple[tuple[int, str, float, float, float, float], ...]  # id, name, supply/demand sub/cleared

    @property
    def net(self) -> float:
        return round(self.supply_cleared - self.demand_cleared, 3)


@dataclass(frozen=True)
class Auction:
    id: int
    kind: str  # MRA, ARA1, ARA2, ARA3
    period: Period
    month: date | None  # an MRA's month
    begins: datetime
    approved: datetime
    bids: tuple[Bid, ...]
    zones: tuple[ZoneResult, ...]

    @property
    def description(self) -> str:
        return f"{self.month:%Y-%m}" if self.month is not None else f"{self.period.label} {self.kind}"


def _cleared(bids: list[Bid], side: str, price: float) -> float:
    """MW of a side's bids the price accepts: supply offered at or under it, demand bid at or over."""
    total = 0.0
    for bid in bids:
        for mw, asked in bid.segments:
            if (asked <= price) if side == "SUPPLY" else (asked >= price):
                total += mw
    return round(total, 3)


def _auction(seed: str, period: Period, kind: str, month: date | None) -> Auction:
    if month is not None:
        held = (month.replace(day=1) - timedelta(days=1)).replace(day=15)
    else:
        held = {
            "ARA1": date(period.first_year - 2, 6, 1),
            "ARA2": date(period.first_year - 1, 8, 1),
            "ARA3": date(period.first_year, 3, 1),
        }[kind]
    draw = prices._random(seed, "fcm", period.label, kind, month)
    ident = period.id * 100 + (month.month if month is not None else 90 + int(kind[-1]))
    all_bids: list[Bid] = []
    zones = []
    price = round(draw.uniform(0.8, 4.5), 3)
    resource = 1
    for zone, zone_type, name, interfaces in period.zones:
        premium = 1.3 if zone_type == "Import" else 0.85 if zone_type == "Export" else 1.0
        zone_price = round(price * premium, 3)
        bids = []
        for side in ("SUPPLY", "DEMAND"):
            for n in range(draw.randrange(6, 16)):
                interface = (
                    interfaces[n % len(interfaces)][0] if interfaces and side == "SUPPLY" and n < 2 else None
                )
                count = draw.randrange(1, 6)
                center = zone_price * draw.uniform(0.5, 1.6)
                steps = [round(center * (1 + 0.1 * k), 3) for k in range(count)]
                segments = tuple(
                    (round(draw.uniform(1, 60), 3), p) for p in (steps if side == "SUPPLY" else steps[::-1])
                )
                bids.append(
                    Bid(
                        zone,
                        interface,
                        70000 + resource,
                        400000 + draw.randrange(60),
                        "IMPORT" if interface else draw.choice(("GEN", "GEN", "DR")),
                        side,
                        segments,
                    )
                )
                resource += 1
        supply = [b for b in bids if b.side == "SUPPLY"]
        demand = [b for b in bids if b.side == "DEMAND"]
        rows = []
        for interface, interface_name in interfaces:
            mine = [b for b in supply if b.interface == interface]
            submitted = round(sum(mw for b in mine for mw, _ in b.segments), 3)
            rows.append(
                (interface, interface_name, submitted, 0.0, _cleared(mine, "SUPPLY", zone_price), 0.0)
            )
        zones.append(
            ZoneResult(
                zone,
                zone_type,
                name,
                round(sum(mw for b in supply for mw, _ in b.segments), 3),
                round(sum(mw for b in demand for mw, _ in b.segments), 3),
                _cleared(supply, "SUPPLY", zone_price),
                _cleared(demand, "DEMAND", zone_price),
                zone_price,
                tuple(rows),
            )
        )
        all_bids += bids
    begins = publication.day_start(held) + timedelta(hours=8)
    approved = publication.day_start(held + timedelta(days=5)) + timedelta(hours=16)
    return Auction(ident, kind, period, month, begins, approved, tuple(all_bids), tuple(zones))


@functools.lru_cache(maxsize=256)
def auction(seed: str, first_year: int, kind: str, month: date | None = None) -> Auction:
    return _auction(seed, Period(first_year), kind, month)


def months_of(first_year: int) -> list[date]:
    return [date(first_year + (m > 12), (m - 1) % 12 + 1, 1) for m in range(6, 18)]


def monthly(registry: Registry, first_year: int, now: datetime) -> list[Auction]:
    """The period's monthly auctions approved by `now`, in month order."""
    found = [auction(registry.seed, first_year, "MRA", m) for m in months_of(first_year)]
    return [a for a in found if a.approved <= now]


def annual(registry: Registry, first_year: int, now: datetime) -> list[Auction]:
    found = [auction(registry.seed, first_year, kind) for kind in ("ARA1", "ARA2", "ARA3")]
    return [a for a in found if a.approved <= now]


def newest(registry: Registry, kind: str, now: datetime) -> Auction | None:
    """The newest auction of a kind (MRA, or ARA for any annual one) approved by `now`."""
    local = publication.local_day(now)
    year = local.year if local.month >= 6 else local.year - 1
    candidates: list[Auction] = []
    for first in range(year - 1, year + 3):
        candidates += monthly(registry, first, now) if kind == "MRA" else annual(registry, first, now)
    return max(candidates, key=lambda a: a.approved, default=None)
