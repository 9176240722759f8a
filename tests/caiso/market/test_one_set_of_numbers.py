"""Every service reports the same market: the LMP CMRI gives a resource's node in an interval is the
one OASIS publishes for that node and interval, component by component, in each run; CMRI's load
forecast is OASIS's; schedules, instructions, MPM results and expected energy agree with the awards
they come from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.caiso.market.conftest import (
    AFTER_THE_DAY,
    AWARDS,
    DAY,
    HOURS,
    PRICES,
    HourBid,
    Market,
    Segment,
    bid_record,
    fetch,
    resources,
    wire,
)

RUNS = [
    ("DAM", "IFM", "PRC_LMP", "DAM"),
    ("RTM", "RTUC", "PRC_RTPD_LMP", "RTPD"),
    ("RTM", "RTD", "PRC_INTVL_LMP", "RTM"),
]
COMPONENTS = {
    "LMP": "LMP",
    "energyComponent": "MCE",
    "congestionComponent": "MCC",
    "lossComponent": "MCL",
    "ghgComponent": "MGHG",
}


@pytest.mark.parametrize(("market_type", "execution", "query", "run"), RUNS, ids=["DAM", "FMM", "RTD"])
def test_cmri_schedule_prices_are_the_lmps_oasis_publishes(
    market: Market, market_type: str, execution: str, query: str, run: str
) -> None:
    market.at(AFTER_THE_DAY)
    found = market.retrieve(PRICES, DAY, marketType=market_type, executionType=execution)
    assert {r["resource"][0] for r in found} == {
        k for k, v in resources().items() if v["scheduling_coordinator"] == "ALPH"
    }
    for record in found[:4]:
        node = resources()[record["resource"][0]]["pnode"]
        published = market.oasis_lmp(node, query, run)
        intervals = record["TradeIntervalData"]
        assert len(intervals) == len(published) == {"DAM": 24, "RTPD": 96, "RTM": 288}[run]
        for point in intervals:
            oasis = published[wire(point["intervalStartTime"][0])]
            for cmri, label in COMPONENTS.items():
                assert Decimal(point[cmri][0]) == oasis[label], (node, point["intervalStartTime"], cmri)
            assert sum(Decimal(point[c][0]) for c in list(COMPONENTS)[1:]) == Decimal(point["LMP"][0])


def test_cmri_load_forecast_is_oasis_demand_forecast(market: Market) -> None:
    market.at(AFTER_THE_DAY)
    found = {
        r["tacArea"][0]: r for r in market.retrieve("RetrieveMarketForecast_CMRIv1_AP", DAY, marketType="DAM")
    }
    answer = fetch(
        market.client,
        queryname="SLD_FCST",
        version="1",
        market_run_id="DAM",
        startdatetime="20261120T08:00-0000",
        enddatetime="20261121T08:00-0000",
        resultformat="6",
    )
    oasis = {(r["TAC_AREA_NAME"], wire(r["INTERVALSTARTTIME_GMT"])): Decimal(r["MW"]) for r in answer.rows()}
    assert found and set(found) <= {area for area, _ in oasis}
    for area, record in found.items():
        for point in record["TradeIntervalData"]:
            assert Decimal(point["forecastMW"][0]) == oasis[(area, wire(point["intervalStartTime"][0]))]


def _bid(market: Market) -> None:
    market.bid(
        bid_record("ALAMIT_7_UNIT1", [HourBid(h, [Segment(90, 38), Segment(175, 55)]) for h in HOURS]),
        bid_record("ETIWND_6_GRPGEN", [HourBid(h, [Segment(80, 30)], self_mw=25) for h in HOURS]),
    )
    market.at(AFTER_THE_DAY)


def _series(records: list[dict], resource: str, **codes: str) -> dict:
    chosen = [
        r for r in records if r["resource"] == [resource] and all(r[k] == [v] for k, v in codes.items())
    ]
    assert len(chosen) <= 1
    return {wire(p["intervalStartTime"][0]): p for p in (chosen[0]["TradeIntervalData"] if chosen else [])}


def test_market_schedules_are_the_awards_self_and_market_parts(market: Market) -> None:
    _bid(market)
    for market_type, execution in (("DAM", "IFM"), ("RTM", "RTUC")):
        awards = market.retrieve(AWARDS, DAY, marketType=market_type, executionType=execution)
        schedules = market.retrieve(
            "RetrieveMarketSchedules_CMRIv3_AP", DAY, marketType=market_type, executionType=execution
        )
        for resource in ("ALAMIT_7_UNIT1", "ETIWND_6_GRPGEN"):
            for kind in ("SELF", "MARKET"):
                awarded = _series(awards, resource, product="EN", scheduleType=kind)
                scheduled = _series(schedules, resource, scheduleType=kind)
                assert {k: v["MW"] for k, v in awarded.items()} == {
                    k: v["scheduleMW"] for k, v in scheduled.items()
                }


def test_start_up_and_shut_down_instructions_follow_the_awards(market: Market) -> None:
    _bid(market)
    cleared = _series(market.retrieve(AWARDS, DAY), "ALAMIT_7_UNIT1", product="EN", scheduleType="CLEARED")
    found = market.retrieve("RetrieveStartUpShutDownInstructions_CMRIv1_AP", DAY, marketType="DAM")
    starts = _series(found, "ALAMIT_7_UNIT1", instructionType="STARTUP")
    stops = _series(found, "ALAMIT_7_UNIT1", instructionType="SHUTDOWN")
    expected_starts, expected_stops = set(), set()
    for hour, previous in zip(HOURS[1:], HOURS, strict=False):
        now, before = Decimal(cleared[hour]["MW"][0]), Decimal(cleared[previous]["MW"][0])
        if before == 0 < now:
            expected_starts.add(hour)
        if now == 0 < before:
            expected_stops.add(hour)
    assert set(starts) - {HOURS[0]} == expected_starts and set(stops) - {HOURS[0]} == expected_stops
    assert expected_starts or expected_stops or set(Decimal(p["MW"][0]) for p in cleared.values()) != {0}
    for hour, point in starts.items():
        assert point["targetMW"] == cleared[hour]["MW"]


def test_mpm_reports_the_competitive_lmp_without_congestion(market: Market) -> None:
    _bid(market)
    found = market.retrieve("RetrieveMPMResults_CMRIv3_AP", DAY, marketType="DAM")
    results = _series(found, "ALAMIT_7_UNIT1")
    published = market.oasis_lmp(resources()["ALAMIT_7_UNIT1"]["pnode"])
    assert results
    for hour, point in results.items():
        expected = published[hour]["LMP"] - published[hour]["MCC"]
        assert Decimal(point["competitiveLMP"][0]) == expected
        mitigated = Decimal(point["mitigatedBidPrice"][0])
        floor = max(Decimal(point["defaultEnergyBid"][0]), expected)
        if published[hour]["MCC"] > 0 and Decimal(point["bidPrice"][0]) > floor:
            assert mitigated == floor.quantize(Decimal("0.01"))
        else:
            assert mitigated == Decimal(point["bidPrice"][0])


def test_expected_energy_adds_up_the_dispatch_hour_by_hour(market: Market) -> None:
    _bid(market)
    found = market.retrieve("RetrieveExpectedEnergy_CMRIv1_AP", DAY, marketType="RTM", executionType="RTD")
    energy = {
        kind: _series(found, "ETIWND_6_GRPGEN", energyType=kind) for kind in ("DASE", "TEE", "OE", "DSSE")
    }
    day_ahead = _series(market.retrieve(AWARDS, DAY), "ETIWND_6_GRPGEN", product="EN", scheduleType="CLEARED")
    for hour in HOURS:
        dase = Decimal(energy["DASE"][hour]["expectedEnergyMWh"][0])
        assert dase == Decimal(day_ahead[hour]["MW"][0])  # an hour at the day-ahead MW
        assert Decimal(energy["DSSE"][hour]["expectedEnergyMWh"][0]) == 25
        tee = Decimal(energy["TEE"][hour]["expectedEnergyMWh"][0])
        assert Decimal(energy["OE"][hour]["expectedEnergyMWh"][0]) == tee - dase
