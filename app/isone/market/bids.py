"""The market's demand side and its trade with its neighbours, as ISO-NE publishes them masked: the
load-serving entities' day-ahead demand bids (fixed and price-sensitive, at load zones), virtual
decrement bids, and the import offers and export bids at the external nodes. One source for the
hb* demand and import/export feeds, read from the same load and interchange as the other feeds:

- each hour's fixed and price-sensitive demand bids at a zone add up to the day-ahead demand
  cleared there (system.day_ahead_load times the zone's share), the fixed ones to 90% of it;
- each hour's import offers at an interface add up to its day-ahead purchases and its export bids
  to its sales (system.interchange), in MW.
[I] How the totals split into bids, the masked ids and the prices (README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from isosim.isone.market import fleet, prices, system
from isosim.isone.market.registry import Registry

FIXED_SHARE = 0.9
LSES = 24  # load-serving entities bidding at each zone
FIRST_LOCATION = 50001  # masked location ids: one per zone, then per node and interface
FIRST_CUSTOMER = 300001


@dataclass(frozen=True)
class DemandBid:
    begin: datetime
    participant: int
    location: int  # masked location id
    location_type: str
    bid_type: str  # FIXED, PRICE, DEC ([I] the virtual decrement)
    bid_id: int
    segments: tuple[tuple[float | None, float], ...]  # (price, MW); a fixed bid has no price


def _split(total: float, parts: int, draw: object) -> list[float]:
    weights = [draw.uniform(0.2, 1.8) for _ in range(parts)]  # type: ignore[attr-defined]
    whole = sum(weights)
    found = [round(total * w / whole, 1) for w in weights]
    found[-1] = round(total - sum(found[:-1]), 1)  # the bids add up to the total, to the tenth
    return found


@system.per_day
def demand_bids(registry: Registry, day: date) -> tuple[DemandBid, ...]:
    base = fleet.level(registry, day)
    found = []
    bid_id = 1
    for hour, load in system.day_ahead_load(registry, day):
        draw = prices._random(registry.seed, "demand-bids", day, hour.isoformat())
        for n, share in enumerate(system.ZONE_SHARES.values()):
            cleared = load * share
            location = FIRST_LOCATION + n
            fixed = _split(round(cleared * FIXED_SHARE, 1), LSES, draw)
            priced = _split(round(cleared - sum(fixed), 1), 4, draw)
            for k, mw in enumerate(fixed):
                found.append(
                    DemandBid(hour, _bidder(k), location, "LOAD ZONE", "FIXED", bid_id, ((None, mw),))
                )
                bid_id += 1
            for k, mw in enumerate(priced):
                top = round(base * draw.uniform(1.5, 3.0), 2)
                segments = ((top, round(mw / 2, 1)), (round(top * 0.6, 2), mw))
                found.append(DemandBid(hour, _bidder(k), location, "LOAD ZONE", "PRICE", bid_id, segments))
                bid_id += 1
        for k in range(30):  # virtual decrement bids at network nodes
            mw = round(draw.uniform(1, 50), 1)
            segments = ((round(base * draw.uniform(0.6, 1.1), 2), mw),)
            found.append(
                DemandBid(
                    hour, _bidder(k + 40), FIRST_LOCATION + 100 + k, "NETWORK NODE", "DEC", bid_id, segments
                )
            )
            bid_id += 1
    return tuple(found)


def _bidder(k: int) -> int:
    """The masked participant id of the k-th bidder at a location."""
    return fleet.FIRST_PARTICIPANT + (k * 7) % fleet.PARTICIPANTS


@dataclass(frozen=True)
class Transaction:
    begin: datetime
    market: str  # DA, RT
    customer: int
    source: int  # masked location ids
    sink: int
    emergency: bool
    direction: str  # IMPORT, EXPORT
    kind: str  # FIXED, DISPATCHABLE ([I] ISO-NE's priced transactions)
    price: float | None
    mw: float


@system.per_day
def transactions(registry: Registry, day: date) -> tuple[Transaction, ...]:
    """Import offers and export bids per interface and hour, adding up to the interface's schedules;
    real time repeats the day-ahead transactions (re-bid ones are not modelled)."""
    base = fleet.level(registry, day)
    found = []
    for hour, loc_id, purchase, sale in system.interchange(registry, day):
        draw = prices._random(registry.seed, "transactions", loc_id, hour.isoformat())
        node = FIRST_LOCATION + 200 + system.INTERFACES.index(loc_id)
        for direction, total in (("IMPORT", purchase), ("EXPORT", -sale)):
            if total <= 0:
                continue
            parts = max(1, min(12, round(total / 60)))
            for k, mw in enumerate(_split(total, parts, draw)):
                fixed = draw.random() < 0.6
                price = (
                    None
                    if fixed
                    else round(base * draw.uniform(0.3, 1.2) * (1 if direction == "IMPORT" else 1.3), 2)
                )
                source, sink = (node, FIRST_LOCATION) if direction == "IMPORT" else (FIRST_LOCATION, node)
                for market in ("DA", "RT"):
                    found.append(
                        Transaction(
                            hour,
                            market,
                            FIRST_CUSTOMER + (k * 11 + loc_id) % 90,
                            source,
                            sink,
                            False,
                            direction,
                            "FIXED" if fixed else "DISPATCHABLE",
                            price,
                            mw,
                        )
                    )
    return tuple(found)
