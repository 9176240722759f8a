"""CMRI's market results as records, read from the CAISO market (app/caiso/market): awards, schedule
prices, expected energy, market schedules, start-up and shut-down instructions, MPM results and the
market's load forecast. Which datasets come from here: `source = "market"` in datasets.toml.

A record is one resource (or TAC area), one market run and one combination of its record-level codes
(product and schedule type, energy type, ...), holding the run's published intervals in the window.
Numbers are written as CAISO writes them: the shortest decimal, MW to 2 places, prices to 5.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

from isosim.caiso import pacific
from isosim.caiso.b2b import spec
from isosim.caiso.b2b.models import Name, Query, Record, Tree, interval_stamp, record_base
from isosim.caiso.b2b.schemas import Shape
from isosim.caiso.market import prices, results, system, timeline
from isosim.caiso.market.clearing import Schedule
from isosim.caiso.market.registry import Registry

# CMRI's executionType -> the market run whose results it reports.
EXECUTION_RUNS = {"IFM": "DAM", "RUC": "DAM", "RTUC": "RTPD", "RTPD": "RTPD", "RTD": "RTD"}
CA_ISO_TAC = "CA ISO-TAC"


def number(value: float, places: int) -> str:
    """CAISO's way: the shortest decimal, at most `places` of them ("0", "0.6", "178.27")."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def mw(value: float) -> str:
    return number(value, 2)


def price(scaled: int) -> str:
    return number(scaled / prices.UNIT, prices.PRICE_SCALE)


@dataclass
class Series:
    """One record's worth of a day: its record-level codes and, per element, its value in each
    interval (None: the interval is not part of the record)."""

    codes: dict[str, str]
    columns: dict[str, Sequence[str | None]]


class _Runs:
    """The schedules a request reads, computed once per run and trading day for all its resources."""

    def __init__(
        self, conn: Connection, realm: str, registry: Registry, names: list[Name], now: datetime
    ) -> None:
        self.conn, self.realm, self.registry, self.now = conn, realm, registry, now
        self.resources = [n.resource for n in names if n.resource is not None]
        self.memo: dict[tuple[str, date], dict[str, Schedule]] = {}

    def get(self, run: str, day: date, resource: str) -> Schedule | None:
        key = (run, day)
        if key not in self.memo:
            found = results.schedules(
                self.conn, self.realm, self.registry, self.resources, run, day, self.now
            )
            self.memo[key] = {s.resource.resource_id: s for s in found}
        return self.memo[key].get(resource)


@dataclass
class Day:
    """What a builder works from: one resource (or area) in one run of one trading day."""

    runs: _Runs
    registry: Registry
    name: Name
    run: str
    day: date

    def schedule(self, run: str | None = None, day: date | None = None) -> Schedule | None:
        return self.runs.get(run or self.run, day or self.day, self.name.name)


Built = tuple[tuple[pacific.Interval, ...], list[Series]]


def _awards(day: Day) -> Built:
    found = day.schedule()
    if found is None:
        return (), []

    def award(product: str, kind: str, values: Sequence[float]) -> Series:
        return Series({"product": product, "scheduleType": kind}, {"MW": [mw(v) for v in values]})

    series = [
        award("EN", "CLEARED", found.cleared),
        award("EN", "MARKET", found.market_mw),
        award("EN", "SELF", found.self_mw),
    ]
    for product, awarded in found.ancillary.items():
        series += [award(product, "CLEARED", awarded), award(product, "MARKET", awarded)]
    if day.run == "DAM":
        series += [award("RC_AWD", "MARKET", found.ruc_award), award("RC_CAP", "MARKET", found.ruc_capacity)]
    return found.intervals, series


def _schedule_prices(day: Day) -> Built:
    found = day.schedule()
    if found is None:
        return (), []
    parts = found.prices
    columns: dict[str, Sequence[str | None]] = {
        "LMP": [price(c.lmp) for c in parts],
        "energyComponent": [price(c.energy) for c in parts],
        "congestionComponent": [price(c.congestion) for c in parts],
        "lossComponent": [price(c.loss) for c in parts],
        "ghgComponent": [price(c.ghg) for c in parts],
    }
    return found.intervals, [Series({}, columns)]


