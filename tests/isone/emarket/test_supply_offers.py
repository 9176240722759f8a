"""Supply offers (seed 003, EMARKET.md section 5): hourly price/MW pairs within the -$150 floor and
the cap, at most 10 of them, prices rising with MW; start-up and no-load fees at most 3x their
reference levels; a unit's own fuel; claim 10/30 inconsistencies as warnings; all or nothing."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.isone.emarket.conftest import (
    BEFORE_CLOSE,
    CC,
    CT,
    DAY,
    PUMPS,
    STAMP,
    assets,
    clock,
    document,
    hour,
    offers,
    reference_levels,
    segments_of,
    submit,
    unit_hours,
    units_document,
)

MIDNIGHT = f"{DAY}T00:00:00-04:00"  # hour beginning 00:00 EDT: reference levels of hour 0
NOON = f"{DAY}T12:00:00-04:00"


def _offer(client: TestClient, unit: str, segments: list, when: str = MIDNIGHT, **attributes: object):
    clock(client, BEFORE_CLOSE)
    return submit(client, "supplyoffer", offers({unit: [hour(when, segments, **attributes)]}))


def _hour(client: TestClient, unit: str, when: str = MIDNIGHT, market: str = "DA"):
    found = unit_hours(document(client, f"supplyoffer?day={STAMP}&market={market}"), unit)
    return next(h for h in found if h.get("time") == when)


def test_an_offer_within_the_rules_is_accepted_and_answers_queries(client: TestClient) -> None:
    outcome = _offer(client, CT, [(35.5, 20), (42, 57)], noLoadPrice=0, claim10=57, claim30=57)
    assert outcome.status == "ACCEPTED" and outcome.messages == []
    stored = _hour(client, CT)
    assert stored.get("source") == "SUBMITTED"
    assert segments_of(stored) == [(35.5, 20.0), (42.0, 57.0)]
    assert _hour(client, CT, f"{DAY}T01:00:00-04:00").get("source") == "STANDING"


def test_the_energy_offer_floor_is_minus_150(client: TestClient) -> None:
    assert _offer(client, CT, [(-150, 10), (20, 57)]).status == "ACCEPTED"
    outcome = _offer(client, CT, [(-150.01, 10), (20, 57)])
    assert outcome.status == "REJECTED" and outcome.codes() == {"E120"}
    assert outcome.messages[0]["segment"] == "1" and outcome.messages[0]["time"] == MIDNIGHT
    assert segments_of(_hour(client, CT))[0] == (-150.0, 10.0)  # the accepted one still stands


def test_prices_above_the_cap_are_rejected(client: TestClient) -> None:
    assert _offer(client, CT, [(1000, 57)]).status == "ACCEPTED"
    assert _offer(client, CT, [(1000.01, 57)]).codes() == {"E121"}


def test_at_most_ten_price_mw_pairs_per_hour(client: TestClient) -> None:
    ten = [(20 + n, 5 * (n + 1)) for n in range(10)]
    assert _offer(client, CC, ten).status == "ACCEPTED"
    outcome = _offer(client, CC, [*ten, (31, 60)])
    assert outcome.status == "REJECTED" and outcome.codes() == {"E122"}


def test_prices_must_not_fall_and_mw_must_rise(client: TestClient) -> None:
    assert _offer(client, CC, [(30, 100), (30, 193)]).status == "ACCEPTED"  # flat is allowed
    assert _offer(client, CC, [(30, 100), (29.99, 193)]).codes() == {"E123"}
    assert _offer(client, CC, [(30, 100), (31, 100)]).codes() == {"E123"}
    assert _offer(client, CC, [(30, 0)]).codes() == {"E123"}


def test_start_up_and_no_load_above_three_times_reference_are_rejected(client: TestClient) -> None:
    levels = reference_levels()[(CC, 0)]
    at_limit = {
        "coldStartPrice": round(3 * levels["cold_start"], 2),
        "intermediateStartPrice": round(3 * levels["intermediate_start"], 2),
        "hotStartPrice": round(3 * levels["hot_start"], 2),
        "noLoadPrice": round(3 * levels["no_load"], 2),
    }
    assert _offer(client, CC, [(30, 193)], **at_limit).status == "ACCEPTED"
    for name in at_limit:
        over = {**at_limit, name: round(at_limit[name] + 0.01, 2)}
        outcome = _offer(client, CC, [(30, 193)], **over)
        assert outcome.status == "REJECTED" and outcome.codes() == {"E140"}, name
    # the reference levels are hourly: noon's differ from midnight's
    noon = reference_levels()[(CC, 12)]
    limit = round(3 * noon["cold_start"], 2)
    assert _offer(client, CC, [(30, 193)], NOON, coldStartPrice=limit).status == "ACCEPTED"


def test_a_submission_is_atomic(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    body = offers(
        {CT: [hour(MIDNIGHT, [(40, 57)])], CC: [hour(MIDNIGHT, [(40, 193)]), hour(NOON, [(-151, 193)])]}
    )
    outcome = submit(client, "supplyoffer", body)
    assert outcome.status == "REJECTED" and outcome.codes() == {"E120"}
    assert _hour(client, CT).get("source") == "STANDING"
    assert _hour(client, CC).get("source") == "STANDING"


def test_claim_inconsistencies_are_warnings_and_the_offer_stands(client: TestClient) -> None:
    capability = float(assets()[CT]["claim10_capability"])
    cases = [
        ({"claim10": 0, "claim30": capability}, "W200"),  # a claim 10 resource offering none
        ({"claim10": capability + 1, "claim30": capability + 1}, "W200"),  # above its capability
        ({"claim10": capability, "claim30": capability - 1}, "W200"),  # above the claim 30 offered
        (
            {"claim10": capability, "claim30": capability, "coldNotificationTime": "00:06"},
            "W202",
        ),  # 6 + 5 > 10
    ]
    for attributes, code in cases:
        outcome = _offer(client, CT, [(50, 57)], **attributes)
        assert outcome.status == "ACCEPTED_WITH_WARNINGS" and code in outcome.codes("WARNING"), attributes
        assert outcome.codes("ERROR") == set()
    assert float(_hour(client, CT).get("coldNotificationTime").replace(":", ".")) == 0.06
    cc30 = float(assets()[CC]["claim30_capability"])
    assert _offer(client, CC, [(30, 193)], claim30=0).codes() == {"W201"}
    assert _offer(client, CC, [(30, 193)], claim30=round(cc30 + 0.1, 1)).codes() == {"W201"}
    assert _offer(client, CC, [(30, 193)], claim30=cc30).status == "ACCEPTED"


def test_a_unit_offers_its_own_fuel_unless_it_is_dual_fuel(client: TestClient) -> None:
    assert _offer(client, CC, [(30, 193)], fuelType="OIL").codes() == {"E160"}
    assert _offer(client, CT, [(90, 57)], fuelType="OIL").status == "ACCEPTED"  # dual fuel
    assert _hour(client, CT).get("fuelType") == "OIL"


def test_hours_are_instants_of_the_operating_day(client: TestClient) -> None:
    # the same instant in UTC is the same hour
    assert _offer(client, CT, [(33, 57)], f"{DAY}T04:00:00Z").status == "ACCEPTED"
    assert segments_of(_hour(client, CT)) == [(33.0, 57.0)]
    assert _offer(client, CT, [(33, 57)], f"{DAY}T00:00:00-05:00").status == "ACCEPTED"  # 01:00 EDT
    assert _offer(client, CT, [(33, 57)], "2026-03-12T00:00:00-04:00").codes() == {"E102"}
    clock(client, BEFORE_CLOSE)
    twice = offers({CT: [hour(MIDNIGHT, [(33, 57)]), hour(f"{DAY}T04:00:00Z", [(34, 57)])]})
    assert submit(client, "supplyoffer", twice).codes() == {"E102"}


def test_daily_parameters_are_stored_once_per_day(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    daily = '<Daily minRunTime="04:00" minDownTime="02:30" hotToCold="12:00" hotToIntermediate="06:00"/>'
    assert (
        submit(client, "supplyoffer", offers({CC: [hour(MIDNIGHT, [(30, 193)])]}, daily=daily)).status
        == "ACCEPTED"
    )
    unit = next(
        u
        for u in document(client, f"supplyoffer?day={STAMP}")
        if CC in (u.findtext("{*}UnitShortName") or "")
    )
    assert dict(unit.find("{*}Daily").attrib) == {
        "minRunTime": "04:00",
        "minDownTime": "02:30",
        "hotToCold": "12:00",
        "hotToIntermediate": "06:00",
    }


def test_dard_bids_fall_in_price_as_mw_rise(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)

    def bid(segments: list) -> bytes:
        return units_document("DardBids", "DardBid", {PUMPS: [hour(MIDNIGHT, segments)]})

    assert submit(client, "dardbid", bid([(30, 40), (25, 91)])).status == "ACCEPTED"
    assert submit(client, "dardbid", bid([(30, 40), (31, 91)])).codes() == {"E123"}
    assert submit(client, "supplyoffer", offers({PUMPS: [hour(MIDNIGHT, [(30, 91)])]})).codes() == {"E101"}
    bids = unit_hours(document(client, f"dardbid?day={STAMP}"), PUMPS)
    assert segments_of(bids[0]) == [(30.0, 40.0), (25.0, 91.0)] and bids[0].get("source") == "SUBMITTED"
    ramped = bid([(30, 40), (25, 91)]).replace(
        b"</Hour>", b'<RampRate MW="0" rate="9"/><RampRate MW="40" rate="6"/></Hour>'
    )
    assert submit(client, "dardbid", ramped).status == "ACCEPTED"
    stored = unit_hours(document(client, f"dardbid?day={STAMP}"), PUMPS)[0]
    assert [r.get("rate") for r in stored.iterfind("{*}RampRate")] == ["9", "6"]


def test_the_readme_example_is_accepted_as_written(client: TestClient) -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    block = readme.split("POST /emktmui/webservices/rest/supplyoffer   (Content-Type: application/xml)\n", 1)[
        1
    ]
    example = block.split("```", 1)[0].encode()
    clock(client, BEFORE_CLOSE)
    assert submit(client, "supplyoffer", example).status == "ACCEPTED"
    stored = _hour(client, CC)
    assert segments_of(stored) == [(-5.0, 77.0), (31.5, 150.0), (48.0, 193.0)]
    assert stored.get("fuelPriceAdjustment") == "5.1"


def _with_ramps(
    unit: str, pairs: list[tuple[float, float]], market: str = "DA", **attributes: object
) -> bytes:
    ramps = "".join(f'<RampRate MW="{mw}" rate="{rate}"/>' for mw, rate in pairs)
    segment = '<Segment MW="57" price="44"/>' if unit == CT else '<Segment MW="193" price="44"/>'
    written = "".join(f' {k}="{v}"' for k, v in attributes.items())
    return offers({unit: [f'<Hour time="{MIDNIGHT}"{written}>{segment}{ramps}</Hour>']}, market=market)


def test_ramp_rate_mw_pairs_rise_in_mw_with_positive_rates(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert submit(client, "supplyoffer", _with_ramps(CC, [(77, 2.5), (150, 4.0)])).status == "ACCEPTED"
    stored = _hour(client, CC)
    assert [(float(r.get("MW")), float(r.get("rate"))) for r in stored.iterfind("{*}RampRate")] == [
        (77.0, 2.5),
        (150.0, 4.0),
    ]
    assert submit(client, "supplyoffer", _with_ramps(CC, [(150, 2.5), (77, 4.0)])).codes() == {"E125"}
    assert submit(client, "supplyoffer", _with_ramps(CC, [(77, 0)])).codes() == {"E125"}
    eleven = [(10 * (n + 1), 1.0) for n in range(11)]
    assert submit(client, "supplyoffer", _with_ramps(CC, eleven)).codes() == {"E125"}
    # physical: redeclared by phone in real time, not re-offered
    clock(client, "2026-03-10T23:00:00Z")
    assert submit(client, "supplyoffer", _with_ramps(CC, [(77, 3.0)], market="RT")).codes() == {"E112"}


def test_a_dual_fuel_unit_offers_its_fuel_blend(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert (
        submit(client, "supplyoffer", _with_ramps(CT, [], fuelType="OIL", fuelBlend=20)).status == "ACCEPTED"
    )
    assert _hour(client, CT).get("fuelBlend") == "20"
    assert submit(client, "supplyoffer", _with_ramps(CT, [], fuelBlend=100.5)).codes() == {"E161"}
    assert submit(client, "supplyoffer", _with_ramps(CC, [], fuelBlend=10)).codes() == {"E161"}  # gas only
    clock(client, "2026-03-10T23:00:00Z")  # the blend is re-offered with the fuel type
    assert submit(client, "supplyoffer", _with_ramps(CT, [], market="RT", fuelBlend=35)).status == "ACCEPTED"
