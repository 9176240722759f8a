"""Day-ahead results (rest/unit/byparticipant, rest/public/systemsummary): published at 13:30 the day
before; a unit clears the segments priced below its node's day-ahead LMP, at least its economic
minimum once it runs (must-run hours always do), at most its economic maximum, nothing when
unavailable. The LMPs and the system's demand are the public web services' numbers, read here from
those feeds; hours are 23 or 25 on daylight-saving days, each an absolute `time`."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import basic
from tests.isone.emarket.conftest import (
    PRODUCTION,
    assets,
    clock,
    document,
    hour,
    offers,
    submit,
    unit_hours,
    units_document,
)

XYZ_PRODUCTION = basic("xyz-emkt", "xyz-emkt-production")
FEEDS = "/env/isone-production/api/v1.1"
ANALYST = basic("analyst@example.com", "isoexpress-sandbox")
DAY, STAMP = "2026-06-17", "20260617"  # a Wednesday in daylight time
CC, CT = "XYZ RIVERBEND CC", "XYZ MILLBROOK CT"


def _feed(client: TestClient, path: str, root: str, item: str) -> list[dict]:
    answer = client.get(f"{FEEDS}{path}.json", headers=ANALYST)
    assert answer.status_code == 200, answer.text[:200]
    found = json.loads(answer.content)[root]
    found = found[item] if found else []
    return found if isinstance(found, list) else [found]


def _lmps(client: TestClient, loc_id: str) -> list[float]:
    rows = _feed(client, f"/hourlylmp/da/final/day/{STAMP}/location/{loc_id}", "HourlyLmps", "HourlyLmp")
    return [float(r["LmpTotal"]) for r in rows]


def _clear(
    segments: list[tuple[float, float]], status: str, eco_min: float, eco_max: float, lmp: float
) -> float:
    if status == "UNAVAILABLE":
        return 0.0
    mw = max([m for p, m in segments if p < lmp], default=0.0)
    if status == "MUST_RUN" or mw > 0:
        mw = max(mw, eco_min)
    return min(mw, eco_max)


def test_awards_clear_the_offer_against_the_public_day_ahead_lmp_at_the_unit_node(client: TestClient) -> None:
    unit = assets("isone-production")[CC]
    eco_min, eco_max = float(unit["eco_min"]), float(unit["eco_max"])
    clock(client, "2026-06-16T13:00:00Z")  # 09:00 EDT the day before
    hours = [f"{DAY}T{h:02d}:00:00-04:00" for h in range(24)]
    segments = [(-5.0, eco_min), (22.0, 300.0), (31.0, 420.0), (48.0, eco_max)]
    body = offers({CC: [hour(t, segments) for t in hours]}, day=DAY)
    assert submit(client, "supplyoffer", body, XYZ_PRODUCTION, PRODUCTION).status == "ACCEPTED"
    statuses = ["MUST_RUN", "UNAVAILABLE"] + ["ECONOMIC"] * 22
    detail = units_document(
        "ScheduleDetails",
        "ScheduleDetail",
        {CC: [hour(t, status=s) for t, s in zip(hours, statuses, strict=True)]},
        day=DAY,
        market=None,
    )
    assert submit(client, "scheduledetail", detail, XYZ_PRODUCTION, PRODUCTION).status == "ACCEPTED"
    # a must-run hour with every segment priced out still runs at economic minimum
    expensive = offers({CC: [hour(hours[0], [(900.0, eco_max)])]}, day=DAY)
    assert submit(client, "supplyoffer", expensive, XYZ_PRODUCTION, PRODUCTION).status == "ACCEPTED"
    clock(client, "2026-06-16T17:29:59Z")  # 13:29:59 EDT: not yet published
    assert len(document(client, f"unit/byparticipant?day={STAMP}", XYZ_PRODUCTION, PRODUCTION)) == 0
    clock(client, "2026-06-16T17:30:00Z")
    awards = unit_hours(document(client, f"unit/byparticipant?day={STAMP}", XYZ_PRODUCTION, PRODUCTION), CC)
    lmps = _lmps(client, unit["loc_id"])
    assert [a.get("time") for a in awards] == hours
    assert [float(a.get("price")) for a in awards] == lmps
    expected = [
        _clear([(900.0, eco_max)] if n == 0 else segments, statuses[n], eco_min, eco_max, lmp)
        for n, lmp in enumerate(lmps)
    ]
    assert [float(a.get("MW")) for a in awards] == expected
    assert expected[0] == eco_min and expected[1] == 0.0
    assert len({mw for mw in expected[2:]}) > 1  # the day's prices cross some segments


def test_units_not_offered_clear_their_standing_offers(client: TestClient) -> None:
    clock(client, "2026-06-16T18:00:00Z")
    root = document(client, f"unit/byparticipant?day={STAMP}", XYZ_PRODUCTION, PRODUCTION)
    names = {u.findtext("{*}UnitShortName") for u in root}
    assert names == {
        n
        for n, row in assets("isone-production").items()
        if row["customer_id"] == "1" and row["kind"] == "GENERATOR"
    }
    offered = unit_hours(document(client, f"supplyoffer?day={STAMP}", XYZ_PRODUCTION, PRODUCTION), CT)
    awards = unit_hours(root, CT)
    lmps = _lmps(client, assets("isone-production")[CT]["loc_id"])
    schedule = unit_hours(document(client, f"scheduledetail?day={STAMP}", XYZ_PRODUCTION, PRODUCTION), CT)
    for offer, award, lmp, limits in zip(offered, awards, lmps, schedule, strict=True):
        segments = [(float(s.get("price")), float(s.get("MW"))) for s in offer.iterfind("{*}Segment")]
        mw = _clear(
            segments, limits.get("status"), float(limits.get("ecoMin")), float(limits.get("ecoMax")), lmp
        )
        assert float(award.get("MW")) == mw


def test_the_system_summary_is_the_public_day_ahead_demand_and_hub_price(client: TestClient) -> None:
    clock(client, "2026-06-16T17:30:00Z")
    hours = document(client, f"public/systemsummary?day={STAMP}", XYZ_PRODUCTION, PRODUCTION).findall(
        "{*}HourlyProfile/{*}Hour"
    )
    demand = _feed(
        client, f"/dayaheadhourlydemand/day/{STAMP}/location/4000", "HourlyDaDemands", "HourlyDaDemand"
    )
    assert [float(h.get("clearedDemand")) for h in hours] == [float(d["Load"]) for d in demand]
    assert [float(h.get("hubPrice")) for h in hours] == _lmps(client, "4000")
    clock(client, "2026-06-16T17:29:00Z")
    assert (
        document(client, f"public/systemsummary?day={STAMP}", XYZ_PRODUCTION, PRODUCTION).find(
            "{*}HourlyProfile"
        )
        is None
    )


def test_daylight_saving_days_have_23_and_25_hours(client: TestClient) -> None:
    clock(client, "2026-11-02T12:00:00Z")
    spring = unit_hours(document(client, "unit/byparticipant?day=20260308"), "XYZ RIVERBEND CC")
    assert len(spring) == 23
    assert [h.get("time") for h in spring[1:3]] == ["2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00"]
    fall = unit_hours(document(client, "unit/byparticipant?day=20261101"), "XYZ RIVERBEND CC")
    assert len(fall) == 25
    assert [h.get("time") for h in fall[1:3]] == ["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"]


def test_the_repeated_fall_hour_is_offered_by_its_offset(client: TestClient) -> None:
    clock(client, "2026-10-31T12:00:00Z")
    body = offers(
        {
            "XYZ MILLBROOK CT": [
                hour("2026-11-01T01:00:00-04:00", [(41, 57)]),
                hour("2026-11-01T01:00:00-05:00", [(42, 57)]),
            ]
        },
        day="2026-11-01",
    )
    assert submit(client, "supplyoffer", body).status == "ACCEPTED"
    found = unit_hours(document(client, "supplyoffer?day=20261101"), "XYZ MILLBROOK CT")
    prices = {h.get("time"): h.find("{*}Segment").get("price") for h in found}
    assert prices["2026-11-01T01:00:00-04:00"] == "41" and prices["2026-11-01T01:00:00-05:00"] == "42"
    assert len(found) == 25
