"""Financial transmission rights auctions: each month's auction and each year's, in which participants
buy (and sell) the congestion between two locations for a period's on-peak or off-peak hours. One
source for the hbmonthlyftrauction and hbannualftrauction feeds (ISO-NE publishes the bids masked
by customer). A path's value per MW-hour is the sink's congestion component less the source's in the
LMP model (prices.py, the locations' shares of the energy price); a bid to buy clears when it bids at
least that value, a bid to sell when it asks at most that.

[I] The bidders, paths, quantities and the auctions' names (README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from isosim.isone.market import fleet, prices
from isosim.isone.market.registry import Location, Registry

CLASSES = ("ONPEAK", "OFFPEAK")


@dataclass(frozen=True)
class FtrBid:
    period: date  # the auction's first day (a month, or 1 January for an annual auction)
    source: Location
    sink: Location
    buy: bool
    peak_class: str
    mw: float
    price: float  # $/MW for the period's class hours ([I]: per MW-hour x hours)
    cleared: bool
    auction: str
    customer: int


def _candidates(registry: Registry) -> list[Location]:
    found = [loc for loc in registry.priced if loc.location_type in ("HUB", "LOAD ZONE", "EXT. NODE")]
    nodes = [loc for loc in registry.priced if loc.location_type == "NETWORK NODE"]
    return found + nodes[:: max(1, len(nodes) // 40)]


def value(registry: Registry, first: date, source: Location, sink: Location, hours: int) -> float:
    """A path's congestion value for a period: the sink's congestion share less the source's, times
    the period's average day-ahead energy price and the class's hours."""
    level = fleet.level(registry, first)
    return (sink.shares("DA")[1] - source.shares("DA")[1]) * level * hours


def bids(registry: Registry, first: date, annual: bool) -> tuple[FtrBid, ...]:
    """The auction's bids: a few hundred paths between the hub, the zones, the external nodes and a
    sample of network nodes, each bid priced around its value."""
    draw = prices._random(registry.seed, "ftr", first, annual)
    places = _candidates(registry)
    name = f"{'LT' if annual else 'FTR'} {first:%Y} {'Annual' if annual else first.strftime('%b')} Auction"
    months = 12 if annual else 1
    found = []
    for _ in range(600 if annual else 300):
        source, sink = draw.sample(places, 2)
        peak_class = draw.choice(CLASSES)
        hours = (336 if peak_class == "ONPEAK" else 408) * months
        worth = value(registry, first, source, sink, hours)
        buy = draw.random() < 0.8
        price = round(worth + draw.gauss(0, 0.5 * abs(worth) + 5 * months), 2)
        cleared = price >= worth if buy else price <= worth
        found.append(
            FtrBid(
                first,
                source,
                sink,
                buy,
                peak_class,
                round(draw.uniform(0.1, 50), 1),
                price,
                cleared,
                name,
                500001 + draw.randrange(120),
            )
        )
    return tuple(found)
