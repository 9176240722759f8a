"""A B2B client as a scheduling coordinator's developer would write one, for the tests: it builds
documents from the XSDs an endpoint serves (`?xsd=`, read with xmlschema: the smallest valid
document holding the values a test gives), frames them as the endpoint's WSDL says (the request in
the Body, `requestData` of an rpc call, ISOAttachment, a SwA or MTOM part), signs with the pack's test
keys, and unpacks answers. Also a zeep client (generated from isosim's WSDL) that runs in-process
over the test client."""

from __future__ import annotations

import base64
import gzip
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

import httpx
import xmlschema
import zeep
from fastapi.testclient import TestClient
from lxml import etree
from requests_toolbelt.multipart.decoder import MultipartDecoder
from zeep.plugins import Plugin
from zeep.transports import Transport

from isosim.caiso import catalogue
from isosim.caiso.b2b import spec
from isosim.caiso.b2b.schemas import Plan, plan
from isosim.caiso.soap import attachments
from isosim.caiso.soap.envelope import SOAP_ENV, STANDARD_OUTPUT
from isosim.caiso.soap.security import header_element, sign
from isosim.core.packs import User
from tests.caiso.soap.conftest import ALPHA, NOW, cert, credentials

PACKS = {
    "Production": "caiso-production",
    "Production ECN": "caiso-production-ecn",
    "MAP Stage": "caiso-mapstage",
    "Sandbox": "caiso-sandbox",
}
B2B_APPS = ("ALFS", "BAAOP", "BSAP", "CIRA", "CMRI", "DRRS", "DRS", "MF", "OMS", "SIBR", "STLMT")
OUT = {"o": STANDARD_OUTPUT}
ISO = "http://www.caiso.com/soa/2006-10-26/ISOAttachment.xsd"
INFOR = "http://www.caiso.com/soa/AttachmentInfor_v1.xsd"
XOP = "http://www.w3.org/2004/08/xop/include"
Tree = dict[str, list[Any]]

# The first resource of Alpha's (ALPH) of each kind in fixtures/caiso-*/market/resources.csv.
ALPHA_RESOURCES = {
    ("GEN", "GAS"): ("ALAMIT_7_UNIT1", "ALAMT1G_7_B1", 40.0, 175.0),
    ("GEN", "WIND"): ("CABAZN_2_WINDS", "CABAZON_2_N001", 0.0, 80.0),
    ("LOAD", "NA"): ("SCEW_2_ALPHLD", "SCEW_2_N001", 0.0, 310.0),
    ("ITIE", "NA"): ("MALIN_5_ALPHIMP", "MALIN_5_N101", 0.0, 200.0),
    ("PDR", "NA"): ("ALPH_PDR_SCE01", "SCEW_2_N001", 0.0, 12.0),
}

