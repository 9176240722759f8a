"""New England's power system on the simulated clock: load, interchange with its neighbours and
generation by fuel, one source for every ISO-NE feed, deterministic from the seed for any date.

- Load (native, MW) every five minutes: the month's level, the hour's place in the day (summer
  afternoons highest, nights lowest, weekends lower) and the day's heat, read from the day-ahead
  prices (prices.py: a hot day's prices are high, and so is its load). An hourly load is the mean of
  its twelve five-minute loads; each load zone carries a fixed share of it.
- Interchange (MW) per interface, hourly: imports and exports at each external node. A month with
  targets (August 2021: seed 002's monthly imports and exports per interface) is scaled to them.
- Generation by fuel (MW) every five minutes: nuclear steady, hydro and wind and solar by the hour
  and the weather, refuse, wood and landfill gas steady, coal and oil only at the peaks, natural gas
  the rest: generation + net imports = load, exactly.
"""

from __future__ import annotations

import functools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from isosim.isone.eastern import EASTERN
from isosim.isone.market import prices
from isosim.isone.market.registry import Registry

FIVE = prices.FIVE_MINUTES
HOUR = prices.HOUR
# The month's average native load (MW), approximating ISO-NE's recent years ([I], README).
MONTH_LOAD = (14900, 14700, 13100, 11800, 11700, 14000, 15600, 15900, 13400, 12000, 12900, 14400)
# Load zones' shares of the system load ([I]: ISO-NE's zonal loads, roughly).
ZONE_SHARES = {
    4001: 0.085,
    4002: 0.090,
    4003: 0.042,
    4004: 0.245,
    4005: 0.060,
    4006: 0.130,
    4007: 0.125,
    4008: 0.223,
}
# Average imports and exports (MW) per interface, used for months without targets: August 2021's.
INTERFACES = (4010, 4011, 4012, 4013, 4014, 4017)
# Generation by fuel: (FuelCategoryRollup, FuelCategory), in ISO-NE's order.
FUELS = (
    ("Coal", "Coal"),
    ("Hydro", "Hydro"),
    ("Natural Gas", "Natural Gas"),
    ("Nuclear", "Nuclear"),
    ("Oil", "Oil"),
    ("Other", "Other"),
    ("Renewables", "Landfill Gas"),
    ("Renewables", "Refuse"),
    ("Renewables", "Solar"),
    ("Renewables", "Wind"),
    ("Renewables", "Wood"),
)
# A fuel-mix snapshot is taken at an odd second of each five-minute interval (ISO-NE's are).
SNAPSHOT_SECOND = 19


_days: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()
F = TypeVar("F", bound=Callable[..., Any])


def per_day(series: F) -> F:
    """A day's series is computed once (feeds ask for the same day many times): cached by the
    registry's seed and targets and the day, a few hundred days at most."""

    @functools.wraps(series)
    def cached(registry: Registry, day: date) -> Any:
        key = (series.__name__, registry.fingerprint, day)
        with _lock:
            if key in _days:
                _days.move_to_end(key)
                return _days[key]
        found = series(registry, day)
        with _lock:
            _days[key] = found
            while len(_days) > 512:
                _days.popitem(last=False)
        return found

    return cached  # type: ignore[return-value]


def _shape(local: datetime) -> float:
    """Load against the day's mean: the small hours lowest, late afternoon highest."""
    hour = local.hour + local.minute / 60
    daily = (
        1.0
        + 0.22 * math.sin(2 * math.pi * (hour - 10.5) / 24)
        + 0.06 * math.sin(4 * math.pi * (hour - 13) / 24)
    )
    return daily * (0.92 if local.weekday() >= 5 else 1.02)


def heat(registry: Registry, day: date) -> float:
    """The day's heat from its day-ahead prices: 1.0 on an average day of its month."""
    month = prices.month(registry, day.year, day.month)
    mean = sum(month.da) / len(month.da)
    hours = prices.hours_of(day)
    index = month.hour_index(hours[0])
    if index is None:
        return 1.0
    own = month.da[index : index + len(hours)]
    return (sum(own) / len(own) / mean) ** 0.3


@per_day
def five_minute_load(registry: Registry, day: date) -> list[tuple[datetime, float]]:
    """Native load every five minutes of an Eastern operating day."""
    level = MONTH_LOAD[day.month - 1] * heat(registry, day)
    draw = prices._random(registry.seed, "load", day)
    found, noise = [], 0.0
    for hour in prices.hours_of(day):
        for n in range(12):
            instant = hour + FIVE * n
            noise = 0.9 * noise + draw.gauss(0, 0.003)
            found.append((instant, round(level * _shape(instant.astimezone(EASTERN)) * (1 + noise), 2)))
    return found


