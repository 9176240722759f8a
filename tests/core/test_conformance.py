"""Conformance reports: a well-behaved and a misbehaving client of each service get the verdicts they
should, with the requests that show it, as JSON, a printable HTML page and JUnit XML."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from tests.conftest import IBT, IBT_CONTENT_TYPE, IBT_MEDIA_TYPE, as_customer, make_client, sample
from tests.isone.emarket.conftest import BEFORE_CLOSE, DAY, SANDBOX, XYZ, hour, offers

VERSIONED = {**as_customer(1), "Accept": IBT_MEDIA_TYPE}


def _report(http: TestClient, **query: str) -> dict[str, dict]:
    answer = http.get("/_isosim/conformance", params=query)
    assert answer.status_code == 200, answer.text
    return {rule["id"]: rule for rule in answer.json()["rules"]}


def _post(client: TestClient, body: bytes, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(f"{IBT}/1/contractSubaccountMappings", content=body, headers=headers)


def test_a_well_behaved_ibt_client_passes(client: TestClient) -> None:
    assert client.get(f"{IBT}/1/subaccounts", headers=VERSIONED).status_code == 200
    assert (
        _post(
            client, sample("3.2.8-mappings-post-request.xml"), {**VERSIONED, "Content-Type": IBT_CONTENT_TYPE}
        ).status_code
        == 200
    )
    client.post(
        "/_isosim/faults", json={"action": "error", "status": 503, "count": 1, "path": "/sms_oper_contract/*"}
    )
    assert client.get(f"{IBT}/1/subaccounts", headers=VERSIONED).status_code == 503
    time.sleep(0.6)  # backs off before trying again
    assert client.get(f"{IBT}/1/subaccounts", headers=VERSIONED).status_code == 200
    rules = _report(client, identity="xyz-ibt", pack="isone-sandbox")
    assert {k: rules[k]["status"] for k in ("IBT-1", "IBT-2", "IBT-3", "IBT-4")} == dict.fromkeys(
        ("IBT-1", "IBT-2", "IBT-3", "IBT-4"), "pass"
    )
    assert rules["IBT-5"]["status"] == "not-exercised"  # nothing was refused
    assert "OASIS-1" not in rules  # the sandbox pack serves no OASIS


def test_a_misbehaving_ibt_client_fails_with_evidence(client: TestClient) -> None:
    generic = {**as_customer(1), "Accept": "application/xml"}
    assert client.get(f"{IBT}/1/subaccounts", headers=generic).status_code == 200
    assert client.get(f"{IBT}/2/subaccounts", headers=VERSIONED).status_code == 403
    broken = b"<contract_subaccount_mappings xmlns='http://xmlns.iso-ne.com/contract/customers'><x/></contract_subaccount_mappings>"
    for _ in range(2):  # the same refused document, sent again
        assert _post(client, broken, {**VERSIONED, "Content-Type": IBT_CONTENT_TYPE}).status_code == 400
    client.post(
        "/_isosim/faults", json={"action": "error", "status": 503, "count": 1, "path": "/sms_oper_contract/*"}
    )
    assert client.get(f"{IBT}/1/subaccounts", headers=VERSIONED).status_code == 503
    assert client.get(f"{IBT}/1/subaccounts", headers=VERSIONED).status_code == 200  # at once
    rules = _report(client, identity="xyz-ibt")
    assert {k: rules[k]["status"] for k in ("IBT-1", "IBT-2", "IBT-3", "IBT-4", "IBT-5")} == dict.fromkeys(
        ("IBT-1", "IBT-2", "IBT-3", "IBT-4", "IBT-5"), "fail"
    )
    assert "application/xml" in rules["IBT-2"]["evidence"][0]["message"]
    assert [e["status"] for e in rules["IBT-3"]["evidence"]] == [403]
    assert len(rules["IBT-5"]["evidence"]) == 1
    journal = client.get("/_isosim/journal", params={"identity": "xyz-ibt"}).json()["entries"]
    assert {e["entry"] for e in rules["IBT-1"]["evidence"]} <= {e["id"] for e in journal}


def test_an_emarket_client_is_judged_by_emarkets_answers(client: TestClient) -> None:
    client.put("/_isosim/clock", json={"frozen_at": BEFORE_CLOSE})
    good = offers({"XYZ MILLBROOK CT": [hour(f"{DAY}T00:00:00-04:00", [(30, 57)])]})
    bad = offers({"XYZ MILLBROOK CT": [hour(f"{DAY}T00:00:00-04:00", [(-200, 57)])]})
    headers = {**XYZ, "Content-Type": "application/xml"}
    assert client.post(f"{SANDBOX}/supplyoffer", content=good, headers=headers).status_code == 200
    rules = _report(client, identity="xyz-ibt")
    assert (rules["EMKT-1"]["status"], rules["EMKT-2"]["status"], rules["EMKT-3"]["status"]) == (
        "pass",
        "pass",
        "not-exercised",
    )
    for _ in range(2):
        assert client.post(f"{SANDBOX}/supplyoffer", content=bad, headers=headers).status_code == 200
    rules = _report(client, identity="xyz-ibt")
    assert rules["EMKT-2"]["status"] == "fail" and "E120" in rules["EMKT-2"]["evidence"][0]["message"]
    assert rules["EMKT-3"]["status"] == "fail"


def test_an_oasis_client_that_does_not_pace_itself_fails(fresh_app) -> None:  # type: ignore[no-untyped-def]
    query = (
        "/oasisapi/SingleZip?queryname=PRC_LMP&version=12&market_run_id=DAM&node=TH_NP15_GEN-APND"
        "&startdatetime=20261110T08:00-0000&enddatetime=20261111T08:00-0000"
    )
    with make_client(fresh_app(clock_frozen_at=datetime(2026, 11, 18, 18, tzinfo=UTC))) as client:
        host = {"Host": "oasis.caiso.com"}
        assert client.get(query, headers=host).status_code == 200
        assert client.get(query, headers=host).status_code == 429
        assert client.get(query, headers=host).status_code == 429  # no pause after the 429
        rules = _report(client, client="testclient", pack="caiso-production")
        assert rules["OASIS-1"]["status"] == "fail" and len(rules["OASIS-1"]["evidence"]) == 2
        assert rules["OASIS-2"]["status"] == "fail"


def test_reports_in_html_and_junit(client: TestClient) -> None:
    client.get(f"{IBT}/2/subaccounts", headers=VERSIONED)
    page = client.get("/_isosim/conformance", params={"identity": "xyz-ibt", "format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert (
        "<!DOCTYPE html>" in page.text and "IBT-3" in page.text and "http" not in page.text.split("<body>")[0]
    )
    junit = etree.fromstring(
        client.get("/_isosim/conformance", params={"identity": "xyz-ibt", "format": "junit"}).content
    )
    assert junit.tag == "testsuite"
    cases = {case.get("name").split()[0]: case for case in junit.iter("testcase")}
    assert cases["IBT-3"].find("failure") is not None
    assert cases["IBT-5"].find("skipped") is not None
    assert int(junit.get("failures")) == sum(1 for c in cases.values() if c.find("failure") is not None)


def test_a_report_needs_a_caller(client: TestClient) -> None:
    assert client.get("/_isosim/conformance").status_code == 422
    assert client.get("/_isosim/conformance", params={"identity": "x", "format": "pdf"}).status_code == 422


def test_a_caiso_b2b_client_is_judged_on_its_signatures_and_headers(client: TestClient) -> None:
    from tests.caiso.soap.conftest import BID_RESULTS, MARKET_AWARDS, NOW, SANDBOX, cert, envelope

    client.put("/_isosim/clock", json={"frozen_at": NOW.isoformat()})
    url = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP"
    headers = {"Content-Type": "text/xml", **cert()}
    assert client.post(url, content=envelope(MARKET_AWARDS), headers=headers).status_code == 200
    rules = _report(client, identity="sc-alpha-systems", pack="caiso-production")
    assert (rules["B2B-1"]["status"], rules["B2B-2"]["status"]) == ("pass", "pass")
    # the lenient Sandbox serves an unsigned message, but CAISO asks for a signature
    unsigned = envelope(BID_RESULTS, pack="caiso-sandbox", signer=None)
    assert client.post(SANDBOX, content=unsigned, headers=headers).status_code == 200
    rules = _report(client, identity="sc-alpha-systems", pack="caiso-sandbox")
    assert rules["B2B-1"]["status"] == "fail" and "signature" in rules["B2B-1"]["evidence"][0]["message"]
    assert rules["B2B-2"]["status"] == "pass"


def test_scenarios_set_up_what_the_rules_need_for_one_tenant(client: TestClient) -> None:
    listed = {s["name"]: s for s in client.get("/_isosim/conformance/scenarios").json()}
    assert {"ibt-outage", "emarket-window-closed", "caiso-maintenance"} <= set(listed)
    demo = {**VERSIONED, "X-Isosim-Tenant": "demo"}
    assert client.post("/_isosim/conformance/scenarios/ibt-outage?tenant=demo").status_code == 200
    assert [client.get(f"{IBT}/1/subaccounts", headers=demo).status_code for _ in range(3)] == [503, 503, 200]
    assert client.get(f"{IBT}/1/subaccounts", headers=VERSIONED).status_code == 200  # others undisturbed
    # eMarket's day-ahead window, closed at 11:00 Eastern on the tenant's clock
    client.put("/_isosim/clock", json={"frozen_at": "2026-03-10T13:00:00Z"})
    assert (
        client.post(
            "/_isosim/conformance/scenarios/emarket-window-closed", headers={"X-Isosim-Tenant": "demo"}
        ).json()["clock"]
        == "2026-03-10T15:00:00+00:00"
    )
    body = offers({"XYZ MILLBROOK CT": [hour(f"{DAY}T00:00:00-04:00", [(30, 57)])]})
    answer = client.post(
        f"{SANDBOX}/supplyoffer",
        content=body,
        headers={**XYZ, "Content-Type": "application/xml", "X-Isosim-Tenant": "demo"},
    )
    assert 'status="REJECTED"' in answer.text and "E110" in answer.text
    # MAP Stage's maintenance, 17:00 Pacific
    assert client.post("/_isosim/conformance/scenarios/caiso-maintenance?tenant=map").status_code == 200
    closed = client.get(
        "/env/caiso-mapstage/oasisapi/SingleZip?queryname=PRC_LMP", headers={"X-Isosim-Tenant": "map"}
    )
    assert closed.status_code == 503 and "Retry-After" in closed.headers
    assert client.post("/_isosim/conformance/scenarios/nothing").status_code == 404


def test_an_ads_client_is_judged_on_validation_answers_and_polling(live_servers: list[str]) -> None:
    from zeep.exceptions import Fault

    from tests.caiso.ads.test_dispatch_cycle import NOW, client, instructed, unpack

    base = live_servers[0]
    assert httpx.put(f"{base}/_isosim/clock", json={"frozen_at": NOW}).is_success
    service = client(base).service
    uids = service.getDispatchBatchesSinceUID("-1")

    def report() -> dict[str, dict]:
        found = httpx.get(f"{base}/_isosim/conformance", params={"identity": "sc-alpha-bidder"}).json()
        return {rule["id"]: rule for rule in found["rules"]}

    assert report()["ADS-1"]["status"] == "not-exercised"  # one poll
    assert service.validateDispatchBatch(uids[-1]) is True  # the current interval's
    resource = instructed(unpack(service.getDispatchBatch(uids[-1])))[0]
    assert service.acceptInstruction(uids[-1], resource) is True
    rules = report()
    assert (rules["ADS-2"]["status"], rules["ADS-3"]["status"]) == ("pass", "pass")
    assert service.validateDispatchBatch(uids[0]) is True  # an hour old: validated too late
    late = instructed(unpack(service.getDispatchBatch(uids[0])))[0]
    with pytest.raises(Fault, match="expired"):
        service.acceptInstruction(uids[0], late)
    for _ in range(2):
        service.getDispatchBatchesSinceUID(uids[-1])  # polled again at once: hammering
    rules = report()
    assert rules["ADS-2"]["status"] == "fail" and uids[0] in rules["ADS-2"]["evidence"][0]["message"]
    assert rules["ADS-3"]["status"] == "fail" and "expired" in rules["ADS-3"]["evidence"][0]["message"]
    assert rules["ADS-1"]["status"] == "fail" and len(rules["ADS-1"]["evidence"]) == 2


def test_b2b_attachments_are_judged_on_their_framing(client: TestClient) -> None:
    from tests.caiso.soap.conftest import MARKET_AWARDS, NOW, cert, doc_attach, envelope

    client.put("/_isosim/clock", json={"frozen_at": NOW.isoformat()})
    submit = "/env/caiso-production/sst/sibr/SubmitRawBidSet_SIBRv4_DocAttach_AP"
    headers = {"Content-Type": "text/xml", **cert()}
    # readable (the wrong document, refused later for that): framed as CAISO's
    client.post(submit, content=envelope(doc_attach(MARKET_AWARDS)), headers=headers)
    assert _report(client, identity="sc-alpha-systems")["B2B-3"]["status"] == "pass"
    broken = '<ISOAttachment xmlns="http://www.caiso.com/soa/2006-10-26/ISOAttachment.xsd"><AttachmentValue>%%%</AttachmentValue></ISOAttachment>'
    assert client.post(submit, content=envelope(broken), headers=headers).status_code == 500
    rule = _report(client, identity="sc-alpha-systems")["B2B-3"]
    assert rule["status"] == "fail" and "base64" in rule["evidence"][0]["message"]


def test_b2b_submissions_are_followed_by_their_status_query(soap: TestClient) -> None:
    from isosim.caiso.b2b import spec
    from tests.caiso.b2b.conftest import sample_record
    from tests.caiso.b2b.test_actions_and_status import status, submit

    transaction = submit(soap, "SubmitGeneratorRDT_MFRDv4_AP", [sample_record(spec.dataset("GeneratorRDT"))])
    caller = soap.get("/_isosim/journal", params={"limit": 1}).json()["entries"][0]["identity"]
    rule = _report(soap, identity=caller, pack="caiso-production")["B2B-4"]
    assert rule["status"] == "fail" and "no MF status query" in rule["evidence"][0]["message"]
    status(soap, "RetrieveRDTSubmissionStatus_MFRD_AP", transaction)
    assert _report(soap, identity=caller, pack="caiso-production")["B2B-4"]["status"] == "pass"
