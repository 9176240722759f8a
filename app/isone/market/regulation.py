"""Real-time regulation clearing prices every five minutes: one source for every ISO-NE feed.

ISO-NE clears regulation in two parts since 2015: a capacity price ($/MW for the interval's
capability, set by the opportunity cost of holding a unit back from energy, so it follows the energy
price) and a service price ($/MW of mileage, small, with rare spikes). A month is made at once from
the month's real-time energy prices (prices.py), each interval's capacity price a persistent share
of its energy price and its service price a small random level; a month with targets (August 2021,
seed 002 section 9.2: on-peak and off-peak averages and maxima) is then scaled to their averages and
its peaks stretched to their maxima.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime

from isosim.isone.eastern import EASTERN
from isosim.isone.market import prices
from isosim.isone.market.registry import Registry

# Capacity price against the energy price, and the service price's typical level ($), for months
# without targets: August 2021's ratios ([I], README).
CAPACITY_SHARE = 0.55
SERVICE_LEVEL = 0.3


@dataclass(frozen=True)
class Month:
    start: datetime  # the month's first five-minute interval, aware UTC
    service: tuple[float, ...]  # one per five minutes, in time order
    capacity: tuple[float, ...]


def _raw(seed: str, energy: prices.Month) -> tuple[list[float], list[float]]:
    draw = prices._random(seed, "regulation", energy.start.isoformat())
    share, service, capacity, level = 0.0, [], [], 0.0
    for value in energy.rt:
        share = 0.92 * share + draw.gauss(0, 0.08)  # the opportunity cost wanders slowly
        capacity.append(max(0.0, value * CAPACITY_SHARE * (1 + share)))
        level = 0.8 * level + draw.gauss(0, 0.35)
        spike = draw.uniform(3, 12) if draw.random() < 0.002 else 0.0
        service.append(max(0.0, SERVICE_LEVEL * (1 + level) + spike))
    return service, capacity


def _fit(values: list[float], chosen: list[int], wanted: float | None, highest: float | None) -> None:
    """Scale the chosen intervals to an average and stretch their top 5% to a maximum, in place."""
    part = [values[i] for i in chosen]
    for _ in range(3):
        if highest is not None:
            part = prices._stretch(part, min(part), highest)
        if wanted is not None and sum(part) > 0:
            scale = wanted / (sum(part) / len(part))
            part = [v * scale for v in part]
    for i, v in zip(chosen, part, strict=True):
        values[i] = v


def _made(seed: str, energy: prices.Month, targets: dict[tuple[str, str], float]) -> Month:
    service, capacity = _raw(seed, energy)
    peak = [prices.on_peak(energy.hours[i // 12].astimezone(EASTERN)) for i in range(len(energy.rt))]
    for period, flag in (("on_peak", True), ("off_peak", False)):
        chosen = [i for i, p in enumerate(peak) if p == flag]
        if not chosen:
            continue
        for name, values in (("service", service), ("capacity", capacity)):
            wanted = targets.get((period, f"reg_{name}_avg"))
            highest = targets.get((period, f"reg_{name}_max"))
            _fit(values, chosen, wanted, highest)
    return Month(energy.start, tuple(round(v, 2) for v in service), tuple(round(v, 2) for v in capacity))


_months: OrderedDict[tuple, Month] = OrderedDict()
_lock = threading.Lock()


def month(registry: Registry, year: int, number: int) -> Month:
    targets = registry.regulation(f"{year:04d}-{number:02d}")
    key = (registry.fingerprint, year, number)
    with _lock:
        if key in _months:
            _months.move_to_end(key)
            return _months[key]
    made = _made(registry.seed, prices.month(registry, year, number), targets)
    with _lock:
        _months[key] = made
        while len(_months) > 24:
            _months.popitem(last=False)
    return made


def five_minute(registry: Registry, day: date) -> list[tuple[datetime, float, float]]:
    """(interval begin, service price, capacity price) for every five minutes of an operating day."""
    found = []
    for hour in prices.hours_of(day):
        local = hour.astimezone(EASTERN)
        of = month(registry, local.year, local.month)
        first = int((hour - of.start) / prices.FIVE_MINUTES)
        for n in range(12):
            found.append((hour + prices.FIVE_MINUTES * n, of.service[first + n], of.capacity[first + n]))
    return found