def _market_schedules(day: Day) -> Built:
    found = day.schedule()
    if found is None:
        return (), []
    kinds = {"SELF": found.self_mw, "MARKET": found.market_mw}
    if found.ruc_award:
        kinds["RUC"] = found.ruc_award
    series = [
        Series({"scheduleType": k}, {"scheduleMW": [mw(v) for v in values]}) for k, values in kinds.items()
    ]
    return found.intervals, series


def _instructions(day: Day) -> Built:
    found = day.schedule()
    if found is None:
        return (), []
    before = day.schedule(day=day.day - timedelta(days=1))
    previous = before.cleared[-1] if before is not None and before.cleared else 0.0
    starts: list[str | None] = []
    stops: list[str | None] = []
    for cleared in found.cleared:
        starts.append(mw(cleared) if previous <= 0 < cleared else None)
        stops.append("0" if cleared <= 0 < previous else None)
        previous = cleared
    return found.intervals, [
        Series({"instructionType": "STARTUP"}, {"targetMW": starts}),
        Series({"instructionType": "SHUTDOWN"}, {"targetMW": stops}),
    ]


def _mpm(day: Day) -> Built:
    found = day.schedule()
    if found is None:
        return (), []
    columns: dict[str, list[str | None]] = {
        k: [] for k in ("competitiveLMP", "bidPrice", "defaultEnergyBid", "mitigatedBidPrice")
    }
    mitigated = False
    for components, marginal, deb in zip(found.prices, found.marginal, found.default_bid, strict=True):
        if marginal is None or deb is None:
            for values in columns.values():
                values.append(None)
            continue
        competitive = (components.lmp - components.congestion) / prices.UNIT
        floor = max(deb, competitive)
        applies = components.congestion > 0 and marginal > floor
        mitigated = mitigated or applies
        columns["competitiveLMP"].append(number(competitive, prices.PRICE_SCALE))
        columns["bidPrice"].append(number(marginal, 2))
        columns["defaultEnergyBid"].append(number(deb, 2))
        columns["mitigatedBidPrice"].append(number(floor if applies else marginal, 2))
    return found.intervals, [Series({"mitigated": "true" if mitigated else "false"}, columns)]


ENERGY_TYPES = ("DASE", "DSSE", "DMLE", "TEE", "RTSSE", "MLE", "OE")


def _expected_energy(day: Day) -> Built:
    """Per hour, MWh: day-ahead scheduled (DASE), self-scheduled (DSSE) and minimum-load (DMLE)
    energy; the real-time dispatch's total (TEE), self-scheduled (RTSSE) and minimum-load (MLE)
    energy; and optimal energy OE = TEE - DASE."""
    ahead, dispatch = day.schedule("DAM"), day.schedule("RTD")
    if ahead is None or dispatch is None:
        return (), []
    pmin = max(day.name.resource.pmin, 0.0) if day.name.resource else 0.0
    totals: dict[str, list[float]] = {kind: [0.0] * len(ahead.intervals) for kind in ENERGY_TYPES}
    for n, (cleared, own) in enumerate(zip(ahead.cleared, ahead.self_mw, strict=True)):
        totals["DASE"][n] = cleared
        totals["DSSE"][n] = own
        totals["DMLE"][n] = min(pmin, cleared) if cleared > 0 else 0.0
    hour_of = {iv.start: n for n, iv in enumerate(ahead.intervals)}
    step = timedelta(hours=1)
    for iv, cleared, own in zip(dispatch.intervals, dispatch.cleared, dispatch.self_mw, strict=True):
        start = iv.start.replace(minute=0)
        n = hour_of.get(start)
        if n is None:
            n = next(k for k, h in enumerate(ahead.intervals) if h.start <= iv.start < h.start + step)
        share = (iv.end - iv.start) / step
        totals["TEE"][n] += cleared * share
        totals["RTSSE"][n] += own * share
        totals["MLE"][n] += (min(pmin, cleared) if cleared > 0 else 0.0) * share
    for n in range(len(ahead.intervals)):
        totals["OE"][n] = round(totals["TEE"][n], 2) - round(totals["DASE"][n], 2)
    # Real-time energy is known once every interval of the hour has run.
    series = [
        Series({"energyType": kind}, {"expectedEnergyMWh": [mw(v) for v in totals[kind]]})
        for kind in ENERGY_TYPES
    ]
    return ahead.intervals, series


