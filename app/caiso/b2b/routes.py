"""Every B2B catalogue endpoint (SIBR, CMRI, OMS, MF, DRRS, DRS, BSAP, BAAOP, CIRA, ALFS, STLMT)
behind the shared SOAP platform (app.caiso.soap.routes), which has already routed, authorised,
parsed and security-checked the message. One handler serves them all: the endpoint's Plan
(schemas.plan, from datasets.toml and the catalogue row) says which document comes in, how it is
framed, and what goes back."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from app.caiso import catalogue
from app.caiso.b2b import codec, models, schemas, spec
from app.caiso.catalogue import Endpoint
from app.caiso.soap import attachments
from app.caiso.soap import envelope as soap
from app.caiso.soap import routes as soap_routes
from app.caiso.soap.envelope import MEDIA_TYPE, Envelope, SoapFault, standard_output
from app.core import database
from app.core.packs import User
from app.core.pipeline import PACK_KEY, realm_of
from app.core.runtime import Runtime

APPS = ("ALFS", "BAAOP", "BSAP", "CIRA", "CMRI", "DRRS", "DRS", "MF", "OMS", "SIBR", "STLMT")
SHORT_WINDOW = timedelta(days=31)  # 5-minute to hourly data (inferred: OASIS's limit)
LONG_WINDOW = timedelta(days=366)  # daily, monthly and effective-dated data


def _incoming(
    request: Request, plan: schemas.Plan, message: Envelope, strict: bool, limit: int
) -> etree._Element:
    if plan.doc_attach:
        return request.state.document  # decoded by the platform
    if plan.attached_input:
        return attachments.attached(message, getattr(request.state, "multipart", None), limit, strict)
    assert message.payload is not None
    return message.payload


def _window(query: models.Query, plan: schemas.Plan) -> None:
    assert query.start is not None and query.end is not None
    if query.end <= query.start:
        raise SoapFault("the request's end time must be after its start time")
    dataset = spec.dataset(plan.operation.dataset)
    longest = LONG_WINDOW if dataset.interval in ("day", "month", "span") else SHORT_WINDOW
    if query.end - query.start > longest:
        raise SoapFault(f"a request may cover at most {longest.days} days of {plan.operation.document}")


def _document_response(plan: schemas.Plan, document: bytes) -> Response:
    """The data document, as the endpoint's framing carries it."""
    value = attachments.encode(document)
    if plan.doc_attach:
        body = (
            f'<ISOAttachment xmlns="{attachments.ISO_ATTACHMENT}"><AttachmentValue>{value}</AttachmentValue>'
            "</ISOAttachment>"
        )
        return Response(soap.message(body), media_type=MEDIA_TYPE)
    content_id = f"{plan.outgoing.root if plan.outgoing else 'document'}-{uuid4()}@isosim"
    name = plan.endpoint.operation
    body = (
        f'<{name}Response xmlns="{schemas.OPERATION_NS}{name}"><attachmentId>{content_id}</attachmentId>'
        f"</{name}Response>"
    )
    envelope = soap.message(body, attachments.attachment_headers(value, content_id))
    content, content_type = attachments.related(envelope, {content_id: value})
    return Response(content, media_type=content_type.split(";")[0], headers={"Content-Type": content_type})


def _output(description: str, service: str, now: datetime, transaction: str | None = None) -> Response:
    body = standard_output(description, service, soap.SUCCESS, soap.stamp(now), transaction)
    return Response(soap.message(body), media_type=MEDIA_TYPE)


async def handle(
    runtime: Runtime, request: Request, message: Envelope, endpoint: Endpoint, user: User, now: datetime
) -> Response:
    pack = request.scope[PACK_KEY]
    plan = schemas.plan(endpoint)
    reference = models.load_reference(pack)
    if reference is None:
        raise SoapFault(f"{endpoint.app} has no reference data in this environment", "Server")
    strict = pack.manifest.settings.security == "strict"
    root = _incoming(request, plan, message, strict, runtime.settings.max_body_bytes)
    codec.check(root, plan.incoming)
    realm, own, service = realm_of(request.scope), list(user.scheduling_coordinators), endpoint.operation
    operation = plan.operation
    if operation.kind == "submit":
        records = codec.submitted(root, plan)
        with database.write(runtime.engine) as conn:
            receipt = models.submit(conn, realm, reference, operation, service, records, user.name, own, now)
        text = f"{receipt.records} record(s) received for {operation.document}"
        if receipt.invalid:
            text += f"; {receipt.invalid} invalid (see the results)"
        return _output(text, service, now, receipt.transaction_id)
    if operation.kind == "action":
        wanted = codec.action(root, plan)
        with database.write(runtime.engine) as conn:
            count = models.act(conn, realm, operation, wanted, own, now)
        return _output(f"{wanted.action} applied to {count} record(s)", service, now)
    assert plan.outgoing is not None
    try:
        if operation.kind == "status":
            transaction_id = codec.query(root, plan).transaction_id
            with database.read(runtime.engine) as conn:
                rows = models.batch_status(conn, realm, endpoint.app, transaction_id, own)
            document = codec.status(plan.outgoing, rows, endpoint.app, now)
        else:
            query = codec.query(root, plan)
            _window(query, plan)
            with database.read(runtime.engine) as conn:
                found = models.retrieve(conn, realm, reference, operation, own, query, now)
            key = spec.dataset(operation.dataset).key
            document = codec.data(plan.outgoing, key, found, endpoint.app, now)
    except models.RoleError as error:
        # CAISO answers this one in place of the data document, as an outputDataType.
        document = standard_output(error.message, service, soap.FAILURE, soap.stamp(now)).encode()
    return _document_response(plan, document)


def register() -> None:
    """Put every B2B endpoint of the catalogue into the SOAP platform. Each endpoint's plan (its
    operation in datasets.toml, documents and XSDs) is worked out at its first call, not at start-up;
    tests/caiso/b2b resolves every row, so a row without an operation fails the suite."""
    for endpoint in catalogue.endpoints():
        if endpoint.app in APPS:
            soap_routes.HANDLERS[(endpoint.app, endpoint.base_operation)] = handle
    for app in APPS:
        soap_routes.WSDLS[app] = schemas.wsdl
        soap_routes.XSDS[app] = schemas.xsd
