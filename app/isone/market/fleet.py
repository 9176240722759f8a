"""New England's resources as the market sees them in ISO-NE's published, masked offer data: generators
with their supply offers, asset-related demands (pumped storage pumping) with their bids, demand
response resources (DRRs) with their offers, the load-serving entities' demand bids, regulation
offers, and the import and export transactions at the external nodes. One source for every hb*
feed (ISO-NE publishes them with masked ids on the first day of the fourth month after the
operating month), deterministic from the seed.

The fleet approximates New England's: about 31 GW of generators (nuclear, gas combined cycles and
peakers, oil and coal steam, hydro, pumped storage, wind, solar, wood, refuse, batteries from 2026),
each offered near its marginal cost: the month's energy price level (prices.py) times the unit's
cost factor, rising over up to ten segments from economic minimum to maximum. Offers do not set the
LMPs (the price model does), but they are priced so that the marginal units sit around them.
[I] Everything here: ISO-NE publishes offers, not its units' parameters (README).
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from datetime import date, datetime

from isosim.isone.eastern import EASTERN
from isosim.isone.market import prices, system
from isosim.isone.market.registry import Registry

FLOOR = -150.0  # the energy offer floor ($/MWh, seed 003)

# (fuel, units, MW range, cost factor range against the month's price, must-take, regulation share)
KINDS = (
    ("nuclear", 3, (1150, 1250), (-0.2, 0.0), True, 0.0),
    ("gas cc", 38, (180, 800), (0.80, 1.10), False, 0.35),
    ("gas ct", 70, (18, 95), (1.30, 2.40), False, 0.0),
    ("oil steam", 6, (150, 600), (2.20, 3.20), False, 0.0),
    ("coal", 2, (380, 450), (1.00, 1.25), False, 0.0),
    ("hydro", 45, (5, 160), (0.20, 0.75), False, 0.30),
    ("pumped storage", 6, (170, 280), (0.95, 1.40), False, 0.50),
    ("wind", 26, (15, 180), (-0.40, -0.05), True, 0.0),
    ("solar", 22, (5, 80), (-0.30, -0.02), True, 0.0),
    ("wood", 14, (15, 75), (0.35, 0.85), False, 0.0),
    ("refuse", 16, (10, 75), (-0.10, 0.30), True, 0.0),
    ("battery", 10, (20, 175), (1.10, 1.80), False, 0.80),
)
FIRST_ASSET = 10001  # masked ids: assets 10001.., participants 200001..
FIRST_PARTICIPANT = 200001
PARTICIPANTS = 140
BATTERIES_FROM = date(2026, 1, 1)  # batteries appear in the fuel mix from 2026 (WIRE.md 7)


@dataclass(frozen=True)
class Generator:
    asset: int  # masked asset id
    participant: int  # masked lead participant id
    fuel: str
    eco_max: float
    eco_min: float
    cost: float  # against the month's energy price level
    must_take: bool
    regulation: float  # MW of regulation capability (0: none)
    start_cost: float  # $ per cold start
    no_load: float  # $ per hour
    fast_start: bool


@dataclass(frozen=True)
class Dard:
    """An asset-related demand (a pumped-storage plant's pumps), bid as demand."""

    asset: int
    participant: int
    max_consumption: float


@dataclass(frozen=True)
class Drr:
    """A demand response resource: a reduction offered like energy."""

    asset: int
    participant: int
    max_reduction: float
    cost: float


@dataclass(frozen=True)
class Fleet:
    generators: tuple[Generator, ...]
    dards: tuple[Dard, ...]
    drrs: tuple[Drr, ...]


@functools.lru_cache(maxsize=8)
def _fleet(seed: str) -> Fleet:
    draw = prices._random(seed, "fleet")
    asset = FIRST_ASSET
    generators = []
    for fuel, count, (low, high), (cheap, dear), must_take, regulating in KINDS:
        for _ in range(count):
            eco_max = float(round(draw.uniform(low, high)))
            fast = fuel in ("gas ct", "hydro", "pumped storage", "battery")
            minimum = {"nuclear": 0.95, "coal": 0.4, "oil steam": 0.25, "gas cc": 0.4}.get(fuel, 0.0)
            generators.append(
                Generator(
                    asset=asset,
                    participant=FIRST_PARTICIPANT + draw.randrange(PARTICIPANTS),
                    fuel=fuel,
                    eco_max=eco_max,
                    eco_min=float(round(eco_max * minimum)),
                    cost=round(draw.uniform(cheap, dear), 3),
                    must_take=must_take,
                    regulation=float(round(eco_max * regulating * draw.uniform(0.1, 0.3)))
                    if draw.random() < 0.6
                    else 0.0,
                    start_cost=float(
                        round(eco_max * draw.uniform(15, 60) if not fast else eco_max * draw.uniform(1, 5))
                    ),
                    no_load=float(
                        round(eco_max * draw.uniform(2, 9) if fuel in ("gas cc", "oil steam", "coal") else 0)
                    ),
                    fast_start=fast,
                )
            )
            asset += 1
    dards = []
    for _ in range(26):
        dards.append(
            Dard(asset, FIRST_PARTICIPANT + draw.randrange(PARTICIPANTS), float(round(draw.uniform(20, 300))))
        )
        asset += 1
    drrs = []
    for _ in range(231):
        drrs.append(
            Drr(
                asset,
                FIRST_PARTICIPANT + draw.randrange(PARTICIPANTS),
                float(round(draw.uniform(0.5, 25), 1)),
                round(draw.uniform(1.2, 6.0), 2),
            )
        )
        asset += 1
    return Fleet(tuple(generators), tuple(dards), tuple(drrs))


def fleet(registry: Registry, day: date) -> Fleet:
    """The fleet on an operating day (batteries only from 2026)."""
    found = _fleet(registry.seed)
    if day >= BATTERIES_FROM:
        return found
    return Fleet(tuple(g for g in found.generators if g.fuel != "battery"), found.dards, found.drrs)


def level(registry: Registry, day: date) -> float:
    """The month's energy price level ($/MWh): what marginal costs are reckoned against."""
    month = prices.month(registry, day.year, day.month)
    return sum(month.da) / len(month.da)


@dataclass(frozen=True)
class Offer:
    """One hour of one generator's supply offer, as the market received it."""

    begin: datetime  # aware UTC, hour beginning
    generator: Generator
    status: str  # MUST_RUN, ECONOMIC, UNAVAILABLE
    eco_max: float
    eco_min: float
    segments: tuple[tuple[float, float], ...]  # (price, MW) per segment, prices non-decreasing
    cold_start: float
    intermediate_start: float
    hot_start: float
    no_load: float
    claim10: float
    claim30: float


def _segments(draw: random.Random, g: Generator, eco_max: float, eco_min: float, base: float) -> tuple:
    count = 1 if g.must_take or g.fuel in ("wind", "solar") else min(10, max(2, round(eco_max / 60)))
    marginal = base * g.cost
    step = (eco_max - eco_min) / count if count else 0.0
    found = []
    for n in range(count):
        price = max(FLOOR, round(marginal * (1 + 0.06 * n) + draw.uniform(0, 1.5), 2))
        if found and price < found[-1][0]:
            price = found[-1][0]
        mw = round(eco_min + step * (n + 1), 1) if n < count - 1 else eco_max
        found.append((price, float(mw)))
    return tuple(found)


def _available(registry: Registry, g: Generator, day: date) -> bool:
    """A unit out on its day: maintenance in spring and autumn, forced outages any time."""
    draw = prices._random(registry.seed, "outage", g.asset, day)
    season = 0.5 + 0.5 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 105) / 182.5)
    return draw.random() > 0.03 + 0.07 * season


