"""Actions on submitted records (SIBR bid and trade actions, CIRA offer withdrawal, OMS change
request withdrawal and warning acknowledgement) and submission status queries (DRRS and STLMT batch
validation status, Master File RDT submission status and approved changes)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from lxml import etree

from isosim.caiso.b2b import spec
from tests.caiso.b2b.conftest import (
    OUT,
    call,
    one,
    output,
    records,
    returned,
    sample_record,
    sample_request,
    submission,
    transaction_of,
)
from tests.caiso.soap.conftest import NOW, fault


def submit(soap: TestClient, name: str, rows: list[dict]) -> str:
    return transaction_of(output(call(soap, name, submission(name, rows))))


def act(soap: TestClient, name: str, **fields):  # type: ignore[no-untyped-def]
    return call(soap, name, sample_request(name, **fields))


def found(soap: TestClient, name: str, window=None, created=NOW, **fields) -> list[dict]:  # type: ignore[no-untyped-def]
    return records(returned(call(soap, name, sample_request(name, window, **fields), created=created)))


def status(soap: TestClient, name: str, transaction: str) -> etree._Element:
    """The BatchValidationStatus a status query returns for a submission."""
    return returned(call(soap, name, sample_request(name, transactionId=transaction)))


def test_cancelling_a_bid_makes_it_cx_and_takes_it_out_of_the_clean_bid_set(soap: TestClient) -> None:
    transaction = submit(soap, "SubmitRawBidSet_SIBRv3_AP", [sample_record(spec.dataset("RawBid"))])
    answer = output(act(soap, "SubmitBidAction_SIBR_AP", transactionId=transaction, action="CANCEL"))
    assert (
        answer.findtext("o:EventLog/o:Event/o:description", namespaces=OUT) == "CANCEL applied to 1 record(s)"
    )
    assert [one(r, "status") for r in found(soap, "RetrieveCurrentBidResults_SIBRv3_AP")] == ["CX"]
    assert found(soap, "RetrieveCleanBidSet_SIBRv3_AP") == []


def test_confirming_a_trade_puts_it_in_the_final_trade_set(soap: TestClient) -> None:
    transaction = submit(soap, "SubmitRawTradeSet_SIBR_AP", [sample_record(spec.dataset("Trade"))])
    act(soap, "SubmitTradeAction_SIBR_AP", recordId=f"{transaction}-1", action="CONFIRM")
    (trade,) = found(soap, "RetrieveFinalTradeSet_SIBR_AP")
    assert one(trade, "status") == "MT" and one(trade, "recordId") == f"{transaction}-1"


def test_an_action_naming_nothing_of_the_callers_is_a_fault(soap: TestClient) -> None:
    response = act(soap, "SubmitBidAction_SIBR_AP", transactionId="not-a-transaction", action="CANCEL")
    assert response.status_code == 500 and "no records of ALPH match" in fault(response)[1]
    response = act(soap, "SubmitBidAction_SIBR_AP", action="CANCEL")
    assert "names no records" in fault(response)[1]


def test_withdrawn_offers_and_change_requests_say_so(soap: TestClient) -> None:
    offer = submit(soap, "SubmitCSPOffers_CIRAv1_AP", [sample_record(spec.dataset("CSPOffer"))])
    output(act(soap, "WithdrawCSPOffers_CIRAv1_AP", transactionId=offer, action="WITHDRAW"))
    assert [one(r, "status") for r in found(soap, "RetrieveCSPOffers_CIRAv1_AP")] == ["WITHDRAWN"]
    window = ("2026-11-25T08:00:00Z", "2026-11-27T08:00:00Z")
    outage = submit(
        soap, "SubmitResourceOutage_OMSv1_AP", [sample_record(spec.dataset("ResourceOutage"), window=window)]
    )
    change = submit(
        soap,
        "SubmitResourceOutageChangeRequest_OMSv1_AP",
        [sample_record(spec.dataset("ResourceOutageChangeRequest"), {"ResourceOutage": f"{outage}-1"})],
    )
    output(act(soap, "WithdrawOutageChangeRequest_OMSv1_AP", transactionId=change, action="WITHDRAW"))
    assert [one(r, "status") for r in found(soap, "RetrieveResourceOutageChangeRequest_OMSv1_AP")] == [
        "WITHDRAWN"
    ]
    assert len(found(soap, "RetrieveResourceOutage_OMSv1_AP", window)) == 1  # untouched


def test_acknowledging_an_outage_warning_marks_the_outage(soap: TestClient) -> None:
    outage = submit(
        soap, "SubmitTransmissionOutage_OMSv2_AP", [sample_record(spec.dataset("TransmissionOutage"))]
    )
    output(act(soap, "AcknowledgeOutageWarning_OMSv1_AP", recordId=f"{outage}-1", action="ACKNOWLEDGE"))
    (record,) = found(soap, "RetrieveTransmissionOutage_OMSv2_AP")
    assert one(record, "warningAcknowledged") == "true" and one(record, "status") == "RECEIVED"


def test_batch_validation_status_reports_a_submission(soap: TestClient) -> None:
    rows = [
        sample_record(spec.dataset("MeterData")),
        sample_record(spec.dataset("MeterData"), window=("2026-11-20T08:05:00Z", "2026-11-20T08:10:00Z")),
    ]
    transaction = submit(soap, "SubmitMeterData_STLMTv1_DocAttach_AP", rows)
    for name in (
        "RetrieveBatchValidationStatus_STLMTv1_AP",
        "RetrieveBatchValidationStatus_STLMTv1_DocAttach_AP",
    ):
        answer = status(soap, name, transaction)
        assert answer.tag == "{http://www.caiso.com/soa/BatchValidationStatus_v1.xsd#}BatchValidationStatus"
        assert answer.findtext("{*}MessagePayload/{*}BatchStatus/{*}mRID") == transaction
        assert answer.findtext("{*}MessagePayload/{*}BatchStatus/{*}description") == "SUCCESS"
    # Another application's status query does not know it; nor an unknown batch.
    for name, batch in (
        ("RetrieveBatchValidationStatus_DRRSv1_AP", transaction),
        ("RetrieveBatchValidationStatus_STLMTv1_AP", "unknown"),
    ):
        answer = status(soap, name, batch)
        assert answer.findtext("{*}MessagePayload/{*}BatchStatus/{*}description") == "ERROR"
        assert answer.findtext("{*}MessagePayload/{*}ErrorLog/{*}errMessage")


def test_drrs_submissions_answer_with_the_batch_the_status_query_names(soap: TestClient) -> None:
    answer = output(
        call(
            soap,
            "SubmitDRLocations_DRRSv1_AP",
            submission("SubmitDRLocations_DRRSv1_AP", [sample_record(spec.dataset("DRLocation"))]),
        )
    )
    assert answer.tag == "{http://www.caiso.com/soa/StandardOutput_v1.xsd#}StandardOutput"
    batch = answer.findtext("{*}MessagePayload/{*}EventLog/{*}Batch/{*}mRID")
    checked = status(soap, "RetrieveBatchValidationStatus_DRRSv1_AP", batch)
    assert checked.findtext("{*}MessagePayload/{*}BatchStatus/{*}description") == "SUCCESS"


def test_master_file_changes_are_approved_after_an_hour(soap: TestClient) -> None:
    row = sample_record(spec.dataset("GeneratorRDT"), pmaxMW="170.00")
    transaction = submit(soap, "SubmitGeneratorRDT_MFRDv4_AP", [row])
    answer = status(soap, "RetrieveRDTSubmissionStatus_MFRD_AP", transaction)
    assert answer.findtext("{*}MessagePayload/{*}BatchStatus/{*}description") == "SUCCESS"
    window = (one(row, "startTime"), one(row, "endTime"))
    assert found(soap, "RetrieveApprovedResourceChanges_MFRD_AP", window) == []
    later = NOW + timedelta(minutes=61)
    soap.put("/_isosim/clock", json={"frozen_at": later.isoformat()})
    (approved,) = found(soap, "RetrieveApprovedResourceChanges_MFRD_AP", window, created=later)
    assert one(approved, "pmaxMW") == "170.00" and one(approved, "status") == "APPROVED"
    # The RDT retrieve shows the pack's record and the submitted one.
    rdts = [
        r
        for r in found(soap, "RetrieveGeneratorRDT_MFRDv4_AP", window, created=later)
        if one(r, "resource") == "ALAMIT_7_UNIT1"
    ]
    assert sorted(r.get("status", [""])[0] for r in rdts) == ["", "APPROVED"]
