"""gridstatus, the most used open-source OASIS client, runs unchanged against isosim: only its base
URL is pointed at a live isosim server (the /env/<pack> prefix names the environment)."""

from __future__ import annotations

import warnings
from decimal import Decimal

import pytest
import requests

gridstatus = pytest.importorskip("gridstatus")  # in the `test` extra; installed by the README command

DAY = "2026-11-10"


@pytest.fixture
def caiso(live_servers, monkeypatch):  # type: ignore[no-untyped-def]
    base = f"{live_servers[0]}/env/caiso-production"
    real_get = requests.get

    def get(url, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real_get(
            url.replace("https://oasis.caiso.com", base).replace("http://oasis.caiso.com", base),
            *args,
            **kwargs,
        )

    monkeypatch.setattr(requests, "get", get)
    with requests.Session() as session:  # the simulated clock: 2026-11-20 12:00 Pacific
        assert session.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": "2026-11-20T20:00:00Z"}).ok
    warnings.simplefilter("ignore", DeprecationWarning)
    return gridstatus.CAISO()


def test_day_ahead_hourly_lmp_with_components(caiso):
    df = caiso.get_lmp(
        DAY, market="DAY_AHEAD_HOURLY", locations=["TH_NP15_GEN-APND", "TH_SP15_GEN-APND"], sleep=0
    )
    assert len(df) == 48
    assert set(df["Location Type"]) == {"Trading Hub"}
    for _, row in df.iterrows():
        parts = sum(Decimal(str(row[c])) for c in ("Energy", "Congestion", "Loss", "GHG"))
        assert abs(Decimal(str(row["LMP"])) - parts) < Decimal("0.00002")
    assert str(df["Interval Start"].iloc[0]) == "2026-11-10 00:00:00-08:00"


def test_real_time_five_and_fifteen_minute_lmp(caiso):
    assert len(caiso.get_lmp(DAY, market="REAL_TIME_5_MIN", locations=["TH_ZP26_GEN-APND"], sleep=0)) == 288
    assert len(caiso.get_lmp(DAY, market="REAL_TIME_15_MIN", locations=["TH_ZP26_GEN-APND"], sleep=0)) == 96


def test_load_forecasts_and_as_prices(caiso):
    forecast = caiso.get_load_forecast_day_ahead(DAY, sleep=0)
    assert "CA ISO-TAC" in set(forecast["TAC Area Name"]) and len(forecast) % 24 == 0
    assert len(caiso.get_load_forecast_5_min(DAY, sleep=0)) % 288 == 0
    prices = caiso.get_as_prices(DAY, sleep=0)
    assert {"Regulation Up", "Spinning Reserves", "Non-Spinning Reserves"} <= set(prices.columns)
    assert len(prices) == 24 * 6  # every hour, every region


def test_no_data_is_reported_as_no_data(caiso):
    with pytest.raises(gridstatus.base.NoDataFoundException):
        caiso.get_lmp(DAY, market="DAY_AHEAD_HOURLY", locations=["NO_SUCH-APND"], sleep=0)
