"""The B2B documents, their XSDs and each endpoint's WSDL.

Where CAISO's structure of a document is public (README, "CAISO's documents"), the project keeps it
as an XSD of its own writing in `schemas/caiso/b2b/<Root>_<vN>.xsd` (element names, order,
cardinalities, enumerations and namespace as CAISO's), and that file is the document. Every other
document is built from datasets.toml by CAISO's observed conventions (`Conventions` below). Either
way a document is a tree of `Shape`s, which the codec reads and writes and from which its XSD is
rendered; every document validates with libxml2.

How each framing carries documents (CAISO's WSDLs where public; README, "B2B messages"):

- `_DocAttach_AP` retrieve: the request document in the Body; answered with ISOAttachment and the
  standardAttachmentInfor header.
- `_DocAttach_AP` submit: ISOAttachment in the Body; answered with an outputDataType (OMS:
  OutageStandardOutput, DRRS: StandardOutput v1).
- `_AP` retrieve (rpc/literal): `<op>/requestData` in the Body; answered with multipart/related, the
  document a SwA part.
- `_AP` submit: multipart/related, the document a part, the Body empty; answered as DocAttach.
- OMS `_AP` (MTOM): AttachmentInfor/attachmentData both ways, or the request document in the Body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from xml.sax.saxutils import quoteattr

from lxml import etree

from isosim.caiso import catalogue
from isosim.caiso.b2b import spec
from isosim.caiso.catalogue import Endpoint, Route
from isosim.caiso.soap.attachments import ATTACHMENT_HASH, ATTACHMENT_INFO, ATTACHMENT_INFOR, ISO_ATTACHMENT
from isosim.caiso.soap.envelope import STANDARD_OUTPUT
from isosim.core.xml import SCHEMA_DIR

XS = "http://www.w3.org/2001/XMLSchema"
SOA = "http://www.caiso.com/soa/"
B2B_DIR = SCHEMA_DIR / "caiso" / "b2b"
# Files every B2B WSDL may import, from schemas/caiso/.
STATIC = {
    "StandardOutput.xsd": STANDARD_OUTPUT,
    "ISOAttachment.xsd": ISO_ATTACHMENT,
    "StandardAttachmentInfor.xsd": ATTACHMENT_INFO,
}
_TYPES = {"mw": "decimal", "price": "decimal", "cost": "decimal", "percent": "decimal", "count": "int"}
_TYPES |= {"flag": "boolean", "text": "string", "ref": "string", "code": "string"}
# Interval elements a generated record's TradeIntervalData may carry, worked out from the interval.
COMPUTED = ("HR", "intervalDuration", "intervalEndTime", "intervalNum", "intervalStartTime", "tradeDate")
RESULT_EXTRAS = ("errors", "receivedTime", "recordId", "status", "transactionId")
_RELEASE = re.compile(r"(?P<season>Fall|Spring|Early)?\s*(?P<year>20\d\d)")


# --- shapes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """An element of a document: a leaf with a simple type, or a group of elements."""

    name: str
    min: int = 1
    max: int | None = 1  # None: unbounded
    type: str = "string"  # a leaf's XSD built-in type (local name); "" for a group
    choices: tuple[str, ...] = ()
    children: tuple[Shape, ...] = ()
    default: str = ""

    @property
    def group(self) -> bool:
        return not self.type

    @property
    def many(self) -> bool:
        return self.max is None or self.max > 1

    @cached_property
    def index(self) -> dict[str, Shape]:
        return {c.name: c for c in self.children}

    def find(self, path: str) -> Shape | None:
        """The element at a slash-separated path below this one."""
        found: Shape | None = self
        for step in path.split("/"):
            found = found.index.get(step) if found is not None else None
        return found

    def leaves(self, prefix: str = "") -> dict[str, Shape]:
        """Every leaf below, by path."""
        found = {}
        for child in self.children:
            path = f"{prefix}{child.name}"
            if child.group:
                found |= child.leaves(path + "/")
            else:
                found[path] = child
        return found


def leaf(name: str, kind: str = "string", required: bool = True, many: bool = False, choices=()) -> Shape:  # type: ignore[no-untyped-def]
    return Shape(name, int(required), None if many else 1, kind, tuple(choices))


def group(
    name: str, children: list[Shape], required: bool = True, many: bool = False, most: int = 0
) -> Shape:
    return Shape(name, int(required), None if many and not most else (most or 1), "", (), tuple(children))


def _alphabetical(children: list[Shape]) -> tuple[Shape, ...]:
    """CAISO's order within a class: attributes alphabetically (case aside), then associations."""
    attributes = sorted((c for c in children if not c.group), key=lambda c: c.name.lower())
    associations = sorted((c for c in children if c.group), key=lambda c: c.name.lower())
    return (*attributes, *associations)


