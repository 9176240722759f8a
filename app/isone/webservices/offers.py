"""ISO-NE's historical (hb*) offer and bid data: the masked supply offers, asset-related demand bids,
DRR offers, demand bids, regulation offers, import offers and export bids, and day-ahead ancillary
service offers of every operating day, published on the first day of the fourth month after the
operating month (as gridstatus documents ISO-NE's practice). Items in the catalogue's field order,
read from the ISO-NE market's fleet and bids (app/isone/market/fleet.py, bids.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from urllib.parse import unquote

from isosim.isone.eastern import hour_ending
from isosim.isone.market import bids, fleet, publication
from isosim.isone.market.publication import local_day
from isosim.isone.market.registry import Registry
from isosim.isone.webservices.catalogue import Template
from isosim.isone.webservices.codec import Item
from isosim.isone.webservices.feeds import Answer, BadRequest, Feed, parse_day

PUBLISHED_AT = timedelta(hours=6)  # on the publication day, local ([I])


def published(day: date) -> datetime:
    """The first day of the fourth month after the operating month, 06:00 local."""
    month = day.month + 4
    first = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return publication.day_start(first) + PUBLISHED_AT


def newest_day(now: datetime) -> date | None:
    """The last operating day whose data is published at `now`."""
    today = local_day(now)
    first = today.replace(day=1)
    if now < publication.day_start(first) + PUBLISHED_AT:
        first = (first - timedelta(days=1)).replace(day=1)
    month = first.month - 3  # the month published on `first` is three months before it, ended
    last_of = date(first.year + (month - 1) // 12, (month - 1) % 12 + 1, 1) - timedelta(days=1)
    return last_of if last_of.year >= 1990 else None


def segments_of(curve: Iterable[tuple[float | None, float]]) -> Item:
    return {"Segment": [{"@Number": n, "Price": price, "Mw": mw} for n, (price, mw) in enumerate(curve, 1)]}


def _energy_offer(o: fleet.Offer) -> Item:
    g = o.generator
    return {
        "BeginDate": o.begin,
        "MaskedParticipantId": g.participant,
        "MaskedAssetId": g.asset,
        "MustTakeEnergy": round(o.eco_max) if g.must_take else 0,
        "MaxDailyEnergy": None,
        "EconomicMax": o.eco_max,
        "EconomicMin": o.eco_min,
        "ColdStartPrice": o.cold_start,
        "IntermediateStartPrice": o.intermediate_start,
        "HotStartPrice": o.hot_start,
        "NoLoadPrice": o.no_load,
        "Segments": segments_of(o.segments),
        "Claim10Mw": o.claim10,
        "Claim30Mw": o.claim30,
        "UnitStatus": o.status,
    }


def _ard_bid(b: fleet.Bid) -> Item:
    return {
        "BeginDate": b.begin,
        "MaskedParticipantId": b.participant,
        "MaskedAssetId": b.asset,
        "Claim10Mw": b.claim10,
        "Claim30Mw": b.claim30,
        "MinimumConsumption": b.minimum,
        "MaximumConsumption": b.maximum,
        "Segments": segments_of(b.segments),
        "UnitStatus": b.status,
    }


def _drr_offer(b: fleet.Bid) -> Item:
    return {
        "Day": b.begin,  # the hour's beginning, as ISO-NE's answers carry it
        "HourEnd": hour_ending(b.begin),
        "MaskedParticipantId": b.participant,
        "MaskedAssetId": b.asset,
        "MaxDailyEnergy": b.max_daily_energy,
        "MinimumReduction": b.minimum,
        "MaximumReduction": b.maximum,
        "InterruptionCost": b.interruption_cost,
        "Segments": segments_of(b.segments),
        "Claim10Mw": b.claim10,
        "Claim30Mw": b.claim30,
        "UnitStatus": b.status,
    }


def _regulation_offer(r: fleet.RegulationOffer) -> Item:
    return {
        "BeginDate": r.begin,
        "MaskedParticipantId": r.generator.participant,
        "MaskedAssetId": r.generator.asset,
        "RegulationCapability": r.capability,
        "SelfScheduledRegulation": 0,
        "RegulationLowLimit": r.low,
        "RegulationHighLimit": r.high,
        "RegulationStatus": "AVAILABLE" if r.available else "UNAVAILABLE",
        "AutomaticResponseRate": r.response_rate,
        "RegulationServiceOfferPrice": r.service_price,
        "RegulationCapacityOfferPrice": r.capacity_price,
        "IntertemporalOpportunityCost": 0,
    }


def _demand_bid(b: bids.DemandBid) -> Item:
    return {
        "BeginDate": b.begin,
        "MaskedParticipantId": b.participant,
        "MaskedLocationId": b.location,
        "LocationType": b.location_type,
        "BidType": b.bid_type,
        "BidId": b.bid_id,
        "Segments": segments_of(b.segments),
    }


def _transaction(t: bids.Transaction) -> Item:
    return {
        "BeginDate": t.begin,
        "MarketType": t.market,
        "MaskedCustomerId": t.customer,
        "MaskedSourceId": t.source,
        "MaskedSinkId": t.sink,
        "EmergencyFlag": "Y" if t.emergency else "N",
        "Direction": t.direction,
        "TransactionType": t.kind,
        "Price": t.price,
        "Mw": t.mw,
    }


def _daas_offer(o: fleet.DaasOffer) -> Item:
    return {
        "market_hour": {"local_day": o.begin},
        "masked_lead_participant_id": o.participant,
        "masked_asset_id": o.asset,
        "offer_mw": o.mw,
        "tmsr_offer_price": o.tmsr,
        "tmnsr_offer_price": o.tmnsr,
        "tmor_offer_price": o.tmor,
        "eir_offer_price": o.eir,
    }


def _daas(kind: str) -> Callable[[Registry, date], list[Item]]:
    return lambda registry, day: [_daas_offer(o) for o in fleet.daas_offers(registry, day)[kind]]


# resource: the day's items
DAILY: dict[str, Callable[[Registry, date], list[Item]]] = {
    "hbdayaheadenergyoffer": lambda r, d: [_energy_offer(o) for o in fleet.day_ahead_offers(r, d)],
    "hbrealtimeenergyoffer": lambda r, d: [_energy_offer(o) for o in fleet.real_time_offers(r, d)],
    "hbdayaheadardbid": lambda r, d: [_ard_bid(b) for b in fleet.ard_bids(r, d)],
    "hbrealtimeardbid": lambda r, d: [_ard_bid(b) for b in fleet.ard_bids(r, d)],
    "hbdayaheaddrrbid": lambda r, d: [_drr_offer(b) for b in fleet.drr_offers(r, d)],
    "hbrealtimedrrbid": lambda r, d: [_drr_offer(b) for b in fleet.drr_offers(r, d)],
    "hbregulationoffer": lambda r, d: [_regulation_offer(o) for o in fleet.regulation_offers(r, d)],
    "hbdayaheaddemandbid": lambda r, d: [_demand_bid(b) for b in bids.demand_bids(r, d)],
    "hbimportexport": lambda r, d: [_transaction(t) for t in bids.transactions(r, d)],
    "hbdaasenergyoffer": _daas("gen"),
    "hbdaasardoffer": _daas("ard"),
    "hbdaasdrroffer": _daas("drr"),
}


# The energy offer feeds show participants' own offers (eMarket) in place of the model's: the caller
# passes how to read them, (day, market) -> offers by (masked asset, hour).
RECEIVED = {"hbdayaheadenergyoffer": "DA", "hbrealtimeenergyoffer": "RT"}
Received = Callable[[date, str], dict[tuple[int, datetime], fleet.Offer]]


def _items(registry: Registry, resource: str, day: date, received: Received | None) -> list[Item]:
    if resource in RECEIVED and received is not None:
        market = RECEIVED[resource]
        model = (
            fleet.day_ahead_offers(registry, day) if market == "DA" else fleet.real_time_offers(registry, day)
        )
        own = received(day, market)
        return [_energy_offer(own.get((o.generator.asset, o.begin), o)) for o in model]
    return DAILY[resource](registry, day)


def historical(
    registry: Registry,
    template: Template,
    params: dict[str, str],
    now: datetime,
    received: Received | None = None,
) -> Answer:
    """`current`: the newest published day; `day/{day}`: the day once published (an empty answer
    before); filters by bid type, location type and market type where the path has them."""
    resource = template.resource
    if "current" in template.segments:
        day = newest_day(now)
        days = [day] if day is not None else []
    else:
        wanted = parse_day(params["day"])
        days = [wanted] if now >= published(wanted) else []
    items = [item for day in days for item in _items(registry, resource, day, received)]
    if "marketType" in params:
        market = unquote(params["marketType"]).upper()
        if market not in ("DA", "RT"):
            raise BadRequest(f"market type must be DA or RT, not {params['marketType']!r}")
        items = [i for i in items if i["MarketType"] == market]
    if "bidType" in params:
        items = [i for i in items if i["BidType"] == unquote(params["bidType"]).upper()]
    if "locationType" in params:
        items = [i for i in items if i["LocationType"] == unquote(params["locationType"]).upper()]
    return Answer(items)


def historical_info(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    day = newest_day(now)
    if day is None:
        return Answer([])
    last_hour = publication.intervals_of(day, publication.HOUR)[-1]
    return Answer([{"LatestBeginDate": last_hour, "CreationDate": published(day)}], single=True)


def feed_for(template: Template) -> Feed | None:
    if template.resource not in DAILY:
        return None
    return historical_info if template.segments[-1] == "info" else historical
