"""ISO-NE's operations feeds: binding constraints (day-ahead, five- and fifteen-minute), regulation
clearing prices, five-minute zonal load (estimated and forecast), the seven-day capacity forecast and
the morning report. Each reads the ISO-NE market (app/isone/market) on the simulated clock and writes
items in the catalogue's field order; routes.py asks `feed_for` after feeds.py's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from urllib.parse import unquote

from isosim.core import bounded
from isosim.isone.eastern import hour_ending
from isosim.isone.market import constraints, daas, outlook, prices, publication, regulation, system
from isosim.isone.market.publication import FIFTEEN, FIVE, FIVE_MINUTE_LAG, HOUR, local_day
from isosim.isone.market.registry import Registry
from isosim.isone.webservices.catalogue import Template
from isosim.isone.webservices.codec import Item
from isosim.isone.webservices.feeds import (
    Answer,
    BadRequest,
    Feed,
    info,
    newest_only,
    parse_day,
    parse_month,
    window,
)

# --- binding constraints ---------------------------------------------------------------------------


def _constraint_item(binding: constraints.Binding) -> Item:
    c = binding.constraint
    return {
        "BeginDate": binding.begin,
        "ConstraintName": c.name,
        "ContingencyName": c.contingency,
        "InterfaceFlag": "Y" if c.interface else "N",
        "MarginalValue": binding.marginal_value,
    }


def day_ahead_constraints(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """`current`: the binding constraints of the hour in progress, from the day-ahead market that
    scheduled it; `day/{day}`: the day's, once its day-ahead results are published."""
    if "current" in template.segments:
        hour = now.replace(minute=0, second=0, microsecond=0)
        days, keep = [local_day(now)], lambda t: t == hour
    else:
        days, keep = [parse_day(params["day"])], lambda t: True
    items = []
    for day in days:
        if now < publication.da_published(day):
            continue
        items += [_constraint_item(b) for b in constraints.day_ahead(registry, day) if keep(b.begin)]
    return Answer(items)


def _type(params: dict[str, str]) -> str:
    kind = params.get("Type", "prelim").lower()
    if kind not in ("prelim", "final"):
        raise BadRequest(f"type must be prelim or final, not {params.get('Type')!r}")
    return kind


def _published(kind: str, now: datetime) -> Callable[[datetime], bool]:
    """Whether an interval of a publication series (five-prelim, fifteen-final, ...) is out at `now`:
    the LMPs' rule (publication.py), which constraints and regulation prices follow."""
    is_out = publication.series(kind)[1]
    return lambda t: is_out(t, now)


