"""Submissions are checked, stored all or nothing and acknowledged with StandardOutput; where the
catalogue has the matching retrieve (outages, DR locations and registrations, RDTs, meter data, base
schedules, CSP offers, forecasts, bids and trades), it returns what was submitted, with its status."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.caiso.b2b import spec
from app.caiso.b2b.models import ROLE_ERROR
from app.caiso.b2b.schemas import plan
from tests.caiso.b2b.conftest import (
    OUT,
    b2b_endpoints,
    call,
    output,
    records,
    returned,
    sample_record,
    sample_request,
    valid,
    wrap,
)
from tests.caiso.soap.conftest import NOW, fault

ENDPOINTS = b2b_endpoints()


def _operations(kind: str) -> list:
    return [e for e in ENDPOINTS if spec.operation(e.app, e.base_operation).kind == kind]


# Every dataset that some endpoint submits and some endpoint retrieves, with both ends.
PAIRS = sorted(
    {
        (s.name, r.name)
        for s in _operations("submit")
        for r in _operations("retrieve")
        if spec.operation(s.app, s.base_operation).dataset == spec.operation(r.app, r.base_operation).dataset
        and s.variant == r.variant
        and not spec.operation(r.app, r.base_operation).statuses
    }
)


def submit(soap: TestClient, name: str, rows: list[dict], **options) -> str:  # type: ignore[no-untyped-def]
    """Submit records through the endpoint; the transaction id its StandardOutput returns."""
    response = call(soap, name, wrap(plan(_endpoint(name)).incoming, rows), **options)
    answer = output(response)
    assert answer.findtext("o:EventLog/o:Event/o:result", namespaces=OUT) == "SCSS0001"
    return answer.findtext("o:EventLog/o:id", namespaces=OUT)


def retrieve(  # type: ignore[no-untyped-def]
    soap: TestClient, name: str, window: tuple[str, str] | None = None, created: datetime = NOW, **fields
) -> list[dict]:
    current = plan(_endpoint(name))
    document = returned(call(soap, name, sample_request(current, window, **fields), created=created))
    assert valid(document, current), current.outgoing.schema.error_log  # type: ignore[union-attr]
    return records(document)


def _endpoint(name: str):  # type: ignore[no-untyped-def]
    return next(e for e in ENDPOINTS if e.name == name)


def _refs(soap: TestClient, dataset: spec.Dataset) -> dict[str, str]:
    """Submit what the dataset's references point at (the outage a change request changes)."""
    found = {}
    for column in dataset.columns:
        if column.kind == "ref":
            target = next(
                e
                for e in _operations("submit")
                if spec.operation(e.app, e.base_operation).dataset == column.ref and e.variant == "AP"
            )
            found[column.ref] = submit(soap, target.name, [sample_record(spec.dataset(column.ref))]) + "-1"
    return found


def test_every_submitted_dataset_has_a_retrieve_in_the_catalogue_or_is_write_only() -> None:
    retrieved = {spec.operation(e.app, e.base_operation).dataset for e in _operations("retrieve")}
    submitted = {spec.operation(e.app, e.base_operation).dataset for e in _operations("submit")}
    # ALFS forecasts go to CAISO's forecasting; the catalogue lists no retrieve for them.
    assert submitted - retrieved == {
        "FSPVERForecast5Min",
        "FSPVERForecastDaily",
        "ExternalEntityLoadForecast",
    }
    assert len(PAIRS) >= 30


@pytest.mark.parametrize(("submitter", "retriever"), PAIRS)
def test_a_submission_is_visible_through_its_retrieve(
    soap: TestClient, submitter: str, retriever: str
) -> None:
    dataset = spec.dataset(
        spec.operation(_endpoint(submitter).app, _endpoint(submitter).base_operation).dataset
    )
    row = sample_record(dataset, _refs(soap, dataset))
    transaction = submit(soap, submitter, [row])
    found = [
        r for r in retrieve(soap, retriever, (row["startTime"], row["endTime"])) if r.get("transactionId")
    ]
    assert len(found) == 1
    got = found[0]
    assert got["recordId"] == f"{transaction}-1" and got["transactionId"] == transaction
    assert got["status"] == dataset.lifecycle[0][0]
    assert got["receivedTime"] == "2026-11-18T18:00:00.000Z"
    for name, value in row.items():
        if name in ("startTime", "endTime"):
            assert got[name] == value.replace("Z", ".000Z")
        else:
            assert got[name] == value, name


def test_a_record_moves_through_its_lifecycle_on_the_simulated_clock(soap: TestClient) -> None:
    row = sample_record(spec.dataset("ResourceOutage"))
    submit(soap, "SubmitResourceOutage_OMSv2_AP", [row])
    window = (row["startTime"], row["endTime"])
    assert [r["status"] for r in retrieve(soap, "RetrieveResourceOutage_OMSv2_AP", window)] == ["RECEIVED"]
    later = NOW + timedelta(hours=1)
    soap.put("/_isosim/clock", json={"frozen_at": later.isoformat()})
    assert [r["status"] for r in retrieve(soap, "RetrieveResourceOutage_OMSv2_AP", window, later)] == [
        "APPROVED"
    ]


