"""How a market run clears one resource: its offer in each interval (the clean bid, or the bid CAISO
generates for a resource-adequacy resource that did not bid) against the LMP at its pricing node,
within the availability its outages leave. Participants are price-takers: the system's prices
(prices.py) do not move with their bids, so each resource clears on its own and the same bids always
give the same awards.

Energy: a supply curve is awarded every segment priced at or below the LMP (a demand curve, every
segment priced at or above it), starting from the curve's origin (0, or Pmin for storage that can
charge); a self-schedule is taken whatever the price. CLEARED = SELF + MARKET. Availability caps the
award; below Pmin a generator is off (0). Day-ahead, CAISO's generated bids for gas units carry
their registered start-up and minimum-load costs: a run of hours is committed only if its energy
margin pays for them (participants' bids are self-committed: isosim's bids carry no commitment
costs). Real time follows the day-ahead commitment of generated bids.

Ancillary services: a certified resource's AS bid is awarded when the AS region's price is at or
above it, within its headroom (spinning and regulation need the unit online). RUC (day-ahead):
the unawarded available capacity of dispatchable resource-adequacy supply (RC_CAP; not wind, solar
or storage), of which residual unit commitment procures the system's share each hour (RC_AWD).

Local market power mitigation (MPM) is reported, not applied: a generator's bid is flagged where
its node sees positive congestion and its marginal price exceeds both its default energy bid and
the competitive LMP (the LMP without congestion); see README for why.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from isosim.caiso.market import prices
from isosim.caiso.market.registry import Node, Resource
from isosim.caiso.market.system import RUNS, System, daily, fleet_share, ruc_need
from isosim.caiso.pacific import Interval, intervals

UP_PRODUCTS = ("RU", "SR", "NR")  # share the headroom above the energy award, in this order
ONLINE_PRODUCTS = frozenset({"RU", "RD", "SR"})  # need the unit running
VER_BID = -15.0  # $/MWh: wind and solar offer their forecast below zero (production credits)
# Capacity RUC does not commit: variable energy (its output is what the weather gives) and storage.
RUC_EXCLUDED = frozenset({"WIND", "SOLAR", "BATTERY"})


@dataclass(frozen=True)
class Offer:
    """What the market clears for a resource in one interval."""

    curve: tuple[tuple[float, float], ...] = ()  # energy (MW, price) breakpoints
    self_mw: float | None = None
    ancillary: tuple[tuple[str, float, float], ...] = ()  # (product, MW, $/MW)
    generated: bool = False  # CAISO's bid for a resource-adequacy resource


@dataclass(frozen=True)
class Schedule:
    """One resource's results in one market run of one trading day, interval by interval."""

    resource: Resource
    run: str
    day: date
    intervals: tuple[Interval, ...]
    prices: prices.NodeDay  # at the resource's pricing node
    available: tuple[float, ...]
    self_mw: tuple[float, ...]
    market_mw: tuple[float, ...]
    ancillary: dict[str, tuple[float, ...]] = field(default_factory=dict)  # certified products
    ruc_capacity: tuple[float, ...] = ()
    ruc_award: tuple[float, ...] = ()
    marginal: tuple[float | None, ...] = ()  # the price of the last energy segment awarded
    default_bid: tuple[float | None, ...] = ()  # the default energy bid at that MW (MPM)

    @cached_property
    def cleared(self) -> tuple[float, ...]:
        return tuple(round(s + m, 2) for s, m in zip(self.self_mw, self.market_mw, strict=True))


def _origin(resource: Resource) -> float:
    return min(resource.pmin, 0.0)


def energy_award(
    curve: tuple[tuple[float, float], ...], lmp: float, origin: float, demand: bool
) -> tuple[float, float | None]:
    """(MW, the price of the last segment taken) of a curve at a price."""
    mw, marginal = origin, None
    for x, y in curve:
        if (y >= lmp) if demand else (y <= lmp):
            mw, marginal = x, y
        else:
            break  # curves are monotonic: no later segment is taken either
    return mw, marginal


# --- CAISO's bids for resource-adequacy resources that did not bid ------------------------------


