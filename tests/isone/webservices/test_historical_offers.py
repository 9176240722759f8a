"""Historical (hb*) offer and bid data, checked through HTTP: published masked on the first day of the
fourth month after the operating month; supply offers keep eMarket's rules (at most ten segments,
prices non-decreasing with MW and never under the -$150/MWh floor, economic minimum <= maximum, seed
003); the offered capacity covers the load; demand bids add up to the day-ahead demand and import
offers and export bids to the interchange schedules; ancillary service offers from March 2025."""

from __future__ import annotations

from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, get, json_of, rows, xml_of

FLOOR = -150.0


def _segments(item: dict) -> list[dict]:
    found = item["Segments"]["Segment"]
    return found if isinstance(found, list) else [found]


def _offers(client: TestClient, path: str) -> list[dict]:
    root = "HbDayAheadEnergyOffers" if "dayahead" in path else "HbRealTimeEnergyOffers"
    return rows(json_of(client, path), root, root[:-1])


def test_a_day_is_published_on_the_first_day_of_the_fourth_month_after(feeds: TestClient) -> None:
    at(feeds, "2021-12-01T10:59:59Z")  # 05:59:59 EST
    assert _offers(feeds, "/hbdayaheadenergyoffer/day/20210816") == []
    assert json_of(feeds, "/hbdayaheadenergyoffer/info")["ServiceInfo"]["LatestBeginDate"].startswith(
        "2021-07-31T23"
    )
    at(feeds, "2021-12-01T11:00:00Z")
    assert _offers(feeds, "/hbdayaheadenergyoffer/day/20210816")
    assert _offers(feeds, "/hbdayaheadenergyoffer/day/20210901") == []
    info = json_of(feeds, "/hbdayaheadenergyoffer/info")["ServiceInfo"]
    assert info == {
        "LatestBeginDate": "2021-08-31T23:00:00.000-04:00",
        "CreationDate": "2021-12-01T06:00:00.000-05:00",
    }
    current = _offers(feeds, "/hbdayaheadenergyoffer/current")
    assert {o["BeginDate"][:10] for o in current} == {"2021-08-31"}


def test_supply_offers_keep_emarkets_rules(feeds: TestClient) -> None:
    at(feeds, "2022-01-01T12:00:00Z")
    offers = _offers(feeds, "/hbdayaheadenergyoffer/day/20210816")
    seen = set()
    for offer in offers:
        key = (offer["BeginDate"], offer["MaskedParticipantId"], offer["MaskedAssetId"])
        assert key not in seen
        seen.add(key)
        segments = _segments(offer)
        assert 1 <= len(segments) <= 10
        assert [int(s["@Number"]) for s in segments] == list(range(1, len(segments) + 1))
        prices = [s["Price"] for s in segments]
        assert all(p >= FLOOR for p in prices) and prices == sorted(prices)
        mws = [s["Mw"] for s in segments]
        assert mws == sorted(mws) and mws[-1] == offer["EconomicMax"]
        assert 0 <= offer["EconomicMin"] <= offer["EconomicMax"]
        assert offer["UnitStatus"] in ("MUST_RUN", "ECONOMIC", "UNAVAILABLE")
        assert offer["ColdStartPrice"] >= offer["IntermediateStartPrice"] >= offer["HotStartPrice"] >= 0
    assert len({o["BeginDate"] for o in offers}) == 24
    xml_of(feeds, "/hbdayaheadenergyoffer/day/20210816")


def test_the_offered_capacity_covers_the_load(feeds: TestClient) -> None:
    at(feeds, "2022-01-01T12:00:00Z")
    offered: dict[str, float] = defaultdict(float)
    for offer in _offers(feeds, "/hbdayaheadenergyoffer/day/20210812"):
        if offer["UnitStatus"] != "UNAVAILABLE":
            offered[offer["BeginDate"]] += offer["EconomicMax"]
    imports: dict[str, float] = defaultdict(float)
    for flow in rows(
        json_of(feeds, "/actualinterchange/day/20210812"), "ActualInterchanges", "ActualInterchange"
    ):
        imports[flow["BeginDate"]] += flow["ActInterchange"]
    load = rows(json_of(feeds, "/hourlysysload/day/20210812"), "HourlySystemLoads", "HourlySystemLoad")
    for hour in load:
        assert offered[hour["BeginDate"]] + imports[hour["BeginDate"]] > 1.2 * hour["Load"]


def test_real_time_offers_are_the_day_ahead_offers_re_offered_in_price_only(feeds: TestClient) -> None:
    at(feeds, "2022-01-01T12:00:00Z")
    day_ahead = _offers(feeds, "/hbdayaheadenergyoffer/day/20210816")
    real_time = _offers(feeds, "/hbrealtimeenergyoffer/day/20210816")
    assert len(day_ahead) == len(real_time)
    changed = 0
    for da, rt in zip(day_ahead, real_time, strict=True):
        assert (da["BeginDate"], da["MaskedAssetId"], da["EconomicMax"]) == (
            rt["BeginDate"],
            rt["MaskedAssetId"],
            rt["EconomicMax"],
        )
        assert [s["Mw"] for s in _segments(da)] == [s["Mw"] for s in _segments(rt)]
        changed += da["Segments"] != rt["Segments"]
    assert 0 < changed < len(day_ahead) / 5


