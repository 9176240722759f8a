"""The B2B documents, their XSDs and each endpoint's WSDL, all derived from datasets.toml and the
catalogue row: nothing here is written per service.

Documents follow CAISO's shape: a root with `MessageHeader{TimeDate, Source, Version}` and
`MessagePayload` holding `<Root>Record` elements; namespace `http://www.caiso.com/soa/<Root>_<vN>.xsd`.
How each framing carries them (README, "B2B messages"):

| kind            | `_AP` request              | `_AP` response             | `_DocAttach_AP` both ways  |
|-----------------|----------------------------|----------------------------|----------------------------|
| retrieve/status | request document in Body   | data document as attachment| ISOAttachment in the Body  |
| submit          | data document as attachment| outputDataType in Body     | request: ISOAttachment     |
| action          | action document in Body    | outputDataType in Body     | request: ISOAttachment     |
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from app.caiso.b2b import spec
from app.caiso.catalogue import Endpoint, Route
from app.caiso.soap.attachments import ISO_ATTACHMENT
from app.caiso.soap.envelope import STANDARD_OUTPUT
from app.core.xml import SCHEMA_DIR

XS = "http://www.w3.org/2001/XMLSchema"
OPERATION_NS = "http://www.caiso.com/soa/b2b/"  # + the operation: the WSDL's own elements
_TYPES = {
    "mw": "xs:decimal",
    "price": "xs:decimal",
    "cost": "xs:decimal",
    "percent": "xs:decimal",
    "count": "xs:int",
    "flag": "xs:boolean",
    "text": "xs:string",
    "ref": "xs:string",
}
# Files every B2B WSDL may import, from schemas/caiso/.
STATIC = {"StandardOutput.xsd": STANDARD_OUTPUT, "ISOAttachment.xsd": ISO_ATTACHMENT}


@dataclass(frozen=True)
class Element:
    name: str
    type: str = "xs:string"  # or "code" with choices
    required: bool = True
    many: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    root: str
    version: str
    elements: tuple[Element, ...]  # the children of each record, in order
    min_records: int = 0

    @property
    def namespace(self) -> str:
        return f"http://www.caiso.com/soa/{self.root}_{self.version}.xsd"

    @property
    def record(self) -> str:
        return self.root + "Record"

    @property
    def filename(self) -> str:
        return f"{self.root}_{self.version}.xsd"

    def xsd(self) -> str:
        rows = []
        for e in self.elements:
            occurs = f' minOccurs="{1 if e.required else 0}" maxOccurs="{"unbounded" if e.many else 1}"'
            if e.choices:
                options = "".join(f"<xs:enumeration value={quoteattr(c)}/>" for c in e.choices)
                rows.append(
                    f'<xs:element name="{e.name}"{occurs}><xs:simpleType><xs:restriction base="xs:string">'
                    f"{options}</xs:restriction></xs:simpleType></xs:element>"
                )
            else:
                rows.append(f'<xs:element name="{e.name}" type="{e.type}"{occurs}/>')
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<!-- {self.root} {self.version}: written by isosim from app/caiso/b2b/datasets.toml. -->\n"
            f'<xs:schema xmlns:xs="{XS}" xmlns="{self.namespace}" targetNamespace="{self.namespace}" '
            'elementFormDefault="qualified">'
            f'<xs:element name="{self.root}"><xs:complexType><xs:sequence>'
            '<xs:element name="MessageHeader" type="MessageHeader"/>'
            f'<xs:element name="MessagePayload"><xs:complexType><xs:sequence>'
            f'<xs:element name="{self.record}" type="{self.record}" minOccurs="{self.min_records}" '
            'maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>'
            "</xs:sequence></xs:complexType></xs:element>"
            '<xs:complexType name="MessageHeader"><xs:sequence>'
            '<xs:element name="TimeDate" type="xs:dateTime"/><xs:element name="Source" type="xs:string"/>'
            '<xs:element name="Version" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>'
            f'<xs:complexType name="{self.record}"><xs:sequence>{"".join(rows)}</xs:sequence>'
            "</xs:complexType>"
            "</xs:schema>\n"
        )

    @property
    def schema(self) -> etree.XMLSchema:
        return _compiled(self)


@cache
def _compiled(document: Document) -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(document.xsd().encode()))


def _field_elements(dataset: spec.Dataset, all_optional: bool = False) -> list[Element]:
    found = []
    for column in dataset.columns:
        required = not (column.optional or all_optional)
        if column.kind == "code":
            found.append(Element(column.name, required=required, choices=column.choices))
        else:
            found.append(Element(column.name, _TYPES[column.kind], required))
    return found


def _head(dataset: spec.Dataset, result: bool) -> list[Element]:
    """What every record starts with: whose it is, what about, when, in which market."""
    found = [Element("recordId", required=False)] if result and dataset.submitted else []
    found.append(Element("SchedulingCoordinator", required=not result))
    if dataset.key != "SchedulingCoordinator":
        found.append(Element(dataset.key))
    found += [Element("startTime", "xs:dateTime"), Element("endTime", "xs:dateTime")]
    if dataset.has_market:
        markets = tuple(dict.fromkeys(m for m, _ in dataset.market_pairs))
        found.append(Element("marketType", required=not result, choices=markets))
    if result and dataset.has_execution:
        found.append(
            Element("executionType", required=False, choices=tuple(e for _, e in dataset.market_pairs))
        )
    return found


def data_document(operation: spec.Operation, version: str, result: bool) -> Document:
    dataset = spec.dataset(operation.dataset)
    elements = _head(dataset, result) + _field_elements(dataset)
    if result and dataset.submitted:
        elements += [
            Element("status", required=False),
            Element("errors", required=False),
            Element("transactionId", required=False),
            Element("receivedTime", "xs:dateTime", required=False),
        ]
    return Document(operation.document, version, tuple(elements), min_records=0 if result else 1)


def window_elements(app: str) -> tuple[str, str]:
    """The retrieve request's window elements: SIBR's own names, CAISO's usual ones elsewhere."""
    return ("MarketStartTime", "MarketEndTime") if app == "SIBR" else ("dateTimeStart", "dateTimeEnd")


