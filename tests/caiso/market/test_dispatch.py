"""ADS dispatches what the real-time market awarded: over an hour, the DOTs of a coordinator's
batches add up to the real-time energy CMRI's expected energy reports for that hour (TEE), and each
instruction carries the 5-minute LMP OASIS publishes at the resource's node."""

from __future__ import annotations

import base64
import gzip
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from lxml import etree

from tests.caiso.market.conftest import (
    AFTER_THE_DAY,
    DAY,
    HOURS,
    HourBid,
    Market,
    Segment,
    bid_record,
    resources,
    wire,
)

ALPHA_BIDDER = "CN=sc-alpha-bidder, OU=Trading, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"
ADS = "/env/caiso-production/ADS/APIWebService/v7"
API = "urn-com-caiso-ads-webservices-api"
DOC = {"a": "http://ads.caiso.com"}
HOUR = HOURS[18]  # 18:00 to 19:00 Pacific: the evening ramp


def ads(market: Market, operation: str, argument: str, value: str) -> etree._Element:
    envelope = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        f'<a:{operation} xmlns:a="{API}"><{argument}>{value}</{argument}></a:{operation}>'
        "</s:Body></s:Envelope>"
    )
    answer = market.client.post(
        ADS, content=envelope, headers={"Content-Type": "text/xml", "X-SSL-Client-S-DN": ALPHA_BIDDER}
    )
    assert answer.status_code == 200, answer.text
    return etree.fromstring(answer.content)


def batches_of_the_hour(market: Market) -> list[etree._Element]:
    """Every batch ALPH was sent for the hour's twelve intervals (listed just after the last one)."""
    market.at(HOUR + timedelta(minutes=55) - timedelta(seconds=149))
    uids = [item.text for item in ads(market, "getDispatchBatchesSinceUID", "uid", "-1").iter("item")]
    assert len(uids) == 12
    found = []
    for uid in uids:
        text = ads(market, "getDispatchBatch", "batchUID", uid).findtext(".//return")
        found.append(etree.fromstring(gzip.decompress(base64.b64decode(text))))
    return found


def test_dots_add_up_to_the_real_time_energy_cmri_reports(market: Market) -> None:
    market.bid(
        bid_record("ALAMIT_7_UNIT1", [HourBid(h, [Segment(90, 38), Segment(175, 55)]) for h in HOURS]),
        bid_record("MRGT_6_MEF2", [HourBid(h, [Segment(0, 30), Segment(20, 60)]) for h in HOURS]),
    )
    starts: set[datetime] = set()
    dots: dict[str, Decimal] = defaultdict(Decimal)
    for batch in batches_of_the_hour(market):
        starts.add(wire(batch.findtext("a:startTime", namespaces=DOC).replace(".000Z", "Z")))
        for instruction in batch.iterfind("a:instructions/a:instruction", DOC):
            dots[instruction.findtext("a:resourceId", namespaces=DOC)] += Decimal(
                instruction.findtext("a:dot", namespaces=DOC)
            )
    assert starts == {HOUR + timedelta(minutes=5 * n) for n in range(12)}
    market.at(AFTER_THE_DAY)
    found = market.retrieve("RetrieveExpectedEnergy_CMRIv1_AP", DAY, marketType="RTM", executionType="RTD")
    energy = {
        r["resource"][0]: Decimal(p["expectedEnergyMWh"][0])
        for r in found
        if r["energyType"] == ["TEE"]
        for p in r["TradeIntervalData"]
        if wire(p["intervalStartTime"][0]) == HOUR
    }
    dispatched = {
        k
        for k, v in resources().items()
        if v["scheduling_coordinator"] == "ALPH" and v["resource_type"] in ("GEN", "PDR")
    }
    assert set(dots) <= dispatched and dots
    for resource in dispatched:
        assert abs(dots.get(resource, Decimal(0)) / 12 - energy[resource]) <= Decimal("0.01"), resource


def test_each_instruction_carries_the_five_minute_lmp_at_its_node(market: Market) -> None:
    batches = batches_of_the_hour(market)
    market.at(AFTER_THE_DAY)
    prices: dict[str, dict[datetime, dict[str, Decimal]]] = {}
    checked = 0
    for batch in batches:
        start = wire(batch.findtext("a:startTime", namespaces=DOC).replace(".000Z", "Z"))
        for instruction in batch.iterfind("a:instructions/a:instruction", DOC):
            node = resources()[instruction.findtext("a:resourceId", namespaces=DOC)]["pnode"]
            if node not in prices:
                prices[node] = market.oasis_lmp(node, "PRC_INTVL_LMP", "RTM")
            price = Decimal(instruction.findtext(".//a:price", namespaces=DOC))
            assert price == prices[node][start]["LMP"].quantize(Decimal("0.01")), (node, start)
            checked += 1
    assert checked
