"""ISO-NE's LMPs: one price source for every feed (web services, ISO Express CSVs), deterministic from
the system's seed for any date, so two feeds never disagree.

The energy component is system-wide. A month of it is made at once (cached): the day-ahead price of
each hour from the month's level (season and year), a day's weather (heat waves, cold snaps: a
smooth random walk over the month) and the hour's place in the day (on-peak hours above off-peak,
weekends flatter); the real-time price of each five-minute interval follows the day-ahead price of
its hour with its own persistent noise and rare scarcity spikes. A month with targets (the hub's
August 2021 statistics, seed 002) is then calibrated to them: extremes stretched to the targets'
minimum and maximum, on-peak and off-peak hours scaled to their averages.

A location's LMP is the energy price plus its marginal loss and congestion components, each a
share of the energy price (the registry's shares): LMP = energy + congestion + loss exactly, and an
hourly real-time LMP is the mean of its twelve five-minute LMPs, component by component.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from isosim.isone.eastern import EASTERN, midnight_utc
from isosim.isone.market.registry import Location, Registry

FIVE_MINUTES = timedelta(minutes=5)
HOUR = timedelta(hours=1)
# The hub's day-ahead average in August 2021 (seed 002): every other month is set against it.
AUGUST_2021 = 49.47
# Month of the year against August, and year against 2021: the gas-driven level of New England's
# prices, approximate (inferred from ISO-NE's published monthly averages; README).
SEASON = (1.05, 1.35, 0.70, 0.58, 0.56, 0.72, 0.74, 1.00, 0.80, 0.80, 0.95, 1.20)
YEAR = {2019: 0.62, 2020: 0.48, 2021: 1.0, 2022: 1.75, 2023: 0.78, 2024: 0.80, 2025: 1.05, 2026: 1.0}


def on_peak(local: datetime) -> bool:
    """NERC on-peak: weekdays, hours beginning 07:00-22:00 local (HE08-HE23); holidays aside."""
    return local.weekday() < 5 and 7 <= local.hour < 23


def _random(seed: str, *parts: object) -> random.Random:
    digest = hashlib.sha256("|".join([seed, *map(str, parts)]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def hours_of(day: date) -> list[datetime]:
    """The hours of an Eastern operating day, as aware UTC instants: 23, 24 or 25 of them."""
    start, end = midnight_utc(day), midnight_utc(day + timedelta(days=1))
    count = int((end - start) / HOUR)
    return [(start + HOUR * n).replace(tzinfo=UTC) for n in range(count)]


@dataclass(frozen=True)
class Month:
    """A month of system energy prices: one per hour (DA) and per five minutes (RT), in time order."""

    start: datetime  # aware UTC: the month's first hour
    hours: tuple[datetime, ...]
    da: tuple[float, ...]
    rt: tuple[float, ...]  # 12 per hour

    def hour_index(self, instant: datetime) -> int | None:
        index = int((instant - self.start) / HOUR)
        return index if 0 <= index < len(self.hours) and self.hours[index] == instant else None


def _shape(local: datetime) -> float:
    """An hour's price against the day's level: on-peak hours above, the afternoon highest."""
    hour = local.hour
    if local.weekday() >= 5:
        return 0.78 + 0.14 * math.sin(math.pi * max(0, hour - 7) / 16) if 7 <= hour < 23 else 0.70
    if 7 <= hour < 23:
        return 1.0 + 0.38 * math.sin(math.pi * (hour - 7) / 16)
    return 0.66 + (0.06 if hour in (5, 6, 23) else 0.0)


def _raw_month(seed: str, year: int, month: int) -> Month:
    first = date(year, month, 1)
    days = [first + timedelta(days=n) for n in range(31) if (first + timedelta(days=n)).month == month]
    level = AUGUST_2021 * SEASON[month - 1] * YEAR.get(year, 1.0)
    draw = _random(seed, "energy", year, month)
    weather, hours, da, rt = draw.gauss(0, 0.6), [], [], []
    noise = 0.0
    for day in days:
        weather = 0.55 * weather + 0.8 * draw.gauss(0, 0.6)  # heat waves last a few days
        daily = level * math.exp(0.34 * weather - 0.06)
        for instant in hours_of(day):
            local = instant.astimezone(EASTERN)
            price = daily * _shape(local) * (1 + 0.05 * draw.gauss(0, 1))
            hours.append(instant)
            da.append(price)
            for _ in range(12):
                noise = 0.88 * noise + draw.gauss(0, 0.055)
                value = price * (0.985 + noise)
                if draw.random() < 0.0035:  # a scarcity spike: reserves short for an interval
                    value *= draw.uniform(1.8, 5.5)
                rt.append(max(value, 0.25 * price))
    return Month(hours[0], tuple(hours), tuple(da), tuple(rt))


def _stretch(values: list[float], low: float, high: float) -> list[float]:
    """The extremes moved to `low` and `high`, the middle 90% untouched (a monotone map)."""
    ordered = sorted(values)
    q05, q95 = ordered[len(ordered) // 20], ordered[-len(ordered) // 20]
    lowest, highest = ordered[0], ordered[-1]

    def mapped(v: float) -> float:
        if v < q05 and q05 > lowest:
            return low + (v - lowest) * (q05 - low) / (q05 - lowest)
        if v > q95 and highest > q95:
            return q95 + (v - q95) * (high - q95) / (highest - q95)
        return v

    return [mapped(v) for v in values]


def _calibrated(raw: Month, targets: dict[tuple[str, str, str], float]) -> Month:
    """Each market's on-peak and off-peak hours held to the targets' minimum, maximum and average
    (stretch the extremes, scale to the average; twice, as each step moves the other a little)."""
    series = {"DA": list(raw.da), "RT": list(raw.rt)}
    for market, values in series.items():
        per = 1 if market == "DA" else 12
        peak = [on_peak(raw.hours[i // per].astimezone(EASTERN)) for i in range(len(values))]
        for period, flag in (("on_peak", True), ("off_peak", False)):
            chosen = [i for i, p in enumerate(peak) if p == flag]
            low, high = targets.get((market, period, "min")), targets.get((market, period, "max"))
            wanted = targets.get((market, period, "avg"))
            if not chosen:
                continue
            part = [values[i] for i in chosen]
            for _ in range(3):
                if low is not None and high is not None:
                    part = _stretch(part, low, high)
                if wanted is not None:
                    scale = wanted / (sum(part) / len(part))
                    part = [v * scale for v in part]
            for i, v in zip(chosen, part, strict=True):
                values[i] = v
    return Month(raw.start, raw.hours, tuple(series["DA"]), tuple(series["RT"]))


_months: OrderedDict[tuple[str, int, int, tuple], Month] = OrderedDict()
_lock = threading.Lock()


def month(registry: Registry, year: int, number: int) -> Month:
    """The month's system energy prices (cached: a few dozen months, a few hundred kB each)."""
    targets = registry.calibration(f"{year:04d}-{number:02d}")
    return _months_of(registry.seed, year, number, tuple(sorted(targets.items())))


