"""Load, demand, forecasts, interchange and generation by fuel, checked through HTTP with the rules
recomputed here: generation by fuel plus net interchange meets the load of the same five minutes;
an hourly load is the mean of its five-minute loads; the zones' demands add up to the system's;
August 2021's interchange per interface matches ISO-NE's monthly figures; documents as ISO-NE
writes them (singular roots, lists, LocId-only references)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, json_of, rows, xml_of

DAY = "20210816"
# ISO-NE's August 2021 real-time interchange per interface (seed 002, section on external
# transactions): imports and exports in MWh over the month, exports negative.
AUGUST_2021_INTERCHANGE = {
    4010: (209695, -24552),
    4011: (1032991, -404453),
    4012: (1224254, -466),
    4013: (165146, -170),
    4014: (0, -241543),
    4017: (4439, -124502),
}


def _hourly_load(client: TestClient, day: str) -> dict[str, float]:
    items = rows(json_of(client, f"/hourlysysload/day/{day}"), "HourlySystemLoads", "HourlySystemLoad")
    return {i["BeginDate"]: i for i in items}


def test_generation_plus_net_imports_meets_the_load(feeds: TestClient) -> None:
    mix = rows(json_of(feeds, f"/genfuelmix/day/{DAY}"), "GenFuelMixes", "GenFuelMix")
    generation: dict[str, float] = defaultdict(float)
    for item in mix:
        generation[item["BeginDate"][:16]] += item["GenMw"]
    fives = rows(
        json_of(feeds, f"/fiveminutesystemload/day/{DAY}"), "FiveMinSystemLoads", "FiveMinSystemLoad"
    )
    interchange = rows(
        json_of(feeds, f"/actualinterchange/day/{DAY}"), "ActualInterchanges", "ActualInterchange"
    )
    net: dict[str, float] = defaultdict(float)
    for item in interchange:
        net[item["BeginDate"][:13]] += item["ActInterchange"]
    assert len(fives) == 288 and len(generation) == 288 and len(net) == 24
    for five in fives:
        stamp = five["BeginDate"][:16]
        assert abs(generation[stamp] + net[stamp[:13]] - five["NativeLoad"]) < 0.1, stamp


def test_an_hourly_load_is_the_mean_of_its_five_minute_loads(feeds: TestClient) -> None:
    hourly = _hourly_load(feeds, DAY)
    fives = rows(
        json_of(feeds, f"/fiveminutesystemload/day/{DAY}"), "FiveMinSystemLoads", "FiveMinSystemLoad"
    )
    by_hour: dict[str, list[float]] = defaultdict(list)
    for five in fives:
        by_hour[five["BeginDate"][:13]].append(five["NativeLoad"])
    assert len(hourly) == 24
    for begin, item in hourly.items():
        mine = by_hour[begin[:13]]
        assert len(mine) == 12 and abs(item["NativeLoad"] - sum(mine) / 12) < 0.011
        assert item["Load"] == pytest.approx(item["NativeLoad"] + item["ArdDemand"], abs=0.011)
        assert item["Location"] == {"@LocId": "32", "$": "NEPOOL AREA"}  # no LocType on load feeds


def test_zonal_demand_adds_up_to_the_system(feeds: TestClient) -> None:
    total = rows(json_of(feeds, "/realtimehourlydemand/current"), "HourlyRtDemands", "HourlyRtDemand")
    system = next(i["Load"] for i in total if i["Location"]["@LocId"] == "4000")
    zones = [i["Load"] for i in total if i["Location"]["@LocId"] != "4000"]
    assert len(zones) == 8 and abs(sum(zones) - system) < 1
    one = json_of(feeds, "/realtimehourlydemand/current/location/4004")
    assert list(one) == ["HourlyRtDemand"] and one["HourlyRtDemand"]["Location"]["$"] == ".Z.CONNECTICUT"
    da = rows(
        json_of(feeds, f"/dayaheadhourlydemand/day/{DAY}/location/4000"), "HourlyDaDemands", "HourlyDaDemand"
    )
    assert len(da) == 24


def test_current_forms_follow_iso_nes_shapes(feeds: TestClient) -> None:
    five = json_of(feeds, "/fiveminutesystemload/current")
    assert list(five) == ["FiveMinSystemLoad"] and isinstance(five["FiveMinSystemLoad"], list)
    assert len(five["FiveMinSystemLoad"]) == 1
    forecast = json_of(feeds, "/hourlyloadforecast/current")
    assert list(forecast) == ["HourlyLoadForecast"] and len(forecast["HourlyLoadForecast"]) == 1
    assert forecast["HourlyLoadForecast"][0]["BeginDate"] == "2021-08-20T14:00:00.000-04:00"
    hourly = json_of(feeds, "/hourlysysload/current")["HourlySystemLoads"]["HourlySystemLoad"]
    assert isinstance(hourly, dict)  # one item: an object (gridstatus wraps it)
    mix = rows(json_of(feeds, "/genfuelmix/current"), "GenFuelMixes", "GenFuelMix")
    assert len({i["BeginDate"] for i in mix}) == 1 and mix[0]["BeginDate"].endswith(":19.000-04:00")
    assert {i["FuelCategoryRollup"] for i in mix} == {
        "Coal",
        "Hydro",
        "Natural Gas",
        "Nuclear",
        "Oil",
        "Other",
        "Renewables",
    }
    assert sum(i["MarginalFlag"] == "Y" for i in mix) == 1
    for path in (
        "/genfuelmix/current",
        "/hourlysysload/current",
        "/fiveminutesystemload/current",
        "/realtimehourlydemand/current",
        "/hourlyloadforecast/day/20210821",
        "/actualinterchange/current",
    ):
        xml_of(feeds, path)


def test_the_load_forecast_is_issued_the_morning_before(feeds: TestClient) -> None:
    at(feeds, "2021-08-20T13:00:00Z")  # 09:00 EDT: the 21st's forecast is not out
    assert json_of(feeds, "/hourlyloadforecast/day/20210821") == {"HourlyLoadForecasts": ""}
    at(feeds, "2021-08-20T14:00:00Z")  # 10:00 EDT
    found = rows(
        json_of(feeds, "/hourlyloadforecast/day/20210821"), "HourlyLoadForecasts", "HourlyLoadForecast"
    )
    assert len(found) == 24 and {i["CreationDate"] for i in found} == {"2021-08-20T09:50:00.000-04:00"}
    assert all(i["NetLoadMw"] == i["LoadMw"] + i["LoadAdjustmentMw"] for i in found)


def test_august_2021_interchange_matches_iso_nes_month(feeds: TestClient) -> None:
    at(feeds, "2021-09-10T12:00:00Z")
    purchases: dict[int, float] = defaultdict(float)
    sales: dict[int, float] = defaultdict(float)
    day = date(2021, 8, 1)
    while day.month == 8:
        for item in rows(
            json_of(feeds, f"/actualinterchange/day/{day:%Y%m%d}"), "ActualInterchanges", "ActualInterchange"
        ):
            loc_id = int(item["Location"]["@LocId"])
            purchases[loc_id] += item["Purchase"]
            sales[loc_id] += item["Sale"]
            assert item["ActInterchange"] == pytest.approx(item["Purchase"] + item["Sale"], abs=0.011)
        day += timedelta(days=1)
    for loc_id, (imports, exports) in AUGUST_2021_INTERCHANGE.items():
        assert purchases[loc_id] == pytest.approx(imports, rel=0.05, abs=500), loc_id
        assert sales[loc_id] == pytest.approx(exports, rel=0.05, abs=500), loc_id


def test_a_fall_day_has_25_hours_of_load_and_interchange(feeds: TestClient) -> None:
    at(feeds, "2021-11-10T12:00:00Z")
    assert len(_hourly_load(feeds, "20211107")) == 25
    interchange = rows(
        json_of(feeds, "/actualinterchange/day/20211107"), "ActualInterchanges", "ActualInterchange"
    )
    assert len(interchange) == 25 * 6
    assert datetime.fromisoformat(interchange[0]["BeginDate"]).utcoffset() == timedelta(hours=-4)


def test_an_hours_interchange_is_the_mean_of_its_five_minute_flows(feeds: TestClient) -> None:
    flows = rows(json_of(feeds, f"/fiveminuteexternalflow/day/{DAY}"), "ExternalFlows", "ExternalFlow")
    hourly = rows(json_of(feeds, f"/actualinterchange/day/{DAY}"), "ActualInterchanges", "ActualInterchange")
    assert len(flows) == 288 * 6
    by_hour: dict[tuple[str, str], list[float]] = defaultdict(list)
    for flow in flows:
        by_hour[(flow["BeginDate"][:13], flow["Location"]["@LocId"])].append(flow["ActualFlow"])
        assert flow["CurrentSchedule"] == pytest.approx(flow["Purchase"] + flow["Sale"], abs=0.011)
    for item in hourly:
        mine = by_hour[(item["BeginDate"][:13], item["Location"]["@LocId"])]
        assert len(mine) == 12 and abs(sum(mine) / 12 - item["ActInterchange"]) < 0.011
    xml_of(feeds, f"/fiveminuteexternalflow/day/{DAY}")


def test_fifteen_minute_interchange_is_new_york_ac_without_the_repeated_fall_hour(feeds: TestClient) -> None:
    at(feeds, "2021-11-20T12:00:00Z")
    quarters = rows(
        json_of(feeds, "/fifteenminuteinterchange/day/20211107"),
        "ActualFifteenMinInterchanges",
        "ActualFifteenMinInterchange",
    )
    assert len(quarters) == 24 * 4 and {q["Location"]["@LocId"] for q in quarters} == {"4011"}
    spring = rows(
        json_of(feeds, "/fifteenminuteinterchange/day/20210314"),
        "ActualFifteenMinInterchanges",
        "ActualFifteenMinInterchange",
    )
    assert len(spring) == 23 * 4
    xml_of(feeds, "/fifteenminuteinterchange/day/20211107")


def test_reliability_regions_split_the_forecast(feeds: TestClient) -> None:
    regions = rows(
        json_of(feeds, "/reliabilityregionloadforecast/day/20210821/all"),
        "ReliabilityRegionLoadForecasts",
        "ReliabilityRegionLoadForecast",
    )
    system_forecast = rows(
        json_of(feeds, "/hourlyloadforecast/day/20210821"), "HourlyLoadForecasts", "HourlyLoadForecast"
    )
    assert len(regions) == 24 * 8 and len({r["ReliabilityRegion"] for r in regions}) == 8
    by_hour: dict[str, float] = defaultdict(float)
    for region in regions:
        by_hour[region["BeginDate"]] += region["LoadMw"]
    for hour in system_forecast:
        assert abs(by_hour[hour["BeginDate"]] - hour["LoadMw"]) <= 8  # each region rounded to the MW
    assert sum(r["ReliabilityRegionLoadPercentage"] for r in regions[:8]) == pytest.approx(100, abs=0.05)
    xml_of(feeds, "/reliabilityregionloadforecast/day/20210821")
