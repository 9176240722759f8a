"""Plain `_AP` submissions carry their document in a multipart/related message: a SOAP-with-
Attachments part holding base64(gzip(xml)), or an MTOM/XOP part named by xop:Include (holding the
gzip bytes, or the base64 text as CAISO's OMS clients send it). `attachmentHash` (base64 of the SHA-1
of the base64 text) is checked, and required in strict packs; `standardAttachmentInfor` names the
part. Retrieves answer the same way (OMS: MTOM, in AttachmentInfor)."""

from __future__ import annotations

import base64
import gzip

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from isosim.caiso.b2b import spec
from isosim.caiso.soap import attachments
from isosim.caiso.soap.envelope import SOAP_ENV
from isosim.caiso.soap.security import header_element, sign
from tests.caiso.b2b.conftest import (
    OUT,
    call,
    endpoint,
    output,
    records,
    returned,
    sample_record,
    sample_request,
    submission,
    url,
)
from tests.caiso.soap.conftest import ALPHA, NOW, cert, credentials, fault

SUBMIT = "SubmitMeterData_STLMTv1_AP"
RETRIEVE = "RetrieveMeterData_STLMTv1_AP"
DOCUMENT = submission(SUBMIT, [sample_record(spec.dataset("MeterData"))])
BOUNDARY = "MIMEBoundary_isosim"


PLAIN_BODY = ""  # the document is the attachment: the Body is empty, as CAISO's own client sends it


def envelope(
    headers: str = "", body: str = PLAIN_BODY, signed: bool = True, pack: str = "caiso-production"
) -> bytes:
    head = etree.tostring(header_element(ALPHA, NOW)).decode() + headers
    message = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Header>{head}</soapenv:Header>'
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    ).encode()
    return sign(message, *credentials(pack, "sc-alpha-systems")) if signed else message


def multipart(
    root: bytes, parts: list[tuple[str, str, bytes]], root_type: str = "text/xml", start: bool = True
) -> tuple[bytes, str]:
    """A multipart/related body: the root, then (Content-ID, headers, content) parts."""
    chunks = [
        f"--{BOUNDARY}\r\nContent-Type: {root_type}\r\nContent-ID: <root@client>\r\n\r\n".encode(),
        root,
        b"\r\n",
    ]
    for content_id, headers, content in parts:
        chunks += [f"--{BOUNDARY}\r\n{headers}Content-ID: <{content_id}>\r\n\r\n".encode(), content, b"\r\n"]
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    kind = f'multipart/related; type="{root_type}"; boundary="{BOUNDARY}"' + (
        '; start="<root@client>"' if start else ""
    )
    return b"".join(chunks), kind


def post(
    soap: TestClient, body: bytes, content_type: str, name: str = SUBMIT, environment: str = "Production"
):  # type: ignore[no-untyped-def]
    return soap.post(
        url(endpoint(name), environment), content=body, headers={"Content-Type": content_type, **cert()}
    )


def stored(soap: TestClient) -> list[dict]:
    return records(returned(call(soap, RETRIEVE, sample_request(RETRIEVE))))


def swa(text: str, hash_of: str | None = None) -> tuple[bytes, str]:
    headers = attachments.attachment_headers(hash_of or text, "doc@client")
    return multipart(
        envelope(headers), [("doc@client", "Content-Type: application/octet-stream\r\n", text.encode())]
    )


def test_soap_with_attachments_is_stored(soap: TestClient) -> None:
    answer = output(post(soap, *swa(attachments.encode(DOCUMENT))))
    assert answer.findtext("o:EventLog/o:Event/o:result", namespaces=OUT) == "SCSS0001"
    assert len(stored(soap)) == 1


def test_mtom_xop_is_stored(soap: TestClient) -> None:
    packed = gzip.compress(DOCUMENT)
    headers = attachments.attachment_headers(base64.b64encode(packed).decode(), "doc@client")
    body = (
        '<submitMeterData_v1 xmlns="http://www.caiso.com/soa/submitMeterData_v1"><attachment>'
        '<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc@client"/>'
        "</attachment></submitMeterData_v1>"
    )
    message, kind = multipart(
        envelope(headers, body),
        [
            (
                "doc@client",
                "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n",
                packed,
            )
        ],
        root_type="application/xop+xml",
    )
    output(
        post(soap, message, kind.replace("multipart/related;", 'multipart/related; start-info="text/xml";'))
    )
    assert len(stored(soap)) == 1


