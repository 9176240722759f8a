"""The market monitor's conduct tests on offers in force (seed 003 appendix A), a report, never a
rejection: energy above reference + min(50%, $25/MWh) (constrained area, day-ahead and real time)
or + min(300%, $100/MWh) (general threshold, real time only); start-up and no-load above 3x
reference; a day-ahead commitment's low load cost (start-up + no-load + energy at economic minimum
over the run) above 1.10x the same at reference levels. Thresholds recomputed here from the pack's
reference levels."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.isone.emarket.conftest import (
    BEFORE_CLOSE,
    CC,
    DAY,
    STAMP,
    clock,
    document,
    hour,
    offers,
    reference_levels,
    submit,
    units_document,
)

HOURS = [f"{DAY}T{h:02d}:00:00-04:00" for h in range(24)]


def _tests(client: TestClient, market: str = "DA") -> dict[tuple[str, str], dict[str, str]]:
    root = document(client, f"mitigation?day={STAMP}&market={market}")
    return {(t.get("time"), t.get("test")): dict(t.attrib) for t in root if t.get("unit") == CC}


def test_energy_offers_above_the_constrained_area_threshold_fail(client: TestClient) -> None:
    ref = [reference_levels()[(CC, h)]["energy"] for h in range(24)]
    threshold = [round(r + min(0.5 * abs(r), 25), 4) for r in ref]
    clock(client, BEFORE_CLOSE)
    body = offers(
        {
            CC: [
                hour(HOURS[0], [(20, 100), (threshold[0], 193)]),
                hour(HOURS[1], [(20, 100), (round(threshold[1] + 0.01, 4), 193)]),
            ]
        }
    )
    assert submit(client, "supplyoffer", body).status == "ACCEPTED"  # accepted: mitigation comes after
    found = _tests(client)
    first, second = found[(HOURS[0], "CONSTRAINED_AREA_ENERGY")], found[(HOURS[1], "CONSTRAINED_AREA_ENERGY")]
    assert (float(first["threshold"]), first["result"]) == (threshold[0], "PASS")
    assert (float(second["threshold"]), second["result"]) == (threshold[1], "FAIL")
    assert float(second["reference"]) == ref[1]
    assert not any(test == "GENERAL_THRESHOLD_ENERGY" for _, test in found)  # real time only


def test_real_time_adds_the_general_threshold(client: TestClient) -> None:
    ref = reference_levels()[(CC, 20)]["energy"]
    general = round(ref + min(3 * abs(ref), 100), 4)
    clock(client, "2026-03-10T23:00:00Z")
    body = offers({CC: [hour(HOURS[20], [(20, 100), (round(general + 1, 4), 193)])]}, market="RT")
    assert submit(client, "supplyoffer", body).status == "ACCEPTED"
    test = _tests(client, "RT")[(HOURS[20], "GENERAL_THRESHOLD_ENERGY")]
    assert (float(test["threshold"]), test["result"]) == (general, "FAIL")


def test_start_up_and_no_load_are_held_to_three_times_reference(client: TestClient) -> None:
    levels = reference_levels()[(CC, 5)]
    clock(client, BEFORE_CLOSE)
    cold = round(2.9 * levels["cold_start"], 2)
    assert (
        submit(client, "supplyoffer", offers({CC: [hour(HOURS[5], [(30, 193)], coldStartPrice=cold)]})).status
        == "ACCEPTED"
    )
    test = _tests(client)[(HOURS[5], "START_UP_NO_LOAD")]
    assert (float(test["offer"]), float(test["reference"])) == (cold, levels["cold_start"])
    assert float(test["threshold"]) == round(3 * levels["cold_start"], 2) and test["result"] == "PASS"


def test_a_day_ahead_commitment_s_low_load_cost_against_its_reference(client: TestClient) -> None:
    levels = reference_levels()
    eco_min = 77.0
    cold, no_load, energy = round(1.5 * levels[(CC, 0)]["cold_start"], 2), 2000.0, 45.0
    clock(client, BEFORE_CLOSE)
    body = offers(
        {
            CC: [
                hour(t, [(energy, eco_min), (60, 193)], coldStartPrice=cold, noLoadPrice=no_load)
                for t in HOURS
            ]
        }
    )
    assert submit(client, "supplyoffer", body).status == "ACCEPTED"
    detail = units_document(
        "ScheduleDetails",
        "ScheduleDetail",
        {CC: [hour(t, status="MUST_RUN", ecoMin=eco_min) for t in HOURS]},
        market=None,
    )
    assert submit(client, "scheduledetail", detail).status == "ACCEPTED"
    offer_llc = cold + 24 * (no_load + eco_min * energy)
    reference_llc = levels[(CC, 0)]["cold_start"] + sum(
        levels[(CC, h)]["no_load"] + eco_min * levels[(CC, h)]["energy"] for h in range(24)
    )
    test = _tests(client)[(HOURS[0], "RELIABILITY_COMMITMENT")]
    assert abs(float(test["offer"]) - offer_llc) < 0.01
    assert abs(float(test["reference"]) - reference_llc) < 0.01
    assert abs(float(test["threshold"]) - 1.10 * reference_llc) < 0.02
    assert test["result"] == ("FAIL" if offer_llc > 1.10 * reference_llc else "PASS")
    assert sum(1 for _, name in _tests(client) if name == "RELIABILITY_COMMITMENT") == 1  # one run
