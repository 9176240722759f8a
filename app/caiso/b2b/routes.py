"""Every B2B catalogue endpoint (SIBR, CMRI, OMS, MF, DRRS, DRS, BSAP, BAAOP, CIRA, ALFS, STLMT)
behind the shared SOAP platform (app.caiso.soap.routes), which has already routed, authorised,
parsed and security-checked the message. One handler serves them all: the endpoint's Plan
(schemas.plan, from datasets.toml, the catalogue row and CAISO's published structures) says which
document comes in, how it is framed, and what goes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import uuid4

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from isosim.caiso import catalogue
from isosim.caiso.b2b import codec, models, schemas, spec
from isosim.caiso.b2b import tables as b2b_tables
from isosim.caiso.catalogue import Endpoint
from isosim.caiso.market.registry import registry
from isosim.caiso.soap import attachments
from isosim.caiso.soap import envelope as soap
from isosim.caiso.soap import routes as soap_routes
from isosim.caiso.soap.envelope import MEDIA_TYPE, Envelope, SoapFault, standard_output
from isosim.core import database
from isosim.core.packs import User
from isosim.core.pipeline import PACK_KEY, note, realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section

APPS = ("ALFS", "BAAOP", "BSAP", "CIRA", "CMRI", "DRRS", "DRS", "MF", "OMS", "SIBR", "STLMT")
SHORT_WINDOW = timedelta(days=31)  # 5-minute to hourly data (inferred: OASIS's limit)
LONG_WINDOW = timedelta(days=366)  # daily, monthly and effective-dated data


def _inline(message: Envelope, plan: schemas.Plan) -> etree._Element:
    """The request document a retrieve, status query or action carries in its Body: the document
    itself (document/literal), or inside `<op>/requestData` (rpc/literal: CMRI's plain WSDLs)."""
    payload = message.payload
    if payload is None:
        expected = f"{{{plan.incoming.namespace}}}{plan.incoming.root}"
        raise SoapFault(f"the SOAP Body is empty: it must hold the request document {expected}")
    if etree.QName(payload).namespace == schemas.operation_namespace(plan.endpoint):
        part = next(
            (c for c in payload.iterchildren(etree.Element) if etree.QName(c).localname == "requestData"),
            None,
        )
        if part is None:
            raise SoapFault(f"{etree.QName(payload).localname} carries no requestData part")
        document = etree.Element(f"{{{plan.incoming.namespace}}}{plan.incoming.root}")
        document.extend(list(part.iterchildren(etree.Element)))
        return document
    return payload


def _incoming(
    request: Request, plan: schemas.Plan, message: Envelope, strict: bool, limit: int
) -> etree._Element:
    multipart = getattr(request.state, "multipart", None)
    if plan.attached_input:
        if plan.doc_attach:
            return _framed(request, lambda: attachments.iso_attachment(message, limit))
        return _framed(request, lambda: attachments.attached(message, multipart, limit, strict))
    if (
        plan.operation.kind == "action"
        and not plan.doc_attach
        and message.payload is None
        and multipart is not None
    ):  # CAISO's client attaches "submit" actions
        return _framed(request, lambda: attachments.attached(message, multipart, limit, strict))
    return _inline(message, plan)


def status_applications() -> set[str]:
    """The applications whose submissions have a status query (datasets.toml's `kind = "status"`)."""
    return {key.split(".", 1)[0] for key, body in spec._data()[1].items() if body.get("kind") == "status"}


def _framed(request: Request, read: Callable[[], etree._Element]) -> etree._Element:
    """An attached document read as CAISO frames it (DocAttach, SwA or MTOM with its attachmentHash);
    whether it was is a conformance finding (B2B-3)."""
    try:
        found = read()
    except SoapFault as fault:
        note(request.scope, "B2B-3", False, fault.message)
        raise
    note(request.scope, "B2B-3", True, "attachment framed as CAISO's")
    return found


def _window(query: models.Query, plan: schemas.Plan) -> None:
    dataset = spec.dataset(plan.operation.dataset)
    if query.start is None or query.end is None:
        if dataset.submitted and (
            query.record_ids or query.transaction_id or plan.incoming.evidence != "inferred"
        ):
            return  # stored records asked for by id, or CAISO's request forms where the period is optional
        raise SoapFault("the request needs its start and end times")
    if query.end <= query.start:
        raise SoapFault("the request's end time must be after its start time")
    longest = LONG_WINDOW if dataset.interval in ("day", "month", "span") else SHORT_WINDOW
    if query.end - query.start > longest:
        raise SoapFault(f"a request may cover at most {longest.days} days of {plan.operation.document}")


def _document_response(plan: schemas.Plan, document: bytes) -> Response:
    """The data document (or the outputDataType CAISO sends in its place), as the endpoint's framing
    carries it, with the standardAttachmentInfor header CAISO's WSDLs declare."""
    value = attachments.encode(document)
    name = plan.endpoint.operation
    if plan.doc_attach:
        body = (
            f'<ISOAttachment xmlns="{attachments.ISO_ATTACHMENT}"><AttachmentValue>{value}</AttachmentValue>'
            "</ISOAttachment>"
        )
        header = attachments.info_header(plan.operation.document)
        return Response(soap.message(body, header), media_type=MEDIA_TYPE)
    content_id = f"{plan.operation.document}-{uuid4()}@caiso.com"
    if plan.mtom:
        include = f'<xop:Include xmlns:xop="{attachments.XOP}" href="cid:{content_id}"/>'
        body = (
            f'<AttachmentInfor xmlns="{attachments.ATTACHMENT_INFOR}"><attachmentData>{include}'
            "</attachmentData></AttachmentInfor>"
        )
    else:  # rpc/literal: the response wrapper, its part bound to the MIME attachment
        body = f'<ns1:{name}Response xmlns:ns1="{schemas.operation_namespace(plan.endpoint)}"/>'
    envelope = soap.message(body, attachments.attachment_headers(value, content_id))
    content, content_type = attachments.related(envelope, {content_id: value}, mtom=plan.mtom)
    return Response(content, media_type=content_type.split(";")[0], headers={"Content-Type": content_type})


def _output(description: str, service: str, now: datetime, transaction: str | None = None) -> Response:
    body = standard_output(description, service, soap.SUCCESS, soap.event_time(now), transaction)
    return Response(soap.message(body), media_type=MEDIA_TYPE)


def handle(
    runtime: Runtime, request: Request, message: Envelope, endpoint: Endpoint, user: User, now: datetime
) -> Response:
    pack = request.scope[PACK_KEY]
    plan = schemas.plan(endpoint)
    # For conformance (B2B-4): what kind of call this was, and of which application.
    note(request.scope, "b2b-call", True, f"{plan.operation.kind} {endpoint.app}")
    strict = pack.manifest.settings.security == "strict"
    root = _incoming(request, plan, message, strict, runtime.settings.max_body_bytes)
    codec.check(root, plan.incoming)
    realm, own, service = realm_of(request.scope), list(user.scheduling_coordinators), endpoint.operation
    with database.read(runtime.engine) as conn:
        found = registry(conn, realm)
    if found is None:
        raise SoapFault(f"{endpoint.app} has no market registry in this environment", "Server")
    reference = models.Reference(found)
    operation = plan.operation
    if operation.kind == "submit":
        records = codec.submitted(root, plan)
        realm = realm_of(request.scope, write=True)
        with database.write(runtime.engine) as conn:
            receipt = models.submit(conn, realm, reference, operation, service, records, user.name, own, now)
        if plan.answer is not None and plan.answer.root == "OutageStandardOutput":
            answer = codec.outage_output(plan.answer, service, receipt.transaction_id, receipt.records, now)
            return Response(soap.message(answer.decode()), media_type=MEDIA_TYPE)
        if plan.answer is not None and plan.answer.root == "StandardOutput":
            answer = codec.batch_output(
                plan.answer, service, receipt.transaction_id, len(receipt.records), now
            )
            return Response(soap.message(answer.decode()), media_type=MEDIA_TYPE)
        text = f"{len(receipt.records)} record(s) received for {operation.document}"
        if receipt.invalid:
            text += f"; {receipt.invalid} invalid (see the results)"
        return _output(text, service, now, receipt.transaction_id)
    wanted = codec.query(root, plan)
    if operation.kind == "action":
        realm = realm_of(request.scope, write=True)
        with database.write(runtime.engine) as conn:
            count = models.act(conn, realm, operation, wanted, own, now)
        return _output(f"{wanted.action} applied to {count} record(s)", service, now)
    assert plan.outgoing is not None
    try:
        if operation.kind == "status":
            with database.read(runtime.engine) as conn:
                found = models.batch_status(conn, realm, endpoint.app, wanted.transaction_id, own)
            if plan.outgoing.payload.find("BatchStatus/mRID") is not None:
                document = codec.batch_status(plan.outgoing, found, wanted.transaction_id, now)
            elif found is None:
                document = soap.no_data(service, soap.event_time(now)).encode()
            else:
                document = codec.data(plan.outgoing, [_status_record(found)], now)
        else:
            _window(wanted, plan)
            shape = plan.outgoing.payload.children[0]
            with database.read(runtime.engine) as conn:
                records = models.retrieve(conn, realm, reference, operation, shape, own, wanted, now)
            if records:
                document = codec.data(plan.outgoing, records, now)
            else:
                document = soap.no_data(service, soap.event_time(now)).encode()
    except models.RoleError as error:
        # CAISO answers this one in place of the data document, as an outputDataType.
        document = standard_output(error.message, service, soap.FAILURE, soap.event_time(now)).encode()
    return _document_response(plan, document)


def _status_record(found: models.BatchState) -> models.Record:
    """A submission's status as a record of the conventional status document (MF)."""
    content: models.Tree = {
        "errors": ["; ".join(f"{name}: {problem}" for name, problem in found.errors)] if found.errors else [],
        "invalidCount": [str(found.invalid_count)],
        "operation": [found.operation],
        "receivedTime": [found.received.strftime(models.WIRE_TIME)],
        "recordCount": [str(found.record_count)],
        "schedulingCoordinator": [found.scheduling_coordinator],
        "status": [found.status],
        "transactionId": [found.transaction_id],
    }
    return models.Record("", found.scheduling_coordinator, "", found.received, found.received, tree=content)


def register() -> None:
    """Put every B2B endpoint of the catalogue into the SOAP platform, each resolved to its operation
    in datasets.toml now (a row without one stops the start-up: ValueError). Its documents and XSDs
    are worked out at its first call (tests/caiso/b2b works out every row's)."""
    for endpoint in catalogue.endpoints():
        if endpoint.app in APPS:
            spec.operation(endpoint.app, endpoint.base_operation)
            soap_routes.HANDLERS[(endpoint.app, endpoint.base_operation)] = handle
    for app in APPS:
        soap_routes.WSDLS[app] = schemas.wsdl
        soap_routes.XSDS[app] = schemas.xsd


# The B2B applications answer inside the SOAP platform (app/caiso/soap), where `register` puts them.
SERVICE = Service("caiso.b2b", state=b2b_tables.STATE, served=section("caiso", "b2b"), setup=register)