# One period of each interval, on trading day 2026-11-20 (Pacific), after the tests' clock.
PERIODS = {
    "5min": ("2026-11-20T08:00:00Z", "2026-11-20T08:05:00Z"),
    "15min": ("2026-11-20T08:00:00Z", "2026-11-20T08:15:00Z"),
    "hour": ("2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z"),
    "day": ("2026-11-20T08:00:00Z", "2026-11-21T08:00:00Z"),
    "month": ("2026-12-01T08:00:00Z", "2027-01-01T08:00:00Z"),
    "span": ("2026-11-20T08:00:00Z", "2026-11-22T08:00:00Z"),
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


# --- documents, built from the served XSDs ----------------------------------------------------------


@cache
def served_schema(name: str, filename: str) -> xmlschema.XMLSchema:
    """The XSD an endpoint serves, as a client downloads it (through the app, no network)."""
    from tests.conftest import shared_client

    response = shared_client().get(url(endpoint(name)) + f"?xsd={filename}", headers=cert())
    assert response.status_code == 200, (name, filename, response.text)
    return xmlschema.XMLSchema(response.text)


def _defaults(kind: xmlschema.validators.XsdType) -> str:
    """The value of a required element nobody gave: the first of an enumeration, else by type."""
    enumeration = getattr(kind, "enumeration", None)
    if enumeration:
        return str(enumeration[0])
    primitive = kind.primitive_type.local_name if hasattr(kind, "primitive_type") else "string"
    return {
        "dateTime": "2026-11-20T08:00:00Z",
        "date": "2026-11-20",
        "decimal": "1",
        "float": "1",
        "integer": "1",
        "int": "1",
        "boolean": "false",
    }.get(primitive, "X1")


def _fill(element, given: Tree) -> str:  # type: ignore[no-untyped-def]
    """The children of an element of the schema: the values given (a tree: name -> texts or
    subtrees), and a default for every other required element."""
    parts = []
    known = {c.local_name for c in element.type.content.iter_elements()}
    assert set(given) <= known, f"{element.local_name} has no {sorted(set(given) - known)}"
    for child in element.type.content.iter_elements():
        name = child.local_name
        values = given.get(name)
        if values is None:
            if child.min_occurs == 0 or _in_choice(element, child):
                continue
            values = (
                [{}]
                if child.type.is_complex() and not child.type.has_simple_content()
                else [_defaults(child.type)]
            )
        for value in values:
            if isinstance(value, dict):
                parts.append(f"<{name}>{_fill(child, value)}</{name}>")
            else:
                parts.append(f"<{name}>{escape(str(value))}</{name}>")
    return "".join(parts)


def _in_choice(parent, child) -> bool:  # type: ignore[no-untyped-def]
    """Alternatives of an xs:choice are required only as a group: nothing is filled in for them."""

    def walk(group) -> bool:  # type: ignore[no-untyped-def]
        for item in group:
            if isinstance(item, xmlschema.validators.XsdGroup):
                if item.model == "choice" and child in list(item.iter_elements()):
                    return True
                if walk(item):
                    return True
        return False

    return walk(parent.type.content)


def document(name: str, filename: str, given: Tree, root: str = "") -> bytes:
    """A document of the XSD `filename` of endpoint `name`: MessageHeader filled in, the rest from
    `given` (a tree of MessagePayload's content, or of the root's when it has no MessagePayload)."""
    schema = served_schema(name, filename)
    element = schema.elements[root] if root else next(iter(schema.elements.values()))
    namespace = schema.target_namespace
    content = dict(given)
    names = [c.local_name for c in element.type.content.iter_elements()]
    if "MessagePayload" in names and "MessagePayload" not in content:
        content = {"MessagePayload": [given]}
    if "MessageHeader" in names:
        content.setdefault(
            "MessageHeader", [{"TimeDate": ["2026-11-18T18:00:00Z"], "Source": ["isosim-tests"]}]
        )
    body = _fill(element, content)
    return f'<{element.local_name} xmlns="{namespace}">{body}</{element.local_name}>'.encode()


def resource_for(dataset: spec.Dataset) -> tuple[str, str, float, float]:
    for (kind, fuel), found in ALPHA_RESOURCES.items():
        if (not dataset.types or kind in dataset.types) and (not dataset.fuels or fuel in dataset.fuels):
            return found
    raise AssertionError(f"no Alpha resource fits {dataset.name}")


def _sample_value(column: spec.Field, low: float, high: float, refs: dict[str, str]) -> str:
    if column.kind == "mw":
        return f"{(low + high) / 2:.2f}"
    if column.kind == "code":
        return column.choices[0]
    if column.kind == "ref":
        return refs[column.ref]
    return {
        "price": "35.50",
        "cost": "1000.00",
        "percent": "50",
        "count": "3",
        "text": "T1",
        "flag": "false",
    }[column.kind]


def sample_record(
    dataset: spec.Dataset,
    refs: dict[str, str] | None = None,
    window: tuple[str, str] | None = None,
    **overrides: Any,
) -> Tree:
    """A valid record of a submitted dataset, for Alpha (ALPH), as a tree of its record element."""
    start, end = window or PERIODS[dataset.interval]
    low, high = 0.0, dataset.capacity or 1000.0
    if dataset.names == "resources":
        name, _, low, high = resource_for(dataset)
    elif dataset.names == "pnodes":
        name = resource_for(dataset)[1]
    else:
        name = "ISOSIM_TEST_1"
    market = dataset.markets[0].split("/")[0] if dataset.markets else ""
    if dataset.layout == "bid":
        record: Tree = {
            "marketType": [market],
            "startTime": [start],
            "stopTime": [end],
            "MarketParticipant": [{"mRID": ["ALPH"]}],
            "ProductBid": [
                {
                    "BidSchedule": [
                        {
                            "timeIntervalEnd": [end],
                            "timeIntervalStart": [start],
                            "BidPriceCurve": [
                                {
                                    "CurveSchedData": [
                                        {"xAxisData": [f"{(low + high) / 2:.2f}"], "y1AxisData": ["35.50"]}
                                    ]
                                }
                            ],
                        }
                    ],
                    "MarketProduct": [{"marketProductType": ["EN"]}],
                }
            ],
            "RegisteredGenerator": [{"mRID": [name]}],
        }
    elif dataset.name == "ResourceOutage":
        record = {
            "emergencyReturnTimeType": ["HOURS"],
            "mktOrgOutageID": ["ALPH-OUT-1"],
            "estimatedPeriod": [{"end": [end], "start": [start]}],
            "MktOrganisation": [{"mRID": ["ALPH"]}],
            "Work": [{"kind": ["PLANT_MAINTENANCE"]}],
            "isOffPeakOpportunityOutage": ["NO"],
            "isShortNoticeOpportunityOutage": ["NO"],
            "RegisteredGenerator": [
                {
                    "mRID": [name],
                    "OutagedRegisteredResource": [
                        {
                            "Availability": [
                                {
                                    "dateTimePoint": [start],
                                    "PmaxValue": [{"value": [f"{(low + high) / 2:.1f}"]}],
                                }
                            ]
                        }
                    ],
                }
            ],
        }
    elif dataset.name in ("DRLocation", "DRRegistration"):
        record = {
            "name": [name],
            "DemandResponseProvider": [{"mRID": ["ALPH"]}],
            "DistributedActivity": [
                {
                    "action": ["SUBMIT"],
                    "submittedActiveEndDateTime": [end],
                    "submittedActiveStartDateTime": [start],
                }
            ],
            "DemandUtilityDistributionCompany": [{"mRID": ["SCE"]}],
        }
        if dataset.name == "DRLocation":
            address = {
                "streetDetail": [{"addressGeneral": ["1 Main St"]}],
                "townDetail": [{"name": ["Folsom"], "stateOrProvince": ["CA"]}],
            }
            record["Location"] = [{"mainAddress": [address]}]
            record["RegisteredGenerator"] = [
                {"LoadAggregationPoint": [{"AggregatedPnode": [{"mRID": ["SLAP_SCEW-APND"]}]}]}
            ]
        else:
            record |= {
                "baselineMethod": ["10 in 10 with SMA"],
                "program": ["Reliability DR"],
                "resourceType": ["Pre Defined"],
            }
            record["DistributedEnergyResourceContainer"] = [
                {"mRID": [(refs or {}).get("DRLocation", "none")]}
            ]
    else:
        record = {}
        if dataset.key != "SchedulingCoordinator":
            record[dataset.key] = [name]
        record["schedulingCoordinator"] = ["ALPH"]
        if market:
            record["marketType"] = [market]
        for column in dataset.record_fields:
            record[column.name] = [_sample_value(column, low, high, refs or {})]
        if dataset.span:
            record["startTime"], record["endTime"] = [start], [end]
        else:
            point = {"intervalStartTime": [start], "intervalEndTime": [end]}
            for column in dataset.interval_fields:
                point[column.name] = [_sample_value(column, low, high, refs or {})]
            record["TradeIntervalData"] = [point]
    for key, value in overrides.items():
        record[key] = value if isinstance(value, list) else [value]
    return record


def submission(name: str, records: list[Tree]) -> bytes:
    """A submission document of endpoint `name` holding these record trees."""
    current = plan(endpoint(name))
    dataset = spec.dataset(current.operation.dataset)
    payload: Tree = {}
    for record in records:
        element = dataset.record_name
        if dataset.layout == "bid":
            element = next(
                k.replace("Registered", "").replace("Generator", "Generating") + "Bid"
                for k in record
                if k.startswith("Registered")
            )
        payload.setdefault(element, []).append(record)
    return document(name, current.incoming.filename, payload)


def sample_request(name: str, window: tuple[str, str] | None = None, **fields: Any) -> bytes:
    """A valid request document of a retrieve, status query or action of endpoint `name`: the window
    (SIBR: MarketStartTime/End), the caller's coordinator, and the fields given."""
    current = plan(endpoint(name))
    operation = current.operation
    given: Tree = {}
    if operation.kind == "status":
        if current.incoming.root == "BatchValidationStatus":
            return document(
                name,
                current.incoming.filename,
                {"BatchStatus": [{"mRID": [fields.get("transactionId", "none")]}]},
            )
        given = {"transactionId": [fields.get("transactionId", "none")]}
        return document(name, current.incoming.filename, {f"Request{operation.document}Record": [given]})
    if operation.kind == "action":
        given = {"action": [next(iter(operation.actions))]}
        given |= {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
        return document(name, current.incoming.filename, {f"{operation.document}Record": [given]})
    dataset = spec.dataset(operation.dataset)
    start, end = window or (PERIODS[dataset.interval] if dataset.submitted else RESULTS_DAY)
    if current.incoming.root == "RequestDRRegistrationData":
        form = "LocationRequest" if dataset.name == "DRLocation" else "RegistrationRequest"
        content = {"rangePeriod": [{"end": [end], "start": [start]}], **_lists(fields)}
        return document(name, current.incoming.filename, {form: [content]})
    if current.incoming.root == "RequestResourceOutage":
        form: Tree = {"rangePeriod": [{"end": [end], "start": [start]}]}
        return document(name, current.incoming.filename, {"OutageRange": [form], **_lists(fields)})
    names = (
        ("MarketStartTime", "MarketEndTime") if operation.app == "SIBR" else ("dateTimeStart", "dateTimeEnd")
    )
    given = {names[0]: [start], names[1]: [end]}
    record = next(iter(served_schema(name, current.incoming.filename).elements.values()))
    record_name = next(c for c in record.type.content.iter_elements() if c.local_name == "MessagePayload")
    record_element = next(iter(record_name.type.content.iter_elements()))
    children = [c.local_name for c in record_element.type.content.iter_elements()]
    for wrapper in ("SchedulingCoordinatorList", "schedulingCoordinatorList"):
        if wrapper in children:
            given[wrapper] = [{"schedulingCoordinator": ["ALPH"]}]
    if "GasCompanyList" in children:
        given["GasCompanyList"] = [
            {"gasCompany": ["PGAE"]},
            {"gasCompany": ["SOCALGAS"]},
            {"gasCompany": ["SDGE"]},
        ]
    if "executionType" in children and "executionType" not in fields and dataset.has_execution:
        given["executionType"] = [dataset.market_pairs[0][1]]
    if "marketType" in children and "marketType" not in fields and dataset.has_market:
        given["marketType"] = [dataset.market_pairs[0][0]]
    given |= _lists(fields)
    return document(name, current.incoming.filename, {record_element.local_name: [given]})


def _lists(fields: dict[str, Any]) -> Tree:
    return {k: v if isinstance(v, list) else [v] for k, v in fields.items()}


# --- framing -------------------------------------------------------------------------------------


def message(
    current: Plan,
    payload: bytes | None,
    pack: str = "caiso-production",
    user: User = ALPHA,
    signer: str | None = "sc-alpha-systems",
    created: datetime = NOW,
    rpc: bool = True,
) -> tuple[bytes, str]:
    """(body, Content-Type) of a request carrying `payload` as the endpoint's WSDL says (`rpc=False`:
    a plain retrieve's document alone in the Body, not inside `<op>/requestData`)."""
    attach = current.attached_input and not current.doc_attach
    text = attachments.encode(payload or b"") if current.attached_input else ""
    header = etree.tostring(header_element(user, created)).decode()
    if attach:
        header += attachments.attachment_headers(text, "payload@client")
    if current.doc_attach and current.attached_input:
        body = f'<ISOAttachment xmlns="{ISO}"><AttachmentValue>{text}</AttachmentValue></ISOAttachment>'
        header += attachments.info_header("payload@client")
    elif attach and current.mtom:
        include = f'<xop:Include xmlns:xop="{XOP}" href="cid:payload@client"/>'
        body = (
            f'<AttachmentInfor xmlns="{INFOR}"><attachmentData>{include}</attachmentData></AttachmentInfor>'
        )
    elif attach:
        body = ""  # the document is the attachment; CAISO's own client sends an empty Body
    elif current.rpc and rpc:
        inner = etree.fromstring(payload or b"<x/>")
        children = "".join(etree.tostring(c).decode() for c in inner)
        op = current.endpoint.operation
        body = f'<ns0:{op} xmlns:ns0="http://www.caiso.com/soa/{op}"><requestData>{children}</requestData></ns0:{op}>'
    else:
        body = (payload or b"").decode()
    envelope = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Header>{header}</soapenv:Header>'
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    ).encode()
    if signer is not None:
        envelope = sign(envelope, *credentials(pack, signer))
    if not attach:
        return envelope, "text/xml; charset=utf-8"
    return attachments.related(envelope, {"payload@client": text}, mtom=current.mtom)


def call(
    client: TestClient,
    name: str,
    payload: bytes | None,
    environment: str = "Production",
    subject: str | None = None,
    tenant: str | None = None,
    **options: Any,
) -> httpx.Response:
    found = endpoint(name)
    body, content_type = message(plan(found), payload, pack=PACKS[environment], **options)
    headers = {
        "Content-Type": content_type,
        "SOAPAction": f'"http://www.caiso.com/soa/{found.operation}"',
        **cert(subject or ALPHA.certificate_subject),
        **({"X-Isosim-Tenant": tenant} if tenant else {}),
    }
    return client.post(url(found, environment), content=body, headers=headers)


def returned(response: httpx.Response) -> etree._Element:
    """The document a retrieve returned: from the SwA or MTOM attachment (its hash checked) or the
    ISOAttachment; an outputDataType when CAISO answers in its place (no data, another entity)."""
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
        text = envelope.findtext(f".//{{{ISO}}}AttachmentValue")
    raw = gzip.decompress(base64.b64decode(text))
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n') or raw.startswith(
        b"<outputDataType"
    )
    return etree.fromstring(raw)


