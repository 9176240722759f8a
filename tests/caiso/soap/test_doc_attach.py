"""`_DocAttach_AP` requests carry their document in the Body as ISOAttachment/AttachmentValue:
base64 of the gzip-compressed XML. The platform decodes and checks it for every application before
the endpoint answers; decompression stops at the body limit, so a gzip bomb costs nothing."""

from __future__ import annotations

import base64
import gzip

import pytest
from fastapi.testclient import TestClient

from app.caiso.soap.attachments import ISO_ATTACHMENT
from tests.caiso.soap.conftest import MARKET_AWARDS, cert, doc_attach, envelope, fault

URL = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_DocAttach_AP"
PLAIN = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP"


def post(client: TestClient, payload: str, url: str = URL):  # type: ignore[no-untyped-def]
    return client.post(url, content=envelope(payload), headers={"Content-Type": "text/xml", **cert()})


def raw_attachment(value: str) -> str:
    return (
        f'<ISOAttachment xmlns="{ISO_ATTACHMENT}"><AttachmentValue>{value}</AttachmentValue></ISOAttachment>'
    )


def test_a_well_formed_attachment_reaches_the_endpoint(soap: TestClient) -> None:
    response = post(soap, doc_attach(MARKET_AWARDS))
    assert response.status_code == 200 and "AttachmentValue" in response.text


def test_the_attached_document_must_be_the_operations_own(soap: TestClient) -> None:
    response = post(
        soap, doc_attach("<RequestMarketAwards><marketType>DAM</marketType></RequestMarketAwards>")
    )
    assert response.status_code == 500
    assert (
        "must be {http://www.caiso.com/soa/RequestMarketAwards_v4.xsd}RequestMarketAwards"
        in fault(response)[1]
    )


def test_plain_ap_retrieves_take_their_request_in_the_body(soap: TestClient) -> None:
    assert post(soap, MARKET_AWARDS, PLAIN).status_code == 200


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ("<RequestMarketAwards/>", "ISOAttachment/AttachmentValue"),
        (raw_attachment(""), "ISOAttachment/AttachmentValue"),
        (raw_attachment("not base64 at all!"), "not valid base64"),
        (raw_attachment(base64.b64encode(b"\x1f\x8bnot really gzip").decode()), "not valid gzip"),
        (doc_attach("<unclosed>"), "not well-formed XML"),
        (
            doc_attach('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'),
            "(DTD) are not allowed",
        ),
        (
            raw_attachment(base64.b64encode(gzip.compress(b"<a>" + b"0" * 20_000_000 + b"</a>")).decode()),
            "larger than",
        ),
    ],
    ids=["missing", "empty", "bad-base64", "bad-gzip", "malformed", "dtd", "gzip-bomb"],
)
def test_bad_attachments_get_a_fault_naming_the_problem(soap: TestClient, payload: str, words: str) -> None:
    response = post(soap, payload)
    assert response.status_code == 500
    assert words in fault(response)[1]
    assert "root:" not in response.text


def test_an_uncompressed_attachment_is_accepted(soap: TestClient) -> None:
    plain = base64.b64encode(MARKET_AWARDS.encode()).decode()
    assert post(soap, raw_attachment(plain)).status_code == 200