def test_a_base64_transfer_encoded_part_is_read(soap: TestClient) -> None:
    packed = gzip.compress(DOCUMENT)
    text = base64.b64encode(packed).decode()
    headers = attachments.attachment_headers(text, "doc@client")
    message, kind = multipart(
        envelope(headers),
        [
            (
                "doc@client",
                "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n",
                text.encode(),
            )
        ],
    )
    output(post(soap, message, kind))
    assert len(stored(soap)) == 1


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (
            lambda: swa(attachments.encode(DOCUMENT), hash_of="something else"),
            "Attachment hash validation failed.",
        ),
        (
            lambda: multipart(envelope(), [("doc@client", "", attachments.encode(DOCUMENT).encode())]),
            "attachmentHash header is missing",
        ),
        (lambda: (envelope(), "text/xml"), "takes its document as an attachment"),
        (
            lambda: multipart(
                envelope(attachments.attachment_headers("x", "other@client")), [("doc@client", "", b"x")]
            ),
            "no attachment part has Content-ID <other@client>",
        ),
        (lambda: (b"--nothing here", f'multipart/related; boundary="{BOUNDARY}"'), "malformed"),
        (
            lambda: multipart(b"not xml", [], root_type="application/octet-stream"),
            "root part of a multipart/related message",
        ),
        (lambda: swa("%%%not base64%%%"), "not valid base64"),
        (
            lambda: swa(base64.b64encode(gzip.compress(b"<a>" + b"0" * 20_000_000 + b"</a>")).decode()),
            "larger than",
        ),
        (
            lambda: swa(
                attachments.encode(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
            ),
            "(DTD) are not allowed",
        ),
        (
            lambda: swa(attachments.encode(b"<MeterData/>")),
            "the document must be {http://www.caiso.com/soa/MeterData_v1.xsd#}MeterData",
        ),
    ],
    ids=[
        "hash-mismatch",
        "hash-missing",
        "no-attachment",
        "unknown-part",
        "malformed",
        "root-not-xml",
        "bad-base64",
        "gzip-bomb",
        "dtd",
        "wrong-document",
    ],
)
def test_bad_attachments_are_refused_and_store_nothing(soap: TestClient, build, words: str) -> None:  # type: ignore[no-untyped-def]
    response = post(soap, *build())
    assert response.status_code == 500
    assert words in fault(response)[1]
    assert stored(soap) == []


def test_attachment_headers_must_be_signed_in_strict_packs(soap: TestClient) -> None:
    text = attachments.encode(DOCUMENT)
    signed = etree.fromstring(envelope())  # signed before the attachment headers were added
    header = signed.find(f"{{{SOAP_ENV}}}Header")
    for element in etree.fromstring(f"<x>{attachments.attachment_headers(text, 'doc@client')}</x>"):
        header.append(element)
    message, kind = multipart(etree.tostring(signed), [("doc@client", "", text.encode())])
    response = post(soap, message, kind)
    assert fault(response)[1] == "Signature validation status: false (attachmentHash is not signed)"


def test_lenient_packs_take_an_attachment_without_hash(soap: TestClient) -> None:
    name = "SubmitRawBidSet_SIBRv4_AP"
    document = submission(name, [sample_record(spec.dataset("RawBid"))])
    message, kind = multipart(
        envelope(signed=False),
        [("doc@client", "", attachments.encode(document).encode())],
    )
    output(post(soap, message, kind, name, "Sandbox"))


def test_a_retrieve_answers_with_a_hashed_swa_attachment(soap: TestClient) -> None:
    response = call(soap, RETRIEVE, sample_request(RETRIEVE))
    assert response.headers["content-type"].startswith(
        'multipart/related; type="text/xml"; start="<root.message@isosim>"'
    )
    returned(response)  # checks hashValue and that standardAttachmentInfor names the part


OMS_SUBMIT, OMS_RETRIEVE = "SubmitResourceOutage_OMSv1_AP", "RetrieveResourceOutage_OMSv1_AP"
INFOR = "http://www.caiso.com/soa/AttachmentInfor_v1.xsd"
XOP = "http://www.w3.org/2004/08/xop/include"


def test_oms_takes_mtom_parts_holding_base64_text_as_caisos_oms_clients_send_them(soap: TestClient) -> None:
    window = ("2026-11-25T08:00:00Z", "2026-11-27T08:00:00Z")
    document = submission(OMS_SUBMIT, [sample_record(spec.dataset("ResourceOutage"), window=window)])
    text = attachments.encode(document)  # the part's content: the base64 text itself
    include = f'<xop:Include xmlns:xop="{XOP}" href="cid:doc@client"/>'
    body = f'<AttachmentInfor xmlns="{INFOR}"><attachmentData>{include}</attachmentData></AttachmentInfor>'
    message, kind = multipart(
        envelope(attachments.attachment_headers(text, "doc@client"), body),
        [
            (
                "doc@client",
                "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n",
                text.encode(),
            )
        ],
        root_type="application/xop+xml",
    )
    answer = output(post(soap, message, kind, OMS_SUBMIT))
    assert answer.tag == "{http://www.caiso.com/soa/OutageStandardOutput_v1.xsd#}OutageStandardOutput"
    response = call(soap, OMS_RETRIEVE, sample_request(OMS_RETRIEVE, window))
    # The answer is MTOM: the envelope as application/xop+xml, AttachmentInfor naming the part.
    assert 'type="application/xop+xml"' in response.headers["content-type"]
    assert len(records(returned(response))) == 1
