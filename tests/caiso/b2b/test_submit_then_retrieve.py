"""Submissions are checked, stored all or nothing and acknowledged (StandardOutput, OMS's
OutageStandardOutput, DRRS's StandardOutput v1); where the catalogue has the matching retrieve
(outages, DR locations and registrations, RDTs, meter data, base schedules, CSP offers, forecasts,
bids and trades), it returns what was submitted, with its id, transaction, reception and status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from isosim.caiso.b2b import spec
from isosim.caiso.b2b.schemas import plan
from tests.caiso.b2b.conftest import (
    b2b_endpoints,
    call,
    endpoint,
    one,
    output,
    records,
    result_of,
    returned,
    sample_record,
    sample_request,
    submission,
    transaction_of,
    valid,
)
from tests.caiso.soap.conftest import NOW, fault

ENDPOINTS = b2b_endpoints()
ROLE_ERROR = "Invalid role and/or Entity list identifier."


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


def submit(soap: TestClient, name: str, rows: list[dict], **options: Any) -> str:
    """Submit records through the endpoint; the transaction id its answer names."""
    answer = output(call(soap, name, submission(name, rows), **options))
    assert result_of(answer) == "SCSS0001"
    return transaction_of(answer)


def retrieve(  # type: ignore[no-untyped-def]
    soap: TestClient, name: str, window: tuple[str, str] | None = None, created: datetime = NOW, **fields
) -> list[dict]:
    current = plan(endpoint(name))
    document = returned(call(soap, name, sample_request(name, window, **fields), created=created))
    assert valid(document, current), current.outgoing.schema.error_log  # type: ignore[union-attr]
    return records(document)


def _refs(soap: TestClient, dataset: spec.Dataset) -> dict[str, str]:
    """Submit what the dataset's references point at (the outage a change request changes)."""
    found = {}
    for ref in dataset.references:
        target = next(
            e
            for e in _operations("submit")
            if spec.operation(e.app, e.base_operation).dataset == ref and e.variant == "AP"
        )
        found[ref] = submit(soap, target.name, [sample_record(spec.dataset(ref))]) + "-1"
    return found


def _contains(got: Any, sent: Any) -> bool:
    """Whether what came back holds everything sent (trees: every element, in order, equal)."""
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(
            k == "mRID"
            or (
                k in got
                and len(got[k]) == len(v)
                and all(_contains(g, s) for g, s in zip(got[k], v, strict=True))
            )
            for k, v in sent.items()
        )
    return got == sent


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
        spec.operation(endpoint(submitter).app, endpoint(submitter).base_operation).dataset
    )
    window = ("2026-11-25T08:00:00Z", "2026-11-27T08:00:00Z") if dataset.name == "ResourceOutage" else None
    row = sample_record(dataset, _refs(soap, dataset), window=window if dataset.span else None)
    transaction = submit(soap, submitter, [row])
    found = [r for r in retrieve(soap, retriever, window) if r.get("transactionId", r.get("mRID"))]
    found = [r for r in found if r.get("transactionId", [transaction])[0] == transaction]
    assert len(found) == 1, found
    got = found[0]
    assert _contains(got, row), (got, row)
    assert one(got, "mRID" if "mRID" in got else "recordId") == f"{transaction}-1"
    if "status" in got:  # the document has a status: the record's, at its reception
        assert one(got, "status") == dataset.lifecycle[0][0]
    if "receivedTime" in got:
        assert one(got, "receivedTime") == "2026-11-18T18:00:00-00:00"


def _outages(soap: TestClient, status: str, window: tuple[str, str], created: datetime = NOW) -> list[dict]:
    form = {
        "Outage": [{"outageStatus": [status]}],
        "rangePeriod": [{"end": [window[1]], "start": [window[0]]}],
    }
    document = returned(call(soap, "RetrieveResourceOutage_OMSv2_AP", _outage_request(form), created=created))
    return records(document)