def _day_offers(registry: Registry, day: date, market: str) -> tuple[Offer, ...]:
    base = level(registry, day)
    found = []
    for g in fleet(registry, day).generators:
        draw = prices._random(registry.seed, "offer", g.asset, day)
        available = _available(registry, g, day)
        segments = _segments(draw, g, g.eco_max, g.eco_min, base)
        rt_draw = prices._random(registry.seed, "re-offer", g.asset, day)
        for hour in prices.hours_of(day):
            local = hour.astimezone(EASTERN)
            eco_max = g.eco_max
            if g.fuel == "solar":
                light = max(0.0, math.sin(math.pi * (local.hour - 6) / 14)) if 6 <= local.hour <= 20 else 0.0
                eco_max = float(round(g.eco_max * light, 1))
            hour_segments = segments
            if market == "RT" and rt_draw.random() < 0.08 and not g.must_take:
                # a re-offer: prices of the hour moved (seed 003 allows hourly re-offers)
                factor = rt_draw.uniform(0.95, 1.08)
                hour_segments = tuple((round(max(FLOOR, p * factor), 2), mw) for p, mw in segments)
                hour_segments = tuple(
                    (max(p, hour_segments[i - 1][0]) if i else p, mw)
                    for i, (p, mw) in enumerate(hour_segments)
                )
            if g.fuel == "solar" and eco_max < g.eco_max:
                hour_segments = ((hour_segments[0][0], eco_max),)
            status = "UNAVAILABLE" if not available else "MUST_RUN" if g.fuel == "nuclear" else "ECONOMIC"
            found.append(
                Offer(
                    begin=hour,
                    generator=g,
                    status=status,
                    eco_max=eco_max,
                    eco_min=min(g.eco_min, eco_max),
                    segments=hour_segments,
                    cold_start=g.start_cost,
                    intermediate_start=round(g.start_cost * 0.8, 2),
                    hot_start=round(g.start_cost * 0.6, 2),
                    no_load=g.no_load,
                    claim10=eco_max if g.fast_start and g.fuel != "hydro" else 0.0,
                    claim30=eco_max
                    if g.fast_start
                    else round(eco_max * 0.1, 1)
                    if g.fuel == "gas cc"
                    else 0.0,
                )
            )
    found.sort(key=lambda o: (o.begin, o.generator.participant, o.generator.asset))
    return tuple(found)