def five_minute_constraints(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """`current`: the newest published interval's binding constraints (none may bind);
    `current/hour`: the hour in progress so far; `day/{day}`: the day's published intervals."""
    segments, kind = template.segments, _type(params)
    published = _published(f"five-{kind}", now)
    if "current" in segments:
        newest = publication.latest(f"five-{kind}", now)
        if newest is None:
            return Answer([])
        if segments[-1] == "hour":
            hour = newest.replace(minute=0)
            keep: Callable[[datetime], bool] = lambda t: hour <= t <= newest  # noqa: E731
        else:
            keep = lambda t: t == newest  # noqa: E731
        days = [local_day(newest)]
    else:
        days, keep = [parse_day(params["day"])], published
    items = []
    for day in days:
        items += [_constraint_item(b) for b in constraints.five_minute(registry, day) if keep(b.begin)]
    return Answer(items)


def fifteen_minute_constraints(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    segments, kind = template.segments, _type(params)
    published = _published(f"fifteen-{kind}", now)
    if "current" in segments:
        newest = publication.latest(f"fifteen-{kind}", now)
        if newest is None:
            return Answer([])
        days, keep = [local_day(newest)], lambda t: t == newest
    elif "month" in params:
        days, keep = publication.days_of_month(parse_month(params["month"])), published
    else:
        days, keep = [parse_day(params["day"])], published
    items: list[Item] = []
    for day in days:
        for binding, hardest in constraints.fifteen_minute(registry, day):
            if keep(binding.begin):
                items.append(
                    {
                        "Type": kind.upper(),
                        "BeginDate": binding.begin,
                        "ConstraintName": binding.constraint.name,
                        "MarginalValueInterval": hardest,
                        "MarginalValue": binding.marginal_value,
                        "HourEnd": hour_ending(binding.begin),
                    }
                )
    return Answer(items)


def _real_time_info(resource: str) -> Feed:
    step = FIFTEEN if resource.startswith("fifteen") else FIVE

    def info_of(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
        kind = _type(params)
        return info(f"{'fifteen' if step == FIFTEEN else 'five'}-{kind}", now)

    return info_of


# --- regulation clearing prices -------------------------------------------------------------------


def regulation_prices(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """Five-minute regulation service and capacity clearing prices. The paths without {Type} (which
    ISO-NE documents as deprecated and gridstatus still calls) answer the preliminary ones."""
    segments, kind = template.segments, _type(params)
    published = _published(f"five-{kind}", now)
    days, keep = window(segments, params, now, FIVE, published)
    rows = []
    for day in days:
        for begin, service, capacity in regulation.five_minute(registry, day):
            if keep(begin):
                item: Item = {
                    "BeginDate": begin,
                    "RegServiceClearingPrice": service,
                    "RegCapacityClearingPrice": capacity,
                    "HourEnd": hour_ending(begin),
                }
                rows.append((begin, item))
    return Answer(newest_only(rows, segments), listed=True)


# --- five-minute zonal load --------------------------------------------------------------------------


def _load_zones(registry: Registry, params: dict[str, str]) -> list[tuple[int, str, float]]:
    """(zone id, its name, its share of the system load) for the path's zones."""
    zones = []
    for zone, share in system.ZONE_SHARES.items():
        found = registry.location(zone)
        zones.append((zone, found.name if found is not None else str(zone), share))
    if "loadZoneId" in params:
        wanted = bounded.integer(params["loadZoneId"])
        zones = [z for z in zones if z[0] == wanted]
    return zones


def estimated_zonal_load(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """Each load zone's estimated load every five minutes: its share of the system's native load, and
    of the behind-the-meter solar estimate (the zones sum to fiveminutesystemload's)."""
    segments, zones = template.segments, _load_zones(registry, params)
    days, keep = window(segments, params, now, FIVE, lambda t: now >= t + FIVE_MINUTE_LAG)
    rows = []
    for day in days:
        for begin, native in system.five_minute_load(registry, day):
            if not keep(begin):
                continue
            pv = system.btm_pv(begin)
            for zone, name, share in zones:
                item: Item = {
                    "interval_begin_date": begin,
                    "load_zone_id": zone,
                    "load_zone_name": name,
                    "estimated_load_mw": round(native * share, 2),
                    "estimated_btm_pv_mw": round(pv * share, 2),
                }
                rows.append((begin, item))
    return Answer(newest_only(rows, segments))


FORECAST_HORIZON = 24  # five-minute intervals ahead in each issue of the zonal forecast ([I]: two hours)


def _forecast_issue(now: datetime) -> datetime:
    """The newest issue of the five-minute zonal forecast: each five minutes, 25 s in ([I])."""
    issued = (now - FIVE_MINUTE_LAG).replace(second=0, microsecond=0)
    return issued - timedelta(minutes=issued.minute % 5) + FIVE_MINUTE_LAG


def zonal_load_forecast(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """The current issue: each zone's load and behind-the-meter solar for the next two hours from the
    interval in progress, the model's load with an error that grows with the lead time."""
    zones = _load_zones(registry, params)
    issued = _forecast_issue(now)
    first = issued - FIVE_MINUTE_LAG
    wanted = [first + FIVE * n for n in range(FORECAST_HORIZON)]
    loads: dict[datetime, float] = {}
    for day in sorted({local_day(t) for t in wanted}):
        loads.update(system.five_minute_load(registry, day))
    draw = prices._random(registry.seed, "zonal-forecast", issued.isoformat())
    items: list[Item] = []
    for lead, begin in enumerate(wanted):
        error = 1 + draw.gauss(0, 0.002 * (1 + lead))
        pv = system.btm_pv(begin)
        for zone, name, share in zones:
            items.append(
                {
                    "interval_begin_date": begin,
                    "load_zone_id": zone,
                    "load_zone_name": name,
                    "load_mw": round(loads[begin] * share * error, 2),
                    "btm_pv_mw": round(pv * share * error, 2),
                }
            )
    return Answer(items)


def zonal_forecast_info(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    issued = _forecast_issue(now)
    return Answer([{"LatestBeginDate": issued - FIVE_MINUTE_LAG, "CreationDate": issued}], single=True)


# --- the seven-day forecast and the morning report ----------------------------------------------------


def _city_weather(weather: tuple[outlook.Weather, ...]) -> Item:
    return {
        "CityWeather": [{"CityName": w.city, "HighTempF": w.high, "DewPointF": w.dew_point} for w in weather]
    }


def _market_day(row: outlook.MarketDay) -> Item:
    return {
        "@Day": row.number,
        "MarketDate": publication.day_start(row.day),
        "CsoMw": row.cso,
        "ColdWeatherOutagesMw": row.cold_weather_outages,
        "OtherGenOutagesMw": row.other_outages,
        "DelistMw": row.delist,
        "TotAvailGenMw": row.generation,
        "PeakImportMw": row.peak_import,
        "TotAvailGenImportMw": row.generation_and_imports,
        "PeakLoadMw": row.peak_load,
        "ReplReserveReqMw": outlook.REPLACEMENT_RESERVE,
        "ReqdReserveMw": row.required_reserve,
        "ReqdReserveInclReplMw": row.reserve_with_replacement,
        "TotLoadPlusReqdReserveMw": row.load_and_reserve,
        "DrrMw": row.drr,
        "SurplusDeficiencyMw": row.surplus,
        "RtegMw": row.rteg,
        **row.flags,
        "Weather": _city_weather(row.weather),
    }


def _issue_days(
    template: Template, params: dict[str, str], now: datetime, made: Callable[[date], datetime]
) -> list[date]:
    """`current`: the newest day whose report is made by now; `day/{day}[/all]`: that day, if made."""
    if "current" in template.segments:
        today = local_day(now)
        return [today if now >= made(today) else today - timedelta(days=1)]
    day = parse_day(params["day"])
    return [day] if now >= made(day) else []


def seven_day_forecast(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """The forecast issued each morning (09:15) for the six days after: BeginDate is the first of
    them, MarketDay 2-7 (as ISO-NE's own answers number them)."""
    items: list[Item] = []
    for issued in _issue_days(template, params, now, lambda d: outlook.seven_day(registry, d).created):
        forecast = outlook.seven_day(registry, issued)
        items.append(
            {
                "BeginDate": publication.day_start(issued + timedelta(days=1)),
                "MarketDay": [_market_day(row) for row in forecast.days],
                "CreationDate": forecast.created,
            }
        )
    return Answer(items)


def _morning_item(report: outlook.MorningReport) -> Item:
    peak_yesterday, peak_today = report.peak_yesterday, report.peak_today
    return {
        "ReportType": report.report_type,
        "BeginDate": publication.day_start(report.day),
        "CreationDate": report.created,
        "PeakLoadYesterdayHour": peak_yesterday[0],
        "PeakLoadYesterdayMw": peak_yesterday[1],
        "CsoMw": report.cso,
        "CapAdditionsMw": report.additions,
        "GenOutagesReductionMW": report.outages,
        "GenPlannedOutagesReductionMW": report.planned_outages,
        "GenForcedOutagesReductionMW": report.forced_outages,
        "UncommittedGenBeforePeakMw": report.uncommitted_before_peak,
        "UncommittedAvailGenMw": report.uncommitted,
        "DRRCapacityMw": report.drr,
        "UncommitedAvailDRRMw": report.uncommitted_drr,
        "NetCapDeliveryMw": report.net_delivery,
        "TieDelivery": [{"TieName": t.name, "TieFlowMw": t.flow} for t in report.ties],
        "TotAvailCapMw": report.available,
        "PeakLoadTodayHour": peak_today[0],
        "PeakLoadTodayMw": peak_today[1],
        "TotalOperReserveReqMw": report.operating_reserve,
        "CapRequiredMw": report.required,
        "SurplusDeficiencyMw": report.surplus,
        "ReplReserveRequiredMw": outlook.REPLACEMENT_RESERVE,
        "ExcessCommitMw": report.excess_commitment,
        "LargestFirstContMw": report.largest_contingency,
        "AmsPeakLoadExpMw": report.ams_exposure,
        "TenMinReserveReqMw": report.ten_minute_required,
        "TenMinReserveEstMw": report.ten_minute_estimate,
        "ThirtyMinReserveReqMw": report.thirty_minute_required,
        "ThirtyMinReserveEstMw": report.thirty_minute_estimate,
        "ExpActOp4Mw": 0,
        "AddlCapAvailOp4ActMw": 0,
        "InterchangeDetail": [
            {
                "TieName": t.name,
                "ImportLimitInMw": t.import_limit,
                "ExportLimitOutMw": t.export_limit,
                "ScheduledMw": t.flow,
            }
            for t in report.ties
        ],
        "CityForecastDetail": [
            {
                "CityName": w.city,
                "HighTemperature": w.high,
                "WeatherConditions": w.conditions,
                "WindDirSpeed": w.wind,
            }
            for w in report.weather
        ],
        "UnitCommMinOrrCount": 0,
        "UnitCommMinOrrMw": 0,
    }


def morning_report(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """`current`: the newest report made; `day/{day}`: the day's morning report; `day/{day}/all`:
    every report of the day (the morning report, then the noon capacity update);
    `day/{day}/reportType/{reportType}`: the day's reports of that type."""
    segments = template.segments
    if "current" in segments:
        today = local_day(now)
        made = outlook.morning_reports(registry, today, now) or outlook.morning_reports(
            registry, today - timedelta(days=1), now
        )
        return Answer([_morning_item(made[-1])] if made else [])
    reports = outlook.morning_reports(registry, parse_day(params["day"]), now)
    if "reportType" in params:
        wanted = unquote(params["reportType"]).strip().casefold()
        reports = [r for r in reports if r.report_type.casefold() == wanted]
    elif segments[-1] != "all":
        reports = [r for r in reports if r.report_type == outlook.MORNING_REPORT]
    return Answer([_morning_item(r) for r in reports])


def _daily_info(newest: Callable[[Registry, datetime], tuple[datetime, datetime] | None]) -> Feed:
    def info_of(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
        found = newest(registry, now)
        if found is None:
            return Answer([])
        return Answer([{"LatestBeginDate": found[0], "CreationDate": found[1]}], single=True)

    return info_of


def _newest_seven_day(registry: Registry, now: datetime) -> tuple[datetime, datetime] | None:
    today = local_day(now)
    for day in (today, today - timedelta(days=1)):
        forecast = outlook.seven_day(registry, day)
        if now >= forecast.created:
            return publication.day_start(day + timedelta(days=1)), forecast.created
    return None


def _newest_morning(registry: Registry, now: datetime) -> tuple[datetime, datetime] | None:
    today = local_day(now)
    for day in (today, today - timedelta(days=1)):
        made = outlook.morning_reports(registry, day, now)
        if made:
            return publication.day_start(day), made[-1].created
    return None


# --- day-ahead ancillary services ---------------------------------------------------------------------


def _daas_days(
    template: Template, params: dict[str, str], now: datetime, made: Callable[[date], datetime]
) -> tuple[list[date], Callable[[datetime], bool]]:
    """`current`: the hour in progress (once its day's values are made); `day/{day}`: the day's."""
    if "current" in template.segments:
        hour = now.replace(minute=0, second=0, microsecond=0)
        day = local_day(now)
        return ([day] if now >= made(day) else []), lambda t: t == hour
    day = parse_day(params["day"])
    return ([day] if now >= made(day) else []), lambda t: True


def daas_reserves(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """Each hour's day-ahead reserve requirements, designations and clearing prices, published with
    the day-ahead market's results."""
    days, keep = _daas_days(template, params, now, publication.da_published)
    items: list[Item] = []
    for day in days:
        for r in daas.reserves(registry, day):
            if keep(r.begin):
                items.append(
                    {
                        "market_hour": {"local_day": r.begin},
                        "eir_designation_mw": r.eir,
                        "fer_clearing_price": r.fer_price,
                        "forecasted_energy_req_mw": r.energy_requirement,
                        "ten_min_spin_req_mw": r.spin,
                        "tmnsr_clearing_price": r.tmnsr[1],
                        "tmnsr_designation_mw": r.tmnsr[0],
                        "tmor_clearing_price": r.tmor[1],
                        "tmor_designation_mw": r.tmor[0],
                        "tmsr_clearing_price": r.tmsr[1],
                        "tmsr_designation_mw": r.tmsr[0],
                        "total_ten_min_req_mw": r.ten,
                        "total_thirty_min_req_mw": r.thirty,
                    }
                )
    return Answer(items)


def _strike_made(day: date) -> datetime:
    return publication.day_start(day) + daas.STRIKE_PUBLISHED


def daas_strike_prices(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """Each hour's strike price and the forecasts behind it, published the morning before."""
    days, keep = _daas_days(template, params, now, _strike_made)
    items: list[Item] = []
    for day in days:
        for x in daas.strike_prices(registry, day):
            if keep(x.begin):
                items.append(
                    {
                        "market_hour": {"local_day": x.begin},
                        "strike_price": x.strike,
                        "strike_price_timestamp": x.published,
                        "spc_load_forecast_mw": x.load_forecast,
                        "percentile_10_rt_hub_lmp": x.percentiles[10],
                        "percentile_25_rt_hub_lmp": x.percentiles[25],
                        "percentile_75_rt_hub_lmp": x.percentiles[75],
                        "percentile_90_rt_hub_lmp": x.percentiles[90],
                        "expected_rt_hub_lmp": x.expected,
                        # ISO-NE writes the overrides even when none applies: the values themselves
                        "expected_rt_hub_lmp_override": x.expected,
                        "expected_closeout_charge": x.closeout,
                        "expected_closeout_charge_override": x.closeout,
                    }
                )
    return Answer(items)


def _daas_info(made: Callable[[date], datetime]) -> Feed:
    def info_of(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
        today = local_day(now)
        for day in (today + timedelta(days=1), today):
            if now >= made(day) and day >= daas.STARTS:
                last = publication.intervals_of(day, HOUR)[-1]
                return Answer([{"LatestBeginDate": last, "CreationDate": made(day)}], single=True)
        return Answer([])

    return info_of


# --- the power system's condition --------------------------------------------------------------------

NORMAL = ("Normal", "Normal system conditions.", "")
SHORT = ("Power Caution", "Operating reserves are short: OP-4 actions may be taken.", "Capacity deficiency")


def system_conditions(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """`current`: the condition in force (ISO-NE's status page): a power caution while operating
    reserves are short (a non-zero reserve price in the interval in progress), else normal; TimeIn
    is when it began that day ([I]: the conditions' wording and which events raise them)."""
    day = local_day(now)
    intervals = [t for t in publication.intervals_of(day, FIVE) if t <= now]
    if not intervals:
        return Answer([], listed=True)
    short = [tmor > 0 for _, _, _, tmor in prices.reserve_prices(registry, intervals)]
    began = len(short) - 1
    while began > 0 and short[began - 1] == short[-1]:
        began -= 1
    condition, action, reason = SHORT if short[-1] else NORMAL
    item: Item = {
        "ReportedArea": "ISO New England",
        "SystemCondition": condition,
        "TimeIn": intervals[began],
        "ActionDescription": action,
        "Reason": reason or None,
        "SortOrder": 1,
    }
    return Answer([item], listed=True)


# --- dispatch ----------------------------------------------------------------------------------------

FEEDS: dict[str, tuple[Feed, Feed]] = {
    # resource: (its data, its /info)
    "dayaheadconstraints": (day_ahead_constraints, lambda r, t, p, now: info("da", now)),
    "fiveminuteconstraints": (five_minute_constraints, _real_time_info("fiveminuteconstraints")),
    "fifteenminuteconstraints": (fifteen_minute_constraints, _real_time_info("fifteenminuteconstraints")),
    "fiveminutercp": (regulation_prices, _real_time_info("fiveminutercp")),
    "fiveminuteestimatedzonalload": (
        estimated_zonal_load,
        lambda r, t, p, now: info("five-prelim", now),
    ),
    "fiveminutezonalloadforecast": (zonal_load_forecast, zonal_forecast_info),
    "sevendayforecast": (seven_day_forecast, _daily_info(_newest_seven_day)),
    "morningreport": (morning_report, _daily_info(_newest_morning)),
    "powersystemconditions": (system_conditions, lambda r, t, p, now: info("five-prelim", now)),
    "daasreservedata": (daas_reserves, _daas_info(publication.da_published)),
    "daasstrikeprices": (daas_strike_prices, _daas_info(_strike_made)),
}


def feed_for(template: Template) -> Feed | None:
    found = FEEDS.get(template.resource)
    if found is None or (
        template.resource == "powersystemconditions" and template.segments[-1] not in ("current",)
    ):
        return None  # of the system conditions, isosim serves the current one
    data, info_of = found
    # /fifteenminuteconstraints/{Type} is itself a ServiceInfo ("Default resource")
    return info_of if template.segments[-1] in ("info", "{Type}") else data