def _from_xmlschema(element) -> Shape:  # type: ignore[no-untyped-def]
    kind = element.type
    common = {"min": element.min_occurs, "max": element.max_occurs, "default": element.default or ""}
    if kind.is_simple() or kind.has_simple_content():
        simple = kind if kind.is_simple() else kind.content
        choices = tuple(str(v) for v in (getattr(simple, "enumeration", None) or ()))
        primitive = simple.primitive_type.local_name if hasattr(simple, "primitive_type") else "string"
        return Shape(element.local_name, type=primitive or "string", choices=choices, **common)
    children = tuple(_from_xmlschema(c) for c in kind.content.iter_elements())
    return Shape(element.local_name, type="", children=children, **common)


# --- documents -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One XSD's document: its root element(s), namespace and shape."""

    stem: str  # <Root>_<vN>: the file name without .xsd
    namespace: str
    roots: tuple[str, ...]  # accepted root elements; the first is the one written
    shape: Shape  # the root element
    text: str = field(repr=False, compare=False)  # the XSD
    evidence: str = "inferred"  # published | captured | analogy | inferred

    @property
    def root(self) -> str:
        return self.roots[0]

    @property
    def filename(self) -> str:
        return self.stem + ".xsd"

    @property
    def payload(self) -> Shape:
        found = self.shape.index.get("MessagePayload")
        assert found is not None, self.stem
        return found

    @property
    def version_date(self) -> str:
        header = self.shape.find("MessageHeader/Version")
        return header.default if header is not None else ""

    @cached_property
    def schema(self) -> etree.XMLSchema:
        return etree.XMLSchema(etree.fromstring(self.text.encode()))


_EVIDENCE = re.compile(r"evidence: (published|captured|analogy)")


@cache
def published(stem: str) -> Document | None:
    """The document of `schemas/caiso/b2b/<stem>.xsd` (CAISO's structure), or None."""
    path = B2B_DIR / f"{stem}.xsd"
    if not path.exists():
        return None
    import xmlschema  # only where a file is read: its import costs start-up time

    text = path.read_text(encoding="utf-8")
    compiled = xmlschema.XMLSchema(text)
    elements = list(compiled.elements.values())
    found = _EVIDENCE.search(text)
    evidence = found[1] if found else "inferred"
    shape = _from_xmlschema(elements[0])
    return Document(
        stem, compiled.target_namespace, tuple(e.local_name for e in elements), shape, text, evidence
    )


def namespace(stem: str) -> str:
    """CAISO's namespace of a document: its schema's URL with the trailing '#' of CIMTool's schemas."""
    return f"{SOA}{stem}.xsd#"


def _xsd_type(shape: Shape) -> str:
    return f"xs:{shape.type}"


def render(stem: str, roots: tuple[str, ...], shape: Shape, note: str) -> str:
    """The XSD of a document built by convention: named types for the root, nested groups inline."""
    ns = namespace(stem)

    def occurs(s: Shape) -> str:
        text = f' minOccurs="{s.min}"' if s.min != 1 else ""
        if s.max != 1:
            text += f' maxOccurs="{"unbounded" if s.max is None else s.max}"'
        return text

    def element(s: Shape) -> str:
        default = f" default={quoteattr(s.default)}" if s.default else ""
        if s.group:
            inner = f"<xs:complexType>{sequence(s)}</xs:complexType>"
            return f'<xs:element name="{s.name}"{occurs(s)}>{inner}</xs:element>'
        if s.choices:
            options = "".join(f"<xs:enumeration value={quoteattr(c)}/>" for c in s.choices)
            restriction = f'<xs:restriction base="xs:string">{options}</xs:restriction>'
            return (
                f'<xs:element name="{s.name}"{occurs(s)}{default}><xs:simpleType>{restriction}'
                "</xs:simpleType></xs:element>"
            )
        return f'<xs:element name="{s.name}" type="{_xsd_type(s)}"{occurs(s)}{default}/>'

    def sequence(s: Shape) -> str:
        return "<xs:sequence>" + "".join(element(c) for c in s.children) + "</xs:sequence>"

    tops = "".join(f'<xs:element name="{r}" type="m:{roots[0]}"/>' for r in roots)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!-- {stem}: {note} Written by isosim from app/caiso/b2b/datasets.toml in CAISO's "
        "conventions. -->\n"
        f'<xs:schema xmlns:xs="{XS}" xmlns:m="{ns}" targetNamespace="{ns}" elementFormDefault="qualified" '
        f'attributeFormDefault="unqualified">{tops}<xs:complexType name="{roots[0]}">{sequence(shape)}'
        "</xs:complexType></xs:schema>\n"
    )


