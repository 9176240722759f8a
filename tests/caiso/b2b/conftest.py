"""A B2B client as a scheduling coordinator's developer would write one, for the tests: it builds
documents in the shapes the endpoint's XSDs declare, frames them as the endpoint takes them (Body,
multipart/related attachment, ISOAttachment), signs with the pack's test keys, and unpacks answers.
Also a zeep client (generated from isosim's WSDL) that runs in-process over the test client."""

from __future__ import annotations

import base64
import gzip
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

import httpx
import zeep
from fastapi.testclient import TestClient
from lxml import etree
from requests_toolbelt.multipart.decoder import MultipartDecoder
from zeep.plugins import Plugin
from zeep.transports import Transport

from app.caiso import catalogue
from app.caiso.b2b import spec
from app.caiso.b2b.schemas import Document, Plan, plan
from app.caiso.soap import attachments
from app.caiso.soap.envelope import SOAP_ENV, STANDARD_OUTPUT
from app.caiso.soap.security import header_element, sign
from app.core.packs import User
from tests.caiso.soap.conftest import ALPHA, NOW, cert, credentials

PACKS = {
    "Production": "caiso-production",
    "Production ECN": "caiso-production-ecn",
    "MAP Stage": "caiso-mapstage",
    "Sandbox": "caiso-sandbox",
}
B2B_APPS = ("ALFS", "BAAOP", "BSAP", "CIRA", "CMRI", "DRRS", "DRS", "MF", "OMS", "SIBR", "STLMT")
OUT = {"o": STANDARD_OUTPUT}

# The first resource of Alpha's (ALPH) of each kind in fixtures/caiso-*/b2b/resources.csv.
ALPHA_RESOURCES = {
    ("GEN", "GAS"): ("ALAMIT_7_UNIT1", "ALAMT1G_7_B1", 40.0, 175.0),
    ("GEN", "WIND"): ("CABAZN_2_WINDS", "CABAZON_2_N001", 0.0, 80.0),
    ("LOAD", "NA"): ("SCEW_2_ALPHLD", "SCEW_2_N001", 0.0, 310.0),
    ("ITIE", "NA"): ("MALIN_5_ALPHIMP", "MALIN_5_N101", 0.0, 200.0),
    ("PDR", "NA"): ("ALPH_PDR_SCE01", "SCEW_2_N001", 0.0, 12.0),
}

# One period of each interval, on trading day 2026-11-19 (Pacific), after the tests' clock.
PERIODS = {
    "5min": ("2026-11-19T08:00:00Z", "2026-11-19T08:05:00Z"),
    "15min": ("2026-11-19T08:00:00Z", "2026-11-19T08:15:00Z"),
    "hour": ("2026-11-19T08:00:00Z", "2026-11-19T09:00:00Z"),
    "day": ("2026-11-19T08:00:00Z", "2026-11-20T08:00:00Z"),
    "month": ("2026-12-01T08:00:00Z", "2027-01-01T08:00:00Z"),
    "span": ("2026-11-19T08:00:00Z", "2026-11-21T08:00:00Z"),
}
# A published day of results (the tests' clock is 2026-11-18 18:00 UTC).
RESULTS_DAY = ("2026-11-17T08:00:00Z", "2026-11-18T08:00:00Z")


def b2b_endpoints() -> list[catalogue.Endpoint]:
    return [e for e in catalogue.endpoints() if e.app in B2B_APPS]


def url(endpoint: catalogue.Endpoint, environment: str = "Production") -> str:
    base = catalogue.bases()[environment][endpoint.app]
    return f"/env/{PACKS[environment]}{base}{endpoint.name}"


def endpoint(name: str) -> catalogue.Endpoint:
    return next(e for e in catalogue.endpoints() if e.name == name)


# --- documents -----------------------------------------------------------------------------------


def wrap(document: Document, records: list[dict[str, str | list[str]]]) -> bytes:
    """A document of the endpoint's XSD holding these records (element -> text, or a list)."""
    order = [e.name for e in document.elements]
    rows = []
    for record in records:
        cells = []
        for name in order:
            value = record.get(name)
            for text in [value] if isinstance(value, str) else value or []:
                cells.append(f"<{name}>{escape(text)}</{name}>")
        rows.append(f"<{document.record}>{''.join(cells)}</{document.record}>")
    return (
        f'<{document.root} xmlns="{document.namespace}"><MessageHeader><TimeDate>2026-11-18T18:00:00Z'
        f"</TimeDate><Source>isosim-tests</Source><Version>{document.version}</Version></MessageHeader>"
        f"<MessagePayload>{''.join(rows)}</MessagePayload></{document.root}>"
    ).encode()


