"""Accepted offers appear in ISO-NE's public masked offer data (hbdayaheadenergyoffer,
hbrealtimeenergyoffer, and ISO Express's CSV of the same), under the unit's masked asset id, on the
first day of the fourth month after the operating month, as ISO-NE publishes them."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient

from tests.conftest import basic
from tests.isone.emarket.conftest import PRODUCTION, assets, clock, hour, offers, submit, units_document

XYZ_PRODUCTION = basic("xyz-emkt", "xyz-emkt-production")
FEEDS = "/env/isone-production/api/v1.1"
ANALYST = basic("analyst@example.com", "isoexpress-sandbox")
DAY, STAMP = "2026-06-17", "20260617"
CC = "XYZ RIVERBEND CC"
SEGMENTS = [(18.25, 250.0), (27.5, 400.0), (39.75, 534.0)]
RE_OFFER = [(55.0, 534.0)]
HOURS = [f"{DAY}T{h:02d}:00:00-04:00" for h in range(24)]
TWO_PM = f"{DAY}T14:00:00-04:00"


def _offer_and_reoffer(client: TestClient) -> None:
    clock(client, "2026-06-16T13:00:00Z")
    body = offers(
        {CC: [hour(t, SEGMENTS, coldStartPrice=9000, noLoadPrice=1500, claim30=40) for t in HOURS]}, day=DAY
    )
    assert submit(client, "supplyoffer", body, XYZ_PRODUCTION, PRODUCTION).status == "ACCEPTED"
    detail = units_document(
        "ScheduleDetails",
        "ScheduleDetail",
        {CC: [hour(t, status="ECONOMIC", ecoMin=250, ecoMax=534) for t in HOURS]},
        day=DAY,
        market=None,
    )
    assert submit(client, "scheduledetail", detail, XYZ_PRODUCTION, PRODUCTION).status == "ACCEPTED"
    clock(client, "2026-06-16T23:00:00Z")
    reoffer = offers({CC: [hour(TWO_PM, RE_OFFER)]}, day=DAY, market="RT")
    assert submit(client, "supplyoffer", reoffer, XYZ_PRODUCTION, PRODUCTION).status == "ACCEPTED"


def _published(client: TestClient, resource: str, root: str, item: str) -> dict[str, dict]:
    answer = client.get(f"{FEEDS}/{resource}/day/{STAMP}.json", headers=ANALYST)
    assert answer.status_code == 200
    body = json.loads(answer.content)[root]
    rows = body[item] if body else []
    masked = int(assets("isone-production")[CC]["masked_asset_id"])
    return {r["BeginDate"]: r for r in rows if r["MaskedAssetId"] == masked}


def _segments(row: dict) -> list[tuple[float, float]]:
    found = row["Segments"]["Segment"]
    found = found if isinstance(found, list) else [found]
    return [(s["Price"], s["Mw"]) for s in sorted(found, key=lambda s: s["@Number"])]


def test_day_ahead_offers_are_published_masked_four_months_later(client: TestClient) -> None:
    _offer_and_reoffer(client)
    clock(client, "2026-10-01T09:59:00Z")  # 05:59 EDT on 1 October
    assert (
        _published(client, "hbdayaheadenergyoffer", "HbDayAheadEnergyOffers", "HbDayAheadEnergyOffer") == {}
    )
    clock(client, "2026-10-01T10:00:00Z")
    found = _published(client, "hbdayaheadenergyoffer", "HbDayAheadEnergyOffers", "HbDayAheadEnergyOffer")
    assert len(found) == 24
    for row in found.values():
        assert _segments(row) == SEGMENTS
        assert (row["EconomicMin"], row["EconomicMax"], row["UnitStatus"]) == (250, 534, "ECONOMIC")
        assert (row["ColdStartPrice"], row["NoLoadPrice"], row["Claim30Mw"]) == (9000, 1500, 40)


def test_real_time_offers_carry_the_re_offer(client: TestClient) -> None:
    _offer_and_reoffer(client)
    clock(client, "2026-10-02T12:00:00Z")
    found = _published(client, "hbrealtimeenergyoffer", "HbRealTimeEnergyOffers", "HbRealTimeEnergyOffer")
    changed = {begin for begin, row in found.items() if _segments(row) == RE_OFFER}
    assert changed == {"2026-06-17T14:00:00.000-04:00"}
    assert sum(1 for row in found.values() if _segments(row) == SEGMENTS) == 23


def test_iso_express_publishes_the_same_offers(client: TestClient) -> None:
    _offer_and_reoffer(client)
    clock(client, "2026-10-02T12:00:00Z")
    answer = client.get(
        f"/env/isone-production/static-transform/csv/histRpts/da-energy-offer/hbdayaheadenergyoffer_{STAMP}.csv"
    )
    assert answer.status_code == 200
    masked = assets("isone-production")[CC]["masked_asset_id"]
    records = [r for r in csv.reader(io.StringIO(answer.text)) if r and r[0] == "D" and r[4] == masked]
    assert len(records) == 24
    for record in records:
        assert [(float(record[13 + 2 * n]), float(record[14 + 2 * n])) for n in range(3)] == SEGMENTS
        assert record[19] == ""  # segment 4 is empty


def test_units_nobody_offered_publish_the_market_s_own_offers(client: TestClient) -> None:
    clock(client, "2026-10-02T12:00:00Z")
    before = client.get(f"{FEEDS}/hbdayaheadenergyoffer/day/{STAMP}.json", headers=ANALYST).content
    _offer_and_reoffer(client)  # moves the clock back to June, then to the evening before
    clock(client, "2026-10-02T12:00:00Z")
    after = json.loads(client.get(f"{FEEDS}/hbdayaheadenergyoffer/day/{STAMP}.json", headers=ANALYST).content)
    rows = after["HbDayAheadEnergyOffers"]["HbDayAheadEnergyOffer"]
    old = json.loads(before)["HbDayAheadEnergyOffers"]["HbDayAheadEnergyOffer"]
    masked = int(assets("isone-production")[CC]["masked_asset_id"])
    assert [r for r in rows if r["MaskedAssetId"] != masked] == [
        r for r in old if r["MaskedAssetId"] != masked
    ]