def build(
    stem: str, root: str, payload: list[Shape], version_date: str, request: bool, note: str
) -> Document:
    """A document by CAISO's conventions: MessageHeader{TimeDate, Source, Version} (required in
    requests and submissions, optional in results) and MessagePayload."""
    header = group(
        "MessageHeader",
        [leaf("TimeDate", "dateTime"), leaf("Source"), Shape("Version", default=version_date)],
        required=request,
    )
    shape = Shape(root, type="", children=(header, group("MessagePayload", payload)))
    return Document(stem, namespace(stem), (root,), shape, render(stem, (root,), shape, note))


def version_date(endpoint: Endpoint) -> str:
    """The MessageHeader/Version a document of this endpoint carries: its release's date, as CAISO
    dates them (v20161001 for Fall 2016; Spring April, Early February; a dated version as itself)."""
    if re.fullmatch(r"v20\d{6}", endpoint.version):
        return endpoint.version
    releases = [
        e.release
        for e in catalogue.endpoints()
        if e.app == endpoint.app
        and e.base_operation == endpoint.base_operation
        and e.version == endpoint.version
    ]
    for release in releases:
        found = _RELEASE.search(release)
        if found:
            month = {"Spring": "04", "Early": "02"}.get(found["season"] or "", "10")
            return f"v{found['year']}{month}01"
    return "v20090401"  # MRTU go-live: SIBR's and CMRI's undated first versions


# --- CAISO's conventions, for documents whose structure is not public -------------------------------


def _key(dataset: spec.Dataset) -> str:
    """The element naming what a record is about; the coordinator for coordinator-keyed data."""
    return "schedulingCoordinator" if dataset.key == "SchedulingCoordinator" else dataset.key


def _field_shape(column: spec.Field, all_optional: bool = False) -> Shape:
    return leaf(
        column.name, _TYPES[column.kind], not (column.optional or all_optional), choices=column.choices
    )


