"""What each ISO-NE web service resource answers, read from the ISO-NE market (one price source) on
the simulated clock: which intervals are published by now, which locations a path asks for, and the
items in the catalogue's field order. A template with no feed here answers 501 (routes.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import unquote

from isosim.core import bounded
from isosim.isone.eastern import EASTERN
from isosim.isone.market import prices, system
from isosim.isone.market.publication import (
    FIFTEEN,
    FIVE,
    FIVE_MINUTE_LAG,
    HOUR,
    HOURLY_LAG,
    da_published,
    final_published,
    forecast_issued,
    intervals_of,
    latest,
    local_day,
    published_at,
    series,
)
from isosim.isone.market.registry import Location, Registry
from isosim.isone.market.system import SNAPSHOT_SECOND
from isosim.isone.webservices.catalogue import Template
from isosim.isone.webservices.codec import Item, Ref


class BadRequest(Exception):
    """A path parameter ISO-NE would not accept (a malformed day or hour)."""


@dataclass(frozen=True)
class Answer:
    items: list[Item]
    single: bool = False  # the one-location form: the item's own element is the root
    lmps: list[prices.Lmp] | None = None  # LMP answers: written by the codec's fast path
    listed: bool = False  # a singular root holding a list even for one item (WIRE.md 3.3)


def parse_day(text: str) -> date:
    if len(text) != 8 or not bounded.digits(text):
        raise BadRequest(f"day must be YYYYMMDD, not {text!r}")
    try:
        found = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise BadRequest(f"{text} is not a date") from None
    if not bounded.day_in_range(found):
        raise BadRequest(f"{text} is outside the years served")
    return found


def parse_month(text: str) -> date:
    """A `YYYYMM` path parameter: the month's first day."""
    number = bounded.integer(text, 199001, 209912) if len(text) == 6 else None
    if number is None or not 1 <= number % 100 <= 12:
        raise BadRequest(f"month must be YYYYMM, not {text!r}")
    return date(number // 100, number % 100, 1)


def parse_hour(text: str) -> int:
    value = bounded.integer(text, 0, 23)
    if value is None or len(text) != 2:
        raise BadRequest(f"hour must be two digits 00-23, not {text!r}")
    return value


def _prices(
    kind: str, registry: Registry, intervals: list[datetime], where: list[Location]
) -> list[prices.Lmp]:
    if kind == "da":
        return prices.day_ahead(registry, intervals, where)
    if kind.startswith("rt"):
        return prices.real_time_hourly(registry, intervals, where)
    if kind.startswith("fifteen"):
        return prices.fifteen_minute(registry, intervals, where)
    return prices.five_minute(registry, intervals, where)


# --- LMP resources -------------------------------------------------------------------------------


def _kind(template: Template, params: dict[str, str]) -> str:
    segments = template.segments
    if segments[0] == "hourlylmp":
        return "da" if segments[1] == "da" else f"rt-{segments[2]}"
    kind = params.get("Type", "prelim").lower()  # FifteenMinBc writes PRELIM/FINAL; paths prelim/final
    if kind not in ("prelim", "final"):
        raise BadRequest(f"type must be prelim or final, not {params.get('Type')!r}")
    return f"{'fifteen' if segments[0] == 'fifteenminutelmp' else 'five'}-{kind}"


def _where(
    registry: Registry, segments: tuple[str, ...], params: dict[str, str]
) -> tuple[list[Location], bool]:
    """(the locations a path asks for, whether it asks for one location by id)."""
    if "locationId" in params:
        loc_id = bounded.integer(params["locationId"], 1, 10**7)
        found = registry.location(loc_id) if loc_id is not None else None
        return ([found] if found is not None and found.priced else []), True
    if "locationType" in params:
        wanted = unquote(params["locationType"]).upper()
        return [loc for loc in registry.priced if loc.location_type == wanted], False
    if segments[-1] == "current" or segments[-1] == "previous":
        return list(registry.reported), False
    return list(registry.priced), False


def lmp(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    segments = template.segments
    kind = _kind(template, params)
    step, published = series(kind)
    where, by_id = _where(registry, segments, params)
    if kind == "da" and "current" in segments:  # the day-ahead price in force this hour
        hour = now.replace(minute=0, second=0, microsecond=0)
        intervals = [hour] if published(hour, now) else []
    elif "current" in segments or "previous" in segments:
        newest = latest(kind, now)
        if newest is not None and "previous" in segments:
            newest -= step
        intervals = [newest] if newest is not None else []
    else:
        day = latest(kind, now) if segments[-1] == "latest" else None  # /hourlylmp/da/final/day/latest
        if day is None and segments[-1] == "latest":
            intervals = []
        else:
            chosen = local_day(day) if day is not None else parse_day(params["day"])
            intervals = intervals_of(chosen, step)
        if "sh" in params:
            hour = parse_hour(params["sh"])
            intervals = [t for t in intervals if t.astimezone(EASTERN).hour == hour]
        intervals = [t for t in intervals if published(t, now)]
    lmps = _prices(kind, registry, intervals, where)
    single = by_id and bool(template.single_root) and "current" in segments
    return Answer([], single, lmps)


def info(kind: str, now: datetime) -> Answer:
    newest = latest(kind, now)
    if newest is None:
        return Answer([])
    return Answer([{"LatestBeginDate": newest, "CreationDate": published_at(kind, newest)}], single=True)


def lmp_info(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    return info(_kind(template, params), now)


# --- locations -----------------------------------------------------------------------------------


def _location_item(loc: Location) -> Item:
    return {
        "LocationID": loc.loc_id,
        "LocationType": loc.location_type,
        "LocationName": loc.name,
        "NetworkNodeType": loc.network_node_type or None,  # only network nodes carry it
        "AreaType": loc.area_type or None,
    }


def locations(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    segments = template.segments
    if "locationId" in params:
        loc_id = bounded.integer(params["locationId"], 1, 10**7)
        found = registry.location(loc_id) if loc_id is not None else None
        return Answer([_location_item(found)] if found is not None else [], single=True)
    if segments[-1] == "all":
        return Answer([_location_item(loc) for loc in registry.locations])
    # The core set gridstatus expects: 20 rows (the control area, the hub, the zones, external nodes
    # and the external areas they face): [I] which 20, WIRE.md 6.
    core = [
        loc
        for loc in registry.locations
        if loc.location_type in ("INT. AREA", "HUB", "LOAD ZONE", "EXT. NODE") or loc.loc_id in (35, 36, 1740)
    ]
    return Answer([_location_item(loc) for loc in core[:20]])


Feed = Callable[[Registry, Template, dict[str, str], datetime], Answer]


def feed_for(template: Template) -> Feed | None:
    """The feed that answers a template, or None (not emulated yet: 501)."""
    resource, segments = template.resource, template.segments
    if resource in ("hourlylmp", "fiveminutelmp", "fifteenminutelmp"):
        # /fifteenminutelmp/{Type} is itself a ServiceInfo ("Default resource"), not a redirect
        return lmp_info if segments[-1] in ("info", "{Type}") else lmp
    if resource == "locations":
        return locations
    if resource in SYSTEM_FEEDS:
        feed, series = SYSTEM_FEEDS[resource]
        return system_info(series) if segments[-1] == "info" else feed
    return None


# --- the power system: load, demand, forecasts, interchange, fuel mix ------------------------------

SYSTEM_AREA = 32  # NEPOOL AREA: where hourly system load is reported ([I])


def _ref(registry: Registry, loc_id: int) -> Ref:
    """A location reference as demand, load and interchange feeds write it: LocId and name only."""
    found = registry.location(loc_id)
    return Ref(found.name if found is not None else str(loc_id), (("LocId", str(loc_id)),))


def window(
    segments: tuple[str, ...],
    params: dict[str, str],
    now: datetime,
    step: timedelta,
    published: Callable[[datetime], bool],
) -> tuple[list[date], Callable[[datetime], bool]]:
    """(days to read, which of their intervals to answer): `current` is the newest published
    interval; `day/{day}[/hour/{sh}]` the day's published ones."""
    if "current" in segments:
        today = local_day(now)
        days = [today - timedelta(days=1), today]
        newest: list[datetime] = []

        def keep_newest(t: datetime) -> bool:
            return published(t) and (not newest or t >= newest[0])

        return days, keep_newest
    chosen = parse_day(params["day"])
    hour = parse_hour(params["sh"]) if "sh" in params else None
    return [chosen], lambda t: published(t) and (hour is None or t.astimezone(EASTERN).hour == hour)


def newest_only(rows: list[tuple[datetime, Item]], segments: tuple[str, ...]) -> list[Item]:
    if "current" in segments and rows:
        last = max(t for t, _ in rows)
        return [item for t, item in rows if t == last]
    return [item for _, item in rows]


def _hourly_published(now: datetime) -> Callable[[datetime], bool]:
    return lambda t: now >= t + HOUR + HOURLY_LAG


def hourly_system_load(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    segments = template.segments
    if "locationId" in params and bounded.integer(params["locationId"]) != SYSTEM_AREA:
        return Answer([], single=True)
    if "locationType" in params and unquote(params["locationType"]).upper() != "INT. AREA":
        return Answer([])
    days, keep = window(segments, params, now, HOUR, _hourly_published(now))
    rows = []
    for day in days:
        for (hour, native), (_, ard) in zip(
            system.hourly_load(registry, day), system.ard_hourly(registry, day), strict=True
        ):
            if keep(hour):
                item: Item = {
                    "BeginDate": hour,
                    "Location": _ref(registry, SYSTEM_AREA),
                    "Load": round(native + ard, 2),
                    "NativeLoad": native,
                    "ArdDemand": ard,
                }
                rows.append((hour, item))
    return Answer(newest_only(rows, segments), single="locationId" in params)


def five_minute_system_load(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    segments = template.segments
    days, keep = window(segments, params, now, FIVE, lambda t: now >= t + FIVE_MINUTE_LAG)
    rows = []
    for day in days:
        for (instant, native), (_, ard) in zip(
            system.five_minute_load(registry, day), system.ard(registry, day), strict=True
        ):
            if keep(instant):
                load, pv = round(native + ard, 2), system.btm_pv(instant)
                item: Item = {
                    "BeginDate": instant,
                    "LoadMw": load,
                    "NativeLoad": native,
                    "ArdDemand": ard,
                    "SystemLoadBtmPv": round(load + pv, 2),
                    "NativeLoadBtmPv": round(native + pv, 2),
                }
                rows.append((instant, item))
    return Answer(newest_only(rows, segments), single="current" in segments, listed=True)


def _demand(
    registry: Registry, template: Template, params: dict[str, str], now: datetime, market: str
) -> Answer:
    """Hourly demand by load zone (and the hub for the whole system): real time as hours end, day-ahead
    cleared demand when the market's results are published."""
    segments = template.segments
    zones = [4000, *system.ZONE_SHARES]
    if "locationId" in params:
        wanted = bounded.integer(params["locationId"])
        zones = [z for z in zones if z == wanted]
    elif "locationType" in params:
        kind = unquote(params["locationType"]).upper()
        zones = [
            z
            for z in zones
            if (registry.location(z) or Location.model_construct(location_type="")).location_type == kind
        ]
    if market == "DA":
        published: Callable[[datetime], bool] = lambda t: now >= da_published(local_day(t))  # noqa: E731
        loads = system.day_ahead_load
    else:
        published, loads = _hourly_published(now), system.hourly_load
    if "current" in segments:
        hour = now.replace(minute=0, second=0, microsecond=0)
        days = [local_day(now) - timedelta(days=1), local_day(now)]
        keep: Callable[[datetime], bool] = (lambda t: t == hour) if market == "DA" else published
    else:
        days, keep = window(segments, params, now, HOUR, published)
    rows = []
    for day in days:
        for hour_begin, mw in loads(registry, day):
            if not keep(hour_begin) or not published(hour_begin):
                continue
            for zone in zones:
                load = mw if zone == 4000 else system.zone_load(mw, zone)
                rows.append(
                    (hour_begin, {"BeginDate": hour_begin, "Location": _ref(registry, zone), "Load": load})
                )
    return Answer(newest_only(rows, segments), single="locationId" in params and "current" in segments)


def real_time_demand(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    return _demand(registry, template, params, now, "RT")


def day_ahead_demand(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    return _demand(registry, template, params, now, "DA")


def load_forecast(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    segments = template.segments
    if "current" in segments:
        hour = now.replace(minute=0, second=0, microsecond=0)
        days = [local_day(now)]
        keep: Callable[[datetime], bool] = lambda t: t == hour  # noqa: E731
    else:
        days, keep = [parse_day(params["day"])], lambda t: True
    items: list[Item] = []
    for day in days:
        issued = forecast_issued(day)
        if now < issued:
            continue
        for begin, mw in system.load_forecast(registry, day):
            if keep(begin):
                adjustment = round(-system.btm_pv(begin), 0)
                items.append(
                    {
                        "BeginDate": begin,
                        "CreationDate": issued,
                        "LoadMw": mw,
                        "LoadAdjustmentMw": adjustment,
                        "NetLoadMw": round(mw + adjustment, 0),
                    }
                )
    return Answer(items, single="current" in segments, listed=True)


def actual_interchange(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    segments = template.segments
    days, keep = window(segments, params, now, HOUR, _hourly_published(now))
    rows = []
    for day in days:
        for hour, loc_id, purchase, sale in system.interchange(registry, day):
            if keep(hour):
                item: Item = {
                    "BeginDate": hour,
                    "Location": _ref(registry, loc_id),
                    "ActInterchange": round(purchase + sale, 2),
                    "Purchase": purchase,
                    "Sale": sale,
                }
                rows.append((hour, item))
    return Answer(newest_only(rows, segments))


def gen_fuel_mix(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    segments = template.segments
    rollup = unquote(params.get("fuelCategoryRollup", "")) or None
    days, keep = window(segments, params, now, FIVE, lambda t: now >= t)
    rows = []
    for day in days:
        for stamp, mix, marginal in system.fuel_mix(registry, day):
            if not keep(stamp):
                continue
            for (group, fuel), mw in mix.items():
                if rollup is None or group == rollup:
                    item: Item = {
                        "BeginDate": stamp,
                        "GenMw": mw,
                        "FuelCategoryRollup": group,
                        "FuelCategory": fuel,
                        "MarginalFlag": "Y" if fuel == marginal else "N",
                    }
                    rows.append((stamp, item))
    return Answer(newest_only(rows, segments))


# The newest interval of each system series (their /info), and when it was published.
def system_info(series: str) -> Feed:
    def info_of(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
        minutes = {"five": 5, "fuel": 5, "fifteen": 15}.get(series, 60)
        lag = {
            "five": FIVE_MINUTE_LAG,
            "fuel": timedelta(seconds=SNAPSHOT_SECOND),
            "fifteen": timedelta(minutes=15) + FIVE_MINUTE_LAG,
        }.get(series, HOUR + HOURLY_LAG)
        if series == "da":
            return info("da", now)
        if series == "final":
            return info("rt-final", now)
        if params.get("Type", "").lower() == "final":
            return info("five-final", now)
        newest = (now - lag).replace(second=0, microsecond=0)
        newest -= timedelta(minutes=newest.minute % minutes)
        return Answer([{"LatestBeginDate": newest, "CreationDate": newest + lag}], single=True)

    return info_of


SYSTEM_FEEDS: dict[str, tuple[Feed, str]] = {
    "hourlysysload": (hourly_system_load, "hourly"),
    "fiveminutesystemload": (five_minute_system_load, "five"),
    "realtimehourlydemand": (real_time_demand, "hourly"),
    "dayaheadhourlydemand": (day_ahead_demand, "da"),
    "hourlyloadforecast": (load_forecast, "forecast"),
    "actualinterchange": (actual_interchange, "hourly"),
    "genfuelmix": (gen_fuel_mix, "fuel"),
}


def _interfaces(params: dict[str, str]) -> list[int]:
    if "locationId" in params:
        wanted = bounded.integer(params["locationId"])
        return [i for i in system.INTERFACES if i == wanted]
    if "locationType" in params:
        return list(system.INTERFACES) if unquote(params["locationType"]).upper() == "EXT. NODE" else []
    return list(system.INTERFACES)


def external_flows(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    segments, wanted = template.segments, _interfaces(params)
    days, keep = window(segments, params, now, FIVE, lambda t: now >= t + FIVE + FIVE_MINUTE_LAG)
    rows = []
    for day in days:
        for begin, loc_id, actual, purchase, sale in system.five_minute_flows(registry, day):
            if loc_id in wanted and keep(begin):
                imports, exports = system.LIMITS[loc_id]
                item: Item = {
                    "BeginDate": begin,
                    "Location": _ref(registry, loc_id),
                    "ActualFlow": actual,
                    "ImportLimit": float(imports),
                    "ExportLimit": float(-exports),
                    "CurrentSchedule": round(purchase + sale, 2),
                    "Purchase": purchase,
                    "Sale": sale,
                    "TotalExports": sale,
                    "TotalImports": purchase,
                }
                rows.append((begin, item))
    single = "locationId" in params and "current" in segments
    return Answer(newest_only(rows, segments), single=single)


# Fifteen-minute interchange is published for the New York AC interface only, and without the
# fall day's repeated hour (WIRE.md 4, gridstatus's tests).
FIFTEEN_MINUTE_INTERFACE = 4011


def fifteen_minute_interchange(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    segments = template.segments
    if FIFTEEN_MINUTE_INTERFACE not in _interfaces(params):
        return Answer([])
    days, keep = window(segments, params, now, FIFTEEN, lambda t: now >= t + FIFTEEN + FIVE_MINUTE_LAG)
    rows = []
    for day in days:
        flows = [f for f in system.five_minute_flows(registry, day) if f[1] == FIFTEEN_MINUTE_INTERFACE]
        fall_back = len(prices.hours_of(day)) == 25
        for first in range(0, len(flows), 3):
            quarter = flows[first : first + 3]
            begin = quarter[0][0]
            local = begin.astimezone(EASTERN)
            if fall_back and local.hour == 1 and local.utcoffset() == timedelta(hours=-5):
                continue  # the repeated fall hour is not published
            if not keep(begin):
                continue
            _, loc_id, _, purchase, sale = quarter[0]
            actual = round(sum(f[2] for f in quarter) / 3, 2)
            item: Item = {
                "BeginDate": begin,
                "Location": _ref(registry, loc_id),
                "ActInterchange": actual,
                "Purchase": purchase,
                "Sale": sale,
            }
            rows.append((begin, item))
    return Answer(newest_only(rows, segments))


SYSTEM_FEEDS["fiveminuteexternalflow"] = (external_flows, "five")
SYSTEM_FEEDS["fifteenminuteinterchange"] = (fifteen_minute_interchange, "fifteen")


# --- reserve prices ---------------------------------------------------------------------------------


def _reserve_item(
    registry: Registry, zone: int, begin: datetime, prices_: tuple[float, float, float], designated: float
) -> Item:
    name, spin, ten, thirty = system.RESERVE_ZONES[zone]
    tmsr, tmnsr, tmor = prices_
    return {
        "BeginDate": begin,
        "ReserveZoneId": zone,
        "ReserveZoneName": name,
        "TenMinSpinRequirement": spin,
        "Total10MinRequirement": ten,
        "Total30MinRequirement": thirty,
        "TmsrDesignatedMw": round(spin * designated, 1),
        "TmnsrDesignatedMw": round((ten - spin) * designated, 1),
        "TmorDesignatedMw": round(max(0.0, thirty - ten) * designated, 1),
        "TmsrClearingPrice": tmsr,
        "TmnsrClearingPrice": tmnsr,
        "TmorClearingPrice": tmor,
        "IntervalBeginDate": begin,
    }


def _reserve_zones(params: dict[str, str]) -> list[int]:
    if "reserveZoneId" in params:
        wanted = bounded.integer(params["reserveZoneId"])
        return [z for z in system.RESERVE_ZONES if z == wanted]
    if "locationType" in params:
        kind = unquote(params["locationType"]).upper()
        return [z for z in system.RESERVE_ZONES if kind == ("SYSTEM" if z == 7000 else "RESERVE ZONE")]
    return list(system.RESERVE_ZONES)


def reserve_prices(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """Five-minute (fiveminutereserveprice[/{Type}]) or hourly (hourly{prelim,final}reserveprice)
    reserve clearing prices and designations per reserve zone; an hour's price is the mean of its
    five minutes. Every zone clears at the system's prices here (no local shortages, [I])."""
    segments, zones = template.segments, _reserve_zones(params)
    resource = segments[0]
    hourly = resource.startswith("hourly")
    final = resource == "hourlyfinalreserveprice" or params.get("Type", "prelim").lower() == "final"
    if params.get("Type", "prelim").lower() not in ("prelim", "final"):
        raise BadRequest(f"type must be prelim or final, not {params.get('Type')!r}")
    step = HOUR if hourly else FIVE
    if final:
        published: Callable[[datetime], bool] = lambda t: now >= final_published(local_day(t))  # noqa: E731
    elif hourly:
        published = _hourly_published(now)
    else:
        published = lambda t: now >= t + FIVE_MINUTE_LAG  # noqa: E731
    days, keep = window(segments, params, now, step, published)
    rows = []
    for day in days:
        fives = prices.reserve_prices(registry, intervals_of(day, FIVE))
        draw = prices._random(registry.seed, "reserves", day)
        for first in range(0, len(fives), 12 if hourly else 1):
            group = fives[first : first + 12] if hourly else fives[first : first + 1]
            begin = group[0][0]
            if not keep(begin):
                continue
            means = tuple(round(sum(g[k] for g in group) / len(group), 2) for k in (1, 2, 3))
            designated = 1.05 + 0.2 * draw.random()
            for zone in zones:
                rows.append((begin, _reserve_item(registry, zone, begin, means, designated)))
    single = "reserveZoneId" in params and "current" in segments and hourly
    return Answer(newest_only(rows, segments), single=single)


SYSTEM_FEEDS["fiveminutereserveprice"] = (reserve_prices, "five")
SYSTEM_FEEDS["hourlyprelimreserveprice"] = (reserve_prices, "hourly")
SYSTEM_FEEDS["hourlyfinalreserveprice"] = (reserve_prices, "final")


# --- reliability regions ------------------------------------------------------------------------------

# Each reliability region covers its load zone (9001 .R.MAINE is 4001 .Z.MAINE, ...): its share of
# the system forecast is the zone's share of the load.
REGION_OF_ZONE = {zone: 9001 + n for n, zone in enumerate(system.ZONE_SHARES)}


def reliability_region_forecast(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """The hourly load forecast split by reliability region, issued with the system's forecast.
    `current` is the current hour's; `day/{day}` and `day/{day}/all` the day's ([I]: one issue)."""
    segments = template.segments
    if "current" in segments:
        hour = now.replace(minute=0, second=0, microsecond=0)
        days = [local_day(now)]
    else:
        hour, days = None, [parse_day(params["day"])]
    items: list[Item] = []
    for day in days:
        issued = forecast_issued(day)
        if now < issued:
            continue
        for begin, mw in system.load_forecast(registry, day):
            if hour is not None and begin != hour:
                continue
            for zone, share in system.ZONE_SHARES.items():
                region = registry.location(REGION_OF_ZONE[zone])
                items.append(
                    {
                        "BeginDate": begin,
                        "CreationDate": issued,
                        "ReliabilityRegion": region.name if region is not None else str(REGION_OF_ZONE[zone]),
                        "LoadMw": round(mw * share, 0),
                        "ReliabilityRegionLoadPercentage": round(share * 100, 2),
                    }
                )
    return Answer(items)


SYSTEM_FEEDS["reliabilityregionloadforecast"] = (reliability_region_forecast, "forecast")