@system.per_day
def day_ahead_offers(registry: Registry, day: date) -> tuple[Offer, ...]:
    """Every generator's day-ahead offer for every hour of the day, ordered by hour, masked
    participant and asset."""
    return _day_offers(registry, day, "DA")


@system.per_day
def real_time_offers(registry: Registry, day: date) -> tuple[Offer, ...]:
    """The offers as they stood in real time: the day-ahead offers with some hours re-offered."""
    return _day_offers(registry, day, "RT")


@dataclass(frozen=True)
class Bid:
    """One hour of an asset-related demand's bid or a DRR's offer: a curve of (price, MW) segments."""

    begin: datetime
    asset: int
    participant: int
    status: str
    minimum: float
    maximum: float
    segments: tuple[tuple[float, float], ...]
    claim10: float = 0.0
    claim30: float = 0.0
    interruption_cost: float = 0.0
    max_daily_energy: float | None = None


@system.per_day
def ard_bids(registry: Registry, day: date) -> tuple[Bid, ...]:
    """Pumped-storage pumps bid to consume at night, when energy is cheap: prices fall as MW rise."""
    base = level(registry, day)
    found = []
    for hour in prices.hours_of(day):
        night = hour.astimezone(EASTERN).hour < 7
        for d in fleet(registry, day).dards:
            draw = prices._random(registry.seed, "ard", d.asset, day)
            first = round(base * draw.uniform(0.55, 0.8), 2)
            count = 10 if d.max_consumption > 250 else 2
            segments = tuple(
                (round(first * (1 - 0.04 * n), 2), round(d.max_consumption * (n + 1) / count, 1))
                for n in range(count)
            )
            status = "ECONOMIC" if night else "UNAVAILABLE"
            found.append(Bid(hour, d.asset, d.participant, status, 0.0, d.max_consumption, segments))
    found.sort(key=lambda b: (b.begin, b.participant, b.asset))
    return tuple(found)


