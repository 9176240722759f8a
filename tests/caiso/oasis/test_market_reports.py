"""The OASIS reports drawn from the same system as the rest: the daily peak of the demand forecast
(SLD_FCST_PEAK) is the largest hour of SLD_FCST; the wind and solar forecast (SLD_REN_FCST) is the
fleet forecast and actuals ENE_WIND_SOLAR_SUMMARY reports; ATL_PNODE lists every pricing node,
including those of the registry's resources."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from tests.caiso.oasis.conftest import ONE_DAY, fetch, money

MARKET = Path(__file__).resolve().parents[3] / "fixtures" / "caiso-production" / "market"
SEVEN_DAYS = {"startdatetime": "20261120T08:00-0000", "enddatetime": "20261127T08:00-0000"}


def test_the_peak_forecast_is_the_days_largest_hour_of_the_seven_day_forecast(oasis):
    peaks = fetch(oasis, queryname="SLD_FCST_PEAK", version="1", resultformat="6", **SEVEN_DAYS).rows()
    hourly = fetch(
        oasis, queryname="SLD_FCST", version="1", market_run_id="7DA", resultformat="6", **SEVEN_DAYS
    ).rows()
    largest: dict[tuple[str, str], tuple[Decimal, str]] = {}
    for row in hourly:
        key = (row["OPR_DT"], row["TAC_AREA_NAME"])
        value = money(row["MW"])
        if key not in largest or value > largest[key][0]:
            largest[key] = (value, row["INTERVALSTARTTIME_GMT"])
    found = {(r["OPR_DT"], r["TAC_AREA_NAME"]): (money(r["MW"]), r["INTERVALSTARTTIME_GMT"]) for r in peaks}
    assert found == largest and len({day for day, _ in found}) == 7


def test_the_renewables_forecast_is_the_fleets_forecast_and_actuals(oasis):
    summary = fetch(
        oasis, queryname="ENE_WIND_SOLAR_SUMMARY", version="5", resultformat="6", **ONE_DAY
    ).rows()
    expected: dict[str, dict[tuple[str, str, str], Decimal]] = defaultdict(dict)
    for row in summary:
        key = (row["INTERVALSTARTTIME_GMT"], row["TRADING_HUB"], row["RENEWABLE_TYPE"])
        expected[row["XML_DATA_ITEM"]][key] = money(row["MW"])
    for market, item in (("DAM", "RENEW_FCST_DA_MW"), ("ACTUAL", "RENEW_ACT_MW")):
        rows = fetch(
            oasis, queryname="SLD_REN_FCST", version="1", market_run_id=market, resultformat="6", **ONE_DAY
        ).rows()
        found = {
            (r["INTERVALSTARTTIME_GMT"], r["TRADING_HUB"], r["RENEWABLE_TYPE"]): money(r["MW"]) for r in rows
        }
        assert found == expected[item] and found, market


def test_real_time_renewables_come_every_five_and_fifteen_minutes(oasis):
    for market, per_day in (("RTD", 288), ("RTPD", 96)):
        rows = fetch(
            oasis, queryname="SLD_REN_FCST", version="1", market_run_id=market, resultformat="6", **ONE_DAY
        ).rows()
        with (MARKET / "renewables.csv").open(newline="") as handle:
            fleets = sum(1 for _ in csv.DictReader(handle))
        assert len(rows) == per_day * fleets, market


def test_atl_pnode_lists_every_pricing_node_of_the_registry(oasis):
    rows = fetch(oasis, queryname="ATL_PNODE", version="1", resultformat="6", **ONE_DAY).rows()
    with (MARKET / "nodes.csv").open(newline="") as handle:
        nodes = {r["node"] for r in csv.DictReader(handle) if r["kind"] != "SPTIE"}
    with (MARKET / "resources.csv").open(newline="") as handle:
        resource_nodes = {r["pnode"] for r in csv.DictReader(handle)}
    assert {r["PNODE_ID"] for r in rows} == nodes
    assert resource_nodes <= nodes
    one = fetch(
        oasis, queryname="ATL_PNODE", version="1", resultformat="6", pnode_id="DELTA_2_N001", **ONE_DAY
    )
    assert [r["PNODE_ID"] for r in one.rows()] == ["DELTA_2_N001"]