def default_energy_bid(resource: Resource, system: System, day: date) -> float:
    """The resource's default energy bid ($/MWh): gas units at their heat rate and the day's gas
    price plus 10% and variable costs; others at a hydro-like opportunity cost."""
    gas = daily(system.seed, day).gas
    if resource.fuel == "GAS" and resource.heat_rate > 0:
        return round(resource.heat_rate / 1000 * gas * 1.1 + 2.0, 2)
    return round(9.5 * gas, 2)


def generated_offer(
    resource: Resource, node: Node, system: System, run: str, day: date, iv: Interval
) -> Offer | None:
    """The bid SIBR generates for a resource-adequacy resource without one (must offer)."""
    if not resource.ra or not resource.supply:
        return None
    fuel, low, high = resource.fuel, max(resource.pmin, 0.0), resource.pmax
    if fuel in ("WIND", "SOLAR"):
        share = fleet_share(system, node.zone, fuel, iv, RUNS[run].minutes < 60)
        forecast = round(min(high, high * share), 2)
        return Offer(((forecast, VER_BID),), generated=True) if forecast > 0 else Offer(generated=True)
    if fuel in ("GEOTHERMAL", "NUCLEAR", "BIOMASS"):
        return Offer(self_mw=high, generated=True)
    deb = default_energy_bid(resource, system, day)
    if fuel == "BATTERY":
        dam = sorted(prices.lmp(system, node, "DAM", day))
        charge, discharge = statistics.quantiles(dam, n=4)[0], statistics.quantiles(dam, n=4)[2]
        return Offer(((0.0, round(charge, 2)), (high, round(max(discharge, charge + 1), 2))), generated=True)
    if fuel == "HYDRO":
        return Offer(
            ((round(high * 0.4, 2), round(deb * 0.85, 2)), (high, round(deb * 1.25, 2))), generated=True
        )
    middle = round(low + (high - low) / 2, 2)
    curve = ((low, deb), (middle, round(deb * 1.05, 2)), (high, round(deb * 1.12, 2)))
    curve = tuple(p for p in curve if p[0] > 0) or ((high, deb),)
    return Offer(curve, generated=True)


# --- one resource, one run, one trading day ------------------------------------------------------


def clear(
    resource: Resource,
    node: Node,
    system: System,
    run: str,
    day: date,
    offers: tuple[Offer | None, ...],
    caps: tuple[float | None, ...],
    committed: tuple[bool, ...] | None = None,
) -> Schedule:
    """Clear a resource's offers (one per interval of the run's day; None where it has none) within
    its caps (availability per interval; None for none). `committed` (real time): whether the
    day-ahead market committed its generated bid, per interval."""
    ivs = intervals(day, RUNS[run].minutes)
    node_prices = prices.node_day(system, node, run, day)
    demand = not resource.supply
    origin = _origin(resource)
    hours = RUNS[run].minutes / 60
    selfs, markets, marginals, availables = [], [], [], []
    for n, (offer, cap) in enumerate(zip(offers, caps, strict=True)):
        available = resource.pmax if cap is None else max(min(cap, resource.pmax), origin)
        if offer is None or (committed is not None and offer.generated and not committed[n]):
            selfs.append(0.0)
            markets.append(0.0)
            marginals.append(None)
            availables.append(round(available, 2))
            continue
        lmp = node_prices[n].lmp / prices.UNIT
        economic, marginal = energy_award(offer.curve, lmp, origin, demand)
        own = offer.self_mw
        cleared = economic if own is None else max(own, economic)
        cleared = min(cleared, available)
        if resource.pmin > 0 and 0 < cleared < resource.pmin:
            cleared = 0.0  # below Pmin a generator is off
        taken = 0.0 if own is None else min(own, cleared)
        selfs.append(round(taken, 2))
        markets.append(round(cleared - taken, 2))
        marginals.append(marginal if cleared - taken > 0 else None)
        availables.append(round(available, 2))
    if run == "DAM":
        _commit(resource, offers, node_prices, selfs, markets, marginals, hours)
    ancillary = _ancillary(resource, node, system, run, day, offers, selfs, markets, availables)
    ruc_capacity, ruc_award = _ruc(resource, system, run, day, selfs, markets, availables, ancillary)
    deb = default_energy_bid(resource, system, day) if resource.resource_type == "GEN" else None
    return Schedule(
        resource,
        run,
        day,
        ivs,
        node_prices,
        tuple(availables),
        tuple(selfs),
        tuple(markets),
        ancillary,
        ruc_capacity,
        ruc_award,
        tuple(marginals),
        tuple(deb if m is not None else None for m in marginals),
    )


