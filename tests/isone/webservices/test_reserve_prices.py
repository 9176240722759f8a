"""Real-time reserve prices per reserve zone, checked through HTTP: August 2021 has ISO-NE's number
of hours with a non-zero reserve price (250, seed 002) in every zone; prices nest (spinning >=
non-spinning >= thirty-minute >= 0); an hour's price is the mean of its five minutes; reserves are
priced exactly when energy is dearest (every priced five minutes above every free one)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, json_of, rows, xml_of

ZONES = {"7000", "7001", "7002", "7003"}


def _hourly(client: TestClient, day: str) -> list[dict]:
    return rows(
        json_of(client, f"/hourlyfinalreserveprice/day/{day}"),
        "FinalHourlyReservePrices",
        "FinalHourlyReservePrice",
    )


def test_august_2021_has_iso_nes_hours_of_non_zero_reserve_prices(feeds: TestClient) -> None:
    at(feeds, "2021-09-10T12:00:00Z")
    priced: dict[int, int] = defaultdict(int)
    day = date(2021, 8, 1)
    while day.month == 8:
        for item in _hourly(feeds, f"{day:%Y%m%d}"):
            if item["TmorClearingPrice"] > 0:
                priced[item["ReserveZoneId"]] += 1
        day += timedelta(days=1)
    assert dict(priced) == {7000: 250, 7001: 250, 7002: 250, 7003: 250}


def test_prices_nest_and_an_hour_is_the_mean_of_its_five_minutes(feeds: TestClient) -> None:
    fives = rows(
        json_of(feeds, "/fiveminutereserveprice/final/day/20210816/reserveZone/7000"),
        "FiveMinReservePrices",
        "FiveMinReservePrice",
    )
    hourly = [i for i in _hourly(feeds, "20210816") if i["ReserveZoneId"] == 7000]
    assert len(fives) == 288 and len(hourly) == 24
    for item in fives + hourly:
        assert item["TmsrClearingPrice"] >= item["TmnsrClearingPrice"] >= item["TmorClearingPrice"] >= 0
    for n, hour in enumerate(hourly):
        mine = fives[12 * n : 12 * n + 12]
        for field in ("TmsrClearingPrice", "TmnsrClearingPrice", "TmorClearingPrice"):
            assert abs(hour[field] - sum(f[field] for f in mine) / 12) < 0.011
    assert {i["ReserveZoneName"] for i in _hourly(feeds, "20210816")} == {"ROS", "SWCT", "CT", "NEMABSTN"}


def test_reserves_are_priced_when_energy_is_dearest(feeds: TestClient) -> None:
    at(feeds, "2021-09-10T12:00:00Z")
    energy, reserve = {}, {}
    for stamp in ("20210811", "20210812", "20210813"):  # the month's heat wave
        for five in rows(
            json_of(feeds, f"/fiveminutelmp/final/day/{stamp}/location/4000"), "FiveMinLmps", "FiveMinLmp"
        ):
            energy[five["BeginDate"]] = five["EnergyComponent"]
        for item in rows(
            json_of(feeds, f"/fiveminutereserveprice/final/day/{stamp}/reserveZone/7000"),
            "FiveMinReservePrices",
            "FiveMinReservePrice",
        ):
            reserve[item["BeginDate"]] = item["TmorClearingPrice"]
    priced = [energy[t] for t, p in reserve.items() if p > 0]
    free = [energy[t] for t, p in reserve.items() if p == 0]
    assert priced and free and min(priced) > max(free) - 0.011


def test_documents_as_iso_ne_writes_them(feeds: TestClient) -> None:
    one = json_of(feeds, "/hourlyprelimreserveprice/current/reserveZone/7002")
    assert (
        list(one) == ["PrelimHourlyReservePrice"]
        and one["PrelimHourlyReservePrice"]["ReserveZoneName"] == "CT"
    )
    current = rows(
        json_of(feeds, "/fiveminutereserveprice/current"), "FiveMinReservePrices", "FiveMinReservePrice"
    )
    assert {str(i["ReserveZoneId"]) for i in current} == ZONES and len({i["BeginDate"] for i in current}) == 1
    for path in (
        "/fiveminutereserveprice/current",
        "/hourlyprelimreserveprice/day/20210819",
        "/hourlyfinalreserveprice/day/20210816",
    ):
        xml_of(feeds, path)
