"""NCPC, wholesale load cost and the retired load response offers, checked through HTTP: a charge is
its day-ahead and real-time parts and a rate its charge over the load obligation; the zones' load
obligations add up to the system's load; a month's NCPC credits by asset add up to the month's NCPC
charges of every type; a wholesale cost's total is its LMP and components, its LMP the zone's
real-time LMP, and a monthly row the load-weighted mean of the month's hours."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, get, json_of, rows, xml_of

TYPES = ("GPA", "VAR", "HIGHVAR", "EXTLOCECONOMIC", "LSCPR", "ECONOMIC", "RRP", "DLOC")
COMPONENTS = (
    "Capacity",
    "FirstC",
    "SecondC",
    "Regulation",
    "FwdRsv",
    "RtRsv",
    "Inadv",
    "MLRF",
    "ARR",
    "DRRCost",
    "PRD",
    "Sched2",
    "Sched3",
    "NEPOOL",
)


def _ncpc(client: TestClient, path: str) -> list[dict]:
    return rows(json_of(client, path), "NCPCs", "NCPC")


def test_ncpc_charges_rates_and_obligations(feeds: TestClient) -> None:
    at(feeds, "2021-09-15T12:00:00Z")
    charges = _ncpc(feeds, "/ncpc/ECONOMIC/day/20210812")
    assert len(charges) == 8 and {c["NCPCType"] for c in charges} == {"ECONOMIC"}
    for c in charges:
        assert abs(c["NcpcCharge"] - c["DaNcpcCharge"] - c["RtNcpcCharge"]) < 0.011
        assert abs(c["DaNcpcChargeRate"] - c["DaNcpcCharge"] / c["DaNcpcLoadObligation"]) < 1e-5
        assert abs(c["RtNcpcChargeRate"] - c["RtNcpcCharge"] / c["RtNcpcLoadObligation"]) < 1e-5
    load = rows(json_of(feeds, "/hourlysysload/day/20210812"), "HourlySystemLoads", "HourlySystemLoad")
    assert abs(sum(c["RtNcpcLoadObligation"] for c in charges) - sum(h["NativeLoad"] for h in load)) < 1
    xml_of(feeds, "/ncpc/ECONOMIC/day/20210812")


def test_a_months_asset_credits_add_up_to_its_charges(feeds: TestClient) -> None:
    at(feeds, "2021-09-15T12:00:00Z")
    charged = {"da": 0.0, "rt": 0.0}
    for kind in TYPES:
        for c in _ncpc(feeds, f"/ncpc/{kind}/month/202108"):
            charged["da"] += c["DaNcpcCharge"]
            charged["rt"] += c["RtNcpcCharge"]
    credits = rows(json_of(feeds, "/monthlyassetncpc/month/202108"), "NCPCMonthlyAssets", "NCPCMonthlyAsset")
    assert credits and {c["BeginDate"] for c in credits} == {"2021-08-01T00:00:00.000-04:00"}
    assert abs(sum(c["DaNcpcCredit"] for c in credits) - charged["da"]) < 1
    assert abs(sum(c["RtNcpcCredit"] for c in credits) - charged["rt"]) < 1
    xml_of(feeds, "/monthlyassetncpc/month/202108")


def test_settled_data_is_published_later(feeds: TestClient) -> None:
    at(feeds, "2021-08-19T03:59:59Z")  # 23:59:59 EDT on the 18th: the 12th not settled yet
    assert _ncpc(feeds, "/ncpc/ECONOMIC/day/20210812") == []
    at(feeds, "2021-08-19T04:00:00Z")
    assert _ncpc(feeds, "/ncpc/ECONOMIC/day/20210812")
    at(feeds, "2021-09-10T03:59:59Z")
    assert (
        rows(json_of(feeds, "/monthlyassetncpc/month/202108"), "NCPCMonthlyAssets", "NCPCMonthlyAsset") == []
    )
    assert get(feeds, "/ncpc/UNKNOWN/day/20210812").status_code == 400


def test_wholesale_cost_adds_up(feeds: TestClient) -> None:
    at(feeds, "2021-09-15T12:00:00Z")
    hourly = rows(json_of(feeds, "/whlsecost/hourly/month/202108/location/4004"), "WhlseCosts", "WhlseCost")
    assert len(hourly) == 744
    lmps = {
        lmp["BeginDate"]: lmp["LmpTotal"]
        for day in (1, 2)
        for lmp in rows(
            json_of(feeds, f"/hourlylmp/rt/final/day/202108{day:02d}/location/4004"),
            "HourlyLmps",
            "HourlyLmp",
        )
    }
    for row in hourly:
        assert row["Location"]["@LocId"] == "4004"
        assert abs(row["TotalCost"] - row["Lmp"] - sum(row[c] for c in COMPONENTS)) < 0.01
        if row["BeginDate"] in lmps:
            assert row["Lmp"] == lmps[row["BeginDate"]]
    monthly = rows(json_of(feeds, "/whlsecost/monthly/month/202108/location/4004"), "WhlseCosts", "WhlseCost")
    assert [m["OnOff"] for m in monthly] == ["ON", "OFF"]
    for m in monthly:
        part = [h for h in hourly if h["OnOff"] == m["OnOff"]]
        load = sum(h["RTLO"] for h in part)
        assert abs(m["RTLO"] - load) < 0.5
        assert abs(m["Lmp"] - sum(h["Lmp"] * h["RTLO"] for h in part) / load) < 0.001
    xml_of(feeds, "/whlsecost/monthly/month/202108/location/4004")
    assert json_of(feeds, "/whlsecost/monthly/month/202108/location/4000") == {"WhlseCosts": ""}


def test_load_response_offers_until_june_2018(feeds: TestClient) -> None:
    at(feeds, "2018-08-15T12:00:00Z")
    may = rows(
        json_of(feeds, "/hbdayaheadloadresponseoffer/month/201805"),
        "HbDayAheadLoadResponseOffers",
        "HbDayAheadLoadResponseOffer",
    )
    assert may and all(o["CurtailmentPrice"] <= o["OfferPrice"] for o in may)
    assert json_of(feeds, "/hbdayaheadloadresponseoffer/month/201806") == {"HbDayAheadLoadResponseOffers": ""}
