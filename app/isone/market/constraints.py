"""Binding transmission constraints, day-ahead hourly and real-time every five minutes: one source for
the constraint feeds.

New England's constraints are its transmission interfaces (flows across a set of lines, limited
for stability or voltage) and thermal limits on single lines after a contingency. A constraint binds
in episodes: it starts binding more often when the system is stressed (its energy price high against
the month's) and, once binding, tends to stay so for a few hours (day-ahead) or tens of minutes (real
time). Its marginal value ($/MWh, ISO-NE writes it negative, as in its published captures) grows
with the energy price. A fifteen-minute value is the mean of its three five-minute values.

[I] The set of constraints and their names: ISO-NE publishes which constraints bound, never its
network model; the names below are New England's published interfaces and a few lines, spelled as
isosim chooses ("MIS" and its contingency "Interface" are as in a public capture). The LMPs'
congestion components are their locations' shares (prices.py), not recomputed from these marginal
values and shift factors, which ISO-NE does not publish (README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from isosim.isone.eastern import EASTERN
from isosim.isone.market import prices, system
from isosim.isone.market.registry import Registry


@dataclass(frozen=True)
class Constraint:
    name: str
    contingency: str  # "Interface" for an interface, else the contingency that limits the line
    interface: bool
    odds: float  # how often it starts binding in a stressed hour (day-ahead) or interval
    scale: float  # its marginal value against the energy price


CONSTRAINTS = (
    Constraint("MIS", "Interface", True, 0.030, 0.18),
    Constraint("NNE-SCOBIE+394", "Interface", True, 0.020, 0.22),
    Constraint("ORRINGTON-SOUTH", "Interface", True, 0.018, 0.30),
    Constraint("SUROWIEC-SOUTH", "Interface", True, 0.012, 0.26),
    Constraint("BOSTON IMPORT", "Interface", True, 0.010, 0.35),
    Constraint("SEMA/RI EXPORT", "Interface", True, 0.014, 0.20),
    Constraint("CT IMPORT", "Interface", True, 0.006, 0.40),
    Constraint("SWCT IMPORT", "Interface", True, 0.006, 0.45),
    Constraint("NY-NE", "Interface", True, 0.012, 0.15),
    Constraint("LINE 1385", "LOSS OF 1280 LINE", False, 0.010, 0.60),
    Constraint("LINE 3361", "LOSS OF 3362 LINE", False, 0.008, 0.55),
    Constraint("LINE 398", "LOSS OF 394 LINE", False, 0.010, 0.50),
)
# Once binding, the chance it still binds the next interval.
STAYS = {"hour": 0.70, "five": 0.93}


@dataclass(frozen=True)
class Binding:
    begin: datetime  # aware UTC: the interval's beginning
    constraint: Constraint
    marginal_value: float  # $/MWh, negative


def _stress(price: float, mean: float) -> float:
    """How much more often constraints start binding at this price than at the month's mean."""
    return max(0.2, price / mean) ** 2 if mean > 0 else 1.0


def _episodes(
    registry: Registry, day: date, market: str, prices_: list[tuple[datetime, float]], mean: float
) -> list[Binding]:
    draw = prices._random(registry.seed, "constraints", market, day)
    stays = STAYS["hour" if market == "DA" else "five"]
    odds_scale = 1.0 if market == "DA" else 1 / 12  # an hour's odds spread over its five minutes
    found: list[Binding] = []
    for constraint in CONSTRAINTS:
        binding, depth = False, 0.0
        for begin, price in prices_:
            start = constraint.odds * odds_scale * _stress(price, mean)
            binding = draw.random() < (stays if binding else start)
            if not binding:
                depth = 0.0
                continue
            depth = depth or draw.lognormvariate(0, 0.6)  # an episode's severity
            value = price * constraint.scale * depth * (1 + 0.15 * draw.gauss(0, 1))
            found.append(Binding(begin, constraint, -round(max(0.01, value), 2)))
    found.sort(key=lambda b: (b.begin, CONSTRAINTS.index(b.constraint)))
    return found


def _month_mean(registry: Registry, day: date, market: str) -> float:
    month = prices.month(registry, day.year, day.month)
    values = month.da if market == "DA" else month.rt
    return sum(values) / len(values)


@system.per_day
def day_ahead(registry: Registry, day: date) -> list[Binding]:
    """The day-ahead market's binding constraints, hour by hour (its energy price drives them)."""
    energy = [(h, prices.energy_price(registry, h, "DA") or 0.0) for h in prices.hours_of(day)]
    return _episodes(registry, day, "DA", energy, _month_mean(registry, day, "DA"))


@system.per_day
def five_minute(registry: Registry, day: date) -> list[Binding]:
    """The real-time binding constraints of every five-minute interval."""
    intervals = [h + prices.FIVE_MINUTES * n for h in prices.hours_of(day) for n in range(12)]
    energy = [(t, prices.energy_price(registry, t, "FIVE") or 0.0) for t in intervals]
    return _episodes(registry, day, "RT", energy, _month_mean(registry, day, "RT"))


@system.per_day
def fifteen_minute(registry: Registry, day: date) -> list[tuple[Binding, datetime]]:
    """Per quarter hour, each constraint that bound in any of its five minutes: the mean of its three
    five-minute values (zero where it did not bind), with the five-minute interval it bound hardest
    in (FifteenMinBc's MarginalValueInterval, [I])."""
    by_quarter: dict[tuple[datetime, str], list[Binding]] = {}
    for binding in five_minute(registry, day):
        local = binding.begin.astimezone(EASTERN)
        quarter = binding.begin - timedelta(minutes=local.minute % 15)
        by_quarter.setdefault((quarter, binding.constraint.name), []).append(binding)
    found = []
    for (quarter, _), group in by_quarter.items():
        hardest = min(group, key=lambda b: b.marginal_value)
        mean = round(sum(b.marginal_value for b in group) / 3, 2)
        found.append((Binding(quarter, group[0].constraint, mean), hardest.begin))
    found.sort(key=lambda pair: (pair[0].begin, CONSTRAINTS.index(pair[0].constraint)))
    return found