@per_day
def hourly_load(registry: Registry, day: date) -> list[tuple[datetime, float]]:
    """Each hour's load: the mean of its twelve five-minute loads."""
    fives = five_minute_load(registry, day)
    return [
        (fives[i][0], round(sum(v for _, v in fives[i : i + 12]) / 12, 2)) for i in range(0, len(fives), 12)
    ]


def zone_load(load: float, zone: int) -> float:
    return round(load * ZONE_SHARES[zone], 2)


def _interface_means(registry: Registry, day: date) -> dict[int, tuple[float, float]]:
    """(imports, exports) MW on average per interface for the day's month: the month's targets if it
    has them, else August 2021's; exports negative."""
    month = f"{day.year:04d}-{day.month:02d}"
    targets = registry.interchange(month) or registry.interchange("2021-08")
    hours = 744
    found = {}
    for loc_id in INTERFACES:
        found[loc_id] = (
            targets.get((loc_id, "imports"), 0.0) / hours,
            targets.get((loc_id, "exports"), 0.0) / hours,
        )
    return found


@per_day
def interchange(registry: Registry, day: date) -> list[tuple[datetime, int, float, float]]:
    """Hourly (begin, external node, purchase (imports, MW), sale (exports, MW, negative))."""
    means = _interface_means(registry, day)
    draw = prices._random(registry.seed, "interchange", day)
    found = []
    for hour in prices.hours_of(day):
        local = hour.astimezone(EASTERN)
        swing = 1 + 0.12 * math.sin(2 * math.pi * (local.hour - 9) / 24)
        for loc_id in INTERFACES:
            imports, exports = means[loc_id]
            purchase = round(max(0.0, imports * swing * (1 + draw.gauss(0, 0.08))), 2)
            sale = round(min(0.0, exports / swing * (1 + draw.gauss(0, 0.08))), 2)
            found.append((hour, loc_id, purchase, sale))
    return found


def net_imports(registry: Registry, day: date) -> dict[datetime, float]:
    """Each hour's net imports over every interface (MW)."""
    found: dict[datetime, float] = {}
    for hour, _, purchase, sale in interchange(registry, day):
        found[hour] = found.get(hour, 0.0) + purchase + sale
    return found


@per_day
def fuel_mix(registry: Registry, day: date) -> list[tuple[datetime, dict[tuple[str, str], float], str]]:
    """Every five minutes: (snapshot time, MW by (rollup, fuel), the marginal fuel category)."""
    load = five_minute_load(registry, day)
    imports = net_imports(registry, day)
    draw = prices._random(registry.seed, "fuel", day)
    wind = 0.35 + 0.3 * draw.random()
    found = []
    for instant, mw in load:
        local = instant.astimezone(EASTERN)
        hour = instant.replace(minute=0)
        hour_of_day = local.hour + local.minute / 60
        wind = min(0.9, max(0.05, wind + draw.gauss(0, 0.01)))
        daylight = max(0.0, math.sin(math.pi * (hour_of_day - 6) / 14)) if 6 <= hour_of_day <= 20 else 0.0
        peak = max(0.0, mw / MONTH_LOAD[day.month - 1] - 1.25)
        mix = {
            ("Coal", "Coal"): round(400 * peak, 0),
            ("Hydro", "Hydro"): round(900 + 500 * daylight, 0),
            ("Nuclear", "Nuclear"): 3340.0,
            ("Oil", "Oil"): round(900 * peak, 0),
            ("Other", "Other"): 25.0,
            ("Renewables", "Landfill Gas"): 95.0,
            ("Renewables", "Refuse"): 340.0,
            ("Renewables", "Solar"): round(1100 * daylight * (0.8 + 0.2 * draw.random()), 0),
            ("Renewables", "Wind"): round(1400 * wind, 0),
            ("Renewables", "Wood"): 410.0,
        }
        others = sum(mix.values())
        mix[("Natural Gas", "Natural Gas")] = round(mw - imports.get(hour, 0.0) - others, 2)
        mix = {fuel: mix[fuel] for fuel in FUELS}  # ISO-NE's order
        marginal = "Oil" if peak > 0.05 else "Natural Gas"
        found.append((instant + timedelta(seconds=SNAPSHOT_SECOND), mix, marginal))
    return found


@per_day
def day_ahead_load(registry: Registry, day: date) -> list[tuple[datetime, float]]:
    """The day-ahead market's cleared demand per hour: the load as forecast, a little under ([I])."""
    draw = prices._random(registry.seed, "da-load", day)
    return [(hour, round(mw * (0.985 + draw.gauss(0, 0.012)), 2)) for hour, mw in hourly_load(registry, day)]


