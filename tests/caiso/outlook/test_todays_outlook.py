"""CAISO's Today's Outlook files on www.caiso.com (/outlook/history/<yyyymmdd>/ and /outlook/current/):
gridstatus reads the fuel mix and the load unchanged; every 5-minute row's sources add up to the
demand of that minute; the forecasts are OASIS's; today's files stop at the simulated clock."""

from __future__ import annotations

import csv
import io
import warnings
from decimal import Decimal

import pytest
import requests

from tests.caiso.oasis.conftest import fetch

gridstatus = pytest.importorskip("gridstatus")

NOW = "2026-11-20T20:02:00Z"  # 12:02 Pacific
SOURCES = (
    "Solar",
    "Wind",
    "Geothermal",
    "Biomass",
    "Biogas",
    "Small hydro",
    "Coal",
    "Nuclear",
    "Natural gas",
    "Large hydro",
    "Batteries",
    "Imports",
    "Other",
)


@pytest.fixture
def caiso(live_servers, monkeypatch):  # type: ignore[no-untyped-def]
    base = f"{live_servers[0]}/env/caiso-production"
    real_get = requests.get

    def get(url, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real_get(url.replace("https://www.caiso.com", base), *args, **kwargs)

    monkeypatch.setattr(requests, "get", get)
    assert requests.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": NOW}).ok
    warnings.simplefilter("ignore", DeprecationWarning)
    return gridstatus.CAISO()


def test_gridstatus_reads_a_days_fuel_mix_and_load(caiso) -> None:  # type: ignore[no-untyped-def]
    mix = caiso.get_fuel_mix("2026-11-18")
    load = caiso.get_load("2026-11-18")
    assert len(mix) == len(load) == 288
    assert str(mix["Time"].iloc[0]) == "2026-11-18 00:00:00-08:00"
    assert {"Solar", "Wind", "Natural Gas", "Large Hydro", "Batteries", "Imports"} <= set(mix.columns)
    for (_, supply), (_, demand) in zip(mix.iterrows(), load.iterrows(), strict=True):
        assert (
            abs(
                sum(supply[c] for c in mix.columns if c not in ("Time", "Interval Start", "Interval End"))
                - demand["Load"]
            )
            <= 7
        )


def _rows(client, path: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    answer = client.get(f"/env/caiso-production/outlook/{path}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_every_row_balances_and_the_forecasts_are_oasis(client) -> None:  # type: ignore[no-untyped-def]
    assert client.put("/_isosim/clock", json={"frozen_at": NOW}).status_code == 200
    supply = _rows(client, "history/20261119/fuelsource.csv")
    demand = _rows(client, "history/20261119/demand.csv")
    assert [r["Time"] for r in supply] == [r["Time"] for r in demand] and len(supply) == 288
    for s, d in zip(supply, demand, strict=True):
        assert abs(sum(int(s[c]) for c in SOURCES) - int(d["Current demand"])) <= 7, s["Time"]
        assert int(s["Solar"]) >= 0 and int(s["Natural gas"]) >= 0
    forecast = fetch(
        client,
        queryname="SLD_FCST",
        version="1",
        market_run_id="DAM",
        tac_area_name="CA ISO-TAC",
        startdatetime="20261119T08:00-0000",
        enddatetime="20261120T08:00-0000",
        resultformat="6",
    ).rows()
    hourly = [Decimal(r["MW"]) for r in sorted(forecast, key=lambda r: r["INTERVALSTARTTIME_GMT"])]
    assert [abs(Decimal(demand[12 * h]["Day ahead forecast"]) - hourly[h]) <= 1 for h in range(24)] == [
        True
    ] * 24


def test_todays_files_stop_at_the_clock(client) -> None:  # type: ignore[no-untyped-def]
    assert client.put("/_isosim/clock", json={"frozen_at": NOW}).status_code == 200
    supply = _rows(client, "current/fuelsource.csv")
    assert supply[-1]["Time"] == "11:55"  # 11:55 to 12:00 is the last interval over
    demand = _rows(client, "current/demand.csv")
    assert len(demand) == 288 and all(r["Day ahead forecast"] for r in demand)
    assert [r["Time"] for r in demand if r["Current demand"]][-1] == "11:55"
    assert _rows(client, "history/20261120/fuelsource.csv") == supply


@pytest.mark.parametrize(
    "path",
    [
        "/env/caiso-production/outlook/history/20261121/demand.csv",  # tomorrow
        "/env/caiso-production/outlook/history/2026-11-19/demand.csv",
        "/env/caiso-production/outlook/history/20261119/prices.csv",
        "/env/caiso-sandbox/outlook/current/demand.csv",  # Sandbox has no www.caiso.com
    ],
    ids=["tomorrow", "bad-date", "unknown-file", "not-in-sandbox"],
)
def test_what_is_not_there_is_a_404(client, path: str) -> None:  # type: ignore[no-untyped-def]
    assert client.put("/_isosim/clock", json={"frozen_at": NOW}).status_code == 200
    assert client.get(path).status_code == 404


def test_the_real_host_name_reaches_production(client) -> None:  # type: ignore[no-untyped-def]
    assert client.put("/_isosim/clock", json={"frozen_at": NOW}).status_code == 200
    answer = client.get("/outlook/current/demand.csv", headers={"Host": "www.caiso.com"})
    assert answer.status_code == 200 and answer.text.startswith("Time,Day ahead forecast")