def _months_of(seed: str, year: int, number: int, targets: tuple) -> Month:
    key = (seed, year, number, targets)
    with _lock:
        found = _months.get(key)
        if found is not None:
            _months.move_to_end(key)
            return found
    made = _calibrated(_raw_month(seed, year, number), dict(targets))
    with _lock:
        _months[key] = made
        while len(_months) > 48:
            _months.popitem(last=False)
    return made


class Lmp(NamedTuple):
    begin: datetime  # aware UTC, interval beginning
    location: Location
    total: float
    energy: float
    congestion: float
    loss: float


def _priced(begin: datetime, shares: list[tuple[Location, float, float]], energy: float) -> list[Lmp]:
    """Every location's LMP for one interval: energy + congestion + loss, each rounded to the cent."""
    energy = round(energy, 2)
    # a day of every location is 8,300 of these: names bound once, tuples made directly
    new, rounded, found = tuple.__new__, round, []
    append = found.append
    for loc, loss_share, congestion_share in shares:
        congestion, loss = rounded(energy * congestion_share, 2), rounded(energy * loss_share, 2)
        append(new(Lmp, (begin, loc, rounded(energy + congestion + loss, 2), energy, congestion, loss)))
    return found


def _shares(where: list[Location], market: str) -> list[tuple[Location, float, float]]:
    return [(loc, *loc.shares(market)) for loc in where]


def _month_of(instant: datetime) -> tuple[int, int]:
    local = instant.astimezone(EASTERN)
    return local.year, local.month