def request_document(operation: spec.Operation, version: str) -> Document:
    if operation.kind == "status":
        return Document(operation.request_document, version, (Element("transactionId"),), 1)
    if operation.kind == "action":
        elements = (
            Element("transactionId", required=False),
            Element("recordId", required=False, many=True),
            Element("action", choices=tuple(operation.actions)),
        )
        return Document(operation.request_document, version, elements, 1)
    dataset = spec.dataset(operation.dataset)
    start, end = window_elements(operation.app)
    elements = [Element(start, "xs:dateTime"), Element(end, "xs:dateTime")]
    if dataset.has_market:
        markets = tuple(dict.fromkeys(m for m, _ in dataset.market_pairs))
        elements.append(Element("marketType", required=False, choices=markets))
    if dataset.has_execution:
        executions = tuple(dict.fromkeys(e for _, e in dataset.market_pairs))
        elements.append(Element("executionType", required=False, choices=executions))
    elements.append(Element("SchedulingCoordinator", required=False, many=True))
    if dataset.key != "SchedulingCoordinator":
        elements.append(Element(dataset.key, required=False, many=True))
    if dataset.submitted:
        elements.append(Element("transactionId", required=False))
    return Document(operation.request_document, version, tuple(elements), 1)


STATUS_FIELDS = (
    "transactionId",
    "SchedulingCoordinator",
    "operation",
    "receivedTime",
    "recordCount",
    "invalidCount",
    "status",
    "errors",
)


def status_document(operation: spec.Operation, version: str) -> Document:
    types = {"receivedTime": "xs:dateTime", "recordCount": "xs:int", "invalidCount": "xs:int"}
    elements = tuple(Element(n, types.get(n, "xs:string"), n != "errors") for n in STATUS_FIELDS)
    return Document(operation.document, version, elements)


@dataclass(frozen=True)
class Plan:
    """What an endpoint reads and writes."""

    endpoint: Endpoint
    operation: spec.Operation
    incoming: Document  # the request's document (a submit's data document)
    outgoing: Document | None  # the data document returned; None: an outputDataType

    @property
    def doc_attach(self) -> bool:
        return self.endpoint.variant == "DocAttach_AP"

    @property
    def attached_input(self) -> bool:
        """The request document travels as an attachment (SwA/MTOM part, or ISOAttachment)."""
        return self.doc_attach or self.operation.kind == "submit"

    @property
    def documents(self) -> dict[str, Document]:
        found = {self.incoming.filename: self.incoming}
        if self.outgoing is not None:
            found[self.outgoing.filename] = self.outgoing
        return found


@cache
def plan(endpoint: Endpoint) -> Plan:
    operation = spec.operation(endpoint.app, endpoint.base_operation)
    version = endpoint.version
    if operation.kind == "submit":
        return Plan(endpoint, operation, data_document(operation, version, result=False), None)
    if operation.kind == "action":
        return Plan(endpoint, operation, request_document(operation, version), None)
    outgoing = (
        status_document(operation, version)
        if operation.kind == "status"
        else data_document(operation, version, result=True)
    )
    return Plan(endpoint, operation, request_document(operation, version), outgoing)


