"""New England's capacity outlook: the weather, the capacity on hand and the reserves it must carry,
as ISO-NE's morning report (each operating day) and seven-day forecast (each morning, for the six days
after) state them. One source for both feeds, read from the same load, interchange and reserve
requirements as every other ISO-NE feed, deterministic from the seed.

The reports' arithmetic is ISO-NE's, as a published capture of each shows it (WIRE.md sources):
- morning report: outages = planned + forced; net capacity delivery = the sum of the tie flows
  (imports negative); total available capacity = CSO + additions - outages - uncommitted generation -
  net delivery + DRR capacity - uncommitted DRR; operating reserve = ten-minute + thirty-minute
  requirements; capacity required = peak load + operating reserve; surplus = available - required;
  excess commitment = surplus - replacement reserve.
- seven-day forecast: available generation and imports = available generation + peak imports;
  required reserve including replacement = required + replacement; load plus reserve = peak load +
  that; surplus = available generation and imports - load plus reserve.
[I] Everything the captures do not fix: the capacity supply obligation per year, outage sizes, the
weather's normals and how a day's heat moves them, the report times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from isosim.isone.market import prices, publication, system
from isosim.isone.market.registry import Registry

# Capacity supply obligation (MW) by capacity commitment period (June to May, named by its first
# year) ([I]: of the order of ISO-NE's cleared auctions; 2026's as in a public capture).
CSO = {2019: 33500, 2020: 34000, 2021: 32500, 2022: 33000, 2023: 32000, 2024: 30500, 2025: 29500, 2026: 26707}
# Normal daily highs (°F) by month: Boston; Hartford is warmer in summer and colder in winter.
BOSTON_HIGH = (37, 40, 47, 57, 67, 77, 82, 80, 73, 62, 52, 42)
CITIES = ("Boston", "Hartford")
CONDITIONS = ("Clear", "Partly Cloudy", "Cloudy", "Showers", "Thunderstorms", "Rain", "Snow")
DIRECTIONS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
# Ties as the reports name them, with the external node of each (NECEC's node 4018 is not modelled).
TIES = (
    ("Highgate", 4013),
    ("NB", 4010),
    ("NYISO AC", 4011),
    ("NYISO CSC", 4014),
    ("NYISO NNC", 4017),
    ("Phase 2", 4012),
)
REPLACEMENT_RESERVE = 160.0
DELIST = 971.0
MORNING_REPORT = "Morning Report"
CAPACITY_UPDATE = "Operational Capacity Update Report"
# When each report is made, after the operating day's midnight (local; [I], the captures' times).
REPORT_TIMES = {
    MORNING_REPORT: timedelta(hours=8, minutes=47, seconds=12),
    CAPACITY_UPDATE: timedelta(hours=12, minutes=2, seconds=35),
}
SEVEN_DAY_ISSUED = timedelta(hours=9, minutes=14, seconds=58)


def cso(day: date) -> float:
    year = day.year if day.month >= 6 else day.year - 1
    return float(CSO.get(year, CSO[min(CSO, key=lambda y: abs(y - year))]))


@dataclass(frozen=True)
class Weather:
    city: str
    high: int  # °F
    dew_point: int  # °F
    conditions: str
    wind: str  # direction-speed, "SE-11"


@system.per_day
def weather(registry: Registry, day: date) -> tuple[Weather, ...]:
    """Each city's day: its month's normal high moved by the day's heat (hot days have high prices
    and load, prices.py and system.py)."""
    draw = prices._random(registry.seed, "weather", day)
    heat = system.heat(registry, day)
    summer = day.month in (6, 7, 8, 9)
    found = []
    for city in CITIES:
        normal = BOSTON_HIGH[day.month - 1] + (
            2 if city == "Hartford" and summer else -1 if city == "Hartford" else 0
        )
        swing = 70 * (heat - 1) if summer else -70 * (heat - 1)  # winter prices rise with the cold
        high = round(normal + swing + draw.gauss(0, 2.5))
        dew = round(high - 10 - abs(draw.gauss(0, 4)) - (8 if not summer else 0))
        wet = draw.random()
        conditions = CONDITIONS[0 if wet < 0.45 else 1 if wet < 0.65 else 2 if wet < 0.8 else 3]
        if conditions == "Showers" and summer and high > 84:
            conditions = "Thunderstorms"
        elif conditions == "Showers" and high < 34:
            conditions = "Snow"
        wind = f"{DIRECTIONS[draw.randrange(8)]}-{round(5 + abs(draw.gauss(0, 6)))}"
        found.append(Weather(city, high, dew, conditions, wind))
    return tuple(found)


@dataclass(frozen=True)
class Tie:
    name: str
    flow: float  # MW at the peak hour, imports negative (ISO-NE's sign in the reports)
    import_limit: float  # negative
    export_limit: float


@dataclass(frozen=True)
class MorningReport:
    report_type: str
    day: date
    created: datetime
    peak_yesterday: tuple[datetime, float]
    peak_today: tuple[datetime, float]
    cso: float
    additions: float
    planned_outages: float
    forced_outages: float
    uncommitted_before_peak: float
    uncommitted: float
    drr: float
    uncommitted_drr: float
    ties: tuple[Tie, ...]
    ten_minute_required: float
    thirty_minute_required: float
    ten_minute_estimate: float
    thirty_minute_estimate: float
    largest_contingency: float
    ams_exposure: float
    weather: tuple[Weather, ...]

    @property
    def outages(self) -> float:
        return self.planned_outages + self.forced_outages

    @property
    def net_delivery(self) -> float:
        return sum(t.flow for t in self.ties)

    @property
    def available(self) -> float:
        return (
            self.cso
            + self.additions
            - self.outages
            - self.uncommitted
            - self.net_delivery
            + self.drr
            - self.uncommitted_drr
        )

    @property
    def operating_reserve(self) -> float:
        return self.ten_minute_required + self.thirty_minute_required

    @property
    def required(self) -> float:
        return self.peak_today[1] + self.operating_reserve

    @property
    def surplus(self) -> float:
        return self.available - self.required

    @property
    def excess_commitment(self) -> float:
        return self.surplus - REPLACEMENT_RESERVE


def _peak(series: list[tuple[datetime, float]]) -> tuple[datetime, float]:
    begin, mw = max(series, key=lambda pair: pair[1])
    return begin, float(round(mw))


def _outages(registry: Registry, day: date, kind: str) -> float:
    """Planned outages are heaviest in spring and autumn (maintenance season), forced ones random."""
    draw = prices._random(registry.seed, "outages", kind, day)
    if kind == "planned":
        season = 0.5 + 0.5 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 105) / 182.5)
        return float(round(400 + 3200 * season * (0.6 + 0.4 * draw.random())))
    return float(round(600 + 900 * draw.random()))


def _ties(registry: Registry, day: date, hour: datetime) -> tuple[Tie, ...]:
    flows = {
        loc: -(purchase + sale)
        for begin, loc, purchase, sale in system.interchange(registry, day)
        if begin == hour
    }
    return tuple(
        Tie(
            name,
            float(round(flows.get(loc, 0.0))),
            -float(system.LIMITS[loc][0]),
            float(system.LIMITS[loc][1]),
        )
        for name, loc in TIES
    )


@system.per_day
def _morning(registry: Registry, day: date) -> tuple[MorningReport, ...]:
    draw = prices._random(registry.seed, "morning", day)
    peak_today = _peak(system.load_forecast(registry, day))
    _, _, ten, thirty = system.RESERVE_ZONES[7000]
    ties = _ties(registry, day, peak_today[0])
    additions, drr, uncommitted_drr = (
        float(round(900 + 300 * draw.random())),
        199.0,
        float(round(10 + 10 * draw.random())),
    )
    planned, forced = _outages(registry, day, "planned"), _outages(registry, day, "forced")
    # ISO-NE commits enough for the peak and its reserves and a margin; the rest stays uncommitted.
    on_hand = cso(day) + additions - planned - forced - sum(t.flow for t in ties) + drr - uncommitted_drr
    margin = 1500 + 3000 * draw.random()
    uncommitted = float(max(0, round(on_hand - (peak_today[1] + thirty) - margin)))
    reports = []
    for report_type, at in REPORT_TIMES.items():
        later = report_type == CAPACITY_UPDATE  # the update at noon: a little less uncommitted
        reports.append(
            MorningReport(
                report_type=report_type,
                day=day,
                created=publication.day_start(day) + at,
                peak_yesterday=_peak(system.hourly_load(registry, day - timedelta(days=1))),
                peak_today=peak_today,
                cso=cso(day),
                additions=additions,
                planned_outages=planned,
                forced_outages=forced,
                uncommitted_before_peak=float(round(uncommitted * 0.3)),
                uncommitted=max(0.0, uncommitted - (400.0 if later else 0.0)),
                drr=drr,
                uncommitted_drr=uncommitted_drr,
                ties=ties,
                ten_minute_required=ten,
                thirty_minute_required=thirty - ten,
                ten_minute_estimate=float(round(ten * (1.0 + 0.3 * draw.random()))),
                thirty_minute_estimate=float(round((thirty - ten) * (1.5 + 3 * draw.random()))),
                largest_contingency=float(round(ten / 1.15)),
                ams_exposure=float(round(cso(day) * 0.95)),
                weather=weather(registry, day),
            )
        )
    return tuple(reports)


def morning_reports(registry: Registry, day: date, now: datetime) -> list[MorningReport]:
    """The day's reports made by `now` (the morning report, then the noon capacity update)."""
    return [r for r in _morning(registry, day) if r.created <= now]