class Conventions:
    """What CAISO's documents look like where CAISO's own schema is not public: the CIMTool schemas'
    namespaces (with '#'), records named per class, attributes in alphabetical order before
    associations, `...List` wrappers for request filters, time series nested as TradeIntervalData."""

    @staticmethod
    def request(operation: spec.Operation, dataset: spec.Dataset) -> list[Shape]:
        window = (
            ("MarketStartTime", "MarketEndTime")
            if operation.app == "SIBR"
            else ("dateTimeStart", "dateTimeEnd")
        )
        children = [leaf(window[0], "dateTime"), leaf(window[1], "dateTime")]
        if dataset.has_market:
            children.append(
                leaf("marketType", required=False, choices=dict.fromkeys(m for m, _ in dataset.market_pairs))
            )
        if dataset.has_execution:
            executions = dict.fromkeys(e for _, e in dataset.market_pairs)
            children.append(leaf("executionType", required=False, choices=executions))
        if dataset.submitted:
            children.append(leaf("transactionId", required=False))
        key = _key(dataset)
        if key != "schedulingCoordinator":
            children.append(group(key[0].upper() + key[1:] + "List", [leaf(key)], required=False, many=True))
        if not dataset.public:
            children.append(group("SchedulingCoordinatorList", [leaf("schedulingCoordinator")], many=True))
        return [group(f"Request{operation.document}Record", list(_alphabetical(children)))]

    @staticmethod
    def record(dataset: spec.Dataset, result: bool, name: str = "") -> Shape:
        children: list[Shape] = []
        if result and dataset.has_execution:
            children.append(leaf("executionType", choices=dict.fromkeys(e for _, e in dataset.market_pairs)))
        if dataset.has_market:
            children.append(leaf("marketType", choices=dict.fromkeys(m for m, _ in dataset.market_pairs)))
        key = _key(dataset)
        children.append(leaf(key))
        if not dataset.public and key != "schedulingCoordinator":
            children.append(leaf("schedulingCoordinator"))
        children += [_field_shape(c) for c in dataset.record_fields]
        if dataset.span:
            children += [leaf("startTime", "dateTime"), leaf("endTime", "dateTime")]
        else:
            points = [leaf("intervalStartTime", "dateTime"), leaf("intervalEndTime", "dateTime")]
            points += [_field_shape(c) for c in dataset.interval_fields]
            children.append(group("TradeIntervalData", list(_alphabetical(points)), many=True))
        if result and dataset.submitted:
            children += [
                leaf(n, "dateTime" if n == "receivedTime" else "string", False) for n in RESULT_EXTRAS
            ]
        return group(
            name or dataset.record_name, list(_alphabetical(children)), required=not result, many=True
        )

    @staticmethod
    def bids(dataset: spec.Dataset) -> list[Shape]:
        """SIBR bids in the CIM ParticipantInterfaces shape (GeneratingBid/ProductBid/BidSchedule and
        its curve), the closest public analogue of CAISO's RawBidSet (README, "B2B choices")."""
        fields = {c.name: c for c in dataset.columns}
        curve = group(
            "BidPriceCurve",
            [
                group(
                    "CurveSchedData",
                    [leaf("xAxisData", "decimal"), leaf("y1AxisData", "decimal")],
                    many=True,
                    most=10,
                )
            ],
            required=False,
        )
        schedule = [
            leaf("timeIntervalStart", "dateTime"),
            leaf("timeIntervalEnd", "dateTime"),
            leaf("selfScheduleMW", "decimal", False),
            leaf("selfScheduleType", required=False, choices=fields["selfScheduleType"].choices),
            curve,
        ]
        product = [
            group("MarketProduct", [leaf("marketProductType", choices=fields["productType"].choices)]),
            group("BidSchedule", list(_alphabetical(schedule)), many=True),
        ]
        found = []
        for name, registered in (
            ("GeneratingBid", "RegisteredGenerator"),
            ("InterTieBid", "RegisteredInterTie"),
            ("LoadBid", "RegisteredLoad"),
        ):
            children = [
                leaf("marketType", choices=dict.fromkeys(m for m, _ in dataset.market_pairs)),
                leaf("mRID", required=False),
                leaf("startTime", "dateTime"),
                leaf("stopTime", "dateTime"),
                group("MarketParticipant", [leaf("mRID")]),
                group("ProductBid", list(_alphabetical(product)), many=True),
                group(registered, [leaf("mRID")]),
            ]
            # One shape both ways (RawBidSet is submitted and retrieved): what SIBR adds is optional.
            children += [
                leaf(n, "dateTime" if n == "receivedTime" else "string", False) for n in RESULT_EXTRAS
            ]
            found.append(group(name, list(_alphabetical(children)), required=False, many=True))
        return found

    @staticmethod
    def action(operation: spec.Operation) -> list[Shape]:
        children = [
            leaf("action", choices=tuple(operation.actions)),
            leaf("recordId", required=False, many=True),
            leaf("transactionId", required=False),
        ]
        return [group(f"{operation.document}Record", children)]

    @staticmethod
    def status_request(name: str) -> list[Shape]:
        return [group(f"Request{name}Record", [leaf("transactionId")])]

    @staticmethod
    def status(name: str) -> list[Shape]:
        children = [
            leaf("errors", required=False),
            leaf("invalidCount", "int"),
            leaf("operation"),
            leaf("receivedTime", "dateTime"),
            leaf("recordCount", "int"),
            leaf("schedulingCoordinator"),
            leaf("status"),
            leaf("transactionId"),
        ]
        return [group(f"{name}Record", children, required=False, many=True)]


