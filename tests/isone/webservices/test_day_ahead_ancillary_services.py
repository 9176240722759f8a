"""Day-ahead ancillary services (from March 2025), checked through HTTP: the strike price is the
expected real-time hub LMP plus a fixed adder, the expected close-out charge is the expected excess
of the LMP over the strike for the published spread (recomputed here), every product clears at or
above it and the products nest; requirements are the reserve zones' and the energy requirement the
load forecast; strike prices are out the morning before, the rest with the day-ahead results."""

from __future__ import annotations

import math

from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, json_of, rows, xml_of


def _items(client: TestClient, path: str, group: str, item: str) -> list[dict]:
    body = json_of(client, path)["isone_web_services"][group]
    if body == "":
        return []
    found = body[item]
    return found if isinstance(found, list) else [found]


def _expected_excess(mean: float, p90: float, strike: float) -> float:
    """E[max(0, X - strike)] for X normal, its deviation read from the 90th percentile."""
    sigma = (p90 - mean) / 1.2816
    d = (mean - strike) / sigma
    return (mean - strike) * 0.5 * (1 + math.erf(d / math.sqrt(2))) + sigma * math.exp(
        -d * d / 2
    ) / math.sqrt(2 * math.pi)


def test_strike_prices_and_close_out_charges(feeds: TestClient) -> None:
    at(feeds, "2025-08-03T12:00:00Z")
    strikes = _items(
        feeds, "/daasstrikeprices/day/20250802", "day_ahead_strike_prices", "day_ahead_strike_price"
    )
    hub = rows(json_of(feeds, "/hourlylmp/da/final/day/20250802/location/4000"), "HourlyLmps", "HourlyLmp")
    assert len(strikes) == len(hub) == 24
    for strike, lmp in zip(strikes, hub, strict=True):
        assert strike["market_hour"]["local_day"] == lmp["BeginDate"]
        assert strike["expected_rt_hub_lmp"] == lmp["LmpTotal"]
        assert abs(strike["strike_price"] - strike["expected_rt_hub_lmp"] - 10) < 0.0051
        p = [strike[f"percentile_{n}_rt_hub_lmp"] for n in (10, 25, 75, 90)]
        assert p == sorted(p)
        wanted = _expected_excess(
            strike["expected_rt_hub_lmp"], strike["percentile_90_rt_hub_lmp"], strike["strike_price"]
        )
        assert abs(strike["expected_closeout_charge"] - wanted) < 0.02
    xml_of(feeds, "/daasstrikeprices/day/20250802")


def test_reserve_products_clear_above_the_close_out_charge_and_nest(feeds: TestClient) -> None:
    at(feeds, "2025-08-03T12:00:00Z")
    reserves = _items(feeds, "/daasreservedata/day/20250802", "day_ahead_reserves", "day_ahead_reserve")
    strikes = _items(
        feeds, "/daasstrikeprices/day/20250802", "day_ahead_strike_prices", "day_ahead_strike_price"
    )
    forecast = rows(
        json_of(feeds, "/hourlyloadforecast/day/20250802"), "HourlyLoadForecasts", "HourlyLoadForecast"
    )
    for r, s, f in zip(reserves, strikes, forecast, strict=True):
        assert r["fer_clearing_price"] >= s["expected_closeout_charge"] - 0.0051
        assert (
            r["tmsr_clearing_price"]
            >= r["tmnsr_clearing_price"]
            >= r["tmor_clearing_price"]
            >= r["fer_clearing_price"]
        )
        assert r["forecasted_energy_req_mw"] == f["LoadMw"] == s["spc_load_forecast_mw"]
        assert r["ten_min_spin_req_mw"] <= r["total_ten_min_req_mw"] <= r["total_thirty_min_req_mw"]
        assert r["tmsr_designation_mw"] + r["tmnsr_designation_mw"] == r["total_ten_min_req_mw"]
        assert r["eir_designation_mw"] >= 0
    xml_of(feeds, "/daasreservedata/day/20250802")


def test_nothing_before_march_2025_and_publication_times(feeds: TestClient) -> None:
    at(feeds, "2025-08-03T12:00:00Z")
    assert _items(feeds, "/daasreservedata/day/20250228", "day_ahead_reserves", "day_ahead_reserve") == []
    at(feeds, "2025-08-01T11:29:59Z")  # 07:29:59 EDT the day before
    assert (
        _items(feeds, "/daasstrikeprices/day/20250802", "day_ahead_strike_prices", "day_ahead_strike_price")
        == []
    )
    at(feeds, "2025-08-01T11:30:00Z")
    assert (
        len(
            _items(
                feeds, "/daasstrikeprices/day/20250802", "day_ahead_strike_prices", "day_ahead_strike_price"
            )
        )
        == 24
    )
    assert _items(feeds, "/daasreservedata/day/20250802", "day_ahead_reserves", "day_ahead_reserve") == []
    at(feeds, "2025-08-01T17:07:54Z")  # 13:07:54 EDT: the day-ahead results
    assert (
        len(_items(feeds, "/daasreservedata/day/20250802", "day_ahead_reserves", "day_ahead_reserve")) == 24
    )
    at(feeds, "2025-08-02T18:30:00Z")  # 14:30 EDT
    [current] = _items(feeds, "/daasreservedata/current", "day_ahead_reserves", "day_ahead_reserve")
    assert current["market_hour"]["local_day"] == "2025-08-02T14:00:00.000-04:00"
