"""FTR auction bids and forward reserve auction offers, checked through HTTP: a bid to buy a path
clears when it bids at least the path's congestion value and a bid to sell when it asks at most
that (the value recomputed here from the day-ahead LMPs' congestion components); bids are published
90 days after the period begins; forward reserve offers ran until the market ended in June 2025."""

from __future__ import annotations

from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, get, json_of, rows, xml_of

HOURS = {"ONPEAK": 336, "OFFPEAK": 408}  # the class hours isosim prices a monthly right over


def _congestion(client: TestClient) -> dict[str, float]:
    """Each location's mean day-ahead congestion component over August 2021, per MWh."""
    total: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for day in range(1, 32):
        for lmp in rows(
            json_of(client, f"/hourlylmp/da/final/day/202108{day:02d}"), "HourlyLmps", "HourlyLmp"
        ):
            total[lmp["Location"]["@LocId"]] += lmp["CongestionComponent"]
            count[lmp["Location"]["@LocId"]] += 1
    return {loc: total[loc] / count[loc] for loc in total}


def test_a_bid_clears_against_its_paths_congestion_value(feeds: TestClient) -> None:
    at(feeds, "2021-12-01T12:00:00Z")
    bids = rows(json_of(feeds, "/hbmonthlyftrauction/month/202108"), "HbFTRAuctions", "HbFTRAuction")
    congestion = _congestion(feeds)
    decided = 0
    for bid in bids:
        assert bid["SourceLocation"]["@LocType"] == bid["SourceLocationType"]
        value = (
            congestion[bid["SinkLocation"]["@LocId"]] - congestion[bid["SourceLocation"]["@LocId"]]
        ) * HOURS[bid["ClassType"]]
        if abs(bid["BidPrice"] - value) < 3:  # within the components' rounding: either way
            continue
        decided += 1
        wanted = bid["BidPrice"] > value if bid["BuySell"] == "BUY" else bid["BidPrice"] < value
        assert bid["BidStatus"] == ("CLEARED" if wanted else "NOT CLEARED"), bid
    assert decided > len(bids) / 2
    xml_of(feeds, "/hbmonthlyftrauction/month/202108")


def test_bids_are_published_ninety_days_after_the_period_begins(feeds: TestClient) -> None:
    at(feeds, "2021-11-29T04:59:59Z")  # 23:59:59 EST, 89 days after 1 September
    assert rows(json_of(feeds, "/hbmonthlyftrauction/month/202109"), "HbFTRAuctions", "HbFTRAuction") == []
    assert {
        b["BeginDate"]
        for b in rows(json_of(feeds, "/hbmonthlyftrauction/current"), "HbFTRAuctions", "HbFTRAuction")
    } == {"2021-08-01T00:00:00.000-04:00"}
    at(feeds, "2021-11-30T05:00:00Z")
    assert rows(json_of(feeds, "/hbmonthlyftrauction/month/202109"), "HbFTRAuctions", "HbFTRAuction")
    annual = rows(json_of(feeds, "/hbannualftrauction/year/2021"), "HbFTRAuctions", "HbFTRAuction")
    assert annual and {b["BeginDate"] for b in annual} == {"2021-01-01T00:00:00.000-05:00"}
    assert get(feeds, "/hbannualftrauction/year/21").status_code == 400


def test_forward_reserve_offers_until_the_market_ended(feeds: TestClient) -> None:
    at(feeds, "2025-12-01T12:00:00Z")
    summer = rows(
        json_of(feeds, "/hbforwardreserveauctionoffer/season/202406"),
        "HbForwardReserveAuctionOffers",
        "HbForwardReserveAuctionOffer",
    )
    assert summer and {o["ProductType"] for o in summer} == {"TMNSR", "TMOR"}
    assert {o["ReserveZone"]["@LocId"] for o in summer} == {"7000", "7001", "7002", "7003"}
    for offer in summer:
        segments = offer["Segments"]["Segment"]
        segments = segments if isinstance(segments, list) else [segments]
        prices = [s["Price"] for s in segments]
        assert prices == sorted(prices)
    after = json_of(feeds, "/hbforwardreserveauctionoffer/season/202506")
    assert after == {"HbForwardReserveAuctionOffers": ""}
    info = json_of(feeds, "/hbforwardreserveauctionoffer/info")["ServiceInfo"]
    assert info["LatestBeginDate"] == "2024-10-01T00:00:00.000-04:00"
    xml_of(feeds, "/hbforwardreserveauctionoffer/season/202406")


@pytest.mark.parametrize("month", ["202407", "2024", "202413"])
def test_a_season_begins_in_june_or_october(feeds: TestClient, month: str) -> None:
    assert get(feeds, f"/hbforwardreserveauctionoffer/season/{month}").status_code == 400
