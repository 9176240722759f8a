"""Real-time re-offers (seed 003 "Intraday Reoffer Capability"): price/MW pairs, start-up and no-load
fees, fuel type (dual-fuel units), the use-offer-slope and use-start-up-no-load flags; the rest is
redeclared by phone. Start-up and no-load may rise in real time only with a fuel price adjustment
above max(1.1 x index, $2.50/MMBtu), within 10% of the adjusted reference, or up to the reference."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.isone.emarket.conftest import (
    BEFORE_CLOSE,
    CC,
    CT,
    DAY,
    STAMP,
    assets,
    clock,
    document,
    hour,
    offers,
    reference_levels,
    segments_of,
    submit,
)

TWO = f"{DAY}T14:00:00-04:00"  # hour beginning 14:00 EDT
REOFFER_TIME = "2026-03-10T23:00:00Z"  # 19:00 EDT the day before


def _hours(client: TestClient, unit: str, market: str) -> dict[str, object]:
    root = document(client, f"supplyoffer?day={STAMP}&market={market}")
    for item in root:
        if item.findtext("{*}UnitShortName") == unit:
            return {h.get("time"): h for h in item.iterfind("{*}HourlyProfile/{*}Hour")}
    raise AssertionError(unit)


def _reoffer(client: TestClient, unit: str, segments: list, **attributes: object):
    clock(client, REOFFER_TIME)
    return submit(client, "supplyoffer", offers({unit: [hour(TWO, segments, **attributes)]}, market="RT"))


def test_a_re_offer_replaces_the_day_ahead_offer_in_real_time_only(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert (
        submit(
            client,
            "supplyoffer",
            offers({CT: [hour(TWO, [(40, 57)]), hour(f"{DAY}T15:00:00-04:00", [(41, 57)])]}),
        ).status
        == "ACCEPTED"
    )
    assert _reoffer(client, CT, [(55, 57)]).status == "ACCEPTED"
    real_time = _hours(client, CT, "RT")
    assert segments_of(real_time[TWO]) == [(55.0, 57.0)] and real_time[TWO].get("source") == "SUBMITTED"
    later = real_time[f"{DAY}T15:00:00-04:00"]
    assert segments_of(later) == [(41.0, 57.0)] and later.get("source") == "DAY_AHEAD"
    assert real_time[f"{DAY}T16:00:00-04:00"].get("source") == "STANDING"
    assert segments_of(_hours(client, CT, "DA")[TWO]) == [(40.0, 57.0)]


def test_physical_parameters_are_not_re_offered(client: TestClient) -> None:
    standing = _hours(client, CT, "RT")[TWO]
    assert _reoffer(client, CT, [(55, 57)], claim10=0).codes() == {"E112"}
    assert _reoffer(client, CT, [(55, 57)], coldNotificationTime="01:00").codes() == {"E112"}
    assert _reoffer(client, CT, [(55, 57)], rampRate=1).codes() == {"E112"}
    # restating the value in force is not a change
    assert _reoffer(client, CT, [(55, 57)], claim10=standing.get("claim10")).status == "ACCEPTED"
    daily = '<Daily minRunTime="01:00"/>'
    clock(client, REOFFER_TIME)
    body = offers({CT: [hour(TWO, [(55, 57)])]}, market="RT", daily=daily)
    assert submit(client, "supplyoffer", body).codes() == {"E112"}


def test_re_offerable_fields_change(client: TestClient) -> None:
    outcome = _reoffer(client, CT, [(60, 57)], fuelType="OIL", useOfferSlope=True, useStartupNoLoad=False)
    assert outcome.status == "ACCEPTED"
    stored = _hours(client, CT, "RT")[TWO]
    assert (stored.get("fuelType"), stored.get("useOfferSlope"), stored.get("useStartupNoLoad")) == (
        "OIL",
        "true",
        "false",
    )
    assert _reoffer(client, CC, [(60, 193)], fuelType="OIL").codes() == {"E160"}


def test_start_up_may_rise_up_to_its_reference_without_an_fpa(client: TestClient) -> None:
    reference = reference_levels()[(CC, 14)]["cold_start"]
    standing = float(_hours(client, CC, "RT")[TWO].get("coldStartPrice"))
    assert standing < reference
    assert _reoffer(client, CC, [(40, 193)], coldStartPrice=round(reference, 2)).status == "ACCEPTED"
    outcome = _reoffer(client, CC, [(40, 193)], coldStartPrice=round(reference * 1.5, 2))
    assert outcome.status == "REJECTED" and outcome.codes() == {"E141"}
    assert (
        _reoffer(client, CC, [(40, 193)], coldStartPrice=round(standing / 2, 2)).status == "ACCEPTED"
    )  # falls


def test_an_fpa_lets_start_up_and_no_load_rise_within_10_percent_of_the_adjusted_reference(
    client: TestClient,
) -> None:
    index = float(assets()[CC]["fuel_index"])
    levels = reference_levels()[(CC, 14)]
    fpa = round(index * 2, 2)  # above max(1.1 x index, 2.50): counts; references double
    adjusted = levels["no_load"] * 2
    assert (
        _reoffer(
            client, CC, [(40, 193)], noLoadPrice=round(adjusted * 1.1 - 0.01, 2), fuelPriceAdjustment=fpa
        ).status
        == "ACCEPTED"
    )
    outcome = _reoffer(
        client, CC, [(40, 193)], noLoadPrice=round(adjusted * 1.1 + 1, 2), fuelPriceAdjustment=fpa
    )
    assert outcome.codes() == {"E141"}
    reference = document(client, f"referencelevel?day={STAMP}&market=RT")
    hour14 = next(
        h
        for u in reference
        if u.findtext("{*}UnitShortName") == CC
        for h in u.iterfind("{*}HourlyProfile/{*}Hour")
        if h.get("time") == TWO
    )
    assert hour14.get("fuelPriceAdjusted") == "true"
    assert abs(float(hour14.get("noLoadPrice")) - adjusted) < 0.02


def test_an_fpa_under_the_threshold_is_a_warning_and_adjusts_nothing(client: TestClient) -> None:
    index = float(assets()[CC]["fuel_index"])
    levels = reference_levels()[(CC, 14)]
    small = round(max(1.1 * index, 2.5), 2)  # must exceed, not equal, the threshold
    outcome = _reoffer(client, CC, [(40, 193)], fuelPriceAdjustment=small)
    assert outcome.status == "ACCEPTED_WITH_WARNINGS" and outcome.codes() == {"W210"}
    outcome = _reoffer(
        client, CC, [(40, 193)], noLoadPrice=round(levels["no_load"] * 1.5, 2), fuelPriceAdjustment=small
    )
    assert outcome.codes("ERROR") == {"E141"}
