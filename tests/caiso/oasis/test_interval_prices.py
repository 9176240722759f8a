"""PRC_INTVL_LMP (5-minute RTM), PRC_RTPD_LMP (15-minute FMM) and PRC_HASP_LMP: interval numbering in
Pacific time, the price in the report's own column, and only intervals OASIS has published."""

from __future__ import annotations

from collections import Counter

from tests.caiso.oasis.conftest import fetch, money

HOUR = {"startdatetime": "20261120T08:00-0000", "enddatetime": "20261120T10:00-0000"}


def _report(client, queryname: str, version: str = "3", **params):  # type: ignore[no-untyped-def]
    query = {
        "queryname": queryname,
        "version": version,
        "resultformat": "6",
        "node": "TH_NP15_GEN-APND",
        **HOUR,
    }
    return fetch(client, **{**query, **params})


def test_rtm_has_twelve_five_minute_intervals_per_hour_priced_in_value(oasis):
    answer = _report(oasis, "PRC_INTVL_LMP", market_run_id="RTM")
    assert answer.names[0] == "20261120_20261120_PRC_INTVL_LMP_RTM_LMP_v3.csv"
    rows = answer.rows()
    assert "VALUE" in answer.header() and "MW" not in answer.header()
    assert [int(r["OPR_INTERVAL"]) for r in rows] == list(range(1, 13)) * 2
    assert Counter(r["OPR_HR"] for r in rows) == {"1": 12, "2": 12}
    assert rows[1]["INTERVALSTARTTIME_GMT"] == "2026-11-20T08:05:00-00:00"
    assert {r["MARKET_RUN_ID"] for r in rows} == {"RTM"}


def test_rtpd_has_four_fifteen_minute_intervals_per_hour_priced_in_prc(oasis):
    answer = _report(oasis, "PRC_RTPD_LMP", market_run_id="RTPD")
    rows = answer.rows()
    assert "PRC" in answer.header()
    assert [int(r["OPR_INTERVAL"]) for r in rows] == [1, 2, 3, 4] * 2


def test_interval_components_add_up(oasis):
    answer = _report(oasis, "PRC_INTVL_LMP", market_run_id="RTM", node="TH_SP15_GEN-APND,PACW_GEN1-APND")
    parts = [
        {(r["NODE"], r["INTERVALSTARTTIME_GMT"]): money(r["VALUE"]) for r in answer.rows(n)}
        for n in answer.names
    ]
    total, *components = parts
    for key, value in total.items():
        assert value == sum(c[key] for c in components)


def test_real_time_intervals_appear_once_they_have_ended(oasis):
    # 12:00 Pacific = 20:00Z: the 19:55-20:00 interval is the last one published.
    rows = _report(
        oasis, "PRC_INTVL_LMP", startdatetime="20261120T19:00-0000", enddatetime="20261120T21:00-0000"
    ).rows()
    assert len(rows) == 12
    assert rows[-1]["INTERVALENDTIME_GMT"] == "2026-11-20T20:00:00-00:00"


def test_hasp_is_published_ahead_of_the_hour(oasis):
    rows = _report(
        oasis, "PRC_HASP_LMP", startdatetime="20261120T20:00-0000", enddatetime="20261120T23:00-0000"
    ).rows()
    assert {r["MARKET_RUN_ID"] for r in rows} == {"HASP"}
    assert rows[-1]["INTERVALENDTIME_GMT"] == "2026-11-20T21:30:00-00:00"  # now + 90 minutes


def test_real_time_scatters_around_day_ahead(oasis):
    window = {"startdatetime": "20261110T08:00-0000", "enddatetime": "20261111T08:00-0000"}
    rtm = [money(r["VALUE"]) for r in _report(oasis, "PRC_INTVL_LMP", **window).rows()]
    assert len(rtm) == 288
    assert len(set(rtm)) > 200  # every interval has its own price


def test_sptie_prices_scheduling_point_tie_combinations(oasis):
    answer = fetch(
        oasis,
        queryname="PRC_SPTIE_LMP",
        version="5",
        market_run_id="DAM",
        grp_type="ALL",
        resultformat="6",
        startdatetime="20261110T08:00-0000",
        enddatetime="20261111T08:00-0000",
    )
    rows = answer.rows()
    assert "TIE_NAME" in answer.header()
    assert {r["TIE_NAME"] for r in rows} >= {"MALIN500_ITC", "MALIN500_ETC", "PALOVRDE_ITC"}
    assert all(":" in r["NODE"] for r in rows)
    total, *components = [
        {(r["NODE"], r["INTERVALSTARTTIME_GMT"]): money(r["PRC"]) for r in answer.rows(n)}
        for n in answer.names
    ]
    for key, value in total.items():
        assert value == sum(c[key] for c in components)
