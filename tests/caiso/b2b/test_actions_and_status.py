"""Actions on submitted records (SIBR bid and trade actions, CIRA offer withdrawal, OMS change
request withdrawal and warning acknowledgement) and submission status queries (DRRS and STLMT batch
validation status, Master File RDT submission status and approved changes)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from app.caiso.b2b import spec
from app.caiso.b2b.schemas import plan
from tests.caiso.b2b.conftest import (
    OUT,
    call,
    endpoint,
    output,
    records,
    returned,
    sample_record,
    sample_request,
    wrap,
)
from tests.caiso.soap.conftest import NOW, fault


def submit(soap: TestClient, name: str, rows: list[dict]) -> str:
    answer = output(call(soap, name, wrap(plan(endpoint(name)).incoming, rows)))
    return answer.findtext("o:EventLog/o:id", namespaces=OUT)


def act(soap: TestClient, name: str, **fields):  # type: ignore[no-untyped-def]
    return call(soap, name, sample_request(plan(endpoint(name)), **fields))


def found(soap: TestClient, name: str, window=None, created=NOW, **fields) -> list[dict]:  # type: ignore[no-untyped-def]
    return records(
        returned(call(soap, name, sample_request(plan(endpoint(name)), window, **fields), created=created))
    )


def test_cancelling_a_bid_makes_it_cx_and_takes_it_out_of_the_clean_bid_set(soap: TestClient) -> None:
    transaction = submit(soap, "SubmitRawBidSet_SIBRv3_AP", [sample_record(spec.dataset("RawBid"))])
    answer = output(act(soap, "SubmitBidAction_SIBR_AP", transactionId=transaction, action="CANCEL"))
    assert (
        answer.findtext("o:EventLog/o:Event/o:description", namespaces=OUT) == "CANCEL applied to 1 record(s)"
    )
    assert [r["status"] for r in found(soap, "RetrieveCurrentBidResults_SIBRv3_AP")] == ["CX"]
    assert found(soap, "RetrieveCleanBidSet_SIBRv3_AP") == []


def test_confirming_a_trade_puts_it_in_the_final_trade_set(soap: TestClient) -> None:
    transaction = submit(soap, "SubmitRawTradeSet_SIBR_AP", [sample_record(spec.dataset("Trade"))])
    act(soap, "SubmitTradeAction_SIBR_AP", recordId=f"{transaction}-1", action="CONFIRM")
    (trade,) = found(soap, "RetrieveFinalTradeSet_SIBR_AP")
    assert trade["status"] == "MT" and trade["recordId"] == f"{transaction}-1"


def test_an_action_naming_nothing_of_the_callers_is_a_fault(soap: TestClient) -> None:
    response = act(soap, "SubmitBidAction_SIBR_AP", transactionId="not-a-transaction", action="CANCEL")
    assert response.status_code == 500 and "no records of ALPH match" in fault(response)[1]
    response = act(soap, "SubmitBidAction_SIBR_AP", action="CANCEL")
    assert "names no records" in fault(response)[1]


def test_withdrawn_offers_and_change_requests_say_so(soap: TestClient) -> None:
    offer = submit(soap, "SubmitCSPOffers_CIRAv1_AP", [sample_record(spec.dataset("CSPOffer"))])
    output(act(soap, "WithdrawCSPOffers_CIRAv1_AP", transactionId=offer, action="WITHDRAW"))
    assert [r["status"] for r in found(soap, "RetrieveCSPOffers_CIRAv1_AP")] == ["WITHDRAWN"]
    outage = submit(soap, "SubmitResourceOutage_OMSv1_AP", [sample_record(spec.dataset("ResourceOutage"))])
    change = submit(
        soap,
        "SubmitResourceOutageChangeRequest_OMSv1_AP",
        [sample_record(spec.dataset("ResourceOutageChangeRequest"), {"ResourceOutage": f"{outage}-1"})],
    )
    output(act(soap, "WithdrawOutageChangeRequest_OMSv1_AP", transactionId=change, action="WITHDRAW"))
    assert [r["status"] for r in found(soap, "RetrieveResourceOutageChangeRequest_OMSv1_AP")] == ["WITHDRAWN"]
    assert [r["status"] for r in found(soap, "RetrieveResourceOutage_OMSv1_AP")] == ["RECEIVED"]  # untouched


def test_acknowledging_an_outage_warning_marks_the_outage(soap: TestClient) -> None:
    outage = submit(
        soap, "SubmitTransmissionOutage_OMSv2_AP", [sample_record(spec.dataset("TransmissionOutage"))]
    )
    output(act(soap, "AcknowledgeOutageWarning_OMSv1_AP", recordId=f"{outage}-1", action="ACKNOWLEDGE"))
    (record,) = found(soap, "RetrieveTransmissionOutage_OMSv2_AP")
    assert record["warningAcknowledged"] == "true" and record["status"] == "RECEIVED"


def test_batch_validation_status_reports_a_submission(soap: TestClient) -> None:
    rows = [
        sample_record(spec.dataset("MeterData")),
        sample_record(
            spec.dataset("MeterData"), startTime="2026-11-19T08:05:00Z", endTime="2026-11-19T08:10:00Z"
        ),
    ]
    transaction = submit(soap, "SubmitMeterData_STLMTv1_DocAttach_AP", rows)
    for name in (
        "RetrieveBatchValidationStatus_STLMTv1_AP",
        "RetrieveBatchValidationStatus_STLMTv1_DocAttach_AP",
    ):
        (status,) = found(soap, name, transactionId=transaction)
        assert (
            status["status"] == "VALIDATED" and status["recordCount"] == "2" and status["invalidCount"] == "0"
        )
        assert status["operation"] == "submitMeterData_v1_DocAttach"
    # Another application's status query does not see it; an unknown id is an empty document.
    assert found(soap, "RetrieveBatchValidationStatus_DRRSv1_AP", transactionId=transaction) == []
    assert found(soap, "RetrieveBatchValidationStatus_STLMTv1_AP", transactionId="unknown") == []


def test_master_file_changes_are_approved_after_an_hour(soap: TestClient) -> None:
    row = sample_record(spec.dataset("GeneratorRDT"), pmaxMW="170.00")
    transaction = submit(soap, "SubmitGeneratorRDT_MFRDv4_AP", [row])
    (status,) = found(soap, "RetrieveRDTSubmissionStatus_MFRD_AP", transactionId=transaction)
    assert status["status"] == "VALIDATED"
    window = (row["startTime"], row["endTime"])
    assert found(soap, "RetrieveApprovedResourceChanges_MFRD_AP", window) == []
    later = NOW + timedelta(minutes=61)
    soap.put("/_isosim/clock", json={"frozen_at": later.isoformat()})
    (approved,) = found(soap, "RetrieveApprovedResourceChanges_MFRD_AP", window, created=later)
    assert approved["pmaxMW"] == "170.00" and approved["status"] == "APPROVED"
    # The RDT retrieve shows the pack's record and the submitted one.
    rdts = [
        r
        for r in found(soap, "RetrieveGeneratorRDT_MFRDv4_AP", window, created=later)
        if r["resource"] == "ALAMIT_7_UNIT1"
    ]
    assert sorted(r.get("status", "") for r in rdts) == ["", "APPROVED"]
