"""The seven-day capacity forecast and the morning report, checked through HTTP: their arithmetic as
ISO-NE's own published answers show it (each relation below holds in a public capture of each
report), their numbers taken from the other feeds (load, load forecast, interchange), and the times
they are made."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import NS, at, get, json_of, rows, xml_of

# The report's tie names and the external node each stands for (WIRE.md 6).
TIES = {
    "Highgate": "4013",
    "NB": "4010",
    "NYISO AC": "4011",
    "NYISO CSC": "4014",
    "NYISO NNC": "4017",
    "Phase 2": "4012",
}


def _forecasts(client: TestClient, path: str) -> list[dict]:
    return rows(json_of(client, path), "SevenDayForecasts", "SevenDayForecast")


def _reports(client: TestClient, path: str) -> list[dict]:
    return rows(json_of(client, path), "MorningReports", "MorningReport")


def test_the_seven_day_forecast_adds_up_as_iso_nes_does(feeds: TestClient) -> None:
    [forecast] = _forecasts(feeds, "/sevendayforecast/day/20210816/all")
    assert forecast["CreationDate"].startswith("2021-08-16T09:")
    assert forecast["BeginDate"] == "2021-08-17T00:00:00.000-04:00"
    days = forecast["MarketDay"]
    assert [d["@Day"] for d in days] == ["2", "3", "4", "5", "6", "7"]  # attributes are strings
    assert [d["MarketDate"][:10] for d in days] == [f"2021-08-{n}" for n in range(17, 23)]
    for d in days:
        assert d["TotAvailGenImportMw"] == d["TotAvailGenMw"] + d["PeakImportMw"]
        assert d["ReqdReserveInclReplMw"] == d["ReqdReserveMw"] + d["ReplReserveReqMw"]
        assert d["TotLoadPlusReqdReserveMw"] == d["PeakLoadMw"] + d["ReqdReserveInclReplMw"]
        assert d["SurplusDeficiencyMw"] == d["TotAvailGenImportMw"] - d["TotLoadPlusReqdReserveMw"]
        assert d["PowerWatch"] == ("Y" if d["SurplusDeficiencyMw"] < 1000 else "N")
        assert {c["CityName"] for c in d["Weather"]["CityWeather"]} == {"Boston", "Hartford"}
    # the cold-weather flags are given for the next two days only
    assert [d["ColdWeatherWatch"] for d in days] == ["N", "N", "-", "-", "-", "-"]
    root = xml_of(feeds, "/sevendayforecast/day/20210816")
    assert [m.get("Day") for m in root.findall("w:SevenDayForecast/w:MarketDay", NS)] == [
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
    ]


def test_the_forecast_peak_is_close_to_the_load_that_comes(feeds: TestClient) -> None:
    at(feeds, "2021-09-10T12:00:00Z")
    [forecast] = _forecasts(feeds, "/sevendayforecast/day/20210809")
    for d in forecast["MarketDay"]:
        stamp = d["MarketDate"][:10].replace("-", "")
        load = rows(json_of(feeds, f"/hourlysysload/day/{stamp}"), "HourlySystemLoads", "HourlySystemLoad")
        peak = max(h["NativeLoad"] for h in load)
        assert abs(d["PeakLoadMw"] - peak) <= 0.1 * peak


def test_the_forecast_is_made_at_09_15(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T13:14:57Z")  # 09:14:57 EDT
    assert _forecasts(feeds, "/sevendayforecast/day/20210816") == []
    assert _forecasts(feeds, "/sevendayforecast/current")[0]["CreationDate"].startswith("2021-08-15T09:14:58")
    at(feeds, "2021-08-16T13:14:58Z")
    assert _forecasts(feeds, "/sevendayforecast/current") == _forecasts(
        feeds, "/sevendayforecast/day/20210816"
    )
    info = json_of(feeds, "/sevendayforecast/info")["ServiceInfo"]
    assert info == {
        "LatestBeginDate": "2021-08-17T00:00:00.000-04:00",
        "CreationDate": "2021-08-16T09:14:58.000-04:00",
    }


def test_the_morning_report_adds_up_as_iso_nes_does(feeds: TestClient) -> None:
    for report in _reports(feeds, "/morningreport/day/20210816/all"):
        assert report["GenOutagesReductionMW"] == (
            report["GenPlannedOutagesReductionMW"] + report["GenForcedOutagesReductionMW"]
        )
        assert report["NetCapDeliveryMw"] == sum(t["TieFlowMw"] for t in report["TieDelivery"])
        assert report["TotAvailCapMw"] == (
            report["CsoMw"]
            + report["CapAdditionsMw"]
            - report["GenOutagesReductionMW"]
            - report["UncommittedAvailGenMw"]
            - report["NetCapDeliveryMw"]
            + report["DRRCapacityMw"]
            - report["UncommitedAvailDRRMw"]
        )
        assert (
            report["TotalOperReserveReqMw"] == report["TenMinReserveReqMw"] + report["ThirtyMinReserveReqMw"]
        )
        assert report["CapRequiredMw"] == report["PeakLoadTodayMw"] + report["TotalOperReserveReqMw"]
        assert report["SurplusDeficiencyMw"] == report["TotAvailCapMw"] - report["CapRequiredMw"]
        assert report["ExcessCommitMw"] == report["SurplusDeficiencyMw"] - report["ReplReserveRequiredMw"]
        scheduled = {i["TieName"]: i["ScheduledMw"] for i in report["InterchangeDetail"]}
        assert scheduled == {t["TieName"]: t["TieFlowMw"] for t in report["TieDelivery"]}
        assert {i["TieName"]: i["ImportLimitInMw"] for i in report["InterchangeDetail"]}["NYISO AC"] == -1400
    xml_of(feeds, "/morningreport/day/20210816/all")


def test_the_morning_report_reads_the_other_feeds(feeds: TestClient) -> None:
    [report] = _reports(feeds, "/morningreport/day/20210816")
    yesterday = rows(json_of(feeds, "/hourlysysload/day/20210815"), "HourlySystemLoads", "HourlySystemLoad")
    peak = max(yesterday, key=lambda h: h["NativeLoad"])
    assert report["PeakLoadYesterdayHour"] == peak["BeginDate"]
    assert report["PeakLoadYesterdayMw"] == round(peak["NativeLoad"])
    forecast = rows(
        json_of(feeds, "/hourlyloadforecast/day/20210816"), "HourlyLoadForecasts", "HourlyLoadForecast"
    )
    top = max(forecast, key=lambda h: h["LoadMw"])
    assert (report["PeakLoadTodayHour"], report["PeakLoadTodayMw"]) == (top["BeginDate"], top["LoadMw"])
    interchange = rows(
        json_of(feeds, "/actualinterchange/day/20210816"), "ActualInterchanges", "ActualInterchange"
    )
    at_peak = {i["Location"]["@LocId"]: i for i in interchange if i["BeginDate"] == top["BeginDate"]}
    for tie in report["TieDelivery"]:  # imports negative in the report
        flow = at_peak[TIES[tie["TieName"]]]
        assert tie["TieFlowMw"] == round(-(flow["Purchase"] + flow["Sale"]))


def test_reports_are_made_in_the_morning_and_at_noon(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T12:47:11Z")  # 08:47:11 EDT
    assert _reports(feeds, "/morningreport/day/20210816/all") == []
    assert _reports(feeds, "/morningreport/current")[0]["BeginDate"].startswith("2021-08-15")
    at(feeds, "2021-08-16T12:47:12Z")
    [morning] = _reports(feeds, "/morningreport/day/20210816/all")
    assert morning["ReportType"] == "Morning Report"
    at(feeds, "2021-08-16T16:02:35Z")  # 12:02:35 EDT
    both = _reports(feeds, "/morningreport/day/20210816/all")
    assert [r["ReportType"] for r in both] == ["Morning Report", "Operational Capacity Update Report"]
    assert _reports(feeds, "/morningreport/day/20210816") == [morning]
    assert _reports(feeds, "/morningreport/current") == both[1:]
    typed = _reports(feeds, "/morningreport/day/20210816/reportType/Operational%20Capacity%20Update%20Report")
    assert typed == both[1:]
    info = json_of(feeds, "/morningreport/info")["ServiceInfo"]
    assert info["CreationDate"] == both[1]["CreationDate"]
    assert datetime.fromisoformat(info["LatestBeginDate"]).hour == 0
    assert get(feeds, "/morningreport/day/2021-08-16").status_code == 400