def _forecast(day: Day) -> Built:
    """The load forecast the run cleared against, per TAC area; CA ISO-TAC is the sum of CAISO's."""
    run = system.RUNS[day.run]
    areas = day.registry.tac_areas
    ivs = pacific.intervals(day.day, run.minutes)
    if day.name.name == CA_ISO_TAC:
        chosen = [a for a in areas if a.caiso]
    else:
        chosen = [a for a in areas if a.tac_area == day.name.name]
        if not chosen:
            return (), []
    values = []
    for iv in ivs:
        total = sum(round(system.area_load(day.registry.seed, a, iv, run.forecast) * 100) for a in chosen)
        values.append(number(total / 100, 2))
    return ivs, [Series({}, {"forecastMW": values})]


BUILDERS: dict[str, Callable[[Day], Built]] = {
    "MarketAwards": _awards,
    "SchedulePrices": _schedule_prices,
    "MarketSchedules": _market_schedules,
    "StartUpShutDownInstructions": _instructions,
    "MPMResults": _mpm,
    "ExpectedEnergy": _expected_energy,
    "MarketForecast": _forecast,
}


def records(
    conn: Connection,
    realm: str,
    registry: Registry,
    dataset: spec.Dataset,
    shape: Shape,
    names: list[Name],
    query: Query,
    now: datetime,
) -> Iterator[Record]:
    assert query.start is not None and query.end is not None
    build = BUILDERS[dataset.name]
    leaves = set(shape.index)
    intervals_path = dataset.path("intervals")
    point_shape = shape.find(intervals_path)
    point_names = {c.name for c in point_shape.children} if point_shape is not None else set()
    days = pacific.trading_days(query.start, query.end)
    runs = _Runs(conn, realm, registry, names, now)
    stamps: dict[pacific.Interval, Tree] = {}  # what each interval says of itself, worked out once
    for market, execution in dataset.market_pairs:
        if (query.market and market != query.market) or (query.execution and execution != query.execution):
            continue
        run = EXECUTION_RUNS[execution]
        until = timeline.run_publication(system.RUNS[run].market).until(now)
        for name in names:
            held: dict[
                tuple[tuple[str, str], ...],
                tuple[dict[str, str], list[Tree], list[tuple[datetime, datetime]]],
            ] = {}
            for day in days:
                ivs, series = build(Day(runs, registry, name, run, day))
                chosen = [
                    n for n, iv in enumerate(ivs) if query.start <= iv.start < query.end and iv.end <= until
                ]
                for item in series:
                    key = tuple(sorted(item.codes.items()))
                    codes, points, spans = held.setdefault(key, (item.codes, [], []))
                    columns = [(k, v) for k, v in item.columns.items() if k in point_names]
                    gaps = any(None in v for _, v in columns)  # some intervals are not in the record
                    for n in chosen:
                        if gaps and any(v[n] is None for _, v in columns):
                            continue
                        iv = ivs[n]
                        stamp = stamps.get(iv)
                        if stamp is None:
                            stamp = stamps[iv] = interval_stamp(point_names, iv.start, iv.end)
                        point = dict(stamp)  # its lists are shared, never changed
                        for k, v in columns:
                            point[k] = [v[n]]  # type: ignore[list-item]
                        points.append(point)
                        spans.append((iv.start, iv.end))
            for codes, points, spans in held.values():
                if not points:
                    continue
                content = record_base(dataset, leaves, name, market, execution, codes)
                content[intervals_path.split("/")[-1]] = points
                yield Record(
                    dataset.name,
                    name.coordinator,
                    name.name,
                    spans[0][0],
                    spans[-1][1],
                    market,
                    execution,
                    content,
                    intervals=tuple(spans),
                )