def _commit(
    resource: Resource,
    offers: tuple[Offer | None, ...],
    node_prices: prices.NodeDay,
    selfs: list[float],
    markets: list[float],
    marginals: list[float | None],
    hours: float,
) -> None:
    """Day-ahead unit commitment of generated bids: each run of consecutive hours a generated bid
    is in the money is committed only if its margin pays the start-up and minimum-load costs."""
    if resource.startup_cost <= 0 and resource.min_load_cost <= 0:
        return
    n, total = 0, len(offers)
    while n < total:
        offer = offers[n]
        if offer is None or not offer.generated or markets[n] <= 0:
            n += 1
            continue
        block = n
        while block < total and (o := offers[block]) is not None and o.generated and markets[block] > 0:
            block += 1
        margin = -resource.startup_cost
        for k in range(n, block):
            lmp = node_prices[k].lmp / prices.UNIT
            previous = 0.0
            for x, y in offers[k].curve:  # type: ignore[union-attr]
                if x > markets[k] + 1e-9:
                    break
                margin += (lmp - y) * (x - previous) * hours
                previous = x
            margin -= resource.min_load_cost * hours
        if margin < 0:
            for k in range(n, block):
                markets[k], marginals[k] = 0.0, None
        n = block


def _ancillary(
    resource: Resource,
    node: Node,
    system: System,
    run: str,
    day: date,
    offers: tuple[Offer | None, ...],
    selfs: list[float],
    markets: list[float],
    availables: list[float],
) -> dict[str, tuple[float, ...]]:
    products = resource.products
    if not products or run not in prices.AS_RUNS or run == "HASP":
        return {p: tuple(0.0 for _ in offers) for p in products}
    region = prices.region_of(node)
    clearing = {p: prices.as_day(system, region, p, run, day) for p in products}
    awards: dict[str, list[float]] = {p: [] for p in products}
    for n, offer in enumerate(offers):
        energy = selfs[n] + markets[n]
        headroom = max(0.0, availables[n] - energy)
        bids = {p: (mw, price) for p, mw, price in (offer.ancillary if offer else ())}
        for product in ("RU", "RD", "SR", "NR"):
            if product not in products:
                continue
            mw = 0.0
            if product in bids and clearing[product][n] / prices.UNIT >= bids[product][1]:
                online = energy > 0
                if product == "RD":
                    mw = min(bids[product][0], max(0.0, energy - max(resource.pmin, 0.0))) if online else 0.0
                elif product in ONLINE_PRODUCTS and not online:
                    mw = 0.0
                else:
                    mw = min(bids[product][0], headroom)
                    headroom -= mw
            awards[product].append(round(mw, 2))
    return {p: tuple(v) for p, v in awards.items()}


def _ruc(
    resource: Resource,
    system: System,
    run: str,
    day: date,
    selfs: list[float],
    markets: list[float],
    availables: list[float],
    ancillary: dict[str, tuple[float, ...]],
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    if run != "DAM":
        return (), ()
    need = ruc_need(system, day)
    capacity, award = [], []
    for n, available in enumerate(availables):
        if not (resource.ra and resource.supply and resource.fuel not in RUC_EXCLUDED):
            capacity.append(0.0)
            award.append(0.0)
            continue
        up = sum(ancillary[p][n] for p in UP_PRODUCTS if p in ancillary)
        room = round(max(0.0, available - max(selfs[n] + markets[n], 0.0) - up), 2)
        capacity.append(room)
        award.append(round(room * need[n], 2) if n < len(need) else 0.0)
    return tuple(capacity), tuple(award)
