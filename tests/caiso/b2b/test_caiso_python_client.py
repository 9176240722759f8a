"""CAISO's own Python client (caisopy-b2b, public) against isosim: its framing and its parsing, as its
source shows them, reproduced here (it is neither on PyPI nor ours to copy). It builds envelopes with
ElementTree, signs Body, BinarySecurityToken, CAISOWSHeader and the attachment headers with xmlsec;
sends retrieves with the request document in the Body; sends plain submissions as multipart/related
parts that carry no Content-Type (form-data dispositions, `start="<payload>"`), an empty Body and
`standardAttachmentInfor/Attachment/ID`; and reads answers as text: DocAttach answers with
`lxml.etree.fromstring(text)` (which refuses text with an encoding declaration), multipart answers
line by line (the envelope one line, the base64 the next), checking the attachment's SHA-1."""

from __future__ import annotations

import base64
import gzip
import hashlib
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from uuid import uuid4

import xmlsec
from fastapi.testclient import TestClient
from lxml import etree

from tests.caiso.b2b.conftest import PERIODS, endpoint, url
from tests.caiso.soap.conftest import ALPHA_SUBJECT, NOW, cert, credentials

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
HEADER = "http://www.caiso.com/soa/2006-09-30/CAISOWSHeader.xsd"
INFOR = "http://www.caiso.com/soa/2006-06-13/StandardAttachmentInfor.xsd"
HASH = "http://www.caiso.com/mrtu/soa/schemas/2005/09/attachmenthash"
ISO = "http://www.caiso.com/soa/2006-10-26/ISOAttachment.xsd"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
X509 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
REQUEST_RAW_BIDS = (
    '<RequestRawBidSet xmlns="http://www.caiso.com/soa/RequestRawBidSet_v4.xsd#"><MessageHeader>'
    "<TimeDate>2026-11-18T18:00:00Z</TimeDate><Source>caisopy</Source><Version>v20151001</Version></MessageHeader>"
    "<MessagePayload><RequestRawBidSetRecord><MarketEndTime>2026-11-21T08:00:00Z</MarketEndTime>"
    "<MarketStartTime>2026-11-20T08:00:00Z</MarketStartTime><SchedulingCoordinatorList>"
    "<schedulingCoordinator>ALPH</schedulingCoordinator></SchedulingCoordinatorList></RequestRawBidSetRecord>"
    "</MessagePayload></RequestRawBidSet>"
)
start, end = PERIODS["hour"]
RAW_BID_SET = (
    '<RawBidSet xmlns="http://www.caiso.com/soa/RawBidSet_v4.xsd#"><MessageHeader><TimeDate>2026-11-18T18:00:00Z'
    "</TimeDate><Source>caisopy</Source><Version>v20151001</Version></MessageHeader><MessagePayload><GeneratingBid>"
    f"<marketType>DAM</marketType><startTime>{start}</startTime><stopTime>{end}</stopTime>"
    "<MarketParticipant><mRID>ALPH</mRID></MarketParticipant><ProductBid><BidSchedule>"
    f"<timeIntervalEnd>{end}</timeIntervalEnd><timeIntervalStart>{start}</timeIntervalStart><BidPriceCurve>"
    "<CurveSchedData><xAxisData>100</xAxisData><y1AxisData>42.5</y1AxisData></CurveSchedData></BidPriceCurve>"
    "</BidSchedule><MarketProduct><marketProductType>EN</marketProductType></MarketProduct></ProductBid>"
    "<RegisteredGenerator><mRID>ALAMIT_7_UNIT1</mRID></RegisteredGenerator></GeneratingBid></MessagePayload></RawBidSet>"
)


def _uue(document: str) -> tuple[str, str]:
    """caisopy's xml_to_uue: gzip (zlib, gzip header), base64, and base64 of the SHA-1 of that text."""
    compress = __import__("zlib").compressobj(-1, 8, 16 + 15)
    packed = compress.compress(document.encode()) + compress.flush()
    text = base64.b64encode(packed)
    return text.decode(), base64.b64encode(hashlib.sha1(text).digest()).decode()