def output(response: httpx.Response) -> etree._Element:
    """What a submission or action answered in the Body: an outputDataType, OMS's
    OutageStandardOutput or DRRS's StandardOutput."""
    assert response.status_code == 200, response.text
    body = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body")
    assert body is not None and len(body), response.text
    return body[0]


def _event(answer: etree._Element, leaf: str) -> str:
    """An element of a submission answer's event: outputDataType's EventLog, or the CIM outputs'
    MessagePayload/EventLog/Event."""
    for path in (f"{{*}}EventLog/{{*}}{leaf}", f"{{*}}MessagePayload/{{*}}EventLog/{{*}}Event/{{*}}{leaf}"):
        found = answer.findtext(path)
        if found:
            return found
    raise AssertionError(etree.tostring(answer))


def transaction_of(answer: etree._Element) -> str:
    """The transaction id a submission's answer names (EventLog/id, Event/id)."""
    return _event(answer, "id")


def result_of(answer: etree._Element) -> str:
    return (
        _event(answer, "Event/{*}result")
        if answer.find("{*}EventLog") is not None
        else _event(answer, "result")
    )


def tree(element: etree._Element) -> Tree:
    found: Tree = {}
    for child in element.iterchildren(etree.Element):
        found.setdefault(etree.QName(child).localname, []).append(
            tree(child) if len(child) else child.text or ""
        )
    return found


