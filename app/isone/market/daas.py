"""ISO-NE's day-ahead ancillary services (from 1 March 2025): each hour's reserve requirements,
designations and clearing prices, and the strike price of the call options they are. One source for
the daasreservedata and daasstrikeprices feeds, read from the same load forecast, day-ahead prices
and reserve requirements as every other ISO-NE feed.

- The strike price of an hour is the expected real-time hub LMP plus a fixed adder; the expected LMP
  is the day-ahead hub LMP the model will clear, and its spread (the published percentiles) a share
  of it ([I]: ISO-NE forecasts both).
- The expected close-out charge of an option is E[max(0, LMP - strike)] for that spread (a normal
  distribution's expected excess), and every product clears at or above it: the energy imbalance
  reserve (FER) at it, thirty-minute reserve a little above, then ten-minute non-spinning, then
  spinning, as the products nest.
- Forecasted energy requirement = the load forecast; the energy imbalance reserve designated is what
  the day-ahead market's cleared demand falls short of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from isosim.isone.market import prices, publication, system
from isosim.isone.market.registry import Registry

STARTS = date(2025, 3, 1)
STRIKE_ADDER = 10.0  # $/MWh over the expected real-time hub LMP ([I])
SPREAD = 0.25  # the real-time LMP's standard deviation against its expected value ([I])
Z = {10: -1.2816, 25: -0.6745, 75: 0.6745, 90: 1.2816}  # normal quantiles
STRIKE_PUBLISHED = timedelta(hours=-16, minutes=-30)  # 07:30 the day before ([I])


@dataclass(frozen=True)
class StrikePrice:
    begin: datetime
    published: datetime
    load_forecast: float
    expected: float
    percentiles: dict[int, float]
    strike: float
    closeout: float


@dataclass(frozen=True)
class Reserves:
    begin: datetime
    energy_requirement: float
    spin: float  # requirements, MW
    ten: float
    thirty: float
    tmsr: tuple[float, float]  # (designation MW, clearing price)
    tmnsr: tuple[float, float]
    tmor: tuple[float, float]
    eir: float  # energy imbalance reserve designated, MW
    fer_price: float


def _closeout(expected: float, strike: float) -> float:
    """E[max(0, X - strike)] for X normal with mean `expected` and deviation SPREAD * expected."""
    sigma = max(0.01, SPREAD * expected)
    d = (expected - strike) / sigma
    density = math.exp(-d * d / 2) / math.sqrt(2 * math.pi)
    tail = 0.5 * (1 + math.erf(d / math.sqrt(2)))
    return max(0.0, (expected - strike) * tail + sigma * density)


@system.per_day
def strike_prices(registry: Registry, day: date) -> tuple[StrikePrice, ...]:
    if day < STARTS:
        return ()
    forecast = dict(system.load_forecast(registry, day))
    hours = prices.hours_of(day)
    hub = registry.location(4000)
    lmps = {x.begin: x.total for x in prices.day_ahead(registry, hours, [hub])} if hub is not None else {}
    found = []
    for hour in hours:
        expected = lmps.get(hour, round(prices.energy_price(registry, hour, "DA") or 0.0, 2))
        strike = round(expected + STRIKE_ADDER, 2)
        found.append(
            StrikePrice(
                begin=hour,
                published=publication.day_start(day) + STRIKE_PUBLISHED,
                load_forecast=forecast.get(hour, 0.0),
                expected=expected,
                percentiles={p: round(expected * (1 + z * SPREAD), 2) for p, z in Z.items()},
                strike=strike,
                closeout=round(_closeout(expected, strike), 2),
            )
        )
    return tuple(found)


@system.per_day
def reserves(registry: Registry, day: date) -> tuple[Reserves, ...]:
    if day < STARTS:
        return ()
    _, spin, ten, thirty = system.RESERVE_ZONES[7000]
    cleared = dict(system.day_ahead_load(registry, day))
    found = []
    for strike in strike_prices(registry, day):
        draw = prices._random(registry.seed, "daas", strike.begin.isoformat())
        fer = strike.closeout
        tmor = round(fer + draw.uniform(0.01, 0.3), 2)
        tmnsr = round(tmor + draw.uniform(0.01, 0.5), 2)
        tmsr = round(tmnsr + draw.uniform(0.01, 0.8), 2)
        found.append(
            Reserves(
                begin=strike.begin,
                energy_requirement=strike.load_forecast,
                spin=spin,
                ten=ten,
                thirty=thirty,
                tmsr=(spin, tmsr),
                tmnsr=(ten - spin, tmnsr),
                tmor=(thirty - ten, tmor),
                eir=round(max(0.0, strike.load_forecast - cleared.get(strike.begin, 0.0)), 1),
                fer_price=round(fer, 2),
            )
        )
    return tuple(found)