# --- plans ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What an endpoint reads and writes, and how its framing carries them."""

    endpoint: Endpoint
    operation: spec.Operation
    incoming: Document  # the request document (a submission's data document)
    outgoing: Document | None  # the data document a retrieve or status query returns
    answer: Document | None = None  # what a submission or action answers; None: outputDataType

    @property
    def doc_attach(self) -> bool:
        return self.endpoint.variant == "DocAttach_AP"

    @property
    def mtom(self) -> bool:
        """OMS's plain endpoints carry documents in AttachmentInfor/attachmentData (MTOM)."""
        return self.endpoint.app == "OMS" and not self.doc_attach

    @property
    def rpc(self) -> bool:
        """Plain retrieves and status queries are rpc/literal, their answer a MIME attachment (CMRI's
        published WSDLs); OMS's are document/literal."""
        return not self.doc_attach and not self.mtom and self.operation.kind in ("retrieve", "status")

    @property
    def attached_input(self) -> bool:
        """The request document travels as an attachment (ISOAttachment, SwA or MTOM part)."""
        return self.operation.kind == "submit"

    @property
    def documents(self) -> dict[str, Document]:
        found = {self.incoming.filename: self.incoming}
        for document in (self.outgoing, self.answer):
            if document is not None:
                found[document.filename] = document
        return found

    @property
    def evidence(self) -> str:
        """How much of the endpoint's documents is CAISO's own structure (the coverage table)."""
        levels = {d.evidence for d in self.documents.values()}
        if levels <= {"published", "captured"}:
            return "CAISO's"
        if levels & {"published", "captured", "analogy"}:
            return "CAISO's, by analogy" if "inferred" not in levels else "partly CAISO's"
        return "inferred"


def _document(stem: str, fallback) -> Document:  # type: ignore[no-untyped-def]
    return published(stem) or fallback()


@cache
def plan(endpoint: Endpoint) -> Plan:
    operation = spec.operation(endpoint.app, endpoint.base_operation)
    version, date = endpoint.version, version_date(endpoint)
    names = [operation.dataset, *operation.datasets]
    dataset = spec.dataset(next(n for n in names if n)) if any(names) else None

    def data(doc: str, result: bool) -> Document:
        assert dataset is not None

        def conventional() -> Document:
            assert dataset is not None
            if dataset.layout == "bid":
                payload = Conventions.bids(dataset)
            else:
                payload = [Conventions.record(dataset, result)]
            note = f"{dataset.name} records ({'results' if result else 'submission'})."
            return build(f"{doc}_{version}", doc, payload, date, not result, note)

        return _document(f"{doc}_{version}", conventional)

    if operation.kind == "submit":
        answer = {"OMS": "OutageStandardOutput", "DRRS": "StandardOutput"}.get(endpoint.app)
        answer = published(f"{answer}_{version}") if answer else None
        return Plan(endpoint, operation, data(operation.document, False), None, answer)
    if operation.kind == "action":
        stem = f"{operation.document}_{version}"
        incoming = _document(
            stem,
            lambda: build(
                stem, operation.document, Conventions.action(operation), date, True, "an action on records."
            ),
        )
        return Plan(endpoint, operation, incoming, None)
    if operation.kind == "status":
        status = published(f"{operation.document}_{version}")
        if status is not None and status.payload.find("BatchStatus/mRID"):  # one document both ways
            return Plan(endpoint, operation, status, status)
        stem = f"Request{operation.document}_{version}"
        incoming = _document(
            stem,
            lambda: build(
                stem,
                f"Request{operation.document}",
                Conventions.status_request(operation.document),
                date,
                True,
                "a status query.",
            ),
        )
        out = f"{operation.document}_{version}"
        outgoing = _document(
            out,
            lambda: build(
                out,
                operation.document,
                Conventions.status(operation.document),
                date,
                False,
                "a submission's status.",
            ),
        )
        return Plan(endpoint, operation, incoming, outgoing)
    assert dataset is not None
    stem = f"{operation.request_document}_{version}"
    incoming = _document(
        stem,
        lambda: build(
            stem,
            operation.request_document,
            Conventions.request(operation, dataset),
            date,
            True,
            "a retrieve request.",
        ),
    )
    return Plan(endpoint, operation, incoming, data(operation.document, True))


@cache
def static_xsd(filename: str) -> bytes:
    return (SCHEMA_DIR / "caiso" / filename).read_bytes()


@cache
def _attachment_infor() -> bytes:
    return (B2B_DIR / "AttachmentInfor_v1.xsd").read_bytes()


def xsd(route: Route, filename: str) -> bytes | None:
    """A file the endpoint's WSDL imports, or None."""
    if filename in STATIC:
        return static_xsd(filename)
    current = plan(route.endpoint)
    if filename == "AttachmentInfor_v1.xsd" and current.mtom:
        return _attachment_infor()
    found = current.documents.get(filename)
    return found.text.encode() if found is not None else None


# --- WSDLs --------------------------------------------------------------------------------------------


def soap_action(endpoint: Endpoint) -> str:
    return SOA + endpoint.operation