def records(document: etree._Element) -> list[Tree]:
    """The records of a data document as trees (empty for CAISO's no-data answer)."""
    if etree.QName(document).localname == "outputDataType":
        assert document.findtext("{*}EventLog/{*}Event/{*}result") == "FMWK0008", etree.tostring(document)
        return []
    namespace = etree.QName(document).namespace
    return [tree(record) for record in document.iterfind(f"{{{namespace}}}MessagePayload/*")]


def one(record: Tree, path: str) -> str:
    """A record's value at a path ("TradeIntervalData/MW" is the first interval's)."""
    level: Any = record
    for step in path.split("/"):
        level = level[step][0]
    return level


def valid(document: etree._Element, current: Plan) -> bool:
    if etree.QName(document).localname == "outputDataType":
        return True
    assert current.outgoing is not None
    return current.outgoing.schema.validate(document)


# --- a generated client (zeep) -------------------------------------------------------------------


class TestClientTransport(Transport):
    __test__ = False

    """zeep over the in-process test client (WSDL, XSDs and calls), with a certificate subject."""

    def __init__(self, client: TestClient, subject: str) -> None:
        super().__init__()
        self.client, self.subject = client, subject
        self.attachment: tuple[str, str] | None = None  # (Content-ID, base64 text) for the next call
        self.inline: str = ""  # the base64 text of an AttachmentInfor sent inline: only its headers

    def _load_remote_data(self, url: str) -> bytes:
        response = self.client.get(url, headers=cert(self.subject))
        assert response.status_code == 200, (url, response.text)
        return response.content

    def post(self, address: str, message: bytes | str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        body = message.encode() if isinstance(message, str) else message
        if self.attachment is not None:
            body, headers["Content-Type"] = attachments.related(body, dict([self.attachment]))
        return self.client.post(address, content=body, headers={**headers, **cert(self.subject)})


class Signing(Plugin):
    """Adds CAISOWSHeader (and attachment headers) and signs each outgoing message."""

    def __init__(self, transport: TestClientTransport, pack: str, user: str) -> None:
        self.transport, self.pack, self.user = transport, pack, user

    def egress(self, envelope, http_headers, operation, binding_options):  # type: ignore[no-untyped-def]
        header = envelope.find(f"{{{SOAP_ENV}}}Header")
        if header is None:
            header = etree.Element(f"{{{SOAP_ENV}}}Header")
            envelope.insert(0, header)
        header.append(header_element(ALPHA, NOW))
        if self.transport.attachment is not None or self.transport.inline:
            content_id, text = self.transport.attachment or ("payload@zeep", self.transport.inline)
            for element in etree.fromstring(f"<x>{attachments.attachment_headers(text, content_id)}</x>"):
                header.append(element)
        signed = sign(etree.tostring(envelope), *credentials(self.pack, self.user))
        return etree.fromstring(signed), http_headers


@dataclass
class GeneratedClient:
    client: zeep.Client
    transport: TestClientTransport

    def attach(self, document: bytes) -> None:
        self.transport.attachment = ("payload@zeep", attachments.encode(document))

    def attach_inline(self, document: bytes) -> bytes:
        """The gzip bytes to pass as AttachmentInfor/attachmentData (zeep sends them base64, inline),
        with the attachment headers for that base64 text."""
        self.transport.inline = attachments.encode(document)
        return base64.b64decode(self.transport.inline)


def generated_client(
    test_client: TestClient, found: catalogue.Endpoint, environment: str = "Production"
) -> GeneratedClient:
    transport = TestClientTransport(test_client, ALPHA.certificate_subject)
    plugin = Signing(transport, PACKS[environment], "sc-alpha-systems")
    client = zeep.Client(
        f"http://testserver{url(found, environment)}?wsdl", transport=transport, plugins=[plugin]
    )
    return GeneratedClient(client, transport)


def zeep_arguments(payload: bytes) -> dict:
    """A document's MessageHeader and MessagePayload as a generated client's keyword arguments."""

    def value(element: etree._Element) -> Any:
        if not len(element):
            return element.text
        grouped: dict[str, list] = {}
        for child in element:
            grouped.setdefault(etree.QName(child).localname, []).append(value(child))
        return {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}

    root = etree.fromstring(payload)
    return {etree.QName(c).localname: value(c) for c in root}