def resource_for(dataset: spec.Dataset) -> tuple[str, str, float, float]:
    for (kind, fuel), found in ALPHA_RESOURCES.items():
        if (not dataset.types or kind in dataset.types) and (not dataset.fuels or fuel in dataset.fuels):
            return found
    raise AssertionError(f"no Alpha resource fits {dataset.name}")


def sample_record(dataset: spec.Dataset, refs: dict[str, str] | None = None, **overrides: str) -> dict:
    """A valid record of a submitted dataset, for Alpha (ALPH)."""
    start, end = PERIODS[dataset.interval]
    record: dict = {"SchedulingCoordinator": "ALPH", "startTime": start, "endTime": end}
    low, high = 0.0, dataset.capacity or 1000.0
    if dataset.names == "resources":
        name, _, low, high = resource_for(dataset)
    elif dataset.names == "pnodes":
        name = resource_for(dataset)[1]
    else:
        name = "ISOSIM_TEST_1"
    if dataset.key != "SchedulingCoordinator":
        record[dataset.key] = name
    if dataset.markets:
        record["marketType"] = dataset.markets[0].split("/")[0]
    samples = {
        "price": "35.50",
        "cost": "1000.00",
        "percent": "50",
        "count": "3",
        "text": "T1",
        "flag": "false",
    }
    for column in dataset.columns:
        if column.kind == "mw":
            record[column.name] = f"{(low + high) / 2:.2f}"
        elif column.kind == "code":
            record[column.name] = column.choices[0]
        elif column.kind == "ref":
            record[column.name] = (refs or {})[column.ref]
        else:
            record[column.name] = samples[column.kind]
    record.update(overrides)
    return record


def sample_request(current: Plan, window: tuple[str, str] | None = None, **fields: str | list[str]) -> bytes:
    """A valid request document of a retrieve, status query or action."""
    operation = current.operation
    if operation.kind == "status":
        return wrap(current.incoming, [{"transactionId": "none", **fields}])
    if operation.kind == "action":
        return wrap(current.incoming, [{"action": next(iter(operation.actions)), **fields}])
    dataset = spec.dataset(operation.dataset)
    start, end = window or (PERIODS[dataset.interval] if dataset.submitted else RESULTS_DAY)
    names = (
        ("MarketStartTime", "MarketEndTime") if operation.app == "SIBR" else ("dateTimeStart", "dateTimeEnd")
    )
    return wrap(current.incoming, [{names[0]: start, names[1]: end, **fields}])


# --- framing -------------------------------------------------------------------------------------


def _headers_for(document: bytes | None, attach: bool) -> tuple[str, str]:
    """(the SOAP headers describing an attachment, the attachment's base64 text)."""
    if not attach or document is None:
        return "", ""
    text = attachments.encode(document)
    return attachments.attachment_headers(text, "payload@client"), text


def message(
    current: Plan,
    document: bytes | None,
    pack: str = "caiso-production",
    user: User = ALPHA,
    signer: str | None = "sc-alpha-systems",
    created: datetime = NOW,
) -> tuple[bytes, str]:
    """(body, Content-Type) of a request carrying `document` as the endpoint takes it."""
    attach = current.attached_input and not current.doc_attach
    extra, text = _headers_for(document, attach)
    header = etree.tostring(header_element(user, created)).decode() + extra
    if current.doc_attach:
        payload = (
            f'<ISOAttachment xmlns="{attachments.ISO_ATTACHMENT}"><AttachmentValue>'
            f"{attachments.encode(document or b'')}</AttachmentValue></ISOAttachment>"
        )
    elif attach:
        payload = f'<{current.endpoint.operation} xmlns="http://www.caiso.com/soa/b2b/{current.endpoint.operation}"/>'
    else:
        payload = (document or b"").decode()
    envelope = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Header>{header}</soapenv:Header>'
        f"<soapenv:Body>{payload}</soapenv:Body></soapenv:Envelope>"
    ).encode()
    if signer is not None:
        envelope = sign(envelope, *credentials(pack, signer))
    if not attach:
        return envelope, "text/xml; charset=utf-8"
    body, content_type = attachments.related(envelope, {"payload@client": text})
    return body, content_type


def call(
    client: TestClient,
    name: str,
    document: bytes | None,
    environment: str = "Production",
    subject: str | None = None,
    **options,  # type: ignore[no-untyped-def]
) -> httpx.Response:
    found = endpoint(name)
    body, content_type = message(plan(found), document, pack=PACKS[environment], **options)
    headers = {
        "Content-Type": content_type,
        "SOAPAction": f'"{found.operation}"',
        **cert(subject or ALPHA.certificate_subject),
    }
    return client.post(url(found, environment), content=body, headers=headers)


