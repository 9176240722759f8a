"""SIBR's bid rules and bid statuses, through SubmitRawBidSet, RetrieveCurrentBidResults,
RetrieveCleanBidSet and SubmitBidAction: the bidding window (refused after the close, nothing
stored), the -150 $/MWh floor and the 1,000 soft / 2,000 hard offer caps, monotonic curves of at most
10 segments, MW within Pmin..Pmax, SIBR's self-schedule types, one bid per resource, market and
interval, and the CIM bid status codes from submission to the clean bid set."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.caiso.b2b.conftest import sample_request, submission
from tests.caiso.market.conftest import (
    CLOSE,
    DAY,
    HOURS,
    SUBMIT_BIDS,
    HourBid,
    Market,
    Segment,
    bid_record,
)
from tests.caiso.soap.conftest import fault

GAS = "ALAMIT_7_UNIT1"  # Pmin 40, Pmax 175; certified for SR and NR only
RESULTS = "RetrieveCurrentBidResults_SIBRv4_AP"
CLEAN = "RetrieveCleanBidSet_SIBRv4_AP"


def statuses(market: Market, market_type: str = "DAM") -> dict[str, tuple[str, str]]:
    """(status, errors) of each of the caller's bids in the trading day, by transaction."""
    return {
        r["transactionId"][0]: (r["status"][0], (r.get("errors") or [""])[0])
        for r in market.retrieve(RESULTS, DAY, marketType=market_type)
    }


def fault_text(answer) -> str:  # type: ignore[no-untyped-def]
    """The description of the SOAP fault a call got."""
    return fault(answer)[1]


def one_hour(price: float, mw: float = 100, **options) -> dict:  # type: ignore[no-untyped-def]
    return bid_record(GAS, [HourBid(HOURS[0], [Segment(mw, price)], **options)])


def test_a_valid_bid_is_v_until_the_close_then_clean(market: Market) -> None:
    transaction = market.bid(one_hour(35))
    assert statuses(market)[transaction] == ("V", "")
    assert market.retrieve(CLEAN, DAY) == []  # the clean bid set is made at the close
    market.at(CLOSE)
    assert statuses(market)[transaction] == ("CL", "")
    (clean,) = market.retrieve(CLEAN, DAY)
    assert clean["transactionId"] == [transaction] and clean["status"] == ["CL"]


def test_a_bid_after_the_close_is_refused_and_nothing_is_stored(market: Market) -> None:
    market.at(CLOSE)
    answer = market.send(SUBMIT_BIDS, submission(SUBMIT_BIDS, [one_hour(35)]))
    assert "closed at 2026-11-19 10:00 Pacific" in fault_text(answer)
    assert market.retrieve(RESULTS, DAY) == []
    market.at(CLOSE - timedelta(minutes=1))  # a minute before: taken
    assert market.bid(one_hour(35))


def test_real_time_bids_close_75_minutes_before_their_hour(market: Market) -> None:
    hour = HOURS[5]
    record = bid_record(GAS, [HourBid(hour, [Segment(100, 30)])], market="RTM")
    market.at(hour - timedelta(minutes=76))
    assert market.bid(record)
    market.at(hour - timedelta(minutes=75))
    assert "closed" in fault_text(market.send(SUBMIT_BIDS, submission(SUBMIT_BIDS, [record])))


def test_bids_more_than_seven_days_ahead_are_refused(market: Market) -> None:
    market.at(HOURS[0] - timedelta(days=8))
    assert "not open yet" in fault_text(market.send(SUBMIT_BIDS, submission(SUBMIT_BIDS, [one_hour(35)])))


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (one_hour(-150.01), "below the bid floor of -150"),
        (one_hour(2000.01), "above the hard offer cap of 2000"),
        (one_hour(30, mw=176), "176 MW is outside 40 to 175 MW"),
        (one_hour(30, mw=39), "39 MW is outside 40 to 175 MW"),
        (
            bid_record(GAS, [HourBid(HOURS[0], [Segment(80, 50), Segment(150, 40)])]),
            "prices must rise with its MW",
        ),
        (
            bid_record(GAS, [HourBid(HOURS[0], [Segment(120, 40), Segment(90, 50)])]),
            "MW must increase",
        ),
        (bid_record(GAS, [HourBid(HOURS[0], self_mw=200)]), "self-schedule 200 MW is outside"),
        (
            bid_record("SCEW_2_ALPHLD", [HourBid(HOURS[0], [Segment(100, 40), Segment(200, 60)])]),
            "prices must fall with its MW",
        ),
        (
            bid_record("SCEW_2_ALPHLD", [HourBid(HOURS[0], [Segment(100, 40)])], market="RTM"),
            "loads do not bid in the real-time market",
        ),
    ],
    ids=[
        "below-floor",
        "above-hard-cap",
        "above-pmax",
        "below-pmin",
        "supply-prices-falling",
        "mw-decreasing",
        "self-schedule-above-pmax",
        "demand-prices-rising",
        "load-in-real-time",
    ],
)
def test_a_bid_breaking_a_rule_is_invalid_with_its_reason(market: Market, record: dict, reason: str) -> None:
    transaction = market.bid(record)
    kind = record["marketType"][0]
    status, errors = statuses(market, kind)[transaction]
    assert status == "I" and reason in errors
    market.at(CLOSE)
    assert statuses(market, kind)[transaction][0] == "I"  # still invalid: never cleared
    assert market.retrieve(CLEAN, DAY) == []


