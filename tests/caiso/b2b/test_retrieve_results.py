"""Retrieves of market results (CMRI and the other generated datasets): the pack's resources and
seed make them, for any window, always the same; they are filtered by the request's window, market,
execution type, coordinators and names; published as CAISO publishes; and a caller sees only its own
scheduling coordinators' data."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from app.caiso.b2b.models import ROLE_ERROR
from app.caiso.b2b.schemas import plan
from app.core.packs import User
from tests.caiso.b2b.conftest import (
    OUT,
    RESULTS_DAY,
    call,
    endpoint,
    records,
    returned,
    sample_request,
    valid,
)
from tests.caiso.soap.conftest import fault

AWARDS = "RetrieveMarketAwards_CMRIv4_AP"
BRAVO = User(
    name="sc-bravo-ops", certificate_subject="CN=sc-bravo-ops, OU=Operations, O=Bravo Power Cooperative, C=US"
)


def ask(soap: TestClient, name: str = AWARDS, window=RESULTS_DAY, **fields):  # type: ignore[no-untyped-def]
    current = plan(endpoint(name))
    return call(soap, name, sample_request(current, window, **fields))


def rows(soap: TestClient, name: str = AWARDS, window=RESULTS_DAY, **fields) -> list[dict]:  # type: ignore[no-untyped-def]
    document = returned(ask(soap, name, window, **fields))
    assert valid(document, plan(endpoint(name)))
    return records(document)


def test_awards_cover_each_resource_hour_and_market_run_of_the_window(soap: TestClient) -> None:
    found = rows(soap)
    alpha = {
        "ALAMIT_7_UNIT1",
        "ETIWND_6_GRPGEN",
        "CABAZN_2_WINDS",
        "TOPAZ_2_SOLAR",
        "MRGT_6_MEF2",
        "SCEW_2_ALPHLD",
        "MALIN_5_ALPHIMP",
        "PALOVRDE_ALPHEXP",
        "ALPH_PDR_SCE01",
    }
    assert {r["resource"] for r in found} == alpha
    assert {(r["marketType"], r["executionType"]) for r in found} == {
        ("DAM", "IFM"),
        ("DAM", "RUC"),
        ("RTM", "RTUC"),
    }
    assert len(found) == len(alpha) * 24 * 3
    assert {r["SchedulingCoordinator"] for r in found} == {"ALPH"}
    assert all(float(r["awardMW"]) <= 550 for r in found)


def test_the_same_question_gets_the_same_answer(soap: TestClient) -> None:
    assert rows(soap) == rows(soap)
    assert rows(soap, "RetrieveMarketAwards_CMRIv4_DocAttach_AP") == rows(soap)


def test_market_execution_type_and_resource_filter(soap: TestClient) -> None:
    found = rows(soap, marketType="RTM", resource=["ALAMIT_7_UNIT1", "TOPAZ_2_SOLAR"])
    assert {(r["marketType"], r["executionType"], r["resource"]) for r in found} == {
        ("RTM", "RTUC", "ALAMIT_7_UNIT1"),
        ("RTM", "RTUC", "TOPAZ_2_SOLAR"),
    }
    assert {r["executionType"] for r in rows(soap, marketType="DAM", executionType="RUC")} == {"RUC"}


def test_an_empty_selection_is_an_empty_document(soap: TestClient) -> None:
    document = returned(ask(soap, resource="NOT_A_RESOURCE"))
    assert valid(document, plan(endpoint(AWARDS)))
    assert records(document) == []


def test_results_are_published_as_caiso_publishes_them(soap: TestClient) -> None:
    tomorrow = ("2026-11-19T08:00:00Z", "2026-11-20T08:00:00Z")  # the clock is 2026-11-18 10:00 Pacific
    assert rows(soap, window=tomorrow) == []  # day-ahead: 13:00 Pacific the day before
    today = ("2026-11-18T08:00:00Z", "2026-11-19T08:00:00Z")
    rtm = [r for r in rows(soap, window=today) if r["marketType"] == "RTM"]
    assert max(r["endTime"] for r in rtm) == "2026-11-18T18:00:00.000Z"  # real time: once ended
    assert {r["marketType"] for r in rows(soap, window=today)} == {"DAM", "RTM"}
    later = datetime(2026, 11, 18, 21, 0, tzinfo=UTC)
    soap.put("/_isosim/clock", json={"frozen_at": later.isoformat()})
    current = plan(endpoint(AWARDS))
    published = records(returned(call(soap, AWARDS, sample_request(current, tomorrow), created=later)))
    assert {r["marketType"] for r in published} == {"DAM"}


def test_a_caller_sees_only_its_coordinators_data(soap: TestClient) -> None:
    bravo = call(
        soap,
        AWARDS,
        sample_request(plan(endpoint(AWARDS)), RESULTS_DAY),
        subject=BRAVO.certificate_subject,
        user=BRAVO,
        signer="sc-bravo-ops",
    )
    found = records(returned(bravo))
    assert {r["SchedulingCoordinator"] for r in found} == {"BRVO"}
    assert "DELTA_2_PL1X4" in {r["resource"] for r in found}


def test_asking_for_another_coordinator_gets_caisos_error_in_the_attachment(soap: TestClient) -> None:
    for name in (AWARDS, "RetrieveMarketAwards_CMRIv4_DocAttach_AP"):
        answer = returned(ask(soap, name, SchedulingCoordinator=["ALPH", "BRVO"]))
        assert answer.tag == f"{{{OUT['o']}}}outputDataType"
        assert answer.findtext("o:EventLog/o:Event/o:description", namespaces=OUT) == ROLE_ERROR


def test_system_data_is_public_and_names_no_coordinator(soap: TestClient) -> None:
    found = rows(soap, "RetrieveMarketForecast_CMRIv1_AP", marketType="DAM")
    assert {r["tacArea"] for r in found} == {"CA ISO-TAC", "PGE-TAC", "SCE-TAC", "SDGE-TAC", "VEA-TAC"}
    assert all("SchedulingCoordinator" not in r for r in found)


def test_intervals_follow_the_dataset(soap: TestClient) -> None:
    five = rows(soap, "RetrieveResourceLevelMovement_CMRIv1_AP", resource="ALAMIT_7_UNIT1")
    assert len(five) == 288  # 5-minute intervals of the trading day
    monthly = rows(
        soap,
        "RetrieveResourceOpportunityCost_CMRIv1_AP",
        window=("2026-09-01T07:00:00Z", "2026-11-01T07:00:00Z"),
    )
    assert {r["startTime"] for r in monthly} == {"2026-09-01T07:00:00.000Z", "2026-10-01T07:00:00.000Z"}


def test_windows_are_checked(soap: TestClient) -> None:
    backwards = ask(soap, window=(RESULTS_DAY[1], RESULTS_DAY[0]))
    assert "end time must be after its start time" in fault(backwards)[1]
    too_long = ask(soap, window=("2026-09-01T07:00:00Z", "2026-11-01T07:00:00Z"))
    assert "at most 31 days" in fault(too_long)[1]


def test_master_file_rdts_start_from_the_packs_resources(soap: TestClient) -> None:
    found = rows(soap, "RetrieveGeneratorRDT_MFRDv4_AP", window=RESULTS_DAY)
    by_name = {r["resource"]: r for r in found}
    assert by_name["ALAMIT_7_UNIT1"]["pminMW"] == "40.00" and by_name["ALAMIT_7_UNIT1"]["pmaxMW"] == "175.00"
    assert "DELTA_2_PL1X4" not in by_name  # Bravo's
