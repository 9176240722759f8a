"""gridstatus's ISONEAPI client, unchanged, against a live isosim: its requests to
https://webservices.iso-ne.com/api/v1.1 reach isosim as if the host name resolved to it (a
transport adapter sends them to the loopback server with the real Host header)."""

from __future__ import annotations

import pandas as pd
import pytest
import requests

from tests.isone.conftest import resolve_to_isosim
from tests.isone.webservices.conftest import ACCOUNT


@pytest.fixture
def isone_api(live_servers: list[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from gridstatus.isone_api.isone_api import ISONEAPI

    assert requests.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": "2021-08-20T18:02:00Z"}).ok
    resolve_to_isosim(monkeypatch, live_servers[0], "webservices.iso-ne.com")
    monkeypatch.setenv("ISONE_API_USERNAME", ACCOUNT[0])
    monkeypatch.setenv("ISONE_API_PASSWORD", ACCOUNT[1])
    return ISONEAPI(sleep_seconds=0.1, max_retries=0)


def test_hourly_real_time_lmps(isone_api) -> None:  # type: ignore[no-untyped-def]
    df = isone_api.get_lmp_real_time_hourly_prelim(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    assert len(df) == 24 * df["Location"].nunique() and ".H.INTERNAL_HUB" in set(df["Location"])
    assert (df["Interval End"] - df["Interval Start"] == pd.Timedelta(hours=1)).all()
    assert ((df["LMP"] - df["Energy"] - df["Congestion"] - df["Loss"]).abs() < 0.0051).all()
    final = isone_api.get_lmp_real_time_hourly_final(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    assert final["LMP"].tolist() == df["LMP"].tolist()


def test_five_minute_lmps(isone_api) -> None:  # type: ignore[no-untyped-def]
    start = pd.Timestamp("2021-08-16 13:00", tz="US/Eastern")
    df = isone_api.get_lmp_real_time_5_min_prelim(start, end=start + pd.Timedelta(hours=1))
    assert df["Interval Start"].nunique() == 12 and set(df["Location Type"]) >= {"HUB", "LOAD ZONE"}
    latest = isone_api.get_lmp_real_time_5_min_prelim("latest")
    assert latest["Interval Start"].nunique() == 1 and len(latest) > 300


def test_locations(isone_api) -> None:  # type: ignore[no-untyped-def]
    df = isone_api.get_locations()
    assert len(df) == 20
    assert isone_api.get_location_by_id(4000)["LocationName"].iloc[0] == ".H.INTERNAL_HUB"


def test_fuel_mix(isone_api) -> None:  # type: ignore[no-untyped-def]
    df = isone_api.get_fuel_mix(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    assert len(df) == 288 and {"Natural Gas", "Nuclear", "Wind", "Solar", "Hydro"} <= set(df.columns)
    latest = isone_api.get_fuel_mix("latest")
    assert len(latest) == 1


def test_load_and_demand(isone_api) -> None:  # type: ignore[no-untyped-def]
    hourly = isone_api.get_load_hourly(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    assert len(hourly) == 24 and (hourly["Load"] > 8000).all()
    latest = isone_api.get_load_hourly("latest")
    assert len(latest) == 1
    demand = isone_api.get_realtime_hourly_demand("latest")
    assert len(demand) == 9
    day_ahead = isone_api.get_dayahead_hourly_demand("latest")
    assert len(day_ahead) == 9


def test_load_forecast_and_interchange(isone_api) -> None:  # type: ignore[no-untyped-def]
    forecast = isone_api.get_load_forecast_hourly(pd.Timestamp("2021-08-21", tz="US/Eastern"))
    assert len(forecast) == 24 and (forecast["Load Forecast"] > 8000).all()
    interchange = isone_api.get_interchange_hourly(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    assert len(interchange) == 24 * 6


def test_external_flows_and_fifteen_minute_interchange(isone_api) -> None:  # type: ignore[no-untyped-def]
    day = pd.Timestamp("2021-08-16", tz="US/Eastern")
    flows = isone_api.get_external_flows_5_min(day)
    assert len(flows) == 288 * 6
    quarters = isone_api.get_interchange_15_min(day)
    assert len(quarters) == 96


def test_reserve_prices(isone_api) -> None:  # type: ignore[no-untyped-def]
    start = pd.Timestamp("2021-08-16 13:00", tz="US/Eastern")
    fives = isone_api.get_reserve_zone_prices_designations_real_time_5_min(
        start, end=start + pd.Timedelta(hours=1)
    )
    assert len(fives) == 288 * 4  # gridstatus asks for the whole day
    hourly = isone_api.get_reserve_zone_prices_designations_real_time_hourly_final(
        pd.Timestamp("2021-08-16", tz="US/Eastern")
    )
    assert len(hourly) == 24 * 4


def test_reliability_region_load_forecast(isone_api) -> None:  # type: ignore[no-untyped-def]
    df = isone_api.get_reliability_region_load_forecast(pd.Timestamp("2021-08-21", tz="US/Eastern"))
    assert len(df) == 24 * 8


def test_binding_constraints(isone_api) -> None:  # type: ignore[no-untyped-def]
    day = pd.Timestamp("2021-08-16", tz="US/Eastern")
    day_ahead = isone_api.get_binding_constraints_day_ahead_hourly(day)
    assert (day_ahead["Marginal Value"] < 0).all() and set(day_ahead["Interface Flag"]) <= {"Y", "N"}
    assert (day_ahead["Interval Start"].dt.date == day.date()).all()
    five = isone_api.get_binding_constraints_final_real_time_5_min(day)
    fifteen = isone_api.get_binding_constraints_final_real_time_15_min(day)
    assert (five["Interval End"] - five["Interval Start"] == pd.Timedelta(minutes=5)).all()
    # a quarter hour's value is the mean of its three five-minute values (zero where not binding)
    five["Quarter"] = five["Interval Start"].dt.floor("15min")
    means = five.groupby(["Quarter", "Constraint Name"])["Marginal Value"].sum() / 3
    for _, row in fifteen.iterrows():
        assert abs(means[(row["Interval Start"], row["Constraint Name"])] - row["Marginal Value"]) <= 0.0051
    assert len(fifteen) == len(means)


def test_regulation_clearing_prices(isone_api) -> None:  # type: ignore[no-untyped-def]
    df = isone_api.get_regulation_clearing_prices_real_time_5_min(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    assert len(df) == 288 and (df["Reg Capacity Clearing Price"] >= 0).all()
    assert len(isone_api.get_regulation_clearing_prices_real_time_5_min("latest")) == 1


def test_zonal_load(isone_api) -> None:  # type: ignore[no-untyped-def]
    estimated = isone_api.get_zonal_load_estimated_5_min(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    assert len(estimated) == 288 * 8 and estimated["Load Zone Name"].nunique() == 8
    total = isone_api.get_total_demand(pd.Timestamp("2021-08-16", tz="US/Eastern"))
    by_interval = estimated.groupby("Interval Start")["Estimated Load"].sum()
    native = total.set_index("Interval Start")["Native Load"]
    assert ((by_interval - native).abs() < 0.05).all()  # the zones add up to the system's native load
    forecast = isone_api.get_load_forecast_by_zone_5_min()
    assert forecast["Load Zone Name"].nunique() == 8 and forecast["Publish Time"].nunique() == 1
    assert (forecast["Publish Time"] >= forecast["Interval Start"].min()).all()


def test_seven_day_forecast_and_morning_report(isone_api) -> None:  # type: ignore[no-untyped-def]
    day = pd.Timestamp("2021-08-16", tz="US/Eastern")
    forecast = isone_api.get_capacity_forecast_7_day(day)
    assert len(forecast) == 6 and (forecast["Publish Time"].dt.date == day.date()).all()
    assert forecast["Interval Start"].min() == day + pd.Timedelta(days=1)
    report = isone_api.get_morning_report(day)
    assert len(report) == 1 and report["Report Date"].iloc[0] == day.date()
    assert report["NYISO AC Import Limit MW"].iloc[0] == -1400


def test_historical_offers_and_bids(isone_api, live_servers: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert requests.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": "2025-08-01T12:00:00Z"}).ok
    day = pd.Timestamp("2025-03-09", tz="US/Eastern")  # spring forward: 23 hours
    for name in ("ard_bids_day_ahead", "drr_offers_day_ahead", "import_offers_export_bids_day_ahead"):
        df = getattr(isone_api, f"get_{name}")(day)
        assert not df.empty and df["Interval Start"].nunique() == 23, name
    drr = isone_api.get_drr_offers_day_ahead(day)
    assert not drr.duplicated(["Interval Start", "Masked Lead Participant ID", "Masked Asset ID"]).any()
    trades = isone_api.get_import_offers_export_bids_day_ahead(day)
    assert trades.loc[trades["Transaction Type"] == "FIXED", "Price"].isna().all()
    for kind in ("energy", "ard", "drr"):
        offers = getattr(isone_api, f"get_ancillary_services_{kind}_offers_day_ahead")(day)
        assert not offers.empty and (offers["TMSR Price"] > 0).all(), kind


def test_day_ahead_ancillary_services(isone_api, live_servers: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert requests.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": "2025-08-01T18:30:00Z"}).ok
    day = pd.Timestamp("2025-07-30", tz="US/Eastern")
    reserves = isone_api.get_reserve_requirements_prices_forecast_day_ahead(day)
    assert len(reserves) == 24 and (reserves["TMSR Clearing Price"] >= reserves["TMOR Clearing Price"]).all()
    strikes = isone_api.get_ancillary_services_strike_prices_day_ahead(day)
    assert len(strikes) == 24 and (strikes["Strike Price"] > strikes["Expected RT Hub LMP"]).all()
    assert len(isone_api.get_reserve_requirements_prices_forecast_day_ahead("latest")) == 1
