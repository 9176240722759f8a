"""Binding constraints, checked through HTTP: day-ahead hourly (published with the day-ahead market's
results), five-minute and fifteen-minute real time (preliminary as intervals end, final two days
after), in ISO-NE's documents (DayAheadConstraints, RealTimeConstraints, FifteenMinBcs); a
fifteen-minute value is the mean of its three five-minute values; constraints bind when energy is
dear; ISO-NE's hour-ending labels on the fall day's repeated hour."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import NS, at, get, json_of, rows, xml_of

EASTERN = ZoneInfo("America/New_York")


def _day_ahead(client: TestClient, day: str) -> list[dict]:
    return rows(
        json_of(client, f"/dayaheadconstraints/day/{day}"), "DayAheadConstraints", "DayAheadConstraint"
    )


def _five(client: TestClient, kind: str, day: str) -> list[dict]:
    return rows(
        json_of(client, f"/fiveminuteconstraints/{kind}/day/{day}"),
        "RealTimeConstraints",
        "RealTimeConstraint",
    )


def _fifteen(client: TestClient, kind: str, day: str) -> list[dict]:
    return rows(
        json_of(client, f"/fifteenminuteconstraints/{kind}/day/{day}"), "FifteenMinBcs", "FifteenMinBc"
    )


def test_day_ahead_constraints_appear_with_the_day_ahead_results(feeds: TestClient) -> None:
    at(feeds, "2021-08-15T17:07:53Z")  # 13:07:53 EDT the day before
    assert _day_ahead(feeds, "20210816") == []
    at(feeds, "2021-08-15T17:07:54Z")
    found = _day_ahead(feeds, "20210816")
    assert found
    for item in found:
        assert list(item) == [
            "BeginDate",
            "ConstraintName",
            "ContingencyName",
            "InterfaceFlag",
            "MarginalValue",
        ]
        assert item["BeginDate"].startswith("2021-08-16T") and item["BeginDate"].endswith(":00:00.000-04:00")
        assert item["MarginalValue"] < 0
        assert item["InterfaceFlag"] == ("Y" if item["ContingencyName"] == "Interface" else "N")
    root = xml_of(feeds, "/dayaheadconstraints/day/20210816")
    assert len(root.findall("w:DayAheadConstraint", NS)) == len(found)


def test_day_ahead_current_is_the_hour_in_progress(feeds: TestClient) -> None:
    day = _day_ahead(feeds, "20210816")
    hours = sorted({i["BeginDate"] for i in day})
    hour = hours[len(hours) // 2]
    begin = datetime.fromisoformat(hour)
    at(feeds, (begin + timedelta(minutes=20)).astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ"))
    current = rows(
        json_of(feeds, "/dayaheadconstraints/current"), "DayAheadConstraints", "DayAheadConstraint"
    )
    assert current == [i for i in day if i["BeginDate"] == hour]


def test_constraints_bind_when_energy_is_dear(feeds: TestClient) -> None:
    """Over a month, hours with a binding day-ahead constraint have dearer energy than hours without."""
    at(feeds, "2021-09-10T12:00:00Z")
    bound, free = [], []
    for n in range(1, 32):
        stamp = f"202108{n:02d}"
        binding = {i["BeginDate"] for i in _day_ahead(feeds, stamp)}
        for lmp in rows(
            json_of(feeds, f"/hourlylmp/da/final/day/{stamp}/location/4000"), "HourlyLmps", "HourlyLmp"
        ):
            (bound if lmp["BeginDate"] in binding else free).append(lmp["EnergyComponent"])
    assert len(bound) > 50 and len(free) > 50
    assert sum(bound) / len(bound) > 1.1 * sum(free) / len(free)


def test_five_minute_preliminary_as_intervals_end_and_final_two_days_later(feeds: TestClient) -> None:
    at(feeds, "2021-08-18T13:59:00Z")  # 09:59 EDT two days after
    final = _five(feeds, "final", "20210816")
    assert final == []  # final values come two days after the operating day, at 10:00
    at(feeds, "2021-08-18T14:00:00Z")
    final = _five(feeds, "final", "20210816")
    assert final == _five(feeds, "prelim", "20210816") and final
    at(feeds, "2021-08-17T03:00:24Z")  # 23:00:24 EDT: the 23:00 interval not yet published
    today = _five(feeds, "prelim", "20210816")
    assert today and today == [i for i in final if i["BeginDate"] < "2021-08-16T23:00:00.000-04:00"]
    at(feeds, "2021-08-17T03:00:25Z")
    assert _five(feeds, "prelim", "20210816") == [
        i for i in final if i["BeginDate"] <= "2021-08-16T23:00:00.000-04:00"
    ]


def test_a_fifteen_minute_value_is_the_mean_of_its_five_minutes(feeds: TestClient) -> None:
    fives = _five(feeds, "final", "20210817")
    sums: dict[tuple[str, str], float] = {}
    strongest: dict[tuple[str, str], tuple[float, str]] = {}
    for item in fives:
        begin = datetime.fromisoformat(item["BeginDate"])
        quarter = begin - timedelta(minutes=begin.minute % 15)
        key = (quarter.isoformat(timespec="milliseconds"), item["ConstraintName"])
        sums[key] = sums.get(key, 0.0) + item["MarginalValue"]
        strongest[key] = min(strongest.get(key, (0.0, "")), (item["MarginalValue"], item["BeginDate"]))
    fifteen = _fifteen(feeds, "final", "20210817")
    assert len(fifteen) == len(sums)
    for item in fifteen:
        assert item["Type"] == "FINAL"
        key = (item["BeginDate"], item["ConstraintName"])
        assert abs(item["MarginalValue"] - sums[key] / 3) <= 0.0051
        assert item["MarginalValueInterval"] == strongest[key][1]
        begin = datetime.fromisoformat(item["BeginDate"])
        assert item["HourEnd"] == f"{begin.hour + 1:02d}"
    xml_of(feeds, "/fifteenminuteconstraints/final/day/20210817")


def test_hour_ending_labels_on_the_fall_day(feeds: TestClient) -> None:
    """HourEnd is ISO-NE's hour-ending label: the repeated 01:00 hour (EST) ends 02X."""
    at(feeds, "2021-11-20T12:00:00Z")
    items = _fifteen(feeds, "final", "20211107")
    assert items
    for item in items:
        begin = datetime.fromisoformat(item["BeginDate"])
        repeated = begin.hour == 1 and begin.utcoffset() == timedelta(hours=-5)
        assert item["HourEnd"] == f"{begin.hour + 1:02d}" + ("X" if repeated else "")
    month = rows(
        json_of(feeds, "/fifteenminuteconstraints/final/month/202111"), "FifteenMinBcs", "FifteenMinBc"
    )
    assert {i["BeginDate"][:10] for i in month} <= {f"2021-11-{d:02d}" for d in range(1, 31)}
    assert [i for i in month if i["BeginDate"].startswith("2021-11-07")] == items


def test_info_names_the_newest_interval(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T16:07:30Z")  # 12:07:30 EDT
    info = json_of(feeds, "/fiveminuteconstraints/prelim/info")["ServiceInfo"]
    assert info == {
        "LatestBeginDate": "2021-08-16T12:05:00.000-04:00",
        "CreationDate": "2021-08-16T12:05:25.000-04:00",
    }
    quarter = json_of(feeds, "/fifteenminuteconstraints/prelim/info")["ServiceInfo"]
    assert quarter["LatestBeginDate"] == "2021-08-16T11:45:00.000-04:00"
    bare = get(feeds, "/fifteenminuteconstraints/prelim.json")  # the "Default resource" is its info
    assert bare.status_code == 200 and bare.json() == {"ServiceInfo": quarter}


@pytest.mark.parametrize(
    "path",
    [
        "/fiveminuteconstraints/daily/day/20210816",
        "/fifteenminuteconstraints/final/month/202113",
        "/fifteenminuteconstraints/final/month/2021",
        "/dayaheadconstraints/day/20210230",
    ],
)
def test_a_bad_type_day_or_month_is_400(feeds: TestClient, path: str) -> None:
    answer = get(feeds, path)
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
