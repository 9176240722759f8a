"""Retrieves of market results (CMRI and the other generated datasets): records as CAISO's documents
hold them (one per subject, market run and schedule, its intervals nested as TradeIntervalData), made
from the pack's resources and seed for any window, always the same; filtered by the request's window,
market, execution type, coordinators, names and lists; published as CAISO publishes; a caller sees
only its own scheduling coordinators' data; no data is CAISO's framework answer, not an empty
document."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from lxml import etree

from isosim.caiso.b2b.schemas import plan
from isosim.core.packs import User
from tests.caiso.b2b.conftest import (
    OUT,
    RESULTS_DAY,
    call,
    endpoint,
    one,
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
RESOURCES = Path(__file__).resolve().parents[3] / "fixtures" / "caiso-production" / "market" / "resources.csv"
ROLE_ERROR = "Invalid role and/or Entity list identifier."


def pack_resources() -> dict[str, dict[str, str]]:
    """The pack's resources, read here from the CSV (not through isosim)."""
    with RESOURCES.open(newline="") as handle:
        return {row["resource_id"]: row for row in csv.DictReader(handle)}


def ask(soap: TestClient, name: str = AWARDS, window=RESULTS_DAY, **fields):  # type: ignore[no-untyped-def]
    return call(soap, name, sample_request(name, window, **fields))


def rows(soap: TestClient, name: str = AWARDS, window=RESULTS_DAY, **fields) -> list[dict]:  # type: ignore[no-untyped-def]
    document = returned(ask(soap, name, window, **fields))
    assert valid(document, plan(endpoint(name)))
    return records(document)


def test_awards_hold_one_record_per_resource_product_and_schedule_type_with_its_hours(
    soap: TestClient,
) -> None:
    alpha = {k for k, v in pack_resources().items() if v["scheduling_coordinator"] == "ALPH"}
    found = rows(soap)
    assert {one(r, "resource") for r in found} == alpha
    assert {one(r, "schedulingCoordinator") for r in found} == {"ALPH"}
    assert {(one(r, "marketType"), one(r, "executionType")) for r in found} == {("DAM", "IFM")}
    assert {(one(r, "product"), one(r, "scheduleType")) for r in found} >= {
        ("EN", "CLEARED"),
        ("EN", "MARKET"),
        ("EN", "SELF"),
    }
    for record in found:
        hours = record["TradeIntervalData"]
        assert [h["HR"][0] for h in hours] == [str(n) for n in range(1, 25)]
        first = hours[0]
        assert first["intervalStartTime"] == ["2026-11-17T08:00:00-00:00"]
        assert first["intervalEndTime"] == ["2026-11-17T09:00:00-00:00"]
        assert first["intervalDuration"] == ["60"] and first["intervalNum"] == ["1"]
        assert first["tradeDate"] == ["2026-11-17"]


def test_awards_describe_each_resource_as_the_pack_registers_it(soap: TestClient) -> None:
    registered = pack_resources()
    types = {
        "GEN": ("GEN", "GEN"),
        "LOAD": ("LOAD", "NPL"),
        "ITIE": ("ITIE", "ITIE_I"),
        "ETIE": ("ITIE", "ITIE_E"),
        "PDR": ("GEN", "GEN"),
    }
    for record in rows(soap):
        resource = registered[one(record, "resource")]
        assert one(record, "location") == resource["pnode"]
        assert (one(record, "resourceType"), one(record, "resourceSubType")) == types[
            resource["resource_type"]
        ]
        assert all(float(h["MW"][0]) <= float(resource["pmax"]) for h in record["TradeIntervalData"])


def test_the_document_carries_caisos_header(soap: TestClient) -> None:
    document = returned(ask(soap))
    assert document.tag == "{http://www.caiso.com/soa/MarketAwards_v4.xsd#}MarketAwards"
    header = {etree.QName(e).localname: e.text for e in document.find("{*}MessageHeader")}
    assert header == {"TimeDate": "2026-11-18T10:00:00", "Source": "CAISO", "Version": "v20161001"}


def test_the_same_question_gets_the_same_answer(soap: TestClient) -> None:
    assert rows(soap) == rows(soap)
    assert rows(soap, "RetrieveMarketAwards_CMRIv4_DocAttach_AP") == rows(soap)