@per_day
def load_forecast(registry: Registry, day: date) -> list[tuple[datetime, float]]:
    """The load forecast per hour, issued the morning before (within a few percent of the load)."""
    draw = prices._random(registry.seed, "forecast", day)
    return [(hour, round(mw * (1 + draw.gauss(0, 0.02)), 0)) for hour, mw in hourly_load(registry, day)]


@per_day
def ard(registry: Registry, day: date) -> list[tuple[datetime, float]]:
    """Asset-related demand (pumped storage pumping), MW every five minutes: at night only ([I])."""
    found = []
    for instant, _ in five_minute_load(registry, day):
        hour = instant.astimezone(EASTERN).hour
        found.append((instant, 620.0 if hour < 6 else 0.0))
    return found


@per_day
def ard_hourly(registry: Registry, day: date) -> list[tuple[datetime, float]]:
    fives = ard(registry, day)
    return [
        (fives[i][0], round(sum(v for _, v in fives[i : i + 12]) / 12, 2)) for i in range(0, len(fives), 12)
    ]


def btm_pv(instant: datetime) -> float:
    """Behind-the-meter solar (MW) ISO-NE estimates; about 1,500 MW at a summer noon ([I])."""
    local = instant.astimezone(EASTERN)
    hour = local.hour + local.minute / 60
    return round(1500 * max(0.0, math.sin(math.pi * (hour - 6) / 14)) if 6 <= hour <= 20 else 0.0, 2)


# Reserve zones and their requirements (MW: ten-minute spinning, total ten-minute, total thirty-minute)
# ([I]: of the order of ISO-NE's; local zones carry thirty-minute requirements only).
RESERVE_ZONES = {
    7000: ("ROS", 860.0, 1650.0, 2450.0),
    7001: ("SWCT", 0.0, 0.0, 160.0),
    7002: ("CT", 0.0, 0.0, 900.0),
    7003: ("NEMABSTN", 0.0, 0.0, 0.0),
}


# Transfer limits (MW, imports and exports) per interface ([I]: the interfaces' ratings, roughly).
LIMITS = {
    4010: (1000, 550),
    4011: (1400, 1200),
    4012: (2000, 1200),
    4013: (225, 225),
    4014: (346, 330),
    4017: (200, 200),
}


@per_day
def five_minute_flows(registry: Registry, day: date) -> list[tuple[datetime, int, float, float, float]]:
    """Every five minutes, per interface: (begin, external node, actual flow, purchase, sale): the
    hour's schedules, and an actual flow that wanders around their sum and averages to it over the
    hour (so an hour's interchange is the mean of its five-minute flows)."""
    draw = prices._random(registry.seed, "flows", day)
    found = []
    for hour, loc_id, purchase, sale in interchange(registry, day):
        wander = [draw.gauss(0, 12) for _ in range(12)]
        mean = sum(wander) / 12
        for n in range(12):
            found.append(
                (hour + FIVE * n, loc_id, round(purchase + sale + wander[n] - mean, 2), purchase, sale)
            )
    found.sort(key=lambda row: (row[0], row[1]))
    return found


# The seven-day wind and solar power forecasts: issued each morning ([I]: 09:45) for the day and the
# six after, hour by hour, from the fuel mix those hours will have, less certain further ahead.
GENERATION_FORECAST_ISSUED = timedelta(hours=9, minutes=45)


@per_day
def _hourly_fuel(registry: Registry, day: date) -> dict[str, list[tuple[datetime, float]]]:
    """Each hour's mean generation of wind and of solar (MW) on a day."""
    mix = fuel_mix(registry, day)
    found: dict[str, list[tuple[datetime, float]]] = {"Wind": [], "Solar": []}
    for first in range(0, len(mix), 12):
        hour = (mix[first][0] - timedelta(seconds=SNAPSHOT_SECOND)).replace(minute=0)
        for fuel in found:
            mw = sum(m[("Renewables", fuel)] for _, m, _ in mix[first : first + 12]) / 12
            found[fuel].append((hour, round(mw, 1)))
    return found


def generation_forecast(
    registry: Registry, issued: date, fuel: str
) -> list[tuple[date, list[tuple[datetime, float]]]]:
    """Per day of the seven from `issued`: each hour's forecast (MW) of `fuel` (Wind or Solar)."""
    found = []
    for lead in range(7):
        day = issued + timedelta(days=lead)
        draw = prices._random(registry.seed, "generation-forecast", fuel, issued, lead)
        error = 1 + max(-0.5, min(0.5, draw.gauss(0, 0.06 * (1 + lead))))
        found.append((day, [(hour, round(mw * error, 1)) for hour, mw in _hourly_fuel(registry, day)[fuel]]))
    return found
