"""The CAISO system around the participants: demand per TAC area (forecasts and actuals), wind and
solar per trading hub, must-run and hydro, imports, and the rest of the supply stack. Each market
run clears the system's net load against that stack, interval by interval: the marginal price is
the energy component of every LMP (MCE); congestion across Path 15/26, marginal losses and the GHG
adder at EIM nodes make the rest. Everything is a function of the pack's seed and the trading day,
the same in every process (cached); participants are price-takers against these prices
(app/caiso/market/clearing.py).

Calibration (README, "The CAISO market"): demand around 27 GW on average with the evening peak and
the summer high; 22 GW of solar and 6 GW of wind; a stack of hydro and imports, combined cycles and
peakers priced from a seasonal gas price, so that prices follow the duck curve (a midday dip, below
zero on spring days, and the evening ramp, highest in late summer), a seasonal level and weekends
lower; real-time runs scatter around day-ahead with rare spikes under the 1,000 $/MWh soft cap.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from isosim.caiso.market.registry import Fleet, TacArea
from isosim.caiso.pacific import Interval, intervals

PRICE_FLOOR, SOFT_CAP = -150.0, 1000.0


@dataclass(frozen=True)
class Run:
    """A market run: its name (OASIS's MARKET_RUN_ID; RTD is OASIS's 5-minute "RTM"), interval
    length, the bids it clears (SIBR's marketType), the load forecast it clears against and how far
    its prices scatter around day-ahead."""

    name: str
    minutes: int
    market: str  # DAM or RTM
    forecast: str  # which load forecast it clears: DAM, RTPD, RTD
    scatter: float


RUNS = {
    "DAM": Run("DAM", 60, "DAM", "DAM", 0.0),  # the integrated forward market (IFM)
    "RUC": Run("RUC", 60, "DAM", "DAM", 0.02),  # residual unit commitment
    "HASP": Run("HASP", 15, "RTM", "RTPD", 0.05),  # hour-ahead scheduling (interties)
    "RTPD": Run("RTPD", 15, "RTM", "RTPD", 0.06),  # the fifteen-minute market (FMM)
    "RTD": Run("RTD", 5, "RTM", "RTD", 0.09),  # real-time dispatch
    "ACTUAL": Run("ACTUAL", 60, "RTM", "ACTUAL", 0.0),  # what happened, hour by hour (not priced)
}


@dataclass(frozen=True, eq=False)
class System:
    """What the system's numbers are drawn from: the seed, the TAC areas and the renewable fleets.
    Hashed once (by content), so that caches keyed on it stay cheap and two realms of one pack share
    their entries."""

    seed: str
    areas: tuple[TacArea, ...]
    fleets: tuple[Fleet, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_key", (self.seed, repr(self.areas), repr(self.fleets)))
        object.__setattr__(self, "_hash", hash(self._key))  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined,no-any-return]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, System) and self._key == other._key  # type: ignore[attr-defined]


def _rng(*parts: object) -> random.Random:
    # A string seed is hashed with SHA-512: the same in every process, whatever PYTHONHASHSEED says.
    return random.Random("|".join(str(p) for p in parts))


def _minutes(iv: Interval) -> int:
    return int((iv.end - iv.start).total_seconds() // 60)


def solar_shape(hour: float, month: int) -> float:
    """Clear-sky solar output (0..1) at a local hour, with the season's day length."""
    length = 12 + 2.3 * math.cos(2 * math.pi * (month - 6.5) / 12)
    rise = 12.5 - length / 2
    if not rise < hour < rise + length:
        return 0.0
    return math.sin(math.pi * (hour - rise) / length) ** 1.3


# --- demand --------------------------------------------------------------------------------------

LOAD_MONTH = (0, 1.0, 0.97, 0.93, 0.9, 0.94, 1.04, 1.17, 1.22, 1.15, 0.98, 0.95, 1.0)
# Forecast error (relative, one sigma) of each forecast against the actual.
FORECAST_ERROR = {"7DA": 0.06, "2DA": 0.035, "DAM": 0.02, "RTPD": 0.008, "RTD": 0.004, "ACTUAL": 0.0}


@lru_cache(maxsize=4096)
def weather(seed: str, day: date) -> float:
    """How far the day's load sits from normal, shared by every area, forecast and interval."""
    return _rng(seed, "weather", day).gauss(1, 0.05)


def area_load(seed: str, area: TacArea, iv: Interval, forecast: str) -> float:
    """An area's load (or its forecast) in an interval, MW."""
    day = iv.opr_date
    month, hour = day.month, iv.local_hour()
    weekend = 0.94 if day.weekday() >= 5 else 1.0
    evening = math.exp(-(((hour - 18.5) / 3.0) ** 2))
    night = 0.95 if hour < 5 else 1.0
    peak = (0.18 + 0.5 * (LOAD_MONTH[month] - 0.9)) * evening
    shape = (0.83 + 0.1 * solar_shape(hour, month) + peak) * night
    actual = area.mean_mw * LOAD_MONTH[month] * weather(seed, day) * shape * weekend
    error = FORECAST_ERROR[forecast]
    if error:
        draw = _rng(seed, "forecast", forecast, area.tac_area, day, iv.number, _minutes(iv))
        actual *= 1 + draw.gauss(0, error)
    return actual


# --- wind and solar ------------------------------------------------------------------------------


def fleet_output(seed: str, fleet: Fleet, iv: Interval) -> tuple[float, float]:
    """A fleet's day-ahead forecast and actual (potential) output in an interval, MW."""
    day, hour = iv.opr_date, iv.local_hour()
    if fleet.renewable_type == "Solar":
        sky = _rng(seed, "sky", fleet.trading_hub, day).uniform(0.55, 1.0)
        share = 0.85 * sky * solar_shape(hour, day.month)
    else:
        wind = _rng(seed, "wind", fleet.trading_hub, day).uniform(0.1, 0.7)
        share = min(0.95, max(0.0, wind * (0.7 + 0.5 * math.sin(math.pi * (hour - 8) / 14))))
    forecast = fleet.capacity_mw * share
    noise = _rng(seed, "renewables", fleet.trading_hub, fleet.renewable_type, day, iv.number, _minutes(iv))
    return forecast, max(0.0, forecast * (1 + noise.gauss(0, 0.06)))


# --- the rest of the supply stack ----------------------------------------------------------------

GAS_MONTH = (0, 6.2, 5.6, 4.6, 3.9, 3.6, 3.9, 4.8, 5.6, 5.6, 5.2, 5.6, 6.6)  # $/MMBtu
HYDRO_MONTH = (0, 3600, 4200, 5200, 6600, 7600, 7200, 5600, 4200, 3400, 3000, 3200, 3400)  # MW
NUCLEAR, GEOTHERMAL, BIOMASS = 2250.0, 900.0, 600.0
# Scheduled imports: plentiful Northwest hydro in spring, scarcer in late summer and at the peak.
IMPORTS_MONTH = (0, 5200, 5600, 6800, 7600, 7800, 7000, 5200, 4400, 4600, 5200, 5200, 5200)
# The gas fleet over the residual load it serves (MW): units at minimum load, then combined cycles,
# older steam and combustion turbines, peakers, each as (MW, heat rate at its first MW, at its last).
GAS_FLEET = (
    (3500.0, 4.0, 6.6),
    (6000.0, 6.6, 7.6),
    (5000.0, 7.6, 9.6),
    (4000.0, 9.6, 13.0),
    (2500.0, 13.0, 17.5),
    (3500.0, 17.5, 24.0),  # emergency imports and demand response
)
STORAGE_MW = 9000.0  # batteries: charge on the midday glut, discharge on the evening ramp
RAMP_PRICE = 5.5  # $/MWh per GW/h of rising residual load: the evening ramp's scarcity


def stack_price(residual: float, gas: float) -> float:
    """The marginal price of the residual load the gas fleet must serve (MW): below zero the
    oversupply is curtailed at negative prices; then the fleet in heat-rate order; then scarcity up
    to the soft cap."""
    if residual <= 0:
        return max(PRICE_FLOOR, -6.0 + residual / 250.0)
    rest = residual
    for mw, low, high in GAS_FLEET:
        if rest <= mw:
            return gas * (low + (high - low) * rest / mw) + 3.5
        rest -= mw
    return min(SOFT_CAP, gas * GAS_FLEET[-1][2] + 3.5 + rest * 0.08)


# --- a run's day ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """The system in one interval of one run."""

    load: float  # CAISO demand (the run's forecast), MW
    solar: float
    wind: float
    curtailment: float
    imports: float
    storage: float  # battery discharge (+) or charge (-)
    energy: float  # system marginal price ($/MWh): every LMP's energy component
    congestion: float  # north-to-south congestion ($/MWh at weight 1)
    ghg: float  # the GHG adder at EIM nodes outside California


@dataclass(frozen=True)
class Day:
    run: Run
    day: date
    intervals: tuple[Interval, ...]
    points: tuple[Point, ...]

    def at(self, iv: Interval) -> Point:
        return self.points[iv.number - 1]


def _storage(hour: float, month: int) -> float:
    """Batteries follow the duck: charge through the solar midday, discharge on the evening ramp."""
    charge = -0.8 * solar_shape(hour, month)
    discharge = 0.75 * math.exp(-(((hour - 20.5) / 1.8) ** 2))
    return STORAGE_MW * (charge + discharge) * 0.75


def hydro(hour: float, month: int, water: float) -> float:
    """Hydro output: run-of-river all day, reservoirs saved for the evening."""
    evening = math.exp(-(((hour - 20.5) / 2.5) ** 2))
    return HYDRO_MONTH[month] * water * (0.55 + 0.35 * evening)


@dataclass(frozen=True)
class Daily:
    """What a trading day brings, shared by every run (real time follows day-ahead)."""

    gas: float  # $/MMBtu
    water: float  # hydro conditions, around 1
    imports: float  # MW scheduled from outside at most
    congestion: float  # how hard Path 15/26 binds ($/MWh at weight 1)
    ghg: float  # the GHG adder ($/MWh)


@lru_cache(maxsize=4096)
def daily(seed: str, day: date) -> Daily:
    draw = _rng(seed, "day", day)
    gas = GAS_MONTH[day.month] * draw.lognormvariate(0, 0.08)
    water = draw.uniform(0.85, 1.15)
    imports = IMPORTS_MONTH[day.month] * draw.uniform(0.85, 1.1)
    congested = draw.random() < 0.55
    congestion = draw.uniform(2, 14) if congested else draw.uniform(0, 1.5)
    return Daily(gas, water, imports, congestion, draw.uniform(1.5, 5.0))


@lru_cache(maxsize=4096)
def system_day(system: System, day: date, run_name: str) -> Day:
    """What the system does in every interval of a trading day, as one market run sees it."""
    run = RUNS[run_name]
    month = day.month
    seed = system.seed
    today = daily(seed, day)
    gas, water, imports = today.gas, today.water, today.imports
    congestion_level, ghg_level = today.congestion, today.ghg
    noise = _rng(seed, "run", day, run.name)
    caiso = [a for a in system.areas if a.caiso]
    real_time = run.market == "RTM"
    ivs = tuple(intervals(day, run.minutes))
    residuals, parts = [], []
    for iv in ivs:
        hour = iv.local_hour()
        load = sum(area_load(seed, a, iv, run.forecast) for a in caiso)
        solar = wind = 0.0
        for fleet in system.fleets:
            forecast, actual = fleet_output(seed, fleet, iv)
            output = actual if real_time else forecast
            if fleet.renewable_type == "Solar":
                solar += output
            else:
                wind += output
        storage = _storage(hour, month)
        scheduled = imports * (0.85 - 0.35 * math.exp(-(((hour - 19.0) / 2.5) ** 2)))
        must_run = NUCLEAR + GEOTHERMAL + BIOMASS + hydro(hour, month, water)
        residual = load - solar - wind - must_run - scheduled - storage
        residuals.append(residual)
        parts.append((load, solar, wind, storage, scheduled))
    step = run.minutes / 60
    found = []
    for n, (iv, residual) in enumerate(zip(ivs, residuals, strict=True)):
        hour = iv.local_hour()
        load, solar, wind, storage, scheduled = parts[n]
        rising = (residuals[min(n + 1, len(ivs) - 1)] - residuals[max(n - 1, 0)]) / (2 * step) / 1000  # GW/h
        price = stack_price(residual, gas) + RAMP_PRICE * max(0.0, rising) ** 1.3
        if run.scatter:
            price *= 1 + noise.gauss(0, run.scatter)
            if noise.random() < 0.0015 * (60 / run.minutes) ** 0.5:  # a scarcity spike, under the soft cap
                price = min(SOFT_CAP, max(price, 30.0) * noise.uniform(3, 9) + 40)
        evening = math.exp(-(((hour - 19.25) / 1.9) ** 2))
        binding = congestion_level * (0.35 + evening + 0.4 * solar_shape(hour, month))
        congestion = binding * max(0.0, 1 + noise.gauss(0, 2 * run.scatter)) if run.scatter else binding
        found.append(
            Point(
                load=load,
                solar=solar,
                wind=wind,
                curtailment=max(0.0, -residual),
                imports=scheduled,
                storage=storage,
                energy=price,
                congestion=congestion,
                ghg=ghg_level * (0.6 + 0.4 * evening),
            )
        )
    return Day(run, day, ivs, tuple(found))


@lru_cache(maxsize=1024)
def ruc_need(system: System, day: date) -> tuple[float, ...]:
    """Per hour of the trading day, the share of the unawarded capacity of resource-adequacy
    resources that residual unit commitment procures: RUC commits capacity when the demand bid into
    the day-ahead market falls short of CAISO's forecast, most on the evening peak, on some days."""
    draw = _rng(system.seed, "ruc", day)
    short = max(0.0, draw.gauss(0.004, 0.012))  # the day's under-scheduled share of demand
    found = []
    for iv in intervals(day, 60):
        evening = math.exp(-(((iv.local_hour() - 19.0) / 2.2) ** 2))
        found.append(min(0.5, round(short * 12 * evening, 3)))
    return tuple(found)


def fleet_share(system: System, zone: str, kind: str, iv: Interval, real_time: bool) -> float:
    """The share of its capacity a wind or solar resource in a zone produces in an interval, as the
    fleet at the zone's trading hub does (forecast for day-ahead, actual in real time)."""
    for fleet in system.fleets:
        if fleet.trading_hub == zone and fleet.renewable_type.upper() == kind and fleet.capacity_mw > 0:
            forecast, actual = fleet_output(system.seed, fleet, iv)
            return (actual if real_time else forecast) / fleet.capacity_mw
    return 0.0
