"""ISO-NE's settlement-side feeds over the web services: NCPC charges by type and load zone (ncpc),
NCPC credits by asset for a month (monthlyassetncpc), the wholesale cost of serving load by component
(whlsecost) and the retired day-ahead load response offers (hbdayaheadloadresponseoffer), read from
the ISO-NE market (app/isone/market/settlement.py, legacy.py). Settlement data is published once the
day (or month) has been settled: [I] seven days after a day, on the tenth of the following month for
a month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from urllib.parse import unquote

from isosim.core import bounded
from isosim.isone.eastern import EASTERN, hour_ending
from isosim.isone.market import legacy, prices, publication, settlement, system
from isosim.isone.market.registry import Registry
from isosim.isone.webservices import feeds
from isosim.isone.webservices.catalogue import Template
from isosim.isone.webservices.codec import Item
from isosim.isone.webservices.feeds import Answer, BadRequest, Feed, parse_day, parse_month

DAY_SETTLED = timedelta(days=7)
MONTH_SETTLED_ON = 10  # the day of the following month


def _month_settled(first: date) -> datetime:
    return publication.day_start((first + timedelta(days=31)).replace(day=MONTH_SETTLED_ON))


def _day_settled(day: date) -> datetime:
    return publication.day_start(day) + DAY_SETTLED


def _newest_month(now: datetime) -> date:
    today = publication.local_day(now)
    first = today.replace(day=1)
    back = (
        1
        if today.day >= MONTH_SETTLED_ON and now >= _month_settled((first - timedelta(days=1)).replace(day=1))
        else 2
    )
    for _ in range(back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def _settled_month(template: Template, params: dict[str, str], now: datetime) -> date | None:
    """The month a monthly resource asks for (`current`: the newest settled), if settled by now."""
    first = _newest_month(now) if "current" in template.segments else parse_month(params["month"])
    return first if now >= _month_settled(first) else None


# --- NCPC ----------------------------------------------------------------------------------------------

NCPC_TYPES = tuple(settlement.NCPC_SHARES)


def _ncpc_item(registry: Registry, n: settlement.Ncpc) -> Item:
    return {
        "NCPCType": n.kind,
        "BeginDate": publication.day_start(n.day),
        "Location": feeds._ref(registry, n.zone),
        "DaNcpcCharge": n.da_charge,
        "RtNcpcCharge": n.rt_charge,
        "NcpcCharge": n.charge,
        "DaNcpcLoadObligation": n.da_obligation,
        "RtNcpcLoadObligation": n.rt_obligation,
        "DaNcpcChargeRate": n.da_rate,
        "RtNcpcChargeRate": n.rt_rate,
        "NcpcChargeRate": round(n.charge / n.rt_obligation, 6) if n.rt_obligation else 0.0,
    }


def ncpc_charges(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """Daily NCPC charges of a type per load zone: `current` the newest settled day, `day/{day}`,
    `month/{month}` the month's settled days."""
    kind = unquote(params["NCPCType"]).upper()
    if kind not in NCPC_TYPES:
        raise BadRequest(f"NCPC type must be one of {', '.join(NCPC_TYPES)}, not {params['NCPCType']!r}")
    if "current" in template.segments:
        days = [publication.local_day(now - DAY_SETTLED) - timedelta(days=1)]
    elif "month" in params:
        days = publication.days_of_month(parse_month(params["month"]))
    else:
        days = [parse_day(params["day"])]
    items = []
    for day in days:
        if now < _day_settled(day):
            continue
        items += [_ncpc_item(registry, n) for n in settlement.ncpc(registry, day) if n.kind == kind]
    return Answer(items)


