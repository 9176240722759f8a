"""ISO-NE's Forward Capacity Market reconfiguration auctions over the web services: results per
capacity zone and external interface (fcmmra, fcmara) and the masked bids behind them (hbfcmmra,
hbfcmara), read from the ISO-NE market's capacity model (app/isone/market/capacity.py).

The results nest the zones inside the Auction element: that is how ISO-NE answers today (gridstatus
and thumbert's elec-server read `Auction.ClearedCapacityZones`; thumbert also reads the older form,
the zones beside the auction, which ISO-NE's published XSD still describes)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import unquote

from isosim.core import bounded
from isosim.isone.market import capacity, ftr, legacy, publication
from isosim.isone.market.registry import Registry
from isosim.isone.webservices import offers
from isosim.isone.webservices.catalogue import Template
from isosim.isone.webservices.codec import Item, Many, Ref
from isosim.isone.webservices.feeds import Answer, BadRequest, Feed, parse_month


def _period(params: dict[str, str]) -> int:
    year = capacity.period_of(unquote(params["cp"]))
    if year is None:
        raise BadRequest(f"commitment period must be YYYY-YY, not {params['cp']!r}")
    return year


def _zone(z: capacity.ZoneResult) -> Item:
    return {
        "CapacityZoneID": z.zone,
        "CapacityZoneType": z.zone_type,
        "CapacityZoneName": z.name,
        "SupplySubmitted": z.supply_submitted,
        "DemandSubmitted": z.demand_submitted,
        "SupplyCleared": z.supply_cleared,
        "DemandCleared": z.demand_cleared,
        "NetCapacityCleared": z.net,
        "ClearingPrice": z.price,
        "ClearedExternalInterfaces": {
            "ClearedExternalInterface": Many(
                {
                    "ExternalInterfaceId": ident,
                    "ExternalInterfaceName": name,
                    "SupplySubmitted": supply,
                    "DemandSubmitted": demand,
                    "SupplyCleared": supply_cleared,
                    "DemandCleared": demand_cleared,
                    "NetCapacityCleared": round(supply_cleared - demand_cleared, 3),
                    "ClearingPrice": z.price,
                }
                for ident, name, supply, demand, supply_cleared, demand_cleared in z.interfaces
            )
        },
    }


def _result(a: capacity.Auction) -> Item:
    period = a.period
    zones = a.zones
    return {
        "Auction": {
            "Id": a.id,
            "Description": a.description,
            "ApprovalDate": a.approved,
            "AuctionBeginDate": a.begins,
            "Type": a.kind,
            "CommitmentPeriod": {
                "Id": period.id,
                "Description": period.label,
                "Type": "CCP",
                "BeginDate": period.begin,
                "EndDate": period.end,
            },
            "ClearedCapacityZones": {"ClearedCapacityZone": Many(_zone(z) for z in zones)},
            "SystemResults": {
                "SupplySubmitted": round(sum(z.supply_submitted for z in zones), 3),
                "SupplyCleared": round(sum(z.supply_cleared for z in zones), 3),
                "DemandSubmitted": round(sum(z.demand_submitted for z in zones), 3),
                "DemandCleared": round(sum(z.demand_cleared for z in zones), 3),
                "NetCapacityCleared": round(sum(z.net for z in zones), 3),
            },
            "ISOAuctionParticipation": {
                "ISOSupplySubmitted": 0,
                "ISODemandSubmitted": 0,
                "ISOSupplyCleared": 0,
                "ISODemandCleared": 0,
            },
        }
    }


def _auctions(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> list[capacity.Auction]:
    kind = "MRA" if template.resource in ("fcmmra", "hbfcmmra") else "ARA"
    if "current" in template.segments:
        newest = capacity.newest(registry, kind, now)
        return [newest] if newest is not None else []
    if "month" in params:
        month = parse_month(params["month"])
        year = _period(params) if "cp" in params else (month.year if month.month >= 6 else month.year - 1)
        if "cp" in params and month not in capacity.months_of(year):
            return []
        return [a for a in capacity.monthly(registry, year, now) if a.month == month]
    year = _period(params)
    found = capacity.monthly(registry, year, now) if kind == "MRA" else capacity.annual(registry, year, now)
    if "ara" in params:
        wanted = unquote(params["ara"]).upper()
        if wanted not in ("ARA1", "ARA2", "ARA3"):
            raise BadRequest(f"ara must be ARA1, ARA2 or ARA3, not {params['ara']!r}")
        found = [a for a in found if a.kind == wanted]
    return found


def results(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """`current`: the newest approved auction; `cp/{cp}`: the period's approved auctions;
    `cp/{cp}/month/{month}` and `cp/{cp}/ara/{ara}`: one auction, once approved."""
    return Answer([_result(a) for a in _auctions(registry, template, params, now)])


def _bids_published(a: capacity.Auction, now: datetime) -> bool:
    return now >= a.approved + capacity.BIDS_PUBLISHED


def masked_bids(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """The auctions' bids, masked, 90 days after approval ([I]): five segments at most, zones masked
    by their order in the period."""
    later = now - capacity.BIDS_PUBLISHED
    auctions = [a for a in _auctions(registry, template, params, later) if _bids_published(a, now)]
    items: list[Item] = []
    for a in auctions:
        masks = {zone: n + 1 for n, (zone, *_rest) in enumerate(a.period.zones)}
        for bid in a.bids:
            item: Item = (
                {"Cp": a.period.label} if a.kind != "MRA" else {"BeginDate": publication.day_start(a.month)}
            )  # type: ignore[arg-type]
            item.update(
                {
                    "AucType": a.kind,
                    "MaskResID": bid.resource,
                    "MaskLPID": bid.participant,
                    "MaskCZID": masks[bid.zone],
                    "ResType": bid.resource_type,
                    "MaskIntfcID": 900 + bid.interface % 100 if bid.interface else None,
                    "BidType": bid.side,
                }
            )
            for n, (mw, price) in enumerate(bid.segments, 1):
                item[f"Seg{n}Mw"] = mw
                item[f"Seg{n}Price"] = price
            items.append(item)
    return Answer(items)


def _info(kind: str, lag: bool) -> Feed:
    def info_of(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
        newest = capacity.newest(registry, kind, now - capacity.BIDS_PUBLISHED if lag else now)
        if newest is None:
            return Answer([])
        created = newest.approved + (capacity.BIDS_PUBLISHED if lag else timedelta(0))
        latest = publication.day_start(newest.month) if newest.month is not None else newest.period.begin
        return Answer([{"LatestBeginDate": latest, "CreationDate": created}], single=True)

    return info_of


FEEDS: dict[str, tuple[Feed, Feed]] = {
    "fcmmra": (results, _info("MRA", False)),
    "fcmara": (results, _info("ARA", False)),
    "hbfcmmra": (masked_bids, _info("MRA", True)),
    "hbfcmara": (masked_bids, _info("ARA", True)),
}


# --- financial transmission rights and the forward reserve market ------------------------------------

FTR_PUBLISHED_AFTER = 90  # days after the auction's period begins ([I])


def _ref_of(loc: object) -> Ref:
    return Ref(loc.name, (("LocId", str(loc.loc_id)), ("LocType", loc.location_type)))  # type: ignore[attr-defined]


def _ftr_item(bid: ftr.FtrBid) -> Item:
    return {
        "BeginDate": publication.day_start(bid.period),
        "SourceLocation": _ref_of(bid.source),
        "SourceLocationType": bid.source.location_type,
        "SinkLocation": _ref_of(bid.sink),
        "SinkLocationType": bid.sink.location_type,
        "BuySell": "BUY" if bid.buy else "SELL",
        "ClassType": bid.peak_class,
        "BidMW": bid.mw,
        "BidPrice": bid.price,
        "BidStatus": "CLEARED" if bid.cleared else "NOT CLEARED",
        "AuctionName": bid.auction,
        "MaskedCustomerId": bid.customer,
    }


def _ftr_ready(first: date, now: datetime) -> bool:
    return now >= publication.day_start(first + timedelta(days=FTR_PUBLISHED_AFTER))


def _newest_ftr(now: datetime, annual: bool) -> date | None:
    today = publication.local_day(now) - timedelta(days=FTR_PUBLISHED_AFTER)
    first = date(today.year, 1, 1) if annual else today.replace(day=1)
    return first if _ftr_ready(first, now) else None


def ftr_bids(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    """`current`: the newest auction published; `month/{month}` or `year/{year}`: that auction's bids,
    90 days after its period begins ([I])."""
    annual = template.resource == "hbannualftrauction"
    if "current" in template.segments:
        first = _newest_ftr(now, annual)
    elif "year" in params:
        year = bounded.integer(params["year"], 1990, 2099) if len(params["year"]) == 4 else None
        if year is None:
            raise BadRequest(f"year must be YYYY, not {params['year']!r}")
        first = date(year, 1, 1)
    else:
        first = parse_month(params["month"])
    if first is None or not _ftr_ready(first, now):
        return Answer([])
    return Answer([_ftr_item(b) for b in ftr.bids(registry, first, annual)])


def _ftr_info(annual: bool) -> Feed:
    def info_of(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
        first = _newest_ftr(now, annual)
        if first is None:
            return Answer([])
        created = publication.day_start(first + timedelta(days=FTR_PUBLISHED_AFTER))
        return Answer(
            [{"LatestBeginDate": publication.day_start(first), "CreationDate": created}], single=True
        )

    return info_of


def forward_reserve_offers(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """`season/{month}`: the offers of the forward reserve auction for the season beginning that
    month (June: summer, October: winter), once the season has ended ([I])."""
    month = parse_month(params["month"])
    season = legacy.season_of(month)
    if season is None:
        raise BadRequest(f"a season begins in June or October, not {params['month']!r}")
    ends = date(season.year + (season.month == 10), 10 if season.month == 6 else 6, 1)
    if now < publication.day_start(ends):
        return Answer([])
    items: list[Item] = []
    for offer in legacy.forward_reserve_offers(registry, season):
        zone = registry.location(offer.zone)
        items.append(
            {
                "BeginDate": publication.day_start(season),
                "MaskedCustomerId": offer.customer,
                "ReserveZone": Ref(
                    zone.name if zone is not None else str(offer.zone), (("LocId", str(offer.zone)),)
                ),
                "ProductType": offer.product,
                "Segments": offers.segments_of(offer.segments),
            }
        )
    return Answer(items)


def _forward_reserve_info(
    registry: Registry, template: Template, params: dict[str, str], now: datetime
) -> Answer:
    """The newest season whose offers are published (its end has passed; none after the market)."""
    year = min(publication.local_day(now).year, legacy.FORWARD_RESERVE_UNTIL.year)
    seasons = [
        (date(y, m, 1), date(y + (m == 10), 10 if m == 6 else 6, 1))
        for y in range(year, 1990, -1)
        for m in (10, 6)
    ]
    for season, ends in seasons:
        if season < legacy.FORWARD_RESERVE_UNTIL and publication.day_start(ends) <= now:
            latest = publication.day_start(season)
            return Answer(
                [{"LatestBeginDate": latest, "CreationDate": publication.day_start(ends)}], single=True
            )
    return Answer([])


FEEDS.update(
    {
        "hbannualftrauction": (ftr_bids, _ftr_info(True)),
        "hbmonthlyftrauction": (ftr_bids, _ftr_info(False)),
        "hbforwardreserveauctionoffer": (forward_reserve_offers, _forward_reserve_info),
    }
)


def feed_for(template: Template) -> Feed | None:
    found = FEEDS.get(template.resource)
    if found is None:
        return None
    data, info_of = found
    return info_of if template.segments[-1] == "info" else data