def energy_price(registry: Registry, instant: datetime, market: str) -> float | None:
    """The system energy price of an hour (DA, RT: the mean of its five minutes) or a five-minute
    interval (FIVE)."""
    hour = instant.replace(minute=0, second=0, microsecond=0)
    held = month(registry, *_month_of(hour))
    index = held.hour_index(hour)
    if index is None:
        return None
    if market == "DA":
        return held.da[index]
    if market == "FIVE":
        return held.rt[index * 12 + instant.minute // 5]
    if market == "FIFTEEN":  # the quarter hour's three five-minute prices, averaged
        first = index * 12 + instant.minute // 5
        return sum(held.rt[first : first + 3]) / 3
    return sum(held.rt[index * 12 : index * 12 + 12]) / 12


_answers: OrderedDict[tuple, list[Lmp]] = OrderedDict()
# Answers kept: at most 16 of at most a day of hourly LMPs at every location each (about 25 MB in all),
# so that a client reading a month of five-minute LMPs does not grow the server.
ANSWER_ROWS = 10_000


def _series(registry: Registry, instants: list[datetime], where: list[Location], market: str) -> list[Lmp]:
    """The LMPs of the locations at the instants. Kept for the last few asks (a day of every location
    is asked again and again, and it never changes): callers must not change the list."""
    key = (registry.fingerprint, market, tuple(instants), tuple(loc.loc_id for loc in where))
    with _lock:
        if key in _answers:
            _answers.move_to_end(key)
            return _answers[key]
    shares = _shares(where, "DA" if market == "DA" else "RT")
    found: list[Lmp] = []
    for instant in instants:
        energy = energy_price(registry, instant, market)
        if energy is not None:
            found += _priced(instant, shares, energy)
    if len(found) <= ANSWER_ROWS:
        with _lock:
            _answers[key] = found
            while len(_answers) > 16:
                _answers.popitem(last=False)
    return found


def day_ahead(registry: Registry, hours: list[datetime], where: list[Location]) -> list[Lmp]:
    """Hourly day-ahead LMPs at each location for the given hours, hour by hour."""
    return _series(registry, hours, where, "DA")


def five_minute(registry: Registry, intervals: list[datetime], where: list[Location]) -> list[Lmp]:
    """Five-minute real-time LMPs at each location for the given interval beginnings."""
    return _series(registry, intervals, where, "FIVE")


def fifteen_minute(registry: Registry, intervals: list[datetime], where: list[Location]) -> list[Lmp]:
    """Fifteen-minute real-time LMPs: each the mean of its three five-minute LMPs (to the cent)."""
    return _series(registry, intervals, where, "FIFTEEN")


def real_time_hourly(registry: Registry, hours: list[datetime], where: list[Location]) -> list[Lmp]:
    """Hourly real-time LMPs: from the mean of the hour's twelve five-minute energy prices, so each
    is the mean of its five-minute LMPs (to the cent, as both are rounded)."""
    return _series(registry, hours, where, "RT")


# --- reserves ----------------------------------------------------------------------------------------

# Share of hours with a non-zero real-time reserve price where the month has no target: August
# 2021's (250 of 744 hours, seed 002).
RESERVE_HOURS_SHARE = 250 / 744
# How reserve prices follow the energy price above the month's scarcity threshold ([I]): ten-minute
# non-spinning above thirty-minute operating, spinning above both (ISO-NE's prices nest that way).
TMOR_SLOPE = 0.4
TMNSR_OVER_TMOR = 1.1
TMSR_OVER_TMNSR = 1.15


@functools.lru_cache(maxsize=64)
def _reserve_threshold(seed: str, year: int, number: int, hours: float | None, targets: tuple) -> float:
    """The energy price above which reserves are short: chosen so that the month has its number of
    hours with a non-zero reserve price (an hour has one if any of its five minutes does)."""
    held = _months_of(seed, year, number, targets)
    peaks = sorted((max(held.rt[i * 12 : i * 12 + 12]) for i in range(len(held.hours))), reverse=True)
    wanted = round(hours if hours is not None else RESERVE_HOURS_SHARE * len(peaks))
    wanted = max(0, min(len(peaks) - 1, wanted))
    return peaks[wanted]  # the first hour left out sets the bar


def reserve_prices(
    registry: Registry, instants: list[datetime]
) -> list[tuple[datetime, float, float, float]]:
    """(interval, TMSR, TMNSR, TMOR clearing prices $/MWh) every five minutes: zero until the energy
    price passes the month's scarcity threshold, then rising with it."""
    found = []
    for instant in instants:
        energy = energy_price(registry, instant, "FIVE")
        if energy is None:
            continue
        year, number = _month_of(instant)
        label = f"{year:04d}-{number:02d}"
        targets = tuple(sorted(registry.calibration(label).items()))
        bar = _reserve_threshold(registry.seed, year, number, registry.reserve_hours(label), targets)
        # At least 12 cents once short: an hour with one short five minutes still averages a cent.
        tmor = round(max(0.12, (energy - bar) * TMOR_SLOPE), 2) if energy > bar else 0.0
        tmnsr = round(tmor * TMNSR_OVER_TMOR, 2)
        found.append((instant, round(tmnsr * TMSR_OVER_TMNSR, 2), tmnsr, tmor))
    return found