def ncpc_info(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    day = publication.local_day(now - DAY_SETTLED) - timedelta(days=1)
    return Answer(
        [{"LatestBeginDate": publication.day_start(day), "CreationDate": _day_settled(day)}], single=True
    )


def monthly_asset_ncpc(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    first = _settled_month(template, params, now)
    if first is None:
        return Answer([])
    items: list[Item] = []
    for credit in settlement.monthly_asset_credits(registry, first.year, first.month):
        items.append(
            {
                "BeginDate": publication.day_start(first),
                "Location": feeds._ref(registry, credit.node),
                "AssetId": credit.generator.asset,
                "AssetName": credit.name,
                "AssetType": "GENERATOR",
                "DaNcpcCredit": credit.da_credit,
                "RtNcpcCredit": credit.rt_credit,
            }
        )
    return Answer(items)


def _month_info(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    first = _newest_month(now)
    return Answer(
        [{"LatestBeginDate": publication.day_start(first), "CreationDate": _month_settled(first)}],
        single=True,
    )


# --- wholesale load cost ----------------------------------------------------------------------------------


def _cost_item(
    registry: Registry,
    begin: datetime,
    hour: str,
    on_off: str,
    zone: int,
    rows: list[settlement.WholesaleCost],
) -> Item:
    """One row: hourly (one hour) or the load-weighted mean of many (monthly, yearly)."""
    load = sum(r.load for r in rows)

    def weighted(value: Callable[[settlement.WholesaleCost], float]) -> float:
        return round(sum(value(r) * r.load for r in rows) / load, 4) if load else 0.0

    item: Item = {
        "BeginDate": begin,
        "Hour": hour,
        "OnOff": on_off,
        "Location": feeds._ref(registry, zone),
        "Lmp": weighted(lambda r: r.lmp),
    }
    for name in rows[0].components:
        item[name] = weighted(lambda r, n=name: r.components[n])  # type: ignore[misc]
    item["TotalCost"] = weighted(lambda r: r.total)
    item["RTLO"] = round(load, 2)
    return item


def wholesale_cost(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """`hourly/month/{month}/location/{location}`: each hour of the month; `monthly/...`: the month as
    on-peak and off-peak rows, load-weighted; `yearly/year/{year}/...`: the year's months; `current`:
    the newest settled month (or year)."""
    zone = bounded.integer(unquote(params["location"]))
    if zone is None or registry.location(zone) is None or zone not in system.ZONE_SHARES:
        return Answer([])
    grain = template.segments[1]
    if "current" in template.segments:
        months = [_newest_month(now)]
        if grain == "yearly":
            months = [date(months[0].year, m, 1) for m in range(1, months[0].month + 1)]
    elif grain == "yearly":
        year = bounded.integer(params["year"], 1990, 2099) if len(params["year"]) == 4 else None
        if year is None:
            raise BadRequest(f"year must be YYYY, not {params['year']!r}")
        months = [date(year, m, 1) for m in range(1, 13)]
    else:
        months = [parse_month(params["month"])]
    months = [m for m in months if now >= _month_settled(m)]
    items = []
    for first in months:
        rows = [
            r
            for day in publication.days_of_month(first)
            for r in settlement.wholesale_costs(registry, day)
            if r.zone == zone
        ]
        if grain == "hourly":
            for r in rows:
                local = r.begin.astimezone(EASTERN)
                on_off = "ON" if prices.on_peak(local) else "OFF"
                items.append(_cost_item(registry, r.begin, hour_ending(r.begin), on_off, zone, [r]))
            continue
        for on_off in ("ON", "OFF"):
            part = [r for r in rows if prices.on_peak(r.begin.astimezone(EASTERN)) == (on_off == "ON")]
            if part:
                items.append(_cost_item(registry, publication.day_start(first), "ALL", on_off, zone, part))
    return Answer(items)


# --- the day-ahead load response program (until June 2018) --------------------------------------------------


def load_response_offers(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    first = _settled_month(template, params, now)
    if first is None:
        return Answer([])
    items: list[Item] = []
    for day in publication.days_of_month(first):
        for o in legacy.load_response_offers(registry, day):
            items.append(
                {
                    "BeginDate": o.begin,
                    "MaskedCustomerId": o.customer,
                    "MaskedAssetId": o.asset,
                    "OfferMw": o.mw,
                    "OfferPrice": o.price,
                    "CurtailmentPrice": o.curtailment_price,
                    "MinInterruptHours": o.minimum_hours,
                }
            )
    return Answer(items)


FEEDS: dict[str, tuple[Feed, Feed]] = {
    "ncpc": (ncpc_charges, ncpc_info),
    "monthlyassetncpc": (monthly_asset_ncpc, _month_info),
    "whlsecost": (wholesale_cost, _month_info),
    "hbdayaheadloadresponseoffer": (load_response_offers, _month_info),
}


def feed_for(template: Template) -> Feed | None:
    found = FEEDS.get(template.resource)
    if found is None:
        return None
    data, info_of = found
    return info_of if template.segments[-1] in ("info", "{NCPCType}") else data
