"""Schedule detail (seed 003; eMarket FAQ citing Market Rule III.13.6.4.1): each hour's status
(MUST_RUN, ECONOMIC, UNAVAILABLE) and dispatch limits, emergency minimum <= economic minimum <=
economic maximum <= real-time high operating limit; a DARD's minimum and maximum consumption."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.isone.emarket.conftest import (
    BEFORE_CLOSE,
    CC,
    DAY,
    PUMPS,
    STAMP,
    clock,
    document,
    hour,
    submit,
    unit_hours,
    units_document,
)

MIDNIGHT = f"{DAY}T00:00:00-04:00"


def _detail(client: TestClient, unit: str, **attributes: object):
    clock(client, BEFORE_CLOSE)
    body = units_document(
        "ScheduleDetails", "ScheduleDetail", {unit: [hour(MIDNIGHT, **attributes)]}, market=None
    )
    return submit(client, "scheduledetail", body)


def test_limits_in_order_are_accepted_and_queried_back(client: TestClient) -> None:
    outcome = _detail(client, CC, status="MUST_RUN", emergencyMin=50, ecoMin=80, ecoMax=190, rthol=193)
    assert outcome.status == "ACCEPTED"
    stored = unit_hours(document(client, f"scheduledetail?day={STAMP}"), CC)[0]
    assert {k: stored.get(k) for k in ("status", "emergencyMin", "ecoMin", "ecoMax", "rthol", "source")} == {
        "status": "MUST_RUN",
        "emergencyMin": "50",
        "ecoMin": "80",
        "ecoMax": "190",
        "rthol": "193",
        "source": "SUBMITTED",
    }


def test_limits_out_of_order_are_rejected(client: TestClient) -> None:
    for limits in (
        {"emergencyMin": 90, "ecoMin": 80, "ecoMax": 190, "rthol": 193},
        {"emergencyMin": 50, "ecoMin": 191, "ecoMax": 190, "rthol": 193},
        {"emergencyMin": 50, "ecoMin": 80, "ecoMax": 194, "rthol": 193},
    ):
        outcome = _detail(client, CC, status="ECONOMIC", **limits)
        assert outcome.status == "REJECTED" and outcome.codes() == {"E130"}, limits
    assert unit_hours(document(client, f"scheduledetail?day={STAMP}"), CC)[0].get("source") == "STANDING"


def test_a_dard_has_minimum_and_maximum_consumption(client: TestClient) -> None:
    assert (
        _detail(client, PUMPS, status="ECONOMIC", minConsumption=10, maxConsumption=80).status == "ACCEPTED"
    )
    stored = unit_hours(document(client, f"scheduledetail?day={STAMP}"), PUMPS)[0]
    assert (stored.get("minConsumption"), stored.get("maxConsumption"), stored.get("ecoMin")) == (
        "10",
        "80",
        None,
    )
    assert _detail(client, PUMPS, status="ECONOMIC", minConsumption=81, maxConsumption=80).codes() == {"E130"}


def test_the_status_is_one_of_isone_s_three(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    body = units_document(
        "ScheduleDetails", "ScheduleDetail", {CC: [hour(MIDNIGHT, status="SELF")]}, market=None
    )
    answer = client.post(
        "/env/isone-sandbox/emktmui/webservices/rest/scheduledetail",
        content=body,
        headers={"Content-Type": "application/xml"},
    )
    assert answer.status_code == 400
