"""Five-minute zonal load, checked through HTTP, in ISO-NE's second document style (no namespace,
snake_case names under isone_web_services): the eight load zones' estimated loads add up to the
system's native load and their behind-the-meter solar to the system's; the forecast's current issue
covers the next two hours from the interval in progress, for every zone."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, get, json_of, xml_of

ZONES = {
    4001: ".Z.MAINE",
    4002: ".Z.NEWHAMPSHIRE",
    4003: ".Z.VERMONT",
    4004: ".Z.CONNECTICUT",
    4005: ".Z.RHODEISLAND",
    4006: ".Z.SEMASS",
    4007: ".Z.WCMASS",
    4008: ".Z.NEMASSBOST",
}


def _estimated(client: TestClient, path: str) -> list[dict]:
    body = json_of(client, path)["isone_web_services"]["five_min_estimated_zonal_loads"]
    if body == "":
        return []
    found = body["five_min_estimated_zonal_load"]
    return found if isinstance(found, list) else [found]


def _forecast(client: TestClient, path: str) -> list[dict]:
    found = json_of(client, path)["isone_web_services"]["five_min_zonal_forecast_data"][
        "five_min_zonal_forecast"
    ]
    return found if isinstance(found, list) else [found]


def test_zones_add_up_to_the_system_load(feeds: TestClient) -> None:
    zones = _estimated(feeds, "/fiveminuteestimatedzonalload/day/20210816")
    system = json_of(feeds, "/fiveminutesystemload/day/20210816")["FiveMinSystemLoads"]["FiveMinSystemLoad"]
    assert len(zones) == 288 * 8 and len(system) == 288
    assert {(z["load_zone_id"], z["load_zone_name"]) for z in zones} == set(ZONES.items())
    for n, whole in enumerate(system):
        mine = zones[8 * n : 8 * n + 8]
        assert {z["interval_begin_date"] for z in mine} == {whole["BeginDate"]}
        assert abs(sum(z["estimated_load_mw"] for z in mine) - whole["NativeLoad"]) < 0.05
        solar = whole["NativeLoadBtmPv"] - whole["NativeLoad"]
        assert abs(sum(z["estimated_btm_pv_mw"] for z in mine) - solar) < 0.05


def test_one_load_zone_and_the_current_interval(feeds: TestClient) -> None:
    one = _estimated(feeds, "/fiveminuteestimatedzonalload/day/20210816/loadzone/4004")
    assert len(one) == 288 and {z["load_zone_id"] for z in one} == {4004}
    at(feeds, "2021-08-16T16:10:30Z")  # 12:10:30 EDT
    current = _estimated(feeds, "/fiveminuteestimatedzonalload/current")
    assert {z["interval_begin_date"] for z in current} == {"2021-08-16T12:10:00.000-04:00"}
    assert len(current) == 8
    assert _estimated(feeds, "/fiveminuteestimatedzonalload/current/loadzone/9999") == []
    root = xml_of(feeds, "/fiveminuteestimatedzonalload/current")
    assert root.tag == "isone_web_services" and root.nsmap == {}
    assert len(root.findall("five_min_estimated_zonal_loads/five_min_estimated_zonal_load")) == 8


def test_the_forecast_covers_the_next_two_hours_for_every_zone(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T16:10:30Z")
    forecast = _forecast(feeds, "/fiveminutezonalloadforecast/current")
    starts = sorted({f["interval_begin_date"] for f in forecast})
    assert len(starts) == 24 and starts[0] == "2021-08-16T12:10:00.000-04:00"
    assert starts[-1] == "2021-08-16T14:05:00.000-04:00"
    assert len(forecast) == 24 * 8
    info = json_of(feeds, "/fiveminutezonalloadforecast/info")["ServiceInfo"]
    assert info["CreationDate"] == "2021-08-16T12:10:25.000-04:00" and info["CreationDate"] >= starts[0]
    actual = {
        z["load_zone_id"]: z["estimated_load_mw"]
        for z in _estimated(feeds, "/fiveminuteestimatedzonalload/current")
    }
    for item in forecast[:8]:  # the interval in progress is forecast within a percent
        assert abs(item["load_mw"] - actual[item["load_zone_id"]]) <= 0.01 * actual[item["load_zone_id"]]
    maine = _forecast(feeds, "/fiveminutezonalloadforecast/current/loadzone/4001")
    assert len(maine) == 24 and maine == [f for f in forecast if f["load_zone_id"] == 4001]
    xml_of(feeds, "/fiveminutezonalloadforecast/current")


def test_an_empty_answer_keeps_both_roots(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T04:00:10Z")  # midnight EDT: the day's first interval not yet published
    assert json_of(feeds, "/fiveminuteestimatedzonalload/day/20210816") == {
        "isone_web_services": {"five_min_estimated_zonal_loads": ""}
    }
    assert get(feeds, "/fiveminuteestimatedzonalload/day/2021081").status_code == 400