def test_demand_bids_add_up_to_the_day_ahead_demand(feeds: TestClient) -> None:
    at(feeds, "2022-01-01T12:00:00Z")
    bids = rows(
        json_of(feeds, "/hbdayaheaddemandbid/day/20210816"), "HbDayAheadDemandBids", "HbDayAheadDemandBid"
    )
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for bid in bids:
        segments = _segments(bid)
        if bid["BidType"] == "FIXED":
            assert "Price" not in segments[0]
        else:
            prices = [s["Price"] for s in segments]
            assert prices == sorted(prices, reverse=True)  # a demand curve falls
        totals[bid["BeginDate"]][bid["BidType"]] += segments[-1]["Mw"]
    demand = rows(
        json_of(feeds, "/dayaheadhourlydemand/day/20210816/location/4000"),
        "HourlyDaDemands",
        "HourlyDaDemand",
    )
    assert len(demand) == 24
    for hour in demand:
        mine = totals[hour["BeginDate"]]
        assert abs(mine["FIXED"] + mine["PRICE"] - hour["Load"]) < 1.0
        assert abs(mine["FIXED"] - 0.9 * hour["Load"]) < 1.0
    fixed = rows(
        json_of(feeds, "/hbdayaheaddemandbid/day/20210816/bidType/FIXED"),
        "HbDayAheadDemandBids",
        "HbDayAheadDemandBid",
    )
    assert fixed == [b for b in bids if b["BidType"] == "FIXED"]
    nodes = rows(
        json_of(feeds, "/hbdayaheaddemandbid/day/20210816/locationType/NETWORK%20NODE"),
        "HbDayAheadDemandBids",
        "HbDayAheadDemandBid",
    )
    assert nodes and {b["BidType"] for b in nodes} == {"DEC"}


def test_import_offers_and_export_bids_add_up_to_the_schedules(feeds: TestClient) -> None:
    at(feeds, "2022-01-01T12:00:00Z")
    found = rows(
        json_of(feeds, "/hbimportexport/marketType/DA/day/20210816"), "HbImportExports", "HbImportExport"
    )
    assert {t["MarketType"] for t in found} == {"DA"}
    imports: dict[str, float] = defaultdict(float)
    exports: dict[str, float] = defaultdict(float)
    for t in found:
        assert ("Price" in t) == (t["TransactionType"] != "FIXED")
        (imports if t["Direction"] == "IMPORT" else exports)[t["BeginDate"]] += t["Mw"]
    schedules = rows(
        json_of(feeds, "/actualinterchange/day/20210816"), "ActualInterchanges", "ActualInterchange"
    )
    purchases: dict[str, float] = defaultdict(float)
    sales: dict[str, float] = defaultdict(float)
    for s in schedules:
        purchases[s["BeginDate"]] += s["Purchase"]
        sales[s["BeginDate"]] -= s["Sale"]
    for hour in purchases:
        assert abs(imports[hour] - purchases[hour]) < 0.5 and abs(exports[hour] - sales[hour]) < 0.5
    assert get(feeds, "/hbimportexport/marketType/XX/day/20210816").status_code == 400


def test_asset_related_demand_bids_and_drr_offers(feeds: TestClient) -> None:
    at(feeds, "2022-04-01T12:00:00Z")
    ard = rows(json_of(feeds, "/hbdayaheadardbid/day/20210816"), "HbDayAheadArdBids", "HbDayAheadArdBid")
    for bid in ard:
        prices = [s["Price"] for s in _segments(bid)]
        assert prices == sorted(prices, reverse=True)
        assert bid["MinimumConsumption"] <= bid["MaximumConsumption"] == _segments(bid)[-1]["Mw"]
    drr = rows(json_of(feeds, "/hbdayaheaddrrbid/day/20211107"), "HbDayAheadDrrBids", "HbDayAheadDrrBid")
    hours = sorted({(d["Day"], d["HourEnd"]) for d in drr})
    assert len(hours) == 25 and [h for _, h in hours].count("02X") == 1
    for offer in drr:
        assert offer["UnitStatus"] in ("ECONOMIC", "UNAVAILABLE")
        assert offer["MinimumReduction"] <= offer["MaximumReduction"]
    xml_of(feeds, "/hbdayaheaddrrbid/day/20211107")
    xml_of(feeds, "/hbregulationoffer/day/20210816")


def test_ancillary_service_offers_from_march_2025(feeds: TestClient) -> None:
    at(feeds, "2025-08-01T12:00:00Z")

    def daas(path: str, item: str) -> list[dict]:
        body = json_of(feeds, path)["isone_web_services"]["offer_publishing"]["day_ahead_ancillary_services"]
        if body == "":
            return []
        found = body[item]
        return found if isinstance(found, list) else [found]

    assert daas("/hbdaasenergyoffer/day/20250228", "daas_gen_offer_data") == []
    offers = daas("/hbdaasenergyoffer/day/20250301", "daas_gen_offer_data")
    energy = {
        (o["BeginDate"], o["MaskedAssetId"]): o for o in _offers(feeds, "/hbdayaheadenergyoffer/day/20250301")
    }
    assert offers
    for o in offers:
        offer = energy[(o["market_hour"]["local_day"], o["masked_asset_id"])]
        assert o["offer_mw"] == offer["EconomicMax"] and offer["UnitStatus"] != "UNAVAILABLE"
        assert o["tmsr_offer_price"] >= o["tmnsr_offer_price"] >= o["tmor_offer_price"] > 0
    assert len(daas("/hbdaasardoffer/day/20250301", "daas_ard_offer_data")) == 24 * 4
    xml_of(feeds, "/hbdaasenergyoffer/day/20250301")


@pytest.mark.parametrize("path", ["/hbdayaheadenergyoffer/day/2021-08-16", "/hbregulationoffer/day/20211301"])
def test_a_bad_day_is_400(feeds: TestClient, path: str) -> None:
    assert get(feeds, path).status_code == 400