def _signed(envelope: bytes, pack: str = "caiso-production", user: str = "sc-alpha-systems") -> bytes:
    """caisopy's sign(): BinarySecurityToken and Signature first in wsse:Security; references to the
    Body, the token, CAISOWSHeader and the attachment headers by wsu:Id; KeyInfo added after signing."""
    key_pem, cert_pem = credentials(pack, user)
    doc = etree.fromstring(envelope)
    header = doc.find(f"{{{SOAP}}}Header")
    security = etree.Element(f"{{{WSSE}}}Security")
    header.insert(0, security)
    signature = xmlsec.template.create(doc, xmlsec.Transform.EXCL_C14N, xmlsec.Transform.RSA_SHA1)
    security.insert(0, signature)
    token = etree.Element(f"{{{WSSE}}}BinarySecurityToken", EncodingType=BASE64, ValueType=X509)
    token.text = base64.b64encode(base64.b64decode(b"".join(cert_pem.splitlines()[1:-1]))).decode()
    security.insert(0, token)
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM)
    targets = [
        doc.find(f"{{{SOAP}}}Body"),
        token,
        header.find(f"{{{HEADER}}}CAISOWSHeader"),
        header.find(f"{{{HASH}}}attachmentHash"),
        header.find(f"{{{INFOR}}}standardAttachmentInfor"),
    ]
    for target in targets:
        if target is None:
            continue
        identifier = f"id-{uuid4()}"
        target.set(f"{{{WSU}}}Id", identifier)
        reference = xmlsec.template.add_reference(signature, xmlsec.Transform.SHA1, uri="#" + identifier)
        xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
        context.register_id(target, "Id", WSU)
    context.sign(signature)
    key_info = etree.SubElement(signature, "{http://www.w3.org/2000/09/xmldsig#}KeyInfo")
    reference_holder = etree.SubElement(key_info, f"{{{WSSE}}}SecurityTokenReference")
    reference_holder.set(f"{{{WSSE}}}TokenType", X509)
    pointer = etree.SubElement(reference_holder, f"{{{WSSE}}}Reference")
    pointer.set("ValueType", X509)
    pointer.set("URI", "#" + token.get(f"{{{WSU}}}Id"))
    return etree.tostring(doc)


def _envelope(
    service: str, request_body: str = "", attachment: tuple[str, str] | None = None, now: datetime = NOW
) -> bytes:
    """caisopy's submit(): the envelope built with ElementTree (prefixes SOAP-ENV, caisowshead, infor)."""
    ET.register_namespace("SOAP-ENV", SOAP)
    ET.register_namespace("caisowshead", HEADER)
    ET.register_namespace("infor", INFOR)
    envelope = ET.Element(f"{{{SOAP}}}Envelope")
    header = ET.SubElement(envelope, f"{{{SOAP}}}Header")
    body = ET.SubElement(envelope, f"{{{SOAP}}}Body")
    if "submit" in service:
        assert attachment is not None
        uue, digest = attachment
        info = ET.SubElement(header, f"{{{INFOR}}}standardAttachmentInfor")
        if "DocAttach" in service:
            value = ET.SubElement(ET.SubElement(body, f"{{{ISO}}}ISOAttachment"), f"{{{ISO}}}AttachmentValue")
            value.text = uue
        else:
            item = ET.SubElement(info, f"{{{INFOR}}}Attachment")
            ET.SubElement(item, f"{{{INFOR}}}ID").text = "1"
            ET.SubElement(item, f"{{{INFOR}}}compressMethod").text = "gzip"
            ET.SubElement(
                ET.SubElement(header, f"{{{HASH}}}attachmentHash"), f"{{{HASH}}}hashValue"
            ).text = digest
    else:
        body.append(ET.fromstring(request_body))
    stamp = f"{now.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}Z"
    later = now + timedelta(seconds=900)
    nonce = base64.b64encode(now.strftime("%Y%m%d%H%M%S%f")[:-3].encode()).decode()
    caiso = ET.SubElement(header, f"{{{HEADER}}}CAISOWSHeader")
    token = ET.SubElement(caiso, f"{{{HEADER}}}CAISOUsernameToken")
    ET.SubElement(token, f"{{{HEADER}}}Username").text = ALPHA_SUBJECT.replace(" ", "")
    ET.SubElement(token, f"{{{HEADER}}}Nonce").text = nonce
    ET.SubElement(token, f"{{{HEADER}}}Created").text = stamp
    info = ET.SubElement(caiso, f"{{{HEADER}}}CAISOMessageInfo")
    ET.SubElement(info, f"{{{HEADER}}}MessageID").text = nonce
    times = ET.SubElement(info, f"{{{HEADER}}}Timestamp")
    ET.SubElement(times, f"{{{HEADER}}}Created").text = stamp
    ET.SubElement(times, f"{{{HEADER}}}Expires").text = f"{later.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}Z"
    return _signed(ET.tostring(envelope, encoding="utf8", method="xml"))


def _post(soap: TestClient, name: str, service: str, request_body: str = "", document: str = ""):  # type: ignore[no-untyped-def]
    attachment = _uue(document) if document else None
    signed = _envelope(service, request_body, attachment)
    target = url(endpoint(name))
    if "submit" in service and "DocAttach" not in service:
        assert attachment is not None
        boundary = "=_Part_20261118180000000000"
        parts = {"payload": signed.decode(), "attachment.uue": attachment[0]}
        body = (
            "".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n'
                f"Content-ID: <{field}>\r\n\r\n{value}\r\n"
                for field, value in parts.items()
            )
            + f"--{boundary}--\r\n"
        )
        headers = {
            "Content-Type": f'multipart/related; type="text/xml"; start="<payload>"; boundary="{boundary}"',
            "Mime-Version": "1.0",
        }
        return soap.post(
            target, content=body.encode(), headers={**headers, "Soapaction": f'"{service}"', **cert()}
        )
    return soap.post(
        target, content=signed, headers={"content-type": "text/xml", "SOAPAction": service, **cert()}
    )


