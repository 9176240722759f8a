"""Forward Capacity Market reconfiguration auctions, checked through HTTP: each zone's submitted
supply and demand are the sums of its masked bids, what clears is recomputed here from those bids
and the zone's clearing price, net capacity is cleared supply less cleared demand and the system
results sum the zones; results appear when approved, bids 90 days later; gridstatus reads them."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest
import requests
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, get, json_of, rows, xml_of


def _results(client: TestClient, path: str) -> list[dict]:
    return [r["Auction"] for r in rows(json_of(client, path), "FCMRAResults", "FCMRAResult")]


def _listed(value: dict, key: str) -> list[dict]:
    found = value[key]
    return found if isinstance(found, list) else [found]


def test_results_add_up_from_the_masked_bids(feeds: TestClient) -> None:
    at(feeds, "2021-12-01T12:00:00Z")
    [auction] = _results(feeds, "/fcmmra/cp/2021-22/month/202108")
    assert auction["Description"] == "2021-08" and auction["Type"] == "MRA"
    assert auction["CommitmentPeriod"]["Description"] == "2021-22"
    bids = rows(json_of(feeds, "/hbfcmmra/month/202108"), "Hbfcmmras", "Hbfcmmra")
    zones = _listed(auction["ClearedCapacityZones"], "ClearedCapacityZone")
    submitted: dict[tuple[int, str], float] = defaultdict(float)
    cleared: dict[tuple[int, str], float] = defaultdict(float)
    prices = {n + 1: z["ClearingPrice"] for n, z in enumerate(zones)}  # zones masked by their order
    for bid in bids:
        assert bid["BeginDate"] == "2021-08-01T00:00:00.000-04:00"
        segments = [(bid[f"Seg{n}Mw"], bid[f"Seg{n}Price"]) for n in range(1, 6) if f"Seg{n}Mw" in bid]
        asked = [p for _, p in segments]
        assert asked == (sorted(asked) if bid["BidType"] == "SUPPLY" else sorted(asked, reverse=True))
        key = (bid["MaskCZID"], bid["BidType"])
        for mw, price in segments:
            submitted[key] += mw
            accepted = (
                price <= prices[bid["MaskCZID"]]
                if bid["BidType"] == "SUPPLY"
                else price >= prices[bid["MaskCZID"]]
            )
            cleared[key] += mw if accepted else 0.0
    for n, zone in enumerate(zones, 1):
        assert abs(zone["SupplySubmitted"] - submitted[(n, "SUPPLY")]) < 0.01
        assert abs(zone["DemandSubmitted"] - submitted[(n, "DEMAND")]) < 0.01
        assert abs(zone["SupplyCleared"] - cleared[(n, "SUPPLY")]) < 0.01
        assert abs(zone["DemandCleared"] - cleared[(n, "DEMAND")]) < 0.01
        assert abs(zone["NetCapacityCleared"] - (zone["SupplyCleared"] - zone["DemandCleared"])) < 0.002
    system = auction["SystemResults"]
    for field in (
        "SupplySubmitted",
        "SupplyCleared",
        "DemandSubmitted",
        "DemandCleared",
        "NetCapacityCleared",
    ):
        assert abs(system[field] - sum(z[field] for z in zones)) < 0.01
    xml_of(feeds, "/fcmmra/cp/2021-22/month/202108")
    xml_of(feeds, "/hbfcmmra/month/202108")


def test_annual_auctions_and_their_bids(feeds: TestClient) -> None:
    at(feeds, "2021-12-01T12:00:00Z")
    annual = _results(feeds, "/fcmara/cp/2021-22")
    assert [a["Type"] for a in annual] == ["ARA1", "ARA2", "ARA3"]
    [third] = _results(feeds, "/fcmara/cp/2021-22/ara/ARA3")
    assert third == annual[2]
    bids = rows(json_of(feeds, "/hbfcmara/cp/2021-22/ara/ARA3"), "Hbfcmaras", "Hbfcmara")
    assert {(b["Cp"], b["AucType"]) for b in bids} == {("2021-22", "ARA3")}
    zones = _listed(third["ClearedCapacityZones"], "ClearedCapacityZone")
    supply = sum(
        b[f"Seg{n}Mw"] for b in bids if b["BidType"] == "SUPPLY" for n in range(1, 6) if f"Seg{n}Mw" in b
    )
    assert abs(supply - sum(z["SupplySubmitted"] for z in zones)) < 0.05
    xml_of(feeds, "/fcmara/cp/2021-22")


def test_results_when_approved_and_bids_ninety_days_later(feeds: TestClient) -> None:
    at(feeds, "2021-07-20T19:59:59Z")  # 15:59:59 EDT on the 20th, before approval
    assert _results(feeds, "/fcmmra/cp/2021-22/month/202108") == []
    assert _results(feeds, "/fcmmra/current")[0]["Description"] == "2021-07"
    at(feeds, "2021-07-20T20:00:00Z")
    [august] = _results(feeds, "/fcmmra/cp/2021-22/month/202108")
    assert _results(feeds, "/fcmmra/current") == [august]
    assert rows(json_of(feeds, "/hbfcmmra/month/202108"), "Hbfcmmras", "Hbfcmmra") == []
    at(feeds, "2021-10-18T20:00:00Z")  # 90 days after approval
    assert rows(json_of(feeds, "/hbfcmmra/month/202108"), "Hbfcmmras", "Hbfcmmra")
    info = json_of(feeds, "/fcmmra/info")["ServiceInfo"]
    assert info["CreationDate"] == "2021-09-20T16:00:00.000-04:00"  # the October auction's approval


@pytest.mark.parametrize(
    "path", ["/fcmmra/cp/2021/month/202108", "/fcmara/cp/2021-22/ara/ARA4", "/fcmmra/cp/2021-22/month/202113"]
)
def test_bad_periods_auctions_and_months_are_400(feeds: TestClient, path: str) -> None:
    assert get(feeds, path).status_code == 400


def test_gridstatus_reads_the_reconfiguration_auctions(
    live_servers: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gridstatus.isone_api.isone_api import ISONEAPI

    from tests.isone.conftest import resolve_to_isosim
    from tests.isone.webservices.conftest import ACCOUNT

    assert requests.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": "2021-12-01T12:00:00Z"}).ok
    resolve_to_isosim(monkeypatch, live_servers[0], "webservices.iso-ne.com")
    monkeypatch.setenv("ISONE_API_USERNAME", ACCOUNT[0])
    monkeypatch.setenv("ISONE_API_PASSWORD", ACCOUNT[1])
    api = ISONEAPI(sleep_seconds=0.1, max_retries=0)
    monthly = api.get_fcm_reconfiguration_monthly(pd.Timestamp("2021-08-01", tz="US/Eastern"))
    assert monthly["Interval Start"].min().date() == pd.Timestamp("2021-08-01").date()
    assert set(monthly["Location Type"]) == {"Capacity Zone", "External Interface"}
    annual = api.get_fcm_reconfiguration_annual(pd.Timestamp("2022-01-01", tz="US/Eastern"))
    assert set(annual["ARA"].dropna()) == {1, 2, 3}
    assert len(api.get_fcm_reconfiguration_monthly("latest")) > 0