def test_more_than_ten_segments_is_refused_by_the_schema(market: Market) -> None:
    curve = [Segment(40 + 10 * n, 20 + n) for n in range(11)]
    answer = market.send(SUBMIT_BIDS, submission(SUBMIT_BIDS, [bid_record(GAS, [HourBid(HOURS[0], curve)])]))
    assert "CurveSchedData" in fault_text(answer)
    assert market.retrieve(RESULTS, DAY) == []
    assert market.bid(bid_record(GAS, [HourBid(HOURS[0], curve[:10])]))


def test_self_schedule_types_are_sibrs(market: Market) -> None:
    for kind in ("PT", "ETC", "TOR", "RMT", "SP", "RA", "BAS", "LOF", "WHL", "LPT"):
        transaction = market.bid(bid_record(GAS, [HourBid(HOURS[1], self_mw=60, self_type=kind)]))
        assert statuses(market)[transaction][0] == "V", kind
    answer = market.send(
        SUBMIT_BIDS,
        submission(SUBMIT_BIDS, [bid_record(GAS, [HourBid(HOURS[1], self_mw=60, self_type="XX")])]),
    )
    assert "selfScheduleType" in fault_text(answer)


def test_a_price_above_the_soft_cap_is_conditionally_valid_and_capped_at_the_close(market: Market) -> None:
    transaction = market.bid(one_hour(1500))
    status, errors = statuses(market)[transaction]
    assert status == "CV" and "above the soft offer cap of 1000" in errors
    market.at(CLOSE)
    (clean,) = market.retrieve(CLEAN, DAY)
    assert clean["status"] == ["M"]
    price = clean["ProductBid"][0]["BidSchedule"][0]["BidPriceCurve"][0]["CurveSchedData"][0]["y1AxisData"][0]
    assert Decimal(price) == Decimal(1000)


def test_a_product_the_resource_is_not_certified_for_is_rejected_at_the_close(market: Market) -> None:
    transaction = market.bid(bid_record(GAS, [HourBid(HOURS[0], [Segment(20, 5)])], product="RU"))
    status, errors = statuses(market)[transaction]
    assert status == "CV" and "not certified for RU" in errors
    market.at(CLOSE)
    assert statuses(market)[transaction][0] == "RJ"
    certified = market.at(CLOSE - timedelta(hours=1)).bid(
        bid_record(GAS, [HourBid(HOURS[0], [Segment(20, 5)])], product="SR")
    )
    assert statuses(market.at(CLOSE))[certified][0] == "CL"


def test_two_bids_for_one_interval_in_one_submission_make_the_second_invalid(market: Market) -> None:
    transaction = market.bid(one_hour(30), one_hour(31))
    (first, second) = sorted(
        (r for r in market.retrieve(RESULTS, DAY) if r["transactionId"] == [transaction]),
        key=lambda r: r["recordId"][0],
    )
    assert first["status"] == ["V"]
    assert second["status"] == ["I"] and "more than one bid" in second["errors"][0]


def test_a_replaced_bid_is_obsolete_and_a_cancelled_one_cx(market: Market) -> None:
    first = market.bid(one_hour(30))
    second = market.bid(one_hour(32))
    found = statuses(market)
    assert found[first][0] == "O" and found[second][0] == "V"
    action = "SubmitBidAction_SIBR_AP"
    answer = market.send(action, sample_request(action, transactionId=second))
    assert answer.status_code == 200
    assert statuses(market)[second][0] == "CX"
    market.at(CLOSE)
    assert market.retrieve(CLEAN, DAY) == []


def test_nothing_can_be_cancelled_after_the_close(market: Market) -> None:
    transaction = market.bid(one_hour(30))
    market.at(CLOSE)
    action = "SubmitBidAction_SIBR_AP"
    assert "closed" in fault_text(market.send(action, sample_request(action, transactionId=transaction)))
    assert statuses(market)[transaction][0] == "CL"


def test_trades_are_taken_in_the_same_window(market: Market) -> None:
    from isosim.caiso.b2b import spec
    from tests.caiso.b2b.conftest import sample_record

    name = "SubmitRawTradeSet_SIBR_AP"
    trade = sample_record(spec.dataset("Trade"), window=(DAY[0], "2026-11-20T09:00:00Z"))
    assert market.submit(name, [trade])
    market.at(CLOSE)
    assert "closed" in fault_text(market.send(name, submission(name, [trade])))