def _outage_request(form: dict) -> bytes:
    from tests.caiso.b2b.conftest import document

    name = "RetrieveResourceOutage_OMSv2_AP"
    return document(name, plan(endpoint(name)).incoming.filename, {"OutageRange": [form]})


def test_an_outage_moves_through_caisos_statuses_on_the_simulated_clock(soap: TestClient) -> None:
    window = ("2026-11-25T08:00:00Z", "2026-11-27T08:00:00Z")
    row = sample_record(spec.dataset("ResourceOutage"), window=window)
    submit(soap, "SubmitResourceOutage_OMSv2_AP", [row])
    assert len(_outages(soap, "RECEIVED", window)) == 1 and _outages(soap, "APPROVED", window) == []
    later = NOW + timedelta(hours=1)
    soap.put("/_isosim/clock", json={"frozen_at": later.isoformat()})
    assert len(_outages(soap, "APPROVED", window, later)) == 1


def test_a_short_notice_outage_waits_for_its_warning_to_be_acknowledged(soap: TestClient) -> None:
    window = ("2026-11-19T08:00:00Z", "2026-11-20T08:00:00Z")  # starts 14 hours after the clock
    answer = output(
        call(
            soap,
            "SubmitResourceOutage_OMSv1_AP",
            submission(
                "SubmitResourceOutage_OMSv1_AP",
                [sample_record(spec.dataset("ResourceOutage"), window=window)],
            ),
        )
    )
    result = answer.find("{*}MessagePayload/{*}EventLog/{*}Outage/{*}OutageValidation")
    assert result.findtext("{*}submitStatus") == "ACCEPTED"
    assert result.findtext("{*}OutageResult/{*}type") == "WARNING"
    assert result.findtext("{*}OutageResult/{*}status") == "UNACKNOWLEDGED"
    outage = answer.findtext("{*}MessagePayload/{*}EventLog/{*}Outage/{*}mRID")
    later = NOW + timedelta(hours=2)
    soap.put("/_isosim/clock", json={"frozen_at": later.isoformat()})
    assert _outages(soap, "APPROVED", window, later) == []
    acknowledged = call(
        soap,
        "AcknowledgeOutageWarning_OMSv1_AP",
        sample_request("AcknowledgeOutageWarning_OMSv1_AP", recordId=outage, action="ACKNOWLEDGE"),
        created=later,
    )
    assert result_of(output(acknowledged)) == "SCSS0001"
    assert len(_outages(soap, "APPROVED", window, later)) == 1


def _bid(price: str = "35.50", **overrides: Any) -> dict:
    row = sample_record(spec.dataset("RawBid"), **overrides)
    row["ProductBid"][0]["BidSchedule"][0]["BidPriceCurve"][0]["CurveSchedData"][0]["y1AxisData"] = [price]
    return row


def test_a_resubmitted_bid_supersedes_the_earlier_one(soap: TestClient) -> None:
    first = submit(soap, "SubmitRawBidSet_SIBRv4_AP", [_bid()])
    second = submit(soap, "SubmitRawBidSet_SIBRv4_AP", [_bid("41.00")])
    found = {one(r, "transactionId"): r for r in retrieve(soap, "RetrieveCurrentBidResults_SIBRv4_AP")}
    assert one(found[first], "status") == "O" and one(found[second], "status") == "V"
    assert sorted(one(r, "transactionId") for r in retrieve(soap, "RetrieveRawBidSet_SIBRv4_AP")) == sorted(
        [first, second]
    )