def _docattach_document(response) -> str:  # type: ignore[no-untyped-def]
    """caisopy's DocAttach retrieve parsing: the answer as text, 'soapenv' read as 'SOAP-ENV'."""
    text = response.text.replace("soapenv", "SOAP-ENV")
    root = etree.fromstring(text)  # a str: an encoding declaration would make this raise
    value = root.xpath(
        "/SOAP-ENV:Envelope/SOAP-ENV:Body/attachment:ISOAttachment/attachment:AttachmentValue",
        namespaces={"SOAP-ENV": SOAP, "attachment": ISO},
    )[0].text
    return gzip.decompress(base64.b64decode(value)).decode()


def _multipart_document(response) -> str:  # type: ignore[no-untyped-def]
    """caisopy's get_multipart_parts and hash check: lines split on CRLF; header lines (': ') and
    boundaries skipped; the line naming SOAP-ENV or soapenv is the envelope, the next the base64."""
    boundary = "--" + response.headers["Content-Type"].split("boundary=")[1].replace('"', "")
    xml_response = uue = None
    for element in response.text.split("\r\n"):
        if ": " in element or boundary in element or len(element) < 3:
            continue
        if "SOAP-ENV" in element or "soapenv" in element:
            xml_response = element.replace("soapenv", "SOAP-ENV")
            continue
        if xml_response:
            uue = element
    assert xml_response and uue, response.text[:500]
    root = etree.fromstring(xml_response.encode("utf-8"))
    claimed = root.xpath(
        "/SOAP-ENV:Envelope/SOAP-ENV:Header/att:attachmentHash/att:hashValue",
        namespaces={"SOAP-ENV": SOAP, "att": HASH},
    )[0].text
    assert claimed == base64.b64encode(hashlib.sha1(uue.encode("utf-8")).digest()).decode()
    return gzip.decompress(base64.b64decode(uue)).decode()


def _submit_result(response) -> str:  # type: ignore[no-untyped-def]
    """caisopy's get_basic_response_xml, then the standard output's result."""
    root = etree.fromstring(response.text.encode("utf-8"))
    return root.findtext(".//{http://www.caiso.com/soa/2006-06-13/StandardOutput.xsd}result")


def test_caisos_client_submits_and_retrieves_its_starter_example(soap: TestClient) -> None:
    for name, service in (
        ("SubmitRawBidSet_SIBRv4_AP", "submitRawBidSet_v4"),
        ("SubmitRawBidSet_SIBRv4_DocAttach_AP", "submitRawBidSet_v4_DocAttach"),
    ):
        response = _post(soap, name, service, document=RAW_BID_SET)
        assert response.status_code == 200, response.text
        assert _submit_result(response) == "SCSS0001"
    plain = _post(soap, "RetrieveRawBidSet_SIBRv4_AP", "retrieveRawBidSet_v4", REQUEST_RAW_BIDS)
    assert plain.status_code == 200, plain.text
    bids = etree.fromstring(_multipart_document(plain).encode())
    assert len(bids.findall("{*}MessagePayload/{*}GeneratingBid")) == 2
    docattach = _post(
        soap, "RetrieveRawBidSet_SIBRv4_DocAttach_AP", "retrieveRawBidSet_v4_DocAttach", REQUEST_RAW_BIDS
    )
    assert docattach.status_code == 200, docattach.text
    assert _docattach_document(docattach) == _multipart_document(plain).replace(
        _multipart_document(plain).split("<TimeDate>")[1].split("</TimeDate>")[0],
        _docattach_document(docattach).split("<TimeDate>")[1].split("</TimeDate>")[0],
    )


def test_caisos_client_reads_cmri_answers_and_faults(soap: TestClient) -> None:
    from tests.caiso.soap.conftest import MARKET_AWARDS

    awards = _post(
        soap, "RetrieveMarketAwards_CMRIv4_DocAttach_AP", "retrieveMarketAwards_v4_DocAttach", MARKET_AWARDS
    )
    assert "<MarketResultRecord>" in _docattach_document(awards)
    # A fault: caisopy reads Fault/detail/outputDataType/EventLog/Event/description.
    wrong = _post(
        soap, "RetrieveMarketAwards_CMRIv4_DocAttach_AP", "retrieveMarketAwards_v4_DocAttach", "<Nothing/>"
    )
    assert wrong.status_code == 500
    root = etree.fromstring(wrong.text.replace("soapenv", "SOAP-ENV").encode())
    description = root.xpath(
        "/SOAP-ENV:Envelope/SOAP-ENV:Body/SOAP-ENV:Fault/detail/ns1:outputDataType/ns1:EventLog/ns1:Event/ns1:description",
        namespaces={"SOAP-ENV": SOAP, "ns1": "http://www.caiso.com/soa/2006-06-13/StandardOutput.xsd"},
    )[0].text
    assert "RequestMarketAwards" in description
