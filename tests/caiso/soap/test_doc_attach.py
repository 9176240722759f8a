"""`_DocAttach_AP` endpoints, as CAISO's published WSDLs describe them: a retrieve carries its request
document in the Body (`requestData`, the document itself) and is answered with the data document in
ISOAttachment/AttachmentValue (base64 of the gzip-compressed XML) plus the standardAttachmentInfor
SOAP header the WSDL declares required; a submission carries its document in ISOAttachment, decoded
and checked before the endpoint sees it, decompression stopping at the body limit."""

from __future__ import annotations

import base64
import gzip

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from tests.caiso.soap.conftest import MARKET_AWARDS, cert, doc_attach, envelope, fault

URL = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_DocAttach_AP"
PLAIN = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP"
SUBMIT = "/env/caiso-production/sst/sibr/SubmitRawBidSet_SIBRv4_DocAttach_AP"
ISO = "http://www.caiso.com/soa/2006-10-26/ISOAttachment.xsd"
INFOR = "http://www.caiso.com/soa/2006-06-13/StandardAttachmentInfor.xsd"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def post(client: TestClient, payload: str, url: str = URL):  # type: ignore[no-untyped-def]
    return client.post(url, content=envelope(payload), headers={"Content-Type": "text/xml", **cert()})


def raw_attachment(value: str) -> str:
    return f'<ISOAttachment xmlns="{ISO}"><AttachmentValue>{value}</AttachmentValue></ISOAttachment>'


def test_a_retrieve_carries_its_request_in_the_body_and_gets_the_document_as_an_isoattachment(
    soap: TestClient,
) -> None:
    response = post(soap, MARKET_AWARDS)
    assert response.status_code == 200, response.text
    root = etree.fromstring(response.content)
    value = root.findtext(f"{{{SOAP}}}Body/{{{ISO}}}ISOAttachment/{{{ISO}}}AttachmentValue")
    document = etree.fromstring(gzip.decompress(base64.b64decode(value)))
    assert document.tag == "{http://www.caiso.com/soa/MarketAwards_v4.xsd#}MarketAwards"
    # The standardAttachmentInfor header CAISO's WSDL declares required on the answer.
    info = root.find(f"{{{SOAP}}}Header/{{{INFOR}}}standardAttachmentInfor/{{{INFOR}}}Attachment")
    assert info is not None and info.findtext(f"{{{INFOR}}}compressFlag") == "yes"
    assert info.findtext(f"{{{INFOR}}}compressMethod") == "gzip"


def test_a_retrieve_request_wrapped_in_an_isoattachment_is_refused_naming_the_document(
    soap: TestClient,
) -> None:
    response = post(soap, doc_attach(MARKET_AWARDS))
    assert response.status_code == 500
    assert (
        "must be {http://www.caiso.com/soa/RequestMarketAwards_v4.xsd#}RequestMarketAwards"
        in fault(response)[1]
    )


def test_answers_carry_no_xml_declaration(soap: TestClient) -> None:
    # CAISO's own client parses answers as text (lxml refuses text with an encoding declaration).
    response = post(soap, MARKET_AWARDS)
    assert not response.text.lstrip().startswith("<?xml")
    etree.fromstring(response.text)


def test_plain_ap_retrieves_take_their_request_in_the_body(soap: TestClient) -> None:
    assert post(soap, MARKET_AWARDS, PLAIN).status_code == 200


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ("<RawBidSet/>", "ISOAttachment/AttachmentValue"),
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
def test_bad_submission_attachments_get_a_fault_naming_the_problem(
    soap: TestClient, payload: str, words: str
) -> None:
    response = post(soap, payload, SUBMIT)
    assert response.status_code == 500
    assert words in fault(response)[1]
    assert "root:" not in response.text


def test_an_uncompressed_attachment_is_read(soap: TestClient) -> None:
    # Decoded and parsed, the wrong document is then named: the attachment itself was readable.
    plain = base64.b64encode(MARKET_AWARDS.encode()).decode()
    response = post(soap, raw_attachment(plain), SUBMIT)
    assert "must be {http://www.caiso.com/soa/RawBidSet_v4.xsd#}RawBidSet" in fault(response)[1]
