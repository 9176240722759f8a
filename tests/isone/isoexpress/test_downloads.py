"""ISO Express downloads on www.iso-ne.com, anonymous: the CSV record structure (C/H/H/D/T) with
`Content-Type: text/csv` exactly, ISO-NE's file names and columns, hour-ending labels with the fall
day's `02X` and spring's missing 03, 404 until a file is published, the same numbers as the web
services; and gridstatus's ISONE client, unchanged, reading them from a live isosim."""

from __future__ import annotations

import csv
import io

import pandas as pd
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, json_of, rows

WWW = "/env/isone-production"
DA_FILE = "/static-transform/csv/histRpts/da-lmp/WW_DALMP_ISO_{day}.csv"


def _records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_a_day_ahead_file_is_iso_nes_record_structure(feeds: TestClient) -> None:
    answer = feeds.get(WWW + DA_FILE.format(day="20210816"))
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv"
    records = _records(answer.text)
    kinds = [r[0] for r in records]
    assert kinds[:6] == ["C", "C", "C", "C", "H", "H"] and kinds[-1] == "T" and set(kinds[6:-1]) == {"D"}
    assert records[1] == ["C", "Filename: WW_DALMP_ISO_20210816.csv"]
    assert records[3] == ["C", "Report generated: 08/15/2021 13:07:54 EDT"]
    assert records[4][1:] == [
        "Date", "Hour Ending", "Location ID", "Location Name", "Location Type",
        "Locational Marginal Price", "Energy Component", "Congestion Component", "Marginal Loss Component",
    ]  # fmt: skip
    assert records[5][1:4] == ["Date", "HE", "String"]
    first = records[6]
    assert first[1] == "08/16/2021" and first[2] == "01"
    assert records[-1] == ["T", f"Total Rows: {len(records) - 7}"]
    assert '"D","08/16/2021","01","' in answer.text  # strings quoted, numbers bare


def test_the_files_give_the_web_services_numbers(feeds: TestClient) -> None:
    from tests.isone.webservices.conftest import auth

    records = _records(feeds.get(WWW + DA_FILE.format(day="20210816")).text)
    hub = [r for r in records if r[0] == "D" and r[3] == "4000"]
    api = rows(json_of(feeds, "/hourlylmp/da/final/day/20210816/location/4000"), "HourlyLmps", "HourlyLmp")
    assert [float(r[6]) for r in hub] == [i["LmpTotal"] for i in api]
    assert auth  # the web services need an account; ISO Express does not


def test_hour_ending_labels_on_dst_days(feeds: TestClient) -> None:
    at(feeds, "2021-11-20T12:00:00Z")
    fall = [
        r[2]
        for r in _records(feeds.get(WWW + DA_FILE.format(day="20211107")).text)
        if r[0] == "D" and r[3] == "4000"
    ]
    assert fall == ["01", "02", "02X", *(f"{h:02d}" for h in range(3, 25))]
    spring = [
        r[2]
        for r in _records(feeds.get(WWW + DA_FILE.format(day="20210314")).text)
        if r[0] == "D" and r[3] == "4000"
    ]
    assert spring == ["01", "02", *(f"{h:02d}" for h in range(4, 25))]


def test_a_file_not_published_yet_is_404(feeds: TestClient) -> None:
    assert feeds.get(WWW + DA_FILE.format(day="20210822")).status_code == 404
    assert (
        feeds.get(WWW + "/static-transform/csv/histRpts/rt-lmp/lmp_rt_final_20210820.csv").status_code == 404
    )
    assert feeds.get(WWW + "/transform/csv/sphf?start=20210822").status_code == 404  # made the morning of
    assert feeds.get(WWW + "/transform/csv/hourlylmp/current?type=final&market=da").status_code == 501


def test_gridstatus_reads_lmps_fuel_mix_and_load(isone) -> None:  # type: ignore[no-untyped-def]
    day = pd.Timestamp("2021-08-16", tz="US/Eastern")
    da = isone.get_lmp_day_ahead_hourly(day)
    assert da["Interval Start"].nunique() == 24 and ".H.INTERNAL_HUB" in set(da["Location"])
    rt = isone.get_lmp_real_time_hourly(day)
    assert rt["Interval Start"].nunique() == 24 and rt["Location Type"].notna().all()
    five = isone.get_lmp_real_time_5_min(day)
    assert five["Interval Start"].nunique() == 288
    mix = isone.get_fuel_mix(day)
    assert len(mix) == 288 and {"Natural Gas", "Nuclear", "Wind"} <= set(mix.columns)
    load = isone.get_load(day)
    assert len(load) == 288 and (load["Load"] > 8000).all()


def test_the_wsclient_proxy_answers_api_paths_anonymously(feeds: TestClient) -> None:
    url = WWW + "/ws/wsclient"
    answer = feeds.post(
        url, data={"_nstmp_requestType": "url", "_nstmp_requestUrl": "/genfuelmix/current.json"}
    )
    assert answer.status_code == 200
    (envelope,) = answer.json()
    assert envelope["namespace"] == "_nstmp_"
    assert envelope["data"] == json_of(feeds, "/genfuelmix/current")  # the API's own answer
    assert feeds.get(url).status_code == 500  # ISO-NE's proxy fails on GET
    unknown = feeds.post(url, data={"_nstmp_requestType": "url", "_nstmp_requestUrl": "/nosuch"})
    assert unknown.status_code == 404


def test_gridstatus_reads_load_forecast_and_btm_solar_through_the_proxy(isone) -> None:  # type: ignore[no-untyped-def]
    day = pd.Timestamp("2021-08-16", tz="US/Eastern")
    forecast = isone.get_load_forecast(day)
    assert len(forecast) >= 24 and (forecast["Load Forecast"] > 8000).all()
    solar = isone.get_btm_solar(day)
    assert len(solar) == 288 and solar["BTM Solar"].max() > 1000 and solar["BTM Solar"].min() == 0