@system.per_day
def drr_offers(registry: Registry, day: date) -> tuple[Bid, ...]:
    """Demand response resources offer reductions at high prices, in one or two segments."""
    base = level(registry, day)
    found = []
    for hour in prices.hours_of(day):
        for d in fleet(registry, day).drrs:
            draw = prices._random(registry.seed, "drr", d.asset, day)
            price = round(min(1000.0, base * d.cost), 2)
            two = draw.random() < 0.3
            segments = (
                ((price, round(d.max_reduction / 2, 1)), (round(price * 1.5, 2), d.max_reduction))
                if two
                else ((price, d.max_reduction),)
            )
            status = "UNAVAILABLE" if draw.random() < 0.1 else "ECONOMIC"
            energy = round(d.max_reduction * 8, 1) if draw.random() < 0.03 else None
            found.append(
                Bid(
                    hour,
                    d.asset,
                    d.participant,
                    status,
                    round(d.max_reduction * 0.1, 1),
                    d.max_reduction,
                    segments,
                    claim10=0.0,
                    claim30=d.max_reduction if d.max_reduction < 5 else 0.0,
                    interruption_cost=float(round(draw.uniform(0, 200))),
                    max_daily_energy=energy,
                )
            )
    found.sort(key=lambda b: (b.begin, b.participant, b.asset))
    return tuple(found)


@dataclass(frozen=True)
class RegulationOffer:
    begin: datetime
    generator: Generator
    capability: float
    low: float
    high: float
    available: bool
    response_rate: float  # MW per minute
    service_price: float  # $/MW of mileage
    capacity_price: float  # $/MW


@system.per_day
def regulation_offers(registry: Registry, day: date) -> tuple[RegulationOffer, ...]:
    """Regulating units offer their capability for every hour: capacity prices of a few dollars to a
    few tens (the regulation capacity price clears among them), service prices under a dollar."""
    found = []
    for offer in day_ahead_offers(registry, day):
        g = offer.generator
        if g.regulation <= 0:
            continue
        draw = prices._random(registry.seed, "regulation-offer", g.asset, day)
        found.append(
            RegulationOffer(
                begin=offer.begin,
                generator=g,
                capability=g.regulation,
                low=max(g.eco_min, 0.0),
                high=g.eco_max,
                available=offer.status != "UNAVAILABLE",
                response_rate=round(g.regulation / 5, 1),
                service_price=round(draw.uniform(0.05, 0.9), 2),
                capacity_price=round(draw.uniform(2, 45), 2),
            )
        )
    return tuple(found)


# Day-ahead ancillary services (energy call options for reserves and the energy imbalance reserve),
# offered from the market's start on 1 March 2025.
DAAS_FROM = date(2025, 3, 1)


@dataclass(frozen=True)
class DaasOffer:
    begin: datetime
    asset: int
    participant: int
    mw: float
    tmsr: float | None  # ten-minute spinning, ten-minute non-spinning, thirty-minute, energy imbalance
    tmnsr: float | None
    tmor: float | None
    eir: float | None


@system.per_day
def daas_offers(registry: Registry, day: date) -> dict[str, tuple[DaasOffer, ...]]:
    """Per kind (gen, ard, drr): every hour's day-ahead ancillary service offers; none before March
    2025. Generators that can start fast or regulate offer every product; pumps offer spinning and
    thirty-minute reserve only; a few DRRs offer all four."""
    found: dict[str, list[DaasOffer]] = {"gen": [], "ard": [], "drr": []}
    if day < DAAS_FROM:
        return {kind: () for kind in found}
    for offer in day_ahead_offers(registry, day):
        g = offer.generator
        if g.must_take or offer.status == "UNAVAILABLE" or g.fuel in ("coal", "wood"):
            continue
        draw = prices._random(registry.seed, "daas", g.asset, day)
        tmsr = round(draw.uniform(0.5, 6), 2)
        found["gen"].append(
            DaasOffer(
                offer.begin,
                g.asset,
                g.participant,
                offer.eco_max,
                tmsr,
                round(tmsr * 0.8, 2),
                round(tmsr * 0.6, 2),
                round(tmsr * 0.5, 2),
            )
        )
    for hour in prices.hours_of(day):
        for d in fleet(registry, day).dards[:4]:
            found["ard"].append(
                DaasOffer(hour, d.asset, d.participant, d.max_consumption, 1.5, None, 1.0, None)
            )
        for d in fleet(registry, day).drrs[:1]:
            found["drr"].append(DaasOffer(hour, d.asset, d.participant, d.max_reduction, 3.0, 2.5, 2.0, 1.5))
    return {
        kind: tuple(sorted(rows, key=lambda o: (o.begin, o.participant, o.asset)))
        for kind, rows in found.items()
    }
