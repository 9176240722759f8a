"""The SOAP protocol every CAISO endpoint shares: HTTP methods, media type, envelope, faults with
CAISO's standard output, access by certificate, CAISO's security header."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from isosim.caiso.soap.routes import HANDLERS, WSDLS
from isosim.core.packs import User
from tests.caiso.soap.conftest import BID_RESULTS, CHARLIE_SUBJECT, NOW, SANDBOX, cert, envelope, fault

URL = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP"
ADS = "/env/caiso-production/ADS/APIWebService/v7"
XML = {"Content-Type": "text/xml; charset=UTF-8"}


def post(client: TestClient, body: bytes, url: str = URL, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(url, content=body, headers={**XML, **cert(), **headers})


def test_get_without_wsdl_is_405_and_names_post(soap: TestClient) -> None:
    response = soap.get(URL, headers=cert())
    assert response.status_code == 405 and response.headers["allow"] == "POST"


def test_an_endpoint_without_wsdl_writer_says_so(soap: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delitem(WSDLS, "CMRI")
    response = soap.get(URL + "?wsdl", headers=cert())
    assert response.status_code == 501
    assert "RetrieveMarketAwards_CMRIv4_AP" in response.text


def test_a_valid_message_reaches_the_endpoint(soap: TestClient) -> None:
    response = post(soap, envelope())
    assert response.status_code == 200 and response.headers["content-type"].startswith("multipart/related")


def test_an_endpoint_not_emulated_answers_501_naming_it(soap: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delitem(HANDLERS, ("CMRI", "RetrieveMarketAwards"))
    response = post(soap, envelope())
    assert response.status_code == 501
    code, text, event = fault(response)
    assert code == "soapenv:Server"
    assert (
        text
        == event
        == "isosim does not emulate CMRI retrieveMarketAwards_v4 (RetrieveMarketAwards_CMRIv4_AP) yet"
    )


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        (b"<soapenv:Envelope", "soapenv:Client", "not well-formed XML"),
        (b"", "soapenv:Client", "empty"),
        (
            b'<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body/></Envelope>',
            "soapenv:VersionMismatch",
            "SOAP 1.1 envelope namespace",
        ),
        (b"<Request/>", "soapenv:Client", "not a SOAP envelope"),
        (
            b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>',
            "soapenv:Client",
            "has no Body",
        ),
        (envelope(""), "soapenv:Client", "the SOAP Body is empty"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + envelope("<a>&x;</a>", signer=None),
            "soapenv:Client",
            "(DTD) are not allowed",
        ),
    ],
    ids=["malformed", "empty", "soap-1.2", "not-an-envelope", "no-body", "empty-body", "dtd"],
)
def test_bad_messages_get_a_soap_fault_with_caiso_standard_output(
    soap: TestClient, body, code, words
) -> None:
    response = post(soap, body)
    assert response.status_code == 500
    got_code, text, event = fault(response)
    assert got_code == code and words in text and text == event
    assert "root:" not in response.text


def test_a_soap_message_is_text_xml(soap: TestClient) -> None:
    response = post(soap, envelope(), **{"Content-Type": "application/json"})
    assert response.status_code == 415 and "text/xml" in fault(response)[1]


def test_oversize_messages_are_413(fresh_app) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_client

    client = make_client(fresh_app(max_body_bytes=4096, clock_frozen_at=NOW.isoformat()))
    response = client.post(URL, content=envelope("<R>" + "x" * 5000 + "</R>"), headers={**XML, **cert()})
    assert response.status_code == 413 and "4096" in fault(response)[1]


def test_callers_need_a_certificate_with_access_to_the_application(soap: TestClient) -> None:
    anonymous = soap.post(URL, content=envelope(), headers=XML)
    assert anonymous.status_code == 403 and anonymous.headers["content-type"].startswith("text/html")
    charlie = post(soap, envelope(), **cert(CHARLIE_SUBJECT))  # OASIS only
    assert charlie.status_code == 403 and "no access to CMRI" in charlie.text
    stranger = post(soap, envelope(), **cert("CN=nobody, O=Nowhere, C=US"))
    assert stranger.status_code == 403


def test_strict_security_requires_the_caiso_header(soap: TestClient) -> None:
    _, text, _ = fault(post(soap, envelope(header=False)))
    assert text.startswith("CAISOUsernameToken Validation Error.")


def test_the_username_must_be_the_certificate_subject_without_spaces(soap: TestClient) -> None:
    other = User(
        name="x", certificate_subject="CN=sc-bravo-ops, OU=Operations, O=Bravo Power Cooperative, C=US"
    )
    response = post(soap, envelope(user=other))
    assert response.status_code == 500 and fault(response)[1] == "CAISOUsernameToken Validation Error."


def test_messages_outside_their_validity_window_are_refused(soap: TestClient) -> None:
    for created in (NOW - timedelta(minutes=16), NOW + timedelta(minutes=5)):
        response = post(soap, envelope(created=created))
        assert response.status_code == 500
        assert "outside its validity window" in fault(response)[1]
    assert post(soap, envelope(created=NOW - timedelta(minutes=14))).status_code == 200


def test_lenient_packs_accept_a_missing_header_but_check_a_present_one(soap: TestClient) -> None:
    assert post(soap, envelope(BID_RESULTS, header=False, signer=None), SANDBOX).status_code == 200
    other = User(name="x", certificate_subject="CN=someone, C=US")
    response = post(soap, envelope(BID_RESULTS, user=other, signer=None), SANDBOX)
    assert fault(response)[1] == "CAISOUsernameToken Validation Error."


def test_ads_is_rpc_style_its_operation_named_by_the_body(soap: TestClient) -> None:
    call = envelope(
        '<a:getDispatchBatchesSinceUID xmlns:a="urn-com-caiso-ads-webservices-api"><uid>-1</uid>'
        "</a:getDispatchBatchesSinceUID>",
        header=False,
        signer=None,
    )
    response = post(soap, call, ADS)
    assert response.status_code == 200 and "<item>DISP-" in response.text
    v6_lacks = envelope(
        '<a:getBatchHeader xmlns:a="urn-com-caiso-ads-webservices-api"/>', header=False, signer=None
    )
    response = post(soap, v6_lacks, "/env/caiso-production/ADS/APIWebService/v6")
    assert response.status_code == 500 and "no operation" in fault(response)[1]
    wrong_namespace = envelope('<getBatchStatus xmlns="urn:other"/>', header=False, signer=None)
    assert "no operation" in fault(post(soap, wrong_namespace, ADS))[1]


def test_maintenance_windows_answer_with_a_soap_fault(client: TestClient) -> None:
    monday_8am = "2026-11-16T16:00:00Z"  # MAP Stage's weekly window
    assert client.put("/_isosim/clock", json={"frozen_at": monday_8am}).status_code == 200
    response = client.post(
        "/env/caiso-mapstage/sst/cmri/RetrieveMarketAwards_CMRIv4_AP",
        content=envelope(),
        headers={**XML, **cert()},
    )
    assert response.status_code == 503 and "maintenance window" in fault(response)[1]