def returned(response: httpx.Response) -> etree._Element:
    """The document a retrieve returned: from the SwA attachment (its hash checked) or the
    ISOAttachment; an outputDataType when CAISO answers an error in its place."""
    assert response.status_code == 200, response.text
    kind = response.headers["content-type"]
    if kind.startswith("multipart/related"):
        parts = MultipartDecoder(response.content, kind).parts
        envelope = etree.fromstring(parts[0].content)
        text = parts[1].content.decode()
        claimed = envelope.findtext(f".//{{{attachments.ATTACHMENT_HASH}}}hashValue")
        assert claimed == attachments.attachment_hash(text)
        content_id = envelope.findtext(f".//{{{attachments.ATTACHMENT_INFO}}}id")
        assert parts[1].headers[b"Content-ID"].decode() == f"<{content_id}>"
    else:
        envelope = etree.fromstring(response.content)
        text = envelope.findtext(f".//{{{attachments.ISO_ATTACHMENT}}}AttachmentValue")
    return etree.fromstring(gzip.decompress(base64.b64decode(text)))


def output(response: httpx.Response) -> etree._Element:
    """The outputDataType a submission or action returned in the Body."""
    assert response.status_code == 200, response.text
    found = etree.fromstring(response.content).find(f".//{{{STANDARD_OUTPUT}}}outputDataType")
    assert found is not None, response.text
    return found


def records(document: etree._Element) -> list[dict[str, str]]:
    namespace = etree.QName(document).namespace
    return [
        {etree.QName(e).localname: e.text or "" for e in record}
        for record in document.iterfind(f"{{{namespace}}}MessagePayload/*")
    ]


def valid(document: etree._Element, current: Plan) -> bool:
    assert current.outgoing is not None
    return current.outgoing.schema.validate(document)


# --- a generated client (zeep) -------------------------------------------------------------------


class _TestClientTransport(Transport):
    """zeep over the in-process test client (WSDL, XSDs and calls), with a certificate subject."""

    def __init__(self, client: TestClient, subject: str) -> None:
        super().__init__()
        self.client, self.subject = client, subject
        self.attachment: tuple[str, str] | None = None  # (Content-ID, base64 text) for the next call

    def _load_remote_data(self, url: str) -> bytes:
        response = self.client.get(url, headers=cert(self.subject))
        assert response.status_code == 200, (url, response.text)
        return response.content

    def post(self, address: str, message: bytes | str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        body = message.encode() if isinstance(message, str) else message
        if self.attachment is not None:
            body, headers["Content-Type"] = attachments.related(body, dict([self.attachment]))
        return self.client.post(address, content=body, headers={**headers, **cert(self.subject)})


class _Signing(Plugin):
    """Adds CAISOWSHeader (and attachment headers) and signs each outgoing message."""

    def __init__(self, transport: _TestClientTransport, pack: str, user: str) -> None:
        self.transport, self.pack, self.user = transport, pack, user

    def egress(self, envelope, http_headers, operation, binding_options):  # type: ignore[no-untyped-def]
        header = envelope.find(f"{{{SOAP_ENV}}}Header")
        if header is None:
            header = etree.Element(f"{{{SOAP_ENV}}}Header")
            envelope.insert(0, header)
        header.append(header_element(ALPHA, NOW))
        if self.transport.attachment is not None:
            content_id, text = self.transport.attachment
            for element in etree.fromstring(f"<x>{attachments.attachment_headers(text, content_id)}</x>"):
                header.append(element)
        signed = sign(etree.tostring(envelope), *credentials(self.pack, self.user))
        return etree.fromstring(signed), http_headers


@dataclass
class GeneratedClient:
    client: zeep.Client
    transport: _TestClientTransport

    def attach(self, document: bytes) -> None:
        self.transport.attachment = ("payload@zeep", attachments.encode(document))


def generated_client(
    test_client: TestClient, found: catalogue.Endpoint, environment: str = "Production"
) -> GeneratedClient:
    transport = _TestClientTransport(test_client, ALPHA.certificate_subject)
    plugin = _Signing(transport, PACKS[environment], "sc-alpha-systems")
    client = zeep.Client(
        f"http://testserver{url(found, environment)}?wsdl", transport=transport, plugins=[plugin]
    )
    return GeneratedClient(client, transport)


def zeep_arguments(document: bytes, shape: Document) -> dict:
    """A document's MessageHeader and MessagePayload as a generated client's keyword arguments."""
    many = {e.name for e in shape.elements if e.many}
    root = etree.fromstring(document)
    header, payload = root
    record_name = etree.QName(payload[0]).localname
    rows = []
    for record in payload:
        row: dict = {}
        for element in record:
            name = etree.QName(element).localname
            row.setdefault(name, []).append(element.text)
        rows.append({k: v if k in many else v[0] for k, v in row.items()})
    return {
        "MessageHeader": {etree.QName(e).localname: e.text for e in header},
        "MessagePayload": {record_name: rows},
    }
