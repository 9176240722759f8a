"""Regulation clearing prices every five minutes, checked through HTTP: August 2021's on-peak and
off-peak averages and maxima as ISO-NE reported them (seed 002 section 9.2), the capacity price
following the energy price, every interval of a DST day with ISO-NE's hour-ending labels, and the
publication of preliminary and final prices."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import at, get, json_of, rows, xml_of

# Seed 002, section 9.2, August 2021 (service and capacity clearing prices).
AUGUST_2021 = {
    ("on_peak", "service", "avg"): 0.45,
    ("on_peak", "service", "max"): 10.00,
    ("off_peak", "service", "avg"): 0.17,
    ("on_peak", "capacity", "avg"): 38.01,
    ("on_peak", "capacity", "max"): 454.90,
    ("off_peak", "capacity", "avg"): 18.11,
    ("off_peak", "capacity", "max"): 289.87,
}


def _prices(client: TestClient, path: str) -> list[dict]:
    return rows(json_of(client, path), "FiveMinRcps", "FiveMinRcp")


def _on_peak(begin: datetime) -> bool:
    """NERC on-peak as seed 002 defines it: weekdays, hours ending 08-23 (holidays aside)."""
    return begin.weekday() < 5 and 7 <= begin.hour < 23


def test_august_2021_matches_iso_nes_reported_statistics(feeds: TestClient) -> None:
    at(feeds, "2021-09-10T12:00:00Z")
    found: dict[tuple[str, str], list[float]] = {}
    day = date(2021, 8, 1)
    while day.month == 8:
        for item in _prices(feeds, f"/fiveminutercp/final/day/{day:%Y%m%d}"):
            period = "on_peak" if _on_peak(datetime.fromisoformat(item["BeginDate"])) else "off_peak"
            found.setdefault((period, "service"), []).append(item["RegServiceClearingPrice"])
            found.setdefault((period, "capacity"), []).append(item["RegCapacityClearingPrice"])
        day += timedelta(days=1)
    assert sum(len(v) for k, v in found.items() if k[1] == "service") == 31 * 288
    for (period, kind, statistic), wanted in AUGUST_2021.items():
        values = found[(period, kind)]
        if statistic == "avg":
            assert abs(sum(values) / len(values) - wanted) <= 0.05 * wanted, (period, kind)
        else:
            assert abs(max(values) - wanted) <= 0.15 * wanted, (period, kind)


def test_the_capacity_price_follows_the_energy_price(feeds: TestClient) -> None:
    prices = _prices(feeds, "/fiveminutercp/final/day/20210812")
    energy = rows(
        json_of(feeds, "/fiveminutelmp/final/day/20210812/location/4000"), "FiveMinLmps", "FiveMinLmp"
    )
    assert [p["BeginDate"] for p in prices] == [e["BeginDate"] for e in energy]
    xs = [e["EnergyComponent"] for e in energy]
    ys = [p["RegCapacityClearingPrice"] for p in prices]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    spread = (sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5
    assert covariance / spread > 0.5


def test_a_fall_day_has_25_hours_and_the_repeated_hour_ends_02x(feeds: TestClient) -> None:
    at(feeds, "2021-11-20T12:00:00Z")
    items = _prices(feeds, "/fiveminutercp/final/day/20211107")
    assert len(items) == 25 * 12
    labels = [i["HourEnd"] for i in items[::12]]
    assert labels == ["01", "02", "02X"] + [f"{h:02d}" for h in range(3, 25)]
    assert len(_prices(feeds, "/fiveminutercp/final/day/20210314")) == 23 * 12
    xml_of(feeds, "/fiveminutercp/final/day/20211107")


def test_preliminary_prices_as_intervals_begin_final_two_days_later(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T16:10:30Z")  # 12:10:30 EDT
    prelim = _prices(feeds, "/fiveminutercp/prelim/day/20210816")
    assert prelim[-1]["BeginDate"] == "2021-08-16T12:10:00.000-04:00"
    assert _prices(feeds, "/fiveminutercp/day/20210816") == prelim  # the deprecated path: preliminary
    current = json_of(feeds, "/fiveminutercp/current")["FiveMinRcps"]["FiveMinRcp"]
    assert current == [prelim[-1]]  # a list even for one interval, as gridstatus reads it
    assert _prices(feeds, "/fiveminutercp/final/day/20210816") == []
    at(feeds, "2021-08-18T14:00:00Z")
    final = _prices(feeds, "/fiveminutercp/final/day/20210816")
    assert len(final) == 288 and final[: len(prelim)] == prelim
    assert get(feeds, "/fiveminutercp/hourly/day/20210816").status_code == 400
