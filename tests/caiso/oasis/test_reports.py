"""The non-price reports: ancillary service prices, load forecasts, system load and resource
schedules, wind and solar."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from tests.caiso.oasis.conftest import NS, ONE_DAY, fetch, money

CAISO_AREAS = ["PGE-TAC", "SCE-TAC", "SDGE-TAC", "VEA-TAC", "MWD-TAC"]


def test_prc_as_prices_every_type_and_region(oasis):
    answer = fetch(
        oasis,
        queryname="PRC_AS",
        version="12",
        market_run_id="DAM",
        anc_type="ALL",
        anc_region="ALL",
        resultformat="6",
        **ONE_DAY,
    )
    assert answer.names == ["20261110_20261111_PRC_AS_DAM_v12.csv"]
    assert answer.header() == [
        "INTERVALSTARTTIME_GMT",
        "INTERVALENDTIME_GMT",
        "OPR_DT",
        "OPR_HR",
        "OPR_INTERVAL",
        "OPR_TYPE",
        "ANC_TYPE",
        "ANC_REGION",
        "MARKET_RUN_ID",
        "XML_DATA_ITEM",
        "MW",
        "GROUP",
    ]
    rows = answer.rows()
    assert {r["ANC_TYPE"] for r in rows} == {"RU", "RD", "SR", "NR", "RMU", "RMD"}
    assert {r["ANC_REGION"] for r in rows} == {
        "AS_CAISO",
        "AS_CAISO_EXP",
        "AS_NP26",
        "AS_NP26_EXP",
        "AS_SP26",
        "AS_SP26_EXP",
    }
    spin = [r for r in rows if r["ANC_TYPE"] == "SR"]
    assert {r["XML_DATA_ITEM"] for r in spin} == {"SP_CLR_PRC"}
    assert all(money(r["MW"]) >= 0 for r in rows)


def test_prc_as_filters_by_type_and_region(oasis):
    rows = fetch(
        oasis,
        queryname="PRC_AS",
        version="12",
        market_run_id="DAM",
        anc_type="RU",
        anc_region="AS_SP26",
        resultformat="6",
        **ONE_DAY,
    ).rows()
    assert {(r["ANC_TYPE"], r["ANC_REGION"]) for r in rows} == {("RU", "AS_SP26")}
    assert len(rows) == 24


def _load(client, market: str, **params):  # type: ignore[no-untyped-def]
    return fetch(
        client,
        queryname="SLD_FCST",
        version="1",
        market_run_id=market,
        resultformat="6",
        **{**ONE_DAY, **params},
    )


def test_sld_fcst_ca_iso_tac_is_the_sum_of_its_areas(oasis):
    rows = _load(oasis, "DAM").rows()
    by_hour = defaultdict(dict)
    for r in rows:
        by_hour[r["INTERVALSTARTTIME_GMT"]][r["TAC_AREA_NAME"]] = money(r["MW"])
    assert len(by_hour) == 24
    for areas in by_hour.values():
        assert areas["CA ISO-TAC"] == sum(areas[a] for a in CAISO_AREAS)
        assert Decimal(20000) < areas["CA ISO-TAC"] < Decimal(40000)
    assert {r["XML_DATA_ITEM"] for r in rows} == {"SYS_FCST_DA_MW"}


def test_sld_fcst_markets_and_their_data_items(oasis):
    for market, item in (
        ("2DA", "SYS_FCST_2DA_MW"),
        ("7DA", "SYS_FCST_7DA_MW"),
        ("ACTUAL", "SYS_FCST_ACT_MW"),
    ):
        rows = _load(oasis, market).rows()
        assert {r["XML_DATA_ITEM"] for r in rows} == {item}, market
        assert {r["MARKET_RUN_ID"] for r in rows} == {market}


def test_sld_fcst_rtm_by_execution_type(oasis):
    rtd = _load(oasis, "RTM", execution_type="RTD").rows()
    rtpd = _load(oasis, "RTM", execution_type="RTPD").rows()
    assert {r["EXECUTION_TYPE"] for r in rtd} == {"RTD"} and {r["XML_DATA_ITEM"] for r in rtd} == {
        "SYS_FCST_5MIN_MW"
    }
    assert {r["EXECUTION_TYPE"] for r in rtpd} == {"RTPD"} and {r["XML_DATA_ITEM"] for r in rtpd} == {
        "SYS_FCST_15MIN_MW"
    }
    per_area = len({r["TAC_AREA_NAME"] for r in rtd})
    assert len(rtd) == 288 * per_area and len(rtpd) == 96 * per_area


def test_sld_fcst_forecasts_miss_the_actual_more_the_further_ahead(oasis):
    def ca(rows):  # type: ignore[no-untyped-def]
        return [money(r["MW"]) for r in rows if r["TAC_AREA_NAME"] == "CA ISO-TAC"]

    actual = ca(_load(oasis, "ACTUAL").rows())
    errors = {}
    for market in ("DAM", "7DA"):
        forecast = ca(_load(oasis, market).rows())
        errors[market] = sum(abs(f - a) for f, a in zip(forecast, actual, strict=True))
    assert 0 < errors["DAM"] < errors["7DA"]


def test_sld_fcst_xml_names_tac_areas_as_resources(oasis):
    root = fetch(oasis, queryname="SLD_FCST", version="1", market_run_id="DAM", **ONE_DAY).document()
    names = {d.findtext("o:RESOURCE_NAME", namespaces=NS) for d in root.iterfind(".//o:REPORT_DATA", NS)}
    assert "CA ISO-TAC" in names and "PGE-TAC" in names


def test_ene_slrs_zones_balance_and_totals_add_up(oasis):
    rows = fetch(
        oasis,
        queryname="ENE_SLRS",
        version="1",
        market_run_id="DAM",
        tac_zone_name="ALL",
        schedule="ALL",
        resultformat="6",
        **ONE_DAY,
    ).rows()
    table = defaultdict(dict)
    for r in rows:
        table[(r["INTERVALSTARTTIME_GMT"], r["TAC_ZONE_NAME"])][r["SCHEDULE"]] = money(r["MW"])
    zones = {zone for _, zone in table}
    assert "Caiso_Totals" in zones
    for (hour, zone), s in table.items():
        assert s["Generation"] + s["Import"] - s["Export"] == s["Load"], (hour, zone)
        if zone == "Caiso_Totals":
            for schedule in s:
                assert s[schedule] == sum(table[(hour, z)][schedule] for z in zones - {"Caiso_Totals"})


def test_ene_slrs_filters_by_schedule(oasis):
    rows = fetch(
        oasis,
        queryname="ENE_SLRS",
        version="1",
        market_run_id="DAM",
        schedule="Load",
        resultformat="6",
        **ONE_DAY,
    ).rows()
    assert {r["SCHEDULE"] for r in rows} == {"Load"} and {r["XML_DATA_ITEM"] for r in rows} == {
        "ISO_TOT_LOAD_MW"
    }


def test_wind_and_solar_summary_solar_is_dark_at_night(oasis):
    rows = fetch(oasis, queryname="ENE_WIND_SOLAR_SUMMARY", version="5", resultformat="6", **ONE_DAY).rows()
    assert {r["TRADING_HUB"] for r in rows} == {"NP15", "SP15", "ZP26"}
    solar = [r for r in rows if r["RENEWABLE_TYPE"] == "Solar" and r["XML_DATA_ITEM"] == "RENEW_ACT_MW"]
    by_hour = {(r["TRADING_HUB"], int(r["OPR_HR"])): money(r["MW"]) for r in solar}
    assert by_hour[("SP15", 2)] == 0 and by_hour[("SP15", 13)] > 1000
