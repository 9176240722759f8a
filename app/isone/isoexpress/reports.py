"""ISO Express's other CSV reports: the current and rolling-interval LMPs, the final five-minute reserve
prices, the seven-day wind and solar power forecasts and the historical day-ahead energy offers, in
ISO Express's record structure (codec.py) with the numbers of the ISO-NE market, the same ones the
web services answer. Each builder raises NotPublished when the file does not exist yet.

Layouts as ISO-NE's clients read them (gridstatus's ISONE): the `current` LMP files have three
comment lines; the seven-day forecasts put the days in columns, named by the first data line, and
the hours in rows (the fall day's repeated hour as 02X)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from isosim.isone.eastern import EASTERN, hour_ending
from isosim.isone.isoexpress import codec
from isosim.isone.market import fleet, prices, system
from isosim.isone.market.publication import (
    FIVE,
    FIVE_MINUTE_LAG,
    HOUR,
    HOURLY_LAG,
    final_published,
    intervals_of,
    local_day,
)
from isosim.isone.market.registry import Registry
from isosim.isone.webservices import offers as hb


class NotPublished(Exception):
    """The file does not exist yet (or the day is not one ISO Express serves)."""


def _mdy(day: date) -> str:
    return f"{day:%m/%d/%Y}"


LMP_NAMES = ("LMP", "Energy Component", "Congestion Component", "Loss Component")


def current_five_minute_lmp(market: Registry, now: datetime, rolling: bool) -> bytes:
    """fiveminlmp/current: the newest published interval at every location; currentrollinginterval:
    every published interval of the last hour."""
    newest = (now - FIVE_MINUTE_LAG).replace(second=0, microsecond=0)
    newest -= timedelta(minutes=newest.minute % 5)
    intervals = [newest - FIVE * n for n in range(12)][::-1] if rolling else [newest]
    rows = [
        (
            f"{x.begin.astimezone(EASTERN):%Y-%m-%d %H:%M:%S}",
            x.location.loc_id,
            x.total,
            x.energy,
            x.congestion,
            x.loss,
        )
        for x in prices.five_minute(market, intervals, list(market.priced))
    ]
    return codec.document(
        [
            "Real-Time Five-Minute Preliminary LMPs" + (" (rolling hour)" if rolling else ""),
            f"Report for: {_mdy(local_day(newest))}",
            f"Report generated: {codec.generated(now)}",
        ],
        ["Local Time", "Location ID", *LMP_NAMES],
        ["String", "Number", "Number", "Number", "Number", "Number"],
        rows,
    )


def current_hourly_lmp(market: Registry, now: datetime) -> bytes:
    """hourlylmp/current?type=prelim&market=rt: the newest hour's preliminary LMP at every location."""
    newest = (now - HOUR - HOURLY_LAG).replace(minute=0, second=0, microsecond=0)
    rows = [
        (
            _mdy(local_day(x.begin)),
            hour_ending(x.begin),
            x.location.loc_id,
            x.total,
            x.energy,
            x.congestion,
            x.loss,
        )
        for x in prices.real_time_hourly(market, [newest], list(market.priced))
    ]
    return codec.document(
        [
            "Real-Time Hourly Preliminary LMPs",
            f"Report for: {_mdy(local_day(newest))}",
            f"Report generated: {codec.generated(now)}",
        ],
        ["Local Date", "Local Time", "Location ID", *LMP_NAMES],
        ["Date", "String", "Number", "Number", "Number", "Number", "Number"],
        rows,
    )


def five_minute_reserve_prices(market: Registry, first: date, last: date, now: datetime) -> bytes:
    """fiveminreserveprice?type=final: every five minutes, every reserve zone, once final."""
    rows = []
    day = first
    while day <= last:
        if now >= final_published(day):
            for begin, tmsr, tmnsr, tmor in prices.reserve_prices(market, intervals_of(day, FIVE)):
                local = begin.astimezone(EASTERN)
                for zone, (name, spin, ten, thirty) in system.RESERVE_ZONES.items():
                    rows.append(
                        (
                            f"{local:%m/%d/%Y %H:%M:%S}",
                            zone,
                            name,
                            spin,
                            ten,
                            thirty,
                            spin,
                            max(0.0, ten - spin),
                            max(0.0, thirty - ten),
                            tmsr,
                            tmnsr,
                            tmor,
                        )
                    )
        day += timedelta(days=1)
    if not rows:
        raise NotPublished(str(first))
    return codec.document(
        [
            "Five-Minute Final Reserve Prices and Designations",
            f"Filename: fiveminreserveprice_final_{first:%Y%m%d}_{last:%Y%m%d}.csv",
            f"Report for: {_mdy(first)} - {_mdy(last)}",
            f"Report generated: {codec.generated(now)}",
        ],
        [
            "Local Time",
            "Reserve Zone ID",
            "Reserve Zone Name",
            "Ten-Minute Spinning Requirement",
            "Ten-Minute Requirement",
            "Total Requirement",
            "Ten Minute Spinning Reserve Designated MW",
            "Ten Minute Non Spinning Reserve Designated MW",
            "Thirty Minute OperatingReserve Designated MW",
            "Ten-Minute Spinning Reserve Clearing Price",
            "Ten-Minute Reserve Clearing Price",
            "Total Reserve Clearing Price",
        ],
        ["String", "Number", "String", *["Number"] * 9],
        rows,
    )


