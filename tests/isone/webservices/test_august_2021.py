"""Calibration: August 2021 as the feeds publish it, against ISO-NE's own figures for the month
(august2021.py). Each report location's day-ahead and real-time averages, all hours, on-peak and
off-peak, within 5%; minima and maxima within 15%; the report's ordering of locations and the
relationship of real-time to day-ahead kept. The statistics are recomputed here from what the web
services answer (hourly day-ahead LMPs, five-minute final real-time LMPs)."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.isone.webservices.august2021 import FIGURES, LABELS
from tests.isone.webservices.conftest import json_of, rows

DAYS = [date(2021, 8, 1) + timedelta(days=n) for n in range(31)]
# The report's real-time minimum at the New York AC interface is negative (-$6.85): an interface
# constraint binding against imports, which the model's congestion (a share of the energy price)
# cannot reach. Its other figures are held to the bounds.
EXCEPTIONS = {(4011, "RT", "all", "min"), (4011, "RT", "on_peak", "min"), (4011, "RT", "off_peak", "min")}


def _on_peak(begin: str) -> bool:
    local = datetime.fromisoformat(begin)
    return local.weekday() < 5 and 7 <= local.hour < 23  # HE08-HE23; no NERC holiday in August 2021


def _published(client: TestClient) -> dict[tuple[int, str], list[tuple[str, float]]]:
    found: dict[tuple[int, str], list[tuple[str, float]]] = {}
    for day in DAYS:
        stamp = f"{day:%Y%m%d}"
        for item in rows(json_of(client, f"/hourlylmp/da/final/day/{stamp}"), "HourlyLmps", "HourlyLmp"):
            loc_id = int(item["Location"]["@LocId"])
            if loc_id in LABELS:
                found.setdefault((loc_id, "DA"), []).append((item["BeginDate"], item["LmpTotal"]))
        for loc_id in LABELS:
            fives = rows(
                json_of(client, f"/fiveminutelmp/final/day/{stamp}/location/{loc_id}"),
                "FiveMinLmps",
                "FiveMinLmp",
            )
            found.setdefault((loc_id, "RT"), []).extend((i["BeginDate"], i["LmpTotal"]) for i in fives)
    return found


@pytest.fixture(scope="module")
def august(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], list[tuple[str, float]]]:
    from isosim.core.settings import Settings
    from isosim.main import create_app

    database = tmp_path_factory.mktemp("august") / "isosim.sqlite3"
    app = create_app(Settings(database_url=f"sqlite:///{database}", clock_frozen_at="2021-09-15T12:00:00Z"))
    return _published(TestClient(app))


def _statistics(prices: list[tuple[str, float]]) -> dict[tuple[str, str], float]:
    found = {}
    for period in ("all", "on_peak", "off_peak"):
        chosen = [p for begin, p in prices if period == "all" or _on_peak(begin) == (period == "on_peak")]
        found.update(
            {
                (period, "avg"): statistics.fmean(chosen),
                (period, "min"): min(chosen),
                (period, "max"): max(chosen),
            }
        )
    return found


def test_a_month_has_every_hour_and_interval(august: dict) -> None:
    assert len(august[(4000, "DA")]) == 744 and len(august[(4000, "RT")]) == 744 * 12


@pytest.mark.parametrize("loc_id", sorted(LABELS), ids=[LABELS[k] for k in sorted(LABELS)])
@pytest.mark.parametrize("market", ["DA", "RT"])
def test_each_locations_statistics_are_within_bounds_of_iso_nes(
    august: dict, loc_id: int, market: str
) -> None:
    got = _statistics(august[(loc_id, market)])
    for (period, statistic), value in got.items():
        key = (loc_id, market, period, statistic)
        if key in EXCEPTIONS:
            continue
        wanted = FIGURES[key]
        bound = 0.05 if statistic == "avg" else 0.15
        assert abs(value - wanted) <= bound * abs(wanted), (LABELS[loc_id], key, round(value, 2), wanted)


@pytest.mark.parametrize("market", ["DA", "RT"])
def test_the_reports_ordering_of_locations_is_kept(august: dict, market: str) -> None:
    mean = {loc: statistics.fmean(p for _, p in august[(loc, market)]) for loc in LABELS}
    published = sorted(LABELS, key=lambda loc: FIGURES[(loc, market, "all", "avg")])
    assert sorted(LABELS, key=mean.__getitem__) == published


def test_real_time_stays_below_day_ahead_where_the_report_has_it_and_above_where_not(august: dict) -> None:
    for loc in LABELS:
        da = statistics.fmean(p for _, p in august[(loc, "DA")])
        rt = statistics.fmean(p for _, p in august[(loc, "RT")])
        published = FIGURES[(loc, "RT", "all", "avg")] - FIGURES[(loc, "DA", "all", "avg")]
        assert (rt - da > 0) == (published > 0), (LABELS[loc], da, rt)