@dataclass(frozen=True)
class MarketDay:
    number: int  # 2..7: the days after the forecast's day
    day: date
    cso: float
    cold_weather_outages: float
    other_outages: float
    delist: float
    generation: float  # total available generation
    peak_import: float
    peak_load: float
    required_reserve: float
    drr: float
    rteg: float
    flags: dict[str, str]
    weather: tuple[Weather, ...]

    @property
    def generation_and_imports(self) -> float:
        return self.generation + self.peak_import

    @property
    def reserve_with_replacement(self) -> float:
        return self.required_reserve + REPLACEMENT_RESERVE

    @property
    def load_and_reserve(self) -> float:
        return self.peak_load + self.reserve_with_replacement

    @property
    def surplus(self) -> float:
        return self.generation_and_imports - self.load_and_reserve


@dataclass(frozen=True)
class SevenDayForecast:
    issued: date
    created: datetime
    days: tuple[MarketDay, ...]


@system.per_day
def seven_day(registry: Registry, issued: date) -> SevenDayForecast:
    """The forecast made on `issued` for the six days after it (MarketDay 2-7, as ISO-NE numbers
    them): each day's peak load as the model will have it, less certain the further ahead."""
    days = []
    thirty = system.RESERVE_ZONES[7000][3]
    for number in range(2, 8):
        day = issued + timedelta(days=number - 1)
        draw = prices._random(registry.seed, "seven-day", issued, number)
        spread = 0.006 * number  # the further ahead, the less certain (within two spreads)
        peak = _peak(system.hourly_load(registry, day))[1] * (1 + max(-2, min(2, draw.gauss(0, 1))) * spread)
        winter = day.month in (12, 1, 2)
        cold = float(round(800 * draw.random())) if winter else 0.0
        other = _outages(registry, day, "planned") + _outages(registry, day, "forced") * 0.5
        generation = cso(day) + 1900 - cold - other - DELIST
        imports = float(round(sum(limit[0] for limit in system.LIMITS.values()) * 0.65))
        row = MarketDay(
            number=number,
            day=day,
            cso=cso(day),
            cold_weather_outages=cold,
            other_outages=float(round(other)),
            delist=DELIST,
            generation=float(round(generation)),
            peak_import=imports,
            peak_load=float(round(peak, -1)),
            required_reserve=thirty,
            drr=245.0,
            rteg=0.0,
            flags={},
            weather=weather(registry, day),
        )
        days.append(_flagged(row, winter))
    created = publication.day_start(issued) + SEVEN_DAY_ISSUED
    return SevenDayForecast(issued, created, tuple(days))


def _flagged(row: MarketDay, winter: bool) -> MarketDay:
    """Power watch under 1,000 MW of surplus, warning under none; the cold-weather flags only in the
    next two days (`-` beyond, as ISO-NE writes them), watch at 20 °F in Boston, warning at 10 °F."""
    near = row.number <= 3
    boston = row.weather[0].high

    def cold(limit: int) -> str:
        return ("Y" if winter and boston <= limit else "N") if near else "-"

    flags = {
        "PowerWatch": "Y" if row.surplus < 1000 else "N",
        "PowerWarn": "Y" if row.surplus < 0 else "N",
        "ColdWeatherWatch": cold(20),
        "ColdWeatherWarn": cold(10),
        "ColdWeatherEvent": cold(0),
        "EnergyEmergency": "N",
    }
    return replace(row, flags=flags)