def test_market_execution_type_resource_and_list_filters(soap: TestClient) -> None:
    found = rows(
        soap,
        marketType="RTM",
        executionType="RTUC",
        resourceList=[{"resource": ["ALAMIT_7_UNIT1", "TOPAZ_2_SOLAR"]}],
    )
    assert {(one(r, "marketType"), one(r, "executionType"), one(r, "resource")) for r in found} == {
        ("RTM", "RTUC", "ALAMIT_7_UNIT1"),
        ("RTM", "RTUC", "TOPAZ_2_SOLAR"),
    }
    energy = rows(soap, productList=[{"product": ["EN"]}], scheduleTypeList=[{"scheduleType": ["SELF"]}])
    assert {(one(r, "product"), one(r, "scheduleType")) for r in energy} == {("EN", "SELF")}
    loads = rows(soap, resourceTypeList=[{"resourceType": ["LOAD"]}])
    assert {one(r, "resource") for r in loads} == {"SCEW_2_ALPHLD"}


def test_a_selection_without_data_gets_caisos_framework_answer_in_place_of_the_document(
    soap: TestClient,
) -> None:
    for name in (AWARDS, "RetrieveMarketAwards_CMRIv4_DocAttach_AP"):
        answer = returned(ask(soap, name, resourceList=[{"resource": ["NOT_A_RESOURCE"]}]))
        # The structure of CAISO's captured no-data answers, element for element.
        assert answer.tag == "{http://www.caiso.com/soa/2006-06-13/StandardOutput.xsd}outputDataType"
        log = answer.find("o:EventLog", OUT)
        assert [etree.QName(e).localname for e in log] == [
            "id",
            "creationTime",
            "collectionQuantity",
            "Event",
            "Service",
        ]
        event = {etree.QName(e).localname: e.text for e in log.find("o:Event", OUT)}
        assert event == {
            "result": "FMWK0008",
            "id": "1",
            "name": "Caiso-SOA-Framework",
            "description": "The request returned no data.",
            "creationTime": "2026-11-18T10:00:00.000-08:00",
            "severity": "INFO",
            "eventType": "FMWK",
        }
        service = {etree.QName(e).localname: e.text for e in log.find("o:Service", OUT)}
        assert service == {
            "id": log.findtext("o:id", namespaces=OUT),
            "name": endpoint(name).operation,
            "description": "Caiso-SOA-Framework",
            "comments": "None",
        }


def test_results_are_published_as_caiso_publishes_them(soap: TestClient) -> None:
    tomorrow = ("2026-11-19T08:00:00Z", "2026-11-20T08:00:00Z")  # the clock is 2026-11-18 10:00 Pacific
    assert rows(soap, window=tomorrow) == []  # day-ahead: 13:00 Pacific the day before
    today = ("2026-11-18T08:00:00Z", "2026-11-19T08:00:00Z")
    rtm = rows(soap, window=today, marketType="RTM", executionType="RTUC")
    last = max(h["intervalEndTime"][0] for r in rtm for h in r["TradeIntervalData"])
    assert last == "2026-11-18T18:00:00-00:00"  # real time: once the interval has ended
    later = datetime(2026, 11, 18, 21, 0, tzinfo=UTC)
    soap.put("/_isosim/clock", json={"frozen_at": later.isoformat()})
    published = records(returned(call(soap, AWARDS, sample_request(AWARDS, tomorrow), created=later)))
    assert {one(r, "marketType") for r in published} == {"DAM"}


def test_a_caller_sees_only_its_coordinators_data(soap: TestClient) -> None:
    request = sample_request(
        AWARDS, RESULTS_DAY, schedulingCoordinatorList=[{"schedulingCoordinator": ["BRVO"]}]
    )
    bravo = call(soap, AWARDS, request, subject=BRAVO.certificate_subject, user=BRAVO, signer="sc-bravo-ops")
    found = records(returned(bravo))
    assert {one(r, "schedulingCoordinator") for r in found} == {"BRVO"}
    assert "DELTA_2_PL1X4" in {one(r, "resource") for r in found}


