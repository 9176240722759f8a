"""Markets ISO-NE has retired, still served for the days they ran: the forward reserve market
(auctions for each summer, June-September, and winter, October-May, seasons until June 2025, when
day-ahead ancillary services replaced it) and the day-ahead load response program (until June 2018,
when demand response resources joined the energy market). One source for the
hbforwardreserveauctionoffer and hbdayaheadloadresponseoffer feeds.

[I] The offers' sizes and prices (README): forward reserve offers in $/MW-month for ten-minute
non-spinning and thirty-minute reserve per reserve zone, load response offers as the DRRs' forebears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from isosim.isone.eastern import EASTERN
from isosim.isone.market import fleet, prices, system
from isosim.isone.market.registry import Registry

FORWARD_RESERVE_UNTIL = date(2025, 6, 1)
LOAD_RESPONSE_UNTIL = date(2018, 6, 1)
PRODUCTS = ("TMNSR", "TMOR")


def season_of(month: date) -> date | None:
    """The first day of the season a month starts (June: summer, October: winter), or None."""
    return month if month.month in (6, 10) else None


@dataclass(frozen=True)
class ReserveOffer:
    season: date
    customer: int
    zone: int  # reserve zone location id
    product: str
    segments: tuple[tuple[float, float], ...]  # ($/MW-month, MW), prices rising


def forward_reserve_offers(registry: Registry, season: date) -> tuple[ReserveOffer, ...]:
    if season >= FORWARD_RESERVE_UNTIL:
        return ()
    draw = prices._random(registry.seed, "frm", season)
    found = []
    for zone in system.RESERVE_ZONES:
        for product in PRODUCTS:
            for _ in range(draw.randrange(4, 12)):
                count = draw.randrange(1, 6)
                start = draw.uniform(500, 4000)
                segments = tuple(
                    (round(start * (1 + 0.15 * k), 2), round(draw.uniform(5, 120), 1)) for k in range(count)
                )
                found.append(ReserveOffer(season, 600001 + draw.randrange(50), zone, product, segments))
    return tuple(found)


@dataclass(frozen=True)
class LoadResponseOffer:
    begin: datetime  # the hour
    customer: int
    asset: int
    mw: float
    price: float  # $/MWh offered
    curtailment_price: float
    minimum_hours: int


def load_response_offers(registry: Registry, day: date) -> tuple[LoadResponseOffer, ...]:
    """Each hour's offers of the program's assets (the DRRs' forebears), weekday on-peak hours only."""
    if day >= LOAD_RESPONSE_UNTIL or day.weekday() >= 5:
        return ()
    base = fleet.level(registry, day)
    found = []
    for hour in prices.hours_of(day):
        local_hour = hour.astimezone(EASTERN).hour
        if not 7 <= local_hour < 23:
            continue
        for drr in fleet.fleet(registry, day).drrs[:60]:
            draw = prices._random(registry.seed, "load-response", drr.asset, day)
            price = round(base * drr.cost, 2)
            found.append(
                LoadResponseOffer(
                    hour,
                    700000 + drr.participant % 1000,
                    drr.asset,
                    drr.max_reduction,
                    price,
                    round(price * 0.6, 2),
                    draw.randrange(1, 5),
                )
            )
    return tuple(found)