def operation_namespace(endpoint: Endpoint) -> str:
    """The namespace of an rpc operation's wrappers: http://www.caiso.com/soa/<op>_v<N>."""
    return SOA + endpoint.operation


def _stem(endpoint: Endpoint) -> str:
    """The operation without its version: retrieveMarketAwards (CAISO's message and binding names)."""
    return endpoint.operation.split("_v")[0].removesuffix("_DocAttach")


def _definitions(tns: str, name_space: dict[str, str], imports: dict[str, str], inline: str = "") -> str:
    xmlns = "".join(f" xmlns:{p}={quoteattr(ns)}" for p, ns in name_space.items())
    schemas = "".join(
        f"<xs:schema><xs:import namespace={quoteattr(ns)} schemaLocation={quoteattr('?xsd=' + f)}/>"
        "</xs:schema>"
        for ns, f in imports.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<wsdl:definitions targetNamespace="{tns}" xmlns:tns="{tns}"{xmlns} '
        'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
        f'xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/" xmlns:xs="{XS}">'
        f"<wsdl:types>{schemas}{inline}</wsdl:types>"
    )


def _message(name: str, part: str, ref: str, kind: str = "element") -> str:
    return f'<wsdl:message name="{name}"><wsdl:part name="{part}" {kind}="{ref}"/></wsdl:message>'


FAULT_MESSAGE = _message("faultReturnType", "faultReturn", "typeFault:outputDataType")
FAULT_BINDING = (
    '<wsdl:fault name="faultReturn"><soap:fault use="literal" name="faultReturn" namespace=""/></wsdl:fault>'
)


