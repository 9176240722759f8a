"""The rules every LMP feed keeps, checked through HTTP with numbers recomputed here: LMP = energy +
congestion + loss; an hourly real-time LMP is the mean of its twelve five-minute LMPs; DST days have
23 and 25 hours; prices appear when ISO-NE publishes them (day-ahead the afternoon before,
preliminary real-time as intervals end, final two days later); the same request gives the same
numbers on any server with the same seed."""

from __future__ import annotations

from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, get, json_of, rows

COMPONENTS = ("EnergyComponent", "CongestionComponent", "LossComponent")


def _items(client: TestClient, path: str, root: str, item: str) -> list[dict]:
    return rows(json_of(client, path), root, item)


@pytest.mark.parametrize(
    "path",
    [
        "/hourlylmp/da/final/day/20210816",
        "/hourlylmp/rt/final/day/20210816",
        "/fiveminutelmp/final/day/20210816/starthour/17",
    ],
)
def test_an_lmp_is_the_sum_of_its_components(feeds: TestClient, path: str) -> None:
    root, item = ("FiveMinLmps", "FiveMinLmp") if "five" in path else ("HourlyLmps", "HourlyLmp")
    found = _items(feeds, path, root, item)
    assert found
    for lmp in found:
        assert abs(lmp["LmpTotal"] - sum(lmp[c] for c in COMPONENTS)) < 0.0051
    energy = {(i["BeginDate"], i["Location"]["@LocType"]) for i in found}
    assert len({i["EnergyComponent"] for i in found if i["BeginDate"] == found[0]["BeginDate"]}) == 1, energy


def test_an_hourly_real_time_lmp_is_the_mean_of_its_five_minute_lmps(feeds: TestClient) -> None:
    hourly = _items(feeds, "/hourlylmp/rt/final/day/20210816", "HourlyLmps", "HourlyLmp")
    by_hour = {(i["BeginDate"][:13], i["Location"]["@LocId"]): i for i in hourly}
    for hour in ("06", "17"):
        fives = _items(
            feeds, f"/fiveminutelmp/final/day/20210816/starthour/{hour}", "FiveMinLmps", "FiveMinLmp"
        )
        grouped: dict[str, list[dict]] = defaultdict(list)
        for five in fives:
            grouped[five["Location"]["@LocId"]].append(five)
        assert grouped and all(len(v) == 12 for v in grouped.values())
        for loc_id, mine in grouped.items():
            held = by_hour[(f"2021-08-16T{hour}", loc_id)]
            for field in ("LmpTotal", *COMPONENTS):
                mean = sum(f[field] for f in mine) / 12
                assert abs(held[field] - mean) <= 0.0151, (loc_id, field, held[field], mean)


@pytest.mark.parametrize(("day", "hours"), [("20210314", 23), ("20211107", 25), ("20210816", 24)])
def test_dst_days_have_23_and_25_hours(feeds: TestClient, day: str, hours: int) -> None:
    at(feeds, "2022-01-15T12:00:00Z")  # every day asked for is published
    found = _items(feeds, f"/hourlylmp/da/final/day/{day}/location/4000", "HourlyLmps", "HourlyLmp")
    stamps = [i["BeginDate"] for i in found]
    assert len(stamps) == hours == len(set(stamps))
    if hours == 25:  # 01:00 twice, told apart by the offset
        assert "2021-11-07T01:00:00.000-04:00" in stamps and "2021-11-07T01:00:00.000-05:00" in stamps
    if hours == 23:
        assert not any(s.startswith("2021-03-14T02:") for s in stamps)
        assert _items(feeds, f"/hourlylmp/da/final/day/{day}/hour/02", "HourlyLmps", "HourlyLmp") == []
    fives = _items(feeds, f"/fiveminutelmp/final/day/{day}/location/4000", "FiveMinLmps", "FiveMinLmp")
    assert len(fives) == hours * 12


def test_the_day_ahead_market_publishes_the_afternoon_before(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T17:00:00Z")  # 13:00 EDT on the 16th: the 17th's results not out yet
    assert _items(feeds, "/hourlylmp/da/final/day/20210817/location/4000", "HourlyLmps", "HourlyLmp") == []
    at(feeds, "2021-08-16T17:08:00Z")  # 13:08 EDT
    assert (
        len(_items(feeds, "/hourlylmp/da/final/day/20210817/location/4000", "HourlyLmps", "HourlyLmp")) == 24
    )
    latest = _items(feeds, "/hourlylmp/da/final/day/latest", "HourlyLmps", "HourlyLmp")
    assert latest[0]["BeginDate"].startswith("2021-08-17")


def test_real_time_prices_appear_as_intervals_end_and_final_ones_two_days_later(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T18:12:30Z")  # 14:12:30 EDT
    prelim = _items(feeds, "/hourlylmp/rt/prelim/day/20210816/location/4000", "HourlyLmps", "HourlyLmp")
    assert [i["BeginDate"][11:13] for i in prelim] == [f"{h:02d}" for h in range(14)]  # through 13:00-14:00
    current = json_of(feeds, "/fiveminutelmp/prelim/current/location/4000")["FiveMinLmps"]["FiveMinLmp"]
    assert current["BeginDate"] == "2021-08-16T14:10:00.000-04:00"
    at(feeds, "2021-08-16T18:15:30Z")
    moved = json_of(feeds, "/fiveminutelmp/prelim/current/location/4000")["FiveMinLmps"]["FiveMinLmp"]
    assert moved["BeginDate"] == "2021-08-16T14:15:00.000-04:00"
    assert _items(feeds, "/hourlylmp/rt/final/day/20210816", "HourlyLmps", "HourlyLmp") == []
    at(feeds, "2021-08-18T14:00:00Z")  # 10:00 EDT two days later
    final = _items(feeds, "/hourlylmp/rt/final/day/20210816/location/4000", "HourlyLmps", "HourlyLmp")
    assert len(final) == 24
    prelim = _items(feeds, "/hourlylmp/rt/prelim/day/20210816/location/4000", "HourlyLmps", "HourlyLmp")
    assert [i["LmpTotal"] for i in final] == [i["LmpTotal"] for i in prelim]


def test_the_same_seed_gives_the_same_numbers_on_another_server(feeds: TestClient, fresh_app) -> None:  # type: ignore[no-untyped-def]
    other = TestClient(fresh_app(clock_frozen_at="2021-08-20T18:02:00Z"))
    path = "/hourlylmp/da/final/day/20210812.json"
    assert get(feeds, path).content == get(other, path).content


def test_a_fifteen_minute_lmp_is_the_mean_of_its_three_five_minute_lmps(feeds: TestClient) -> None:
    quarters = _items(
        feeds, "/fifteenminutelmp/final/day/20210816/location/4008", "FifteenMinLmps", "FifteenMinLmp"
    )
    fives = _items(feeds, "/fiveminutelmp/final/day/20210816/location/4008", "FiveMinLmps", "FiveMinLmp")
    assert len(quarters) == 96 and len(fives) == 288
    for n, quarter in enumerate(quarters):
        mine = fives[3 * n : 3 * n + 3]
        assert mine[0]["BeginDate"] == quarter["BeginDate"]
        for field in ("LmpTotal", *COMPONENTS):
            assert abs(quarter[field] - sum(f[field] for f in mine) / 3) <= 0.0151
    info = json_of(feeds, "/fifteenminutelmp/prelim")["ServiceInfo"]
    assert info["LatestBeginDate"] == "2021-08-20T13:45:00.000-04:00"  # the quarter that ended at 14:00
