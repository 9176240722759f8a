"""Resource outages through OMS: CAISO's outage statuses on the simulated clock (RECEIVED,
PRE_APPROVED, APPROVED, OUT, IN_SERVICE; DISAPPROVED when a short-notice warning is never
acknowledged), and what an approved outage does to the market: it takes the resource out (or caps
it at its PmaxValue) in every run it overlaps that closed after its approval."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from isosim.caiso.b2b.schemas import plan
from tests.caiso.b2b.conftest import document, endpoint, output, records, result_of, returned, sample_request
from tests.caiso.market.conftest import (
    AFTER_THE_DAY,
    BIDDING,
    CLOSE,
    HOURS,
    PUBLISHED,
    HourBid,
    Market,
    Segment,
    bid_record,
    iso,
)

GAS = "ALAMIT_7_UNIT1"  # Pmin 40, Pmax 175
SUBMIT = "SubmitResourceOutage_OMSv2_AP"
RETRIEVE = "RetrieveResourceOutage_OMSv2_AP"
OUT_HOURS = HOURS[10:15]  # 10:00 to 15:00 Pacific on 2026-11-20


def outage(start: datetime, end: datetime, pmax: float | None = None, resource: str = GAS) -> dict[str, Any]:
    """A RegisteredResourceOutage: the whole resource out, or (pmax) derated to that many MW."""
    registered: dict[str, Any] = {"mRID": [resource]}
    if pmax is not None:
        registered["OutagedRegisteredResource"] = [
            {"Availability": [{"dateTimePoint": [iso(start)], "PmaxValue": [{"value": [f"{pmax:.1f}"]}]}]}
        ]
    return {
        "emergencyReturnTimeType": ["HOURS"],
        "mktOrgOutageID": ["ALPH-TEST-1"],
        "estimatedPeriod": [{"end": [iso(end)], "start": [iso(start)]}],
        "MktOrganisation": [{"mRID": ["ALPH"]}],
        "Work": [{"kind": ["PLANT_MAINTENANCE"]}],
        "isOffPeakOpportunityOutage": ["NO"],
        "isShortNoticeOpportunityOutage": ["NO"],
        "RegisteredGenerator": [registered],
    }


def status_of(market: Market, start: datetime, end: datetime) -> set[str]:
    """The statuses OMS reports for the caller's outages in the window, one query per status."""
    found = set()
    for status in ("RECEIVED", "PRE_APPROVED", "APPROVED", "OUT", "IN_SERVICE", "DISAPPROVED"):
        form = {
            "Outage": [{"outageStatus": [status]}],
            "rangePeriod": [{"end": [iso(end)], "start": [iso(start)]}],
        }
        payload = document(RETRIEVE, plan(endpoint(RETRIEVE)).incoming.filename, {"OutageRange": [form]})
        if records(returned(market.send(RETRIEVE, payload))):
            found.add(status)
    return found


def test_an_outage_moves_through_caisos_statuses(market: Market) -> None:
    start, end = HOURS[10], HOURS[15]
    market.submit(SUBMIT, [outage(start, end)])
    assert status_of(market, start, end) == {"RECEIVED"}
    assert status_of(market.at(BIDDING + timedelta(minutes=15)), start, end) == {"PRE_APPROVED"}
    assert status_of(market.at(BIDDING + timedelta(hours=1)), start, end) == {"APPROVED"}
    assert status_of(market.at(start), start, end) == {"OUT"}
    assert status_of(market.at(end), start, end) == {"IN_SERVICE"}


def test_a_short_notice_outage_never_acknowledged_is_disapproved_when_it_starts(market: Market) -> None:
    start, end = BIDDING + timedelta(hours=6), BIDDING + timedelta(hours=9)
    market.submit(SUBMIT, [outage(start, end)])
    assert status_of(market.at(start - timedelta(minutes=1)), start, end) == {"RECEIVED"}
    assert status_of(market.at(start), start, end) == {"DISAPPROVED"}


def test_an_acknowledged_short_notice_outage_is_approved(market: Market) -> None:
    start, end = BIDDING + timedelta(hours=6), BIDDING + timedelta(hours=9)
    answer = output(market.send(SUBMIT, _submission([outage(start, end)])))
    outage_id = answer.findtext("{*}MessagePayload/{*}EventLog/{*}Outage/{*}mRID")
    market.at(BIDDING + timedelta(hours=2))
    action = "AcknowledgeOutageWarning_OMSv1_AP"
    acknowledged = market.send(action, sample_request(action, recordId=outage_id, action="ACKNOWLEDGE"))
    assert result_of(output(acknowledged)) == "SCSS0001"
    assert status_of(market, start, end) == {"APPROVED"}
    assert status_of(market.at(start), start, end) == {"OUT"}


def _submission(rows: list[dict[str, Any]]) -> bytes:
    from tests.caiso.b2b.conftest import submission

    return submission(SUBMIT, rows)


def _bid_everything(market: Market) -> None:
    market.bid(bid_record(GAS, [HourBid(h, [Segment(150, -100)]) for h in HOURS]))


def test_an_approved_outage_takes_the_resource_out_of_every_run_it_overlaps(market: Market) -> None:
    _bid_everything(market)
    market.submit(SUBMIT, [outage(OUT_HOURS[0], OUT_HOURS[-1] + timedelta(hours=1))])
    market.at(AFTER_THE_DAY)
    day_ahead = market.awards(GAS)
    fifteen = market.awards(GAS, "RTM", "RTUC")
    for hour in HOURS:
        expected = Decimal(0) if hour in OUT_HOURS else Decimal(150)
        assert day_ahead[hour] == expected, hour
        quarters = [hour + timedelta(minutes=15 * n) for n in range(4)]
        assert {fifteen[q] for q in quarters} == {expected}, hour


def test_a_derate_caps_the_award_at_its_pmax_value(market: Market) -> None:
    _bid_everything(market)
    market.submit(SUBMIT, [outage(OUT_HOURS[0], OUT_HOURS[-1] + timedelta(hours=1), pmax=80)])
    awarded = market.at(PUBLISHED).awards(GAS)
    assert {awarded[h] for h in OUT_HOURS} == {Decimal(80)}
    assert {awarded[h] for h in HOURS if h not in OUT_HOURS} == {Decimal(150)}


def test_a_derate_below_pmin_takes_the_resource_out(market: Market) -> None:
    _bid_everything(market)
    market.submit(SUBMIT, [outage(OUT_HOURS[0], OUT_HOURS[-1] + timedelta(hours=1), pmax=30)])
    awarded = market.at(PUBLISHED).awards(GAS)
    assert {awarded[h] for h in OUT_HOURS} == {Decimal(0)}


def test_an_outage_not_yet_approved_when_the_day_ahead_market_closes_counts_only_in_real_time(
    market: Market,
) -> None:
    _bid_everything(market)
    market.at(CLOSE - timedelta(minutes=30))  # approved an hour after submission: after the close
    market.submit(SUBMIT, [outage(OUT_HOURS[0], OUT_HOURS[-1] + timedelta(hours=1))])
    market.at(AFTER_THE_DAY)
    assert {market.awards(GAS)[h] for h in OUT_HOURS} == {Decimal(150)}
    fifteen = market.awards(GAS, "RTM", "RTUC")
    assert {fifteen[h] for h in OUT_HOURS} == {Decimal(0)}
