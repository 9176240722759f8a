"""The CAISO market through its services, as a scheduling coordinator meets it: bids through SIBR,
outages through OMS, results through CMRI, prices through OASIS, dispatch through ADS, all over
HTTP. The clock is moved the way a market day goes: bids on 2026-11-18 (10:00 Pacific), the
day-ahead market for trading day 2026-11-20 closing on 2026-11-19 at 10:00 and publishing at 13:00.

The oracles are the test's own: the pack's registry read from its CSV files, the market rules
written here (a price-taker supply curve is awarded every segment priced at or below the LMP), and
the prices OASIS publishes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.caiso.b2b.conftest import call, output, records, result_of, returned, sample_request, submission
from tests.caiso.b2b.conftest import transaction_of as transaction_in
from tests.caiso.oasis.conftest import fetch

REGISTRY = Path(__file__).resolve().parents[3] / "fixtures" / "caiso-production" / "market"
BIDDING = datetime(2026, 11, 18, 18, 0, tzinfo=UTC)  # 10:00 Pacific, two days ahead
DAY = ("2026-11-20T08:00:00Z", "2026-11-21T08:00:00Z")  # trading day 2026-11-20, Pacific
CLOSE = datetime(2026, 11, 19, 18, 0, tzinfo=UTC)  # its day-ahead market closes (10:00 Pacific)
PUBLISHED = datetime(2026, 11, 19, 21, 0, tzinfo=UTC)  # and publishes (13:00 Pacific)
AFTER_THE_DAY = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # every real-time interval of it has run
HOURS = [
    (DAY_START := datetime(2026, 11, 20, 8, tzinfo=UTC)) + timedelta(hours=n) for n in range(24)
]  # interval starts, UTC
SUBMIT_BIDS = "SubmitRawBidSet_SIBRv4_AP"
AWARDS = "RetrieveMarketAwards_CMRIv4_AP"
PRICES = "RetrieveSchedulePrices_CMRIv3_AP"


def resources() -> dict[str, dict[str, str]]:
    """The pack's resources, read from its registry file (not through isosim)."""
    with (REGISTRY / "resources.csv").open(newline="") as handle:
        return {row["resource_id"]: row for row in csv.DictReader(handle)}


def iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def wire(text: str) -> datetime:
    """A CAISO time (2026-11-20T08:00:00-00:00 or ...Z) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class Segment:
    mw: float
    price: float


@dataclass
class HourBid:
    start: datetime
    curve: list[Segment] = field(default_factory=list)
    self_mw: float | None = None
    self_type: str = "PT"


def bid_record(
    resource: str,
    hours: list[HourBid],
    market: str = "DAM",
    product: str = "EN",
    coordinator: str = "ALPH",
    minutes: int = 60,
) -> dict[str, Any]:
    """A RawBid record (CIM GeneratingBid, LoadBid or InterTieBid) for the hours given."""
    kind = resources()[resource]["resource_type"]
    registered = {"LOAD": "RegisteredLoad", "ITIE": "RegisteredInterTie", "ETIE": "RegisteredInterTie"}.get(
        kind, "RegisteredGenerator"
    )
    schedules = []
    for hour in hours:
        item: dict[str, Any] = {
            "timeIntervalEnd": [iso(hour.start + timedelta(minutes=minutes))],
            "timeIntervalStart": [iso(hour.start)],
        }
        if hour.self_mw is not None:
            item["selfScheduleMW"] = [f"{hour.self_mw:.2f}"]
            item["selfScheduleType"] = [hour.self_type]
        if hour.curve:
            item["BidPriceCurve"] = [
                {
                    "CurveSchedData": [
                        {"xAxisData": [f"{s.mw:.2f}"], "y1AxisData": [f"{s.price:.2f}"]} for s in hour.curve
                    ]
                }
            ]
        schedules.append(item)
    start = min(h.start for h in hours)
    end = max(h.start for h in hours) + timedelta(minutes=minutes)
    return {
        "marketType": [market],
        "startTime": [iso(start)],
        "stopTime": [iso(end)],
        "MarketParticipant": [{"mRID": [coordinator]}],
        "ProductBid": [{"BidSchedule": schedules, "MarketProduct": [{"marketProductType": [product]}]}],
        registered: [{"mRID": [resource]}],
    }


class Market:
    """One participant's view: a client, the simulated clock and (optionally) its own tenant."""

    def __init__(self, client: TestClient, tenant: str | None = None) -> None:
        self.client, self.tenant = client, tenant
        self.now = BIDDING

    def at(self, instant: datetime) -> Market:
        assert self.client.put("/_isosim/clock", json={"frozen_at": instant.isoformat()}).status_code == 200
        self.now = instant
        return self

    def send(self, name: str, payload: bytes) -> Any:
        return call(self.client, name, payload, created=self.now, tenant=self.tenant)

    def submit(self, name: str, rows: list[dict[str, Any]]) -> str:
        answer = output(self.send(name, submission(name, rows)))
        assert result_of(answer) == "SCSS0001", answer
        return transaction_in(answer)

    def bid(self, *rows: dict[str, Any]) -> str:
        return self.submit(SUBMIT_BIDS, list(rows))

    def retrieve(self, name: str, window: tuple[str, str] = DAY, **fields: Any) -> list[dict[str, Any]]:
        return records(returned(self.send(name, sample_request(name, window, **fields))))

    def awards(
        self,
        resource: str,
        market: str = "DAM",
        execution: str = "IFM",
        product: str = "EN",
        kind: str = "CLEARED",
        window: tuple[str, str] = DAY,
    ) -> dict[datetime, Decimal]:
        """MW per interval start of one award record (CMRI MarketAwards)."""
        found = self.retrieve(
            AWARDS,
            window,
            marketType=market,
            executionType=execution,
            resourceList=[{"resource": [resource]}],
        )
        chosen = [r for r in found if r["product"] == [product] and r["scheduleType"] == [kind]]
        assert len(chosen) == 1, chosen
        return {wire(p["intervalStartTime"][0]): Decimal(p["MW"][0]) for p in chosen[0]["TradeIntervalData"]}

    def oasis_lmp(
        self, node: str, query: str = "PRC_LMP", market: str = "DAM", window: tuple[str, str] = DAY
    ) -> dict[datetime, dict[str, Decimal]]:
        """OASIS's LMP and components per interval start at a node."""
        versions = {"PRC_LMP": "12", "PRC_INTVL_LMP": "3", "PRC_RTPD_LMP": "3"}
        start, end = (wire(t).strftime("%Y%m%dT%H:%M-0000") for t in window)
        answer = fetch(
            self.client,
            queryname=query,
            version=versions[query],
            market_run_id=market,
            node=node,
            startdatetime=start,
            enddatetime=end,
            resultformat="6",
        )
        found: dict[datetime, dict[str, Decimal]] = {}
        value = {"PRC_LMP": "MW", "PRC_INTVL_LMP": "VALUE", "PRC_RTPD_LMP": "PRC"}[query]
        for name in answer.names:
            for row in answer.rows(name):
                found.setdefault(wire(row["INTERVALSTARTTIME_GMT"]), {})[row["LMP_TYPE"]] = Decimal(
                    row[value]
                )
        return found


@pytest.fixture
def market(client: TestClient) -> Market:
    return Market(client).at(BIDDING)


def dam_prices(market: Market, node: str) -> dict[datetime, Decimal]:
    """The day's DAM LMPs at a node, read from OASIS once published (time travel, then back)."""
    before = market.now
    market.at(PUBLISHED)
    found = {start: parts["LMP"] for start, parts in market.oasis_lmp(node).items()}
    market.at(before)
    return found