def test_a_resubmitted_bid_supersedes_the_earlier_one(soap: TestClient) -> None:
    first = submit(soap, "SubmitRawBidSet_SIBRv4_AP", [sample_record(spec.dataset("RawBid"))])
    second = submit(
        soap, "SubmitRawBidSet_SIBRv4_AP", [sample_record(spec.dataset("RawBid"), energyPrice="41.00")]
    )
    found = {r["transactionId"]: r for r in retrieve(soap, "RetrieveCurrentBidResults_SIBRv4_AP")}
    assert found[first]["status"] == "O" and found[second]["status"] == "V"
    assert [r["transactionId"] for r in retrieve(soap, "RetrieveCleanBidSet_SIBRv4_AP")] == [second]


def test_a_bid_above_the_soft_cap_is_stored_invalid_with_its_reason(soap: TestClient) -> None:
    bad = sample_record(spec.dataset("RawBid"), energyPrice="1500.00")
    transaction = submit(soap, "SubmitRawBidSet_SIBRv4_AP", [bad])
    (result,) = retrieve(soap, "RetrieveCurrentBidResults_SIBRv4_AP", transactionId=transaction)
    assert result["status"] == "I"
    assert "soft offer cap 1000" in result["errors"]
    assert retrieve(soap, "RetrieveCleanBidSet_SIBRv4_AP") == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"baseScheduleMW": "999.00"}, "outside 0 to 175 MW"),
        ({"resource": "NO_SUCH_RESOURCE"}, "is not registered to scheduling coordinator ALPH"),
        ({"resource": "DELTA_2_PL1X4"}, "is not registered to scheduling coordinator ALPH"),  # Bravo's
        ({"SchedulingCoordinator": "BRVO"}, ROLE_ERROR),
        (
            {"startTime": "2026-11-19T08:30:00Z", "endTime": "2026-11-19T09:30:00Z"},
            "is not one hour interval",
        ),
        ({"endTime": "2026-11-19T08:00:00Z"}, "endTime must be after startTime"),
    ],
    ids=["above-pmax", "unknown-resource", "another-coordinators", "foreign-sc", "misaligned", "empty"],
)
def test_a_bad_record_refuses_the_whole_submission(soap: TestClient, change: dict, words: str) -> None:
    good = sample_record(spec.dataset("BaseSchedule"), resource="ALAMIT_7_UNIT1")
    bad = {**sample_record(spec.dataset("BaseSchedule"), resource="ALAMIT_7_UNIT1"), **change}
    bad["startTime"] = change.get("startTime", "2026-11-19T09:00:00Z")
    bad["endTime"] = change.get("endTime", "2026-11-19T10:00:00Z")
    response = call(
        soap,
        "SubmitBaseSchedule_BSAPv1_AP",
        wrap(plan(_endpoint("SubmitBaseSchedule_BSAPv1_AP")).incoming, [good, bad]),
    )
    _, text, _ = fault(response)
    assert response.status_code == 500 and words in text
    if words != ROLE_ERROR:
        assert text.startswith("record 2 ")
    window = ("2026-11-19T08:00:00Z", "2026-11-19T12:00:00Z")
    assert retrieve(soap, "RetrieveBaseScheduleResults_BSAPv1_AP", window) == []  # nothing stored


def test_a_change_request_must_name_an_outage_of_the_caller(soap: TestClient) -> None:
    row = sample_record(spec.dataset("ResourceOutageChangeRequest"), {"ResourceOutage": "no-such-outage-1"})
    response = call(
        soap,
        "SubmitResourceOutageChangeRequest_OMSv1_AP",
        wrap(plan(_endpoint("SubmitResourceOutageChangeRequest_OMSv1_AP")).incoming, [row]),
    )
    assert "outageID no-such-outage-1 is not a ResourceOutage of ALPH" in fault(response)[1]


def test_submissions_are_kept_per_tenant_and_undone_by_reset(soap: TestClient) -> None:
    submit(soap, "SubmitMeterData_STLMTv1_AP", [sample_record(spec.dataset("MeterData"))])
    assert len(retrieve(soap, "RetrieveMeterData_STLMTv1_AP")) == 1
    soap.headers["X-Isosim-Tenant"] = "other"
    assert retrieve(soap, "RetrieveMeterData_STLMTv1_AP") == []
    del soap.headers["X-Isosim-Tenant"]
    assert soap.post("/_isosim/reset").status_code == 200
    assert retrieve(soap, "RetrieveMeterData_STLMTv1_AP") == []


def test_submissions_travel_in_snapshots(soap: TestClient) -> None:
    transaction = submit(
        soap, "SubmitResourceOutage_OMSv1_AP", [sample_record(spec.dataset("ResourceOutage"))]
    )
    snapshot = soap.get("/_isosim/snapshot?pack=caiso-production").json()
    assert soap.post("/_isosim/reset").status_code == 200
    assert retrieve(soap, "RetrieveResourceOutage_OMSv1_AP") == []
    assert soap.put("/_isosim/snapshot", json=snapshot).status_code == 200
    assert [r["transactionId"] for r in retrieve(soap, "RetrieveResourceOutage_OMSv1_AP")] == [transaction]