@cache
def static_xsd(filename: str) -> bytes:
    return (SCHEMA_DIR / "caiso" / filename).read_bytes()


def xsd(route: Route, filename: str) -> bytes | None:
    """A file the endpoint's WSDL imports, or None."""
    if filename in STATIC:
        return static_xsd(filename)
    found = plan(route.endpoint).documents.get(filename)
    return found.xsd().encode() if found is not None else None


def wsdl(route: Route, location: str) -> bytes:
    """Document/literal SOAP 1.1, one operation named in CAISO's style. Attachments are described
    in wsdl:documentation: generated clients (zeep, CXF) read soap:body, not MIME bindings."""
    current = plan(route.endpoint)
    endpoint = current.endpoint
    name = endpoint.operation
    tns = OPERATION_NS + name
    imports = {STANDARD_OUTPUT: "StandardOutput.xsd", ISO_ATTACHMENT: "ISOAttachment.xsd"}
    for document in current.documents.values():
        imports[document.namespace] = document.filename
    prefixes = {ns: f"d{n}" for n, ns in enumerate(imports)}
    local = []
    if current.doc_attach:
        request = response = f"{prefixes[ISO_ATTACHMENT]}:ISOAttachment"
        if current.outgoing is None:
            response = f"{prefixes[STANDARD_OUTPUT]}:outputDataType"
        note = "request and response documents travel as ISOAttachment/AttachmentValue: base64(gzip(xml))"
    else:
        if current.attached_input:
            local.append(
                f'<xs:element name="{name}"><xs:complexType><xs:sequence>'
                '<xs:element name="attachment" type="xs:base64Binary" minOccurs="0"/>'
                "</xs:sequence></xs:complexType></xs:element>"
            )
            request = f"tns:{name}"
            note = (
                f"the {current.incoming.root} document travels as a multipart/related attachment "
                "(SwA, or MTOM/XOP from the attachment element): base64(gzip(xml)), with the "
                "attachmentHash and standardAttachmentInfor headers"
            )
        else:
            ns = current.incoming.namespace
            request = f"{prefixes[ns]}:{current.incoming.root}"
            note = f"the {current.incoming.root} document is the Body"
        if current.outgoing is None:
            response = f"{prefixes[STANDARD_OUTPUT]}:outputDataType"
        else:
            local.append(
                f'<xs:element name="{name}Response"><xs:complexType><xs:sequence>'
                '<xs:element name="attachmentId" type="xs:string" minOccurs="0"/>'
                "</xs:sequence></xs:complexType></xs:element>"
            )
            response = f"tns:{name}Response"
            note += (
                f"; the {current.outgoing.root} document is returned as a multipart/related "
                "(SwA) attachment: base64(gzip(xml)), hashed in attachmentHash"
            )
    xmlns = "".join(f" xmlns:{p}={quoteattr(ns)}" for ns, p in prefixes.items())
    schema_imports = "".join(
        f"<xs:import namespace={quoteattr(ns)} schemaLocation={quoteattr('?xsd=' + f)}/>"
        for ns, f in imports.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<wsdl:definitions name="{name}" targetNamespace="{tns}" xmlns:tns="{tns}"{xmlns} '
        'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
        f'xmlns:xs="{XS}">'
        f"<wsdl:documentation>{escape(f'{endpoint.app} {endpoint.name}: {note}.')}</wsdl:documentation>"
        f'<wsdl:types><xs:schema targetNamespace="{tns}" elementFormDefault="qualified">{schema_imports}'
        f"{''.join(local)}</xs:schema></wsdl:types>"
        f'<wsdl:message name="{name}Request"><wsdl:part name="parameters" element="{request}"/>'
        "</wsdl:message>"
        f'<wsdl:message name="{name}Response"><wsdl:part name="parameters" element="{response}"/>'
        "</wsdl:message>"
        f'<wsdl:portType name="{name}PortType"><wsdl:operation name="{name}">'
        f'<wsdl:input message="tns:{name}Request"/><wsdl:output message="tns:{name}Response"/>'
        "</wsdl:operation></wsdl:portType>"
        f'<wsdl:binding name="{name}Binding" type="tns:{name}PortType">'
        '<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>'
        f'<wsdl:operation name="{name}"><soap:operation soapAction="{name}" style="document"/>'
        '<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/>'
        "</wsdl:output></wsdl:operation></wsdl:binding>"
        f'<wsdl:service name="{name}Service"><wsdl:port name="{name}Port" binding="tns:{name}Binding">'
        f"<soap:address location={quoteattr(location)}/></wsdl:port></wsdl:service>"
        "</wsdl:definitions>\n"
    ).encode()
