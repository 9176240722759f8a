"""What load pays beyond the energy price: net commitment-period compensation (NCPC, the uplift paid
to units committed out of merit) and the wholesale cost of serving load by component. One source for
the ncpc, monthlyassetncpc and whlsecost feeds, read from the same prices, load, reserves and fleet
as every other ISO-NE feed:

- A day's NCPC of each type (economic, local second contingency, voltage, ...) grows with the day's
  price level and stress; it is charged to the load zones by their share of the load (the charge
  rate is the charge over the load obligation), and credited to the units of the fleet that were
  committed out of merit, so that a month's asset credits add up to the month's charges.
- The wholesale cost of an hour at a load zone: its real-time LMP, then each other component in $/MWh
  of the zone's real-time load obligation (capacity, first and second contingency NCPC, regulation,
  reserves, tariff schedules, ...); the total is their sum.
[I] The sizes of the components and how NCPC splits by type (README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from isosim.isone.market import fleet, outlook, prices, publication, regulation, system
from isosim.isone.market.registry import Registry

# NCPC types (ISO-NE's names) and their daily size against the day's energy cost ([I]).
NCPC_SHARES = {
    "ECONOMIC": 0.0040,
    "LSCPR": 0.0015,
    "VAR": 0.0006,
    "HIGHVAR": 0.0001,
    "GPA": 0.0002,
    "EXTLOCECONOMIC": 0.0001,
    "RRP": 0.0001,
    "DLOC": 0.0001,
}
# Capacity clearing price ($/kW-month) by commitment period, first year ([I]: ISO-NE's FCA results, roughly).
FCA_PRICE = {2019: 7.03, 2020: 5.30, 2021: 4.63, 2022: 3.80, 2023: 2.00, 2024: 2.61, 2025: 2.64, 2026: 3.58}


@dataclass(frozen=True)
class Ncpc:
    kind: str
    day: date
    zone: int  # load zone location id
    da_charge: float  # $
    rt_charge: float
    da_obligation: float  # MWh
    rt_obligation: float

    @property
    def charge(self) -> float:
        return round(self.da_charge + self.rt_charge, 2)

    @property
    def da_rate(self) -> float:
        return round(self.da_charge / self.da_obligation, 6) if self.da_obligation else 0.0

    @property
    def rt_rate(self) -> float:
        return round(self.rt_charge / self.rt_obligation, 6) if self.rt_obligation else 0.0


@system.per_day
def ncpc(registry: Registry, day: date) -> tuple[Ncpc, ...]:
    hourly = system.hourly_load(registry, day)
    day_ahead = system.day_ahead_load(registry, day)
    energy = sum(mw * (prices.energy_price(registry, hour, "DA") or 0.0) for hour, mw in day_ahead)
    load, da_load = sum(mw for _, mw in hourly), sum(mw for _, mw in day_ahead)
    draw = prices._random(registry.seed, "ncpc", day)
    stress = system.heat(registry, day) ** 6  # uplift rises steeply on hot (or cold) days
    found = []
    for kind, share in NCPC_SHARES.items():
        total = energy * share * stress * draw.uniform(0.5, 1.5)
        da_part = draw.uniform(0.4, 0.7)
        for zone, zone_share in system.ZONE_SHARES.items():
            found.append(
                Ncpc(
                    kind,
                    day,
                    zone,
                    round(total * da_part * zone_share, 2),
                    round(total * (1 - da_part) * zone_share, 2),
                    round(da_load * zone_share, 2),
                    round(load * zone_share, 2),
                )
            )
    return tuple(found)


@dataclass(frozen=True)
class AssetCredit:
    generator: fleet.Generator
    node: int  # the network node the asset is at
    name: str
    da_credit: float
    rt_credit: float


def monthly_asset_credits(registry: Registry, year: int, month: int) -> tuple[AssetCredit, ...]:
    """The month's NCPC credited per asset: its charges spread over the fleet's gas and oil units
    (the units committed out of merit), so that the credits add up to the charges."""
    first = date(year, month, 1)
    days = publication.days_of_month(first)
    da = sum(n.da_charge for day in days for n in ncpc(registry, day))
    rt = sum(n.rt_charge for day in days for n in ncpc(registry, day))
    units = [
        g for g in fleet.fleet(registry, first).generators if g.fuel in ("gas ct", "oil steam", "gas cc")
    ]
    draw = prices._random(registry.seed, "ncpc-assets", year, month)
    chosen = sorted(draw.sample(units, min(len(units), 40)), key=lambda g: g.asset)
    weights = [draw.uniform(0.1, 2.0) for _ in chosen]
    whole = sum(weights)
    nodes = [loc for loc in registry.locations if loc.network_node_type == "UNIT"]
    found = []
    da_left, rt_left = round(da, 2), round(rt, 2)
    for n, (g, w) in enumerate(zip(chosen, weights, strict=True)):
        last = n == len(chosen) - 1
        da_credit = da_left if last else round(da * w / whole, 2)
        rt_credit = rt_left if last else round(rt * w / whole, 2)
        da_left, rt_left = round(da_left - da_credit, 2), round(rt_left - rt_credit, 2)
        node = nodes[g.asset % len(nodes)] if nodes else None
        name = node.name.removeprefix("UN.").split()[0] if node is not None else f"UNIT {g.asset}"
        found.append(AssetCredit(g, node.loc_id if node is not None else 0, name, da_credit, rt_credit))
    return tuple(found)


@dataclass(frozen=True)
class WholesaleCost:
    begin: datetime  # the hour's beginning
    zone: int
    lmp: float
    components: dict[str, float]  # $/MWh, in ISO-NE's order after Lmp
    load: float  # real-time load obligation, MWh

    @property
    def total(self) -> float:
        return round(self.lmp + sum(self.components.values()), 2)


@system.per_day
def wholesale_costs(registry: Registry, day: date) -> tuple[WholesaleCost, ...]:
    """Each hour's cost of serving load at each load zone, component by component."""
    hours = prices.hours_of(day)
    zones = [loc for z in system.ZONE_SHARES if (loc := registry.location(z)) is not None]
    lmps = {(x.begin, x.location.loc_id): x.total for x in prices.real_time_hourly(registry, hours, zones)}
    loads = dict(system.hourly_load(registry, day))
    regulation_prices = regulation.five_minute(registry, day)
    reserves = prices.reserve_prices(registry, [t for t, *_ in regulation_prices])
    by_kind: dict[str, float] = {}
    for n in ncpc(registry, day):
        by_kind[n.kind] = by_kind.get(n.kind, 0.0) + n.charge
    day_load = sum(loads.values())
    first_year = day.year if day.month >= 6 else day.year - 1
    # the month's capacity payments (price x obligation) over the month's load
    capacity_rate = (
        FCA_PRICE.get(first_year, 3.0) * outlook.cso(day) * 1000 / (system.MONTH_LOAD[day.month - 1] * 730)
    )
    _, spin, ten, thirty = system.RESERVE_ZONES[7000]
    found = []
    for index, hour in enumerate(hours):
        load = loads[hour]
        fives = regulation_prices[index * 12 : index * 12 + 12]
        regulation_cost = sum(capacity for _, _, capacity in fives) / 12 * 60 / load  # ~60 MW regulated
        held = reserves[index * 12 : index * 12 + 12]
        reserve_cost = (
            sum(spin * a + (ten - spin) * b + (thirty - ten) * c for _, a, b, c in held) / 12 / load
        )
        shared = {
            "Capacity": round(capacity_rate, 4),
            "FirstC": round(by_kind["ECONOMIC"] / day_load, 4),
            "SecondC": round(by_kind["LSCPR"] / day_load, 4),
            "Regulation": round(regulation_cost, 4),
            "FwdRsv": round(0.35 if day < date(2025, 6, 1) else 0.0, 4),
            "RtRsv": round(reserve_cost, 4),
            "Inadv": 0.0,
        }
        tail = {
            "ARR": -0.25,
            "DRRCost": 0.01,
            "PRD": 0.0,
            "Sched2": round((by_kind["VAR"] + by_kind["HIGHVAR"]) / day_load, 4),
            "Sched3": 0.18,
            "NEPOOL": 0.06,
        }
        for loc in zones:
            lmp = lmps[(hour, loc.loc_id)]
            # the marginal loss revenue fund returns about 1.5% of the energy bill
            components = {**shared, "MLRF": round(-0.015 * lmp, 4), **tail}
            share = system.ZONE_SHARES[loc.loc_id]
            found.append(WholesaleCost(hour, loc.loc_id, lmp, components, round(load * share, 2)))
    return tuple(found)