def test_asking_for_another_coordinator_gets_caisos_error_in_the_attachment(soap: TestClient) -> None:
    for name in (AWARDS, "RetrieveMarketAwards_CMRIv4_DocAttach_AP"):
        answer = returned(
            ask(soap, name, schedulingCoordinatorList=[{"schedulingCoordinator": ["ALPH", "BRVO"]}])
        )
        assert answer.tag == f"{{{OUT['o']}}}outputDataType"
        assert answer.findtext("o:EventLog/o:Event/o:description", namespaces=OUT) == ROLE_ERROR


def test_system_data_is_public_and_names_no_coordinator(soap: TestClient) -> None:
    found = rows(soap, "RetrieveMarketForecast_CMRIv1_AP", marketType="DAM")
    with (RESOURCES.parent / "tac_areas.csv").open(newline="") as handle:
        areas = {row["tac_area"] for row in csv.DictReader(handle) if row["caiso"] == "yes"}
    assert {one(r, "tacArea") for r in found} == {"CA ISO-TAC", *areas}
    assert all("schedulingCoordinator" not in r for r in found)


def test_gas_burn_follows_caisos_published_structure_and_filters(soap: TestClient) -> None:
    found = rows(
        soap,
        "RetrieveGasBurnSummaryData_CMRIv1_AP",
        GasZoneList=[{"name": ["PGAE 300"], "summaryLevel": ["FZONE"]}],
    )
    assert {one(r, "GasZone/name") for r in found} == {"PGAE 300"}
    assert {one(r, "GasZone/summaryLevel") for r in found} == {"FZONE"}
    assert all(len(r["TradeIntervalData"]) == 24 for r in found)
    gas = rows(soap, "RetrieveGasBurnResourceData_CMRIv1_AP")
    gas_fired = {
        k for k, v in pack_resources().items() if v["fuel"] == "GAS" and v["scheduling_coordinator"] == "ALPH"
    }
    assert {one(r, "resource") for r in gas} == gas_fired


def test_intervals_follow_the_dataset(soap: TestClient) -> None:
    five = rows(
        soap, "RetrieveResourceLevelMovement_CMRIv1_AP", ResourceList=[{"resource": ["ALAMIT_7_UNIT1"]}]
    )
    assert [len(r["TradeIntervalData"]) for r in five] == [288]  # 5-minute intervals of the trading day
    monthly = rows(
        soap,
        "RetrieveResourceOpportunityCost_CMRIv1_AP",
        window=("2026-09-01T07:00:00Z", "2026-11-01T07:00:00Z"),
        ResourceList=[{"resource": ["ALAMIT_7_UNIT1"]}],
    )
    starts = [h["intervalStartTime"][0] for r in monthly for h in r["TradeIntervalData"]]
    assert starts == ["2026-09-01T07:00:00-00:00", "2026-10-01T07:00:00-00:00"]


def test_windows_are_checked(soap: TestClient) -> None:
    backwards = ask(soap, window=(RESULTS_DAY[1], RESULTS_DAY[0]))
    assert "end time must be after its start time" in fault(backwards)[1]
    too_long = ask(soap, window=("2026-09-01T07:00:00Z", "2026-11-01T07:00:00Z"))
    assert "at most 31 days" in fault(too_long)[1]


def test_master_file_rdts_start_from_the_packs_resources(soap: TestClient) -> None:
    found = rows(soap, "RetrieveGeneratorRDT_MFRDv4_AP", window=RESULTS_DAY)
    by_name = {one(r, "resource"): r for r in found}
    assert one(by_name["ALAMIT_7_UNIT1"], "pminMW") == "40.00"
    assert one(by_name["ALAMIT_7_UNIT1"], "pmaxMW") == "175.00"
    assert "DELTA_2_PL1X4" not in by_name  # Bravo's


def test_a_day_ahead_interval_is_published_at_13_pacific_the_day_before(soap: TestClient) -> None:
    tomorrow = ("2026-11-19T08:00:00Z", "2026-11-20T08:00:00Z")
    for minutes, expected in ((-1, False), (0, True)):
        at = datetime(2026, 11, 18, 21, 0, tzinfo=UTC) + timedelta(minutes=minutes)  # 13:00 Pacific
        soap.put("/_isosim/clock", json={"frozen_at": at.isoformat()})
        found = records(returned(call(soap, AWARDS, sample_request(AWARDS, tomorrow), created=at)))
        assert bool(found) is expected, at
