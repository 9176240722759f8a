"""ISO Express's other reports, checked through HTTP and with gridstatus's ISONE client: the current
and rolling-interval LMPs (the web services' numbers), final five-minute reserve prices (the web
services' numbers per zone), the seven-day wind and solar power forecasts (days in columns, hours in
rows, near the fuel mix that comes) and the masked day-ahead energy offers (the web services' offers)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import requests
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, json_of, rows

WWW = "/env/isone-production"


def _records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_current_lmps_are_the_web_services_newest(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T16:10:30Z")  # 12:10:30 EDT
    answer = feeds.get(WWW + "/transform/csv/fiveminlmp/current?type=prelim")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv"
    records = _records(answer.text)
    assert [r[0] for r in records[:5]] == ["C", "C", "C", "H", "H"] and records[-1][0] == "T"
    data = {r[2]: float(r[3]) for r in records if r[0] == "D"}
    api = rows(json_of(feeds, "/fiveminutelmp/prelim/day/20210816/starthour/12"), "FiveMinLmps", "FiveMinLmp")
    newest = {
        x["Location"]["@LocId"]: x["LmpTotal"] for x in api if x["BeginDate"].startswith("2021-08-16T12:10")
    }
    assert data == newest
    rolling = [
        r
        for r in _records(feeds.get(WWW + "/transform/csv/fiveminlmp/currentrollinginterval").text)
        if r[0] == "D"
    ]
    assert len({r[1] for r in rolling}) == 12
    hourly = [
        r
        for r in _records(feeds.get(WWW + "/transform/csv/hourlylmp/current?type=prelim&market=rt").text)
        if r[0] == "D"
    ]
    # the hour 11:00-12:00 (hour ending 12), published at 12:05
    assert {(r[1], r[2]) for r in hourly} == {("08/16/2021", "12")}


def test_final_reserve_prices_are_the_web_services(feeds: TestClient) -> None:
    at(feeds, "2021-08-20T12:00:00Z")
    answer = feeds.get(WWW + "/transform/csv/fiveminreserveprice?type=final&start=20210816&end=20210816")
    assert answer.status_code == 200
    data = [r for r in _records(answer.text) if r[0] == "D"]
    assert len(data) == 288 * 4
    api = rows(
        json_of(feeds, "/fiveminutereserveprice/final/day/20210816/reserveZone/7000"),
        "FiveMinReservePrices",
        "FiveMinReservePrice",
    )
    mine = [r for r in data if r[2] == "7000"]
    assert [float(r[10]) for r in mine] == [x["TmsrClearingPrice"] for x in api]
    assert [float(r[12]) for r in mine] == [x["TmorClearingPrice"] for x in api]
    assert feeds.get(WWW + "/transform/csv/fiveminreserveprice?type=final&start=20210820").status_code == 404


def test_the_energy_offers_file_is_the_web_services_offers(feeds: TestClient) -> None:
    at(feeds, "2022-01-01T12:00:00Z")
    answer = feeds.get(
        WWW + "/static-transform/csv/histRpts/da-energy-offer/hbdayaheadenergyoffer_20210816.csv"
    )
    assert answer.status_code == 200
    data = [r for r in _records(answer.text) if r[0] == "D"]
    api = rows(
        json_of(feeds, "/hbdayaheadenergyoffer/day/20210816"),
        "HbDayAheadEnergyOffers",
        "HbDayAheadEnergyOffer",
    )
    assert len(data) == len(api)
    for record, offer in zip(data[:500], api[:500], strict=True):
        assert (int(record[3]), int(record[4])) == (offer["MaskedParticipantId"], offer["MaskedAssetId"])
        assert float(record[7]) == offer["EconomicMax"]
        segments = offer["Segments"]["Segment"]
        segments = segments if isinstance(segments, list) else [segments]
        assert float(record[13]) == segments[0]["Price"] and float(record[14]) == segments[0]["Mw"]
    transform = feeds.get(WWW + "/transform/csv/hbdayaheadenergyoffer?start=20210816")
    assert transform.status_code == 200 and transform.content == answer.content
    at(feeds, "2021-11-30T12:00:00Z")
    assert (
        feeds.get(
            WWW + "/static-transform/csv/histRpts/da-energy-offer/hbdayaheadenergyoffer_20210816.csv"
        ).status_code
        == 404
    )


def test_gridstatus_reads_the_reports(isone, live_servers: list[str]) -> None:  # type: ignore[no-untyped-def]
    day = pd.Timestamp("2021-08-16", tz="US/Eastern")
    solar = isone.get_solar_forecast(day)
    assert solar["Interval Start"].dt.date.nunique() == 7 and solar["Solar Forecast"].max() > 100
    assert (solar.loc[solar["Interval Start"].dt.hour < 4, "Solar Forecast"] == 0).all()
    wind = isone.get_wind_forecast(day)
    assert len(wind) == 7 * 24 and (wind["Wind Forecast"] > 0).all()
    reserves = isone.get_reserve_zone_prices_designations_real_time_5_min_final(day)
    assert len(reserves) == 288 * 4
    status = isone.get_status("latest")
    assert status.status == "Normal"
    latest = isone.get_lmp("latest", market="REAL_TIME_5_MIN")
    assert latest["Interval Start"].nunique() == 1 and ".H.INTERNAL_HUB" in set(latest["Location"])
    assert requests.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": "2022-01-01T12:00:00Z"}).ok
    offers = isone.get_energy_offers_day_ahead(day)
    assert offers["Interval Start"].nunique() == 24 and offers["Energy Offer Curve"].map(len).max() <= 10


def test_a_fall_forecast_has_the_repeated_hour(feeds: TestClient) -> None:
    at(feeds, "2021-11-20T12:00:00Z")
    records = _records(feeds.get(WWW + "/transform/csv/wphf?start=20211104").text)
    data = [r for r in records if r[0] == "D"]
    assert data[0][:3] == ["D", "Date", "Hour Ending"] and data[0][6] == "11/07/2021"
    labels = [r[2] for r in data[1:]]
    assert labels[:3] == ["01", "02", "02X"] and len(labels) == 25
    repeated = data[1:][2]
    assert repeated[6] != "" and all(v == "" for n, v in enumerate(repeated[3:], 3) if n != 6)