def wsdl(route: Route, location: str) -> bytes:
    """The endpoint's WSDL, named as CAISO names them: target namespace
    http://www.caiso.com/soa/<op>.wsdl, portType <op>, binding <stem>[_DocAttach]_Binding, service
    <op>Service, port <stem>[_DocAttach]ServicePort, SOAPAction http://www.caiso.com/soa/<op>, the
    faultReturn fault (outputDataType) and the standardAttachmentInfor header."""
    current = plan(route.endpoint)
    endpoint = current.endpoint
    op, stem = endpoint.operation, _stem(endpoint)
    tns = f"{SOA}{op}.wsdl"
    incoming, kind = current.incoming, current.operation.kind
    doc = current.operation.document
    spaces = {"typeFault": STANDARD_OUTPUT, "typeHeader": ATTACHMENT_INFO}
    imports = {STANDARD_OUTPUT: "StandardOutput.xsd", ATTACHMENT_INFO: "StandardAttachmentInfor.xsd"}
    answer = "typeFault:outputDataType"
    if current.answer is not None:
        spaces["typeAnswer"] = current.answer.namespace
        imports[current.answer.namespace] = current.answer.filename
        answer = f"typeAnswer:{current.answer.root}"
    out_header = in_header = ""
    header_message = f"{stem}{'_DocAttach' if current.doc_attach else ''}Header"
    header = (
        f'<soap:header wsdl:required="true" message="tns:{header_message}" part="standardAttachmentInfor" '
        'use="literal"/>'
    )
    spaces["typeIn"] = incoming.namespace
    imports[incoming.namespace] = incoming.filename
    if current.outgoing is not None and current.outgoing is not incoming:
        spaces["schemaInfor"] = current.outgoing.namespace
        imports[current.outgoing.namespace] = current.outgoing.filename
    inline = ""
    style = "document"
    body_in = '<soap:body use="literal"/>'
    body_out = '<soap:body use="literal"/>'
    if current.doc_attach or current.mtom:
        if current.doc_attach:
            names = {"request": f"{stem}_DocAttachRequest", "response": f"{stem}_DocAttachResponse"}
            binding, port = f"{stem}_DocAttach_Binding", f"{stem}_DocAttachServicePort"
            spaces["typeOut"] = ISO_ATTACHMENT
            imports[ISO_ATTACHMENT] = "ISOAttachment.xsd"
            attached = (f"{doc}_attachment", "typeOut:ISOAttachment")
        else:  # OMS: document/literal, documents in AttachmentInfor (MTOM)
            names = {"request": stem, "response": f"{stem}Response"}
            capital = f"{stem[0].upper()}{stem[1:]}"
            binding, port = f"{capital if kind == 'submit' else stem}_Binding", f"{stem}ServicePort"
            spaces["attach"] = ATTACHMENT_INFOR
            imports[ATTACHMENT_INFOR] = "AttachmentInfor_v1.xsd"
            attached = (doc[0].lower() + doc[1:] + "Attachment", "attach:AttachmentInfor")
        inline_request = _message(names["request"], "requestData", f"typeIn:{incoming.root}")
        if kind == "submit":
            request = _message(names["request"], *attached)
            response = _message(names["response"], "returnData", answer)
            in_header = header
        elif kind == "action":
            request = inline_request
            response = _message(names["response"], "returnData", answer)
        else:
            request = inline_request
            response = _message(names["response"], *attached)
            out_header = header
            if current.doc_attach:
                body_out = f'<soap:body use="literal" parts="{attached[0]}"/>'
    else:
        names = {"request": f"{stem}Request", "response": f"{stem}Response"}
        binding, port = f"{stem}_Binding", f"{stem}ServicePort"
        if current.rpc:
            style = "rpc"
            wrapper = f' namespace="{operation_namespace(endpoint)}"'
            request = _message(names["request"], "requestData", f"typeIn:{incoming.root}", "type")
            response = _message(names["response"], f"{doc}_attachment", "xs:base64Binary", "type")
            body_in = f'<soap:body use="literal"{wrapper}/>'
            body_out = (
                f'<mime:multipartRelated><mime:part><soap:body use="literal"{wrapper}/></mime:part>'
                f'<mime:part><mime:content part="{doc}_attachment" type="application/octetstream"/>'
                "</mime:part>"
                "</mime:multipartRelated>"
            )
            out_header = header
        elif kind == "submit":
            # Inferred (no plain submit WSDL is public): the document is the SwA part; the Body is
            # empty, as CAISO's own client sends it.
            request = _message(names["request"], f"{doc}_attachment", "xs:base64Binary", "type")
            response = _message(names["response"], "returnData", answer)
            body_in = (
                '<mime:multipartRelated><mime:part><soap:body use="literal" parts=""/></mime:part>'
                f'<mime:part><mime:content part="{doc}_attachment" type="application/octetstream"/>'
                "</mime:part>"
                "</mime:multipartRelated>"
            )
            in_header = (
                header + f'<soap:header message="tns:{stem}Hash" part="attachmentHash" use="literal"/>'
            )
            spaces["typeHash"] = ATTACHMENT_HASH
            inline = (
                f'<xs:schema targetNamespace="{ATTACHMENT_HASH}" elementFormDefault="qualified">'
                '<xs:element name="attachmentHash"><xs:complexType><xs:sequence>'
                '<xs:element name="hashValue" type="xs:string"/></xs:sequence></xs:complexType></xs:element>'
                "</xs:schema>"
            )
            request += _message(f"{stem}Hash", "attachmentHash", "typeHash:attachmentHash")
        else:  # a plain action
            request = _message(names["request"], "requestData", f"typeIn:{incoming.root}")
            response = _message(names["response"], "returnData", answer)
    header_part = _message(
        header_message,
        "standardAttachmentInfor",
        "typeHeader:standardAttachmentInfor",
    )
    port_type = stem[0].upper() + op[1:] if current.mtom and kind == "submit" else op
    return (
        _definitions(tns, spaces, imports, inline)
        + request
        + header_part
        + response
        + FAULT_MESSAGE
        + f'<wsdl:portType name="{port_type}"><wsdl:operation name="{op}">'
        f'<wsdl:input message="tns:{names["request"]}"/><wsdl:output message="tns:{names["response"]}"/>'
        '<wsdl:fault name="faultReturn" message="tns:faultReturnType"/></wsdl:operation></wsdl:portType>'
        f'<wsdl:binding name="{binding}" type="tns:{port_type}">'
        f'<soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="{style}"/>'
        f'<wsdl:operation name="{op}"><soap:operation soapAction="{soap_action(endpoint)}" style="{style}"/>'
        f"<wsdl:input>{body_in}{in_header}</wsdl:input><wsdl:output>{body_out}{out_header}</wsdl:output>"
        f"{FAULT_BINDING}</wsdl:operation></wsdl:binding>"
        f'<wsdl:service name="{port_type}Service"><wsdl:port name="{port}" binding="tns:{binding}">'
        f"<soap:address location={quoteattr(location)}/></wsdl:port></wsdl:service>"
        "</wsdl:definitions>\n"
    ).encode()