def test_bids_travel_in_the_cim_bid_shape(soap: TestClient) -> None:
    transaction = submit(soap, "SubmitRawBidSet_SIBRv4_AP", [_bid()])
    document = returned(
        call(
            soap,
            "RetrieveCurrentBidResults_SIBRv4_AP",
            sample_request("RetrieveCurrentBidResults_SIBRv4_AP", transactionId=transaction),
        )
    )
    (bid,) = document.find("{*}MessagePayload")
    assert etree.QName(bid).localname == "GeneratingBid"
    assert bid.findtext("{*}RegisteredGenerator/{*}mRID") == "ALAMIT_7_UNIT1"
    assert bid.findtext("{*}MarketParticipant/{*}mRID") == "ALPH"
    assert bid.findtext("{*}ProductBid/{*}MarketProduct/{*}marketProductType") == "EN"
    assert (
        bid.findtext("{*}ProductBid/{*}BidSchedule/{*}BidPriceCurve/{*}CurveSchedData/{*}y1AxisData")
        == "35.50"
    )


def _schedule(start: str, end: str, mw: str = "50.00", **overrides: Any) -> dict:
    window = (start, end)
    return sample_record(
        spec.dataset("BaseSchedule"),
        window=window,
        TradeIntervalData=[{"baseScheduleMW": [mw], "intervalEndTime": [end], "intervalStartTime": [start]}],
        **overrides,
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"mw": "999.00"}, "outside 0 to 175 MW"),
        ({"resource": "NO_SUCH_RESOURCE"}, "is not registered to scheduling coordinator ALPH"),
        ({"resource": "DELTA_2_PL1X4"}, "is not registered to scheduling coordinator ALPH"),  # Bravo's
        ({"schedulingCoordinator": "BRVO"}, ROLE_ERROR),
        ({"start": "2026-11-20T08:30:00Z", "end": "2026-11-20T09:30:00Z"}, "is not one hour interval"),
        ({"end": "2026-11-20T09:00:00Z"}, "the end must be after the start"),
    ],
    ids=["above-pmax", "unknown-resource", "another-coordinators", "foreign-sc", "misaligned", "empty"],
)
def test_a_bad_record_refuses_the_whole_submission(soap: TestClient, change: dict, words: str) -> None:
    good = _schedule("2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", resource="ALAMIT_7_UNIT1")
    fields = {k: v for k, v in change.items() if k in ("resource", "schedulingCoordinator")}
    fields.setdefault("resource", "ALAMIT_7_UNIT1")
    bad = _schedule(
        change.get("start", "2026-11-20T09:00:00Z"),
        change.get("end", "2026-11-20T10:00:00Z"),
        change.get("mw", "50.00"),
        **fields,
    )
    response = call(
        soap, "SubmitBaseSchedule_BSAPv1_AP", submission("SubmitBaseSchedule_BSAPv1_AP", [good, bad])
    )
    _, text, _ = fault(response)
    assert response.status_code == 500 and words in text
    if words != ROLE_ERROR:
        assert text.startswith("record 2 ")
    window = ("2026-11-20T08:00:00Z", "2026-11-20T12:00:00Z")
    assert retrieve(soap, "RetrieveBaseScheduleResults_BSAPv1_AP", window) == []  # nothing stored


def test_a_change_request_must_name_an_outage_of_the_caller(soap: TestClient) -> None:
    row = sample_record(spec.dataset("ResourceOutageChangeRequest"), {"ResourceOutage": "no-such-outage-1"})
    name = "SubmitResourceOutageChangeRequest_OMSv1_AP"
    response = call(soap, name, submission(name, [row]))
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
    window = ("2026-11-25T08:00:00Z", "2026-11-27T08:00:00Z")
    transaction = submit(
        soap, "SubmitResourceOutage_OMSv1_AP", [sample_record(spec.dataset("ResourceOutage"), window=window)]
    )
    snapshot = soap.get("/_isosim/snapshot?pack=caiso-production").json()
    assert soap.post("/_isosim/reset").status_code == 200
    assert retrieve(soap, "RetrieveResourceOutage_OMSv1_AP", window) == []
    assert soap.put("/_isosim/snapshot", json=snapshot).status_code == 200
    assert [one(r, "mRID") for r in retrieve(soap, "RetrieveResourceOutage_OMSv1_AP", window)] == [
        f"{transaction}-1"
    ]