def generation_forecast(market: Registry, issued: date, fuel: str, now: datetime) -> bytes:
    """sphf / wphf: the seven-day solar or wind power forecast issued on a day (09:45)."""
    made = datetime(issued.year, issued.month, issued.day, tzinfo=EASTERN) + system.GENERATION_FORECAST_ISSUED
    if now < made:
        raise NotPublished(str(issued))
    days = system.generation_forecast(market, issued, fuel)
    labels = [
        "01",
        "02",
        *(["02X"] if any(len(h) == 25 for _, h in days) else []),
        *[f"{n:02d}" for n in range(3, 25)],
    ]
    by_day = [{hour_ending(begin): mw for begin, mw in hours} for _, hours in days]
    rows: list[tuple[object, ...]] = [("Date", "Hour Ending", *[_mdy(day) for day, _ in days])]
    for label in labels:
        rows.append(("", label, *[column.get(label, "") for column in by_day]))
    return codec.document(
        [
            f"Seven-Day {fuel} Power Forecast",
            f"Filename: seven_day_{fuel.lower()}_power_forecast_{issued:%Y%m%d}.csv",
            f"Report for: {_mdy(issued)}",
            f"Report generated: {codec.generated(made)}",
        ],
        ["Date", "Hour Ending", *[f"Day {n}" for n in range(1, 8)]],
        ["Date", "String", *["Number"] * 7],
        rows,
    )


def day_ahead_energy_offers(
    market: Registry, day: date, now: datetime, received: dict[tuple[int, datetime], fleet.Offer]
) -> bytes:
    """histRpts/da-energy-offer/hbdayaheadenergyoffer_YYYYMMDD.csv: the masked offers the web
    services publish (hbdayaheadenergyoffer), once published (the fourth month after), with the
    participants' own (`received`, from eMarket) in place of the model's."""
    if now < hb.published(day):
        raise NotPublished(str(day))
    rows = []
    for model in fleet.day_ahead_offers(market, day):
        o = received.get((model.generator.asset, model.begin), model)
        g = o.generator
        segments: list[object] = []
        for n in range(10):
            segments += list(o.segments[n]) if n < len(o.segments) else ["", ""]
        rows.append(
            (
                _mdy(day),
                hour_ending(o.begin),
                g.participant,
                g.asset,
                round(o.eco_max) if g.must_take else 0,
                "",
                o.eco_max,
                o.eco_min,
                o.cold_start,
                o.intermediate_start,
                o.hot_start,
                o.no_load,
                *segments,
                o.claim10,
                o.claim30,
                o.status,
            )
        )
    segment_names = [f"Segment {n} {field}" for n in range(1, 11) for field in ("Price", "MW")]
    return codec.document(
        [
            "Historical Day-Ahead Energy Offers (masked)",
            f"Filename: hbdayaheadenergyoffer_{day:%Y%m%d}.csv",
            f"Report for: {_mdy(day)}",
            f"Report generated: {codec.generated(hb.published(day))}",
        ],
        [
            "Day",
            "Trading Interval",
            "Masked Lead Participant ID",
            "Masked Asset ID",
            "Must Take Energy",
            "Maximum Daily Energy Available",
            "Economic Maximum",
            "Economic Minimum",
            "Cold Startup Price",
            "Intermediate Startup Price",
            "Hot Startup Price",
            "No Load Price",
            *segment_names,
            "Claim 10",
            "Claim 30",
            "Unit Status",
        ],
        ["Date", "String", "Number", "Number", *["Number"] * 28, "Number", "Number", "String"],
        rows,
    )
