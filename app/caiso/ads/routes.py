"""ADS operations behind the shared SOAP platform (app.caiso.soap.routes): the polling cycle
(getDispatchBatchesSinceUID, getDispatchBatch, getBatchHeader, validateDispatchBatch, getBatchStatus,
isNewTrajData, getTrajectoryData), submitMSSLFRequest, and instruction responses. A caller sees the
batches of the scheduling coordinators its certificate acts for."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from isosim.caiso.ads import codec, models
from isosim.caiso.ads import tables as ads_tables
from isosim.caiso.ads.wsdl import wsdl
from isosim.caiso.catalogue import Endpoint
from isosim.caiso.market.registry import registry
from isosim.caiso.soap import routes as soap_routes
from isosim.caiso.soap.envelope import MEDIA_TYPE, Envelope, SoapFault
from isosim.core import database
from isosim.core.clock import naive_utc
from isosim.core.packs import User
from isosim.core.pipeline import PACK_KEY, note, realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section

# Operations that only read stored state (the others record batches, validations or answers).
_READ_ONLY = frozenset(
    {"getDispatchBatch", "getBatchHeader", "getBatchStatus", "isNewTrajData", "submitMSSLFRequest"}
)


def _reply(operation: str, value: str | list[str]) -> Response:
    return Response(codec.answer(operation, value), media_type=MEDIA_TYPE)


def handle(
    runtime: Runtime, request: Request, message: Envelope, endpoint: Endpoint, user: User, now: datetime
) -> Response:
    call = message.payload
    assert call is not None
    operation = endpoint.operation
    realm = realm_of(request.scope, write=operation not in _READ_ONLY)
    coordinators = list(user.scheduling_coordinators)
    served = request.scope[PACK_KEY].section("caiso", "ads") is not None
    # Reads need no writer's lock (on SQLite a write transaction serialises every request).
    transaction = database.read if operation in _READ_ONLY else database.write
    with transaction(runtime.engine) as conn:
        found_registry = registry(conn, realm) if served else None
        if found_registry is None:
            raise SoapFault("ADS has no resources in this environment", "Server")
        fleet = models.Fleet(conn, realm, found_registry, now)
        if operation == "getDispatchBatchesSinceUID":
            uid = codec.argument(call, "uid") or "-1"
            models.issue(conn, realm, fleet, coordinators, now)
            return _reply(operation, models.since(conn, realm, coordinators, uid, now))
        if operation == "isNewTrajData":
            new = models.new_trajectory(conn, realm, coordinators, now)
            return _reply(operation, "true" if new else "false")
        if operation == "getTrajectoryData":
            starts = [models.latest_start(now) - models.INTERVAL * n for n in range(12)][::-1]
            models.read_trajectory(conn, realm, coordinators, now)
            return _reply(operation, codec.packed(codec.trajectory_document(fleet, coordinators, starts)))
        if operation == "submitMSSLFRequest":
            # CAISO's MSS load-following request document is not public: taking it and answering
            # SUCCESS would claim behaviour isosim does not have.
            raise SoapFault(
                "isosim does not emulate ADS submitMSSLFRequest: the MSS load-following request "
                "document CAISO expects is not public",
                "Server",
                501,
            )
        found = models.find(conn, realm, coordinators, codec.argument(call, "batchUID") or "")
        if operation == "getDispatchBatch":
            return _reply(operation, codec.packed(codec.batch_document(fleet, found)))
        if operation == "getBatchHeader":
            return _reply(operation, codec.packed(codec.batch_header(found)))
        if operation == "getBatchStatus":
            return _reply(
                operation, str(models.STATUS_VALIDATED if found.validated_at else models.STATUS_SENT)
            )
        in_time = naive_utc(now) < found.start + models.INTERVAL
        if operation == "validateDispatchBatch":
            late = "" if in_time else " after its interval ended"
            note(request.scope, "ADS-2", in_time, f"batch {found.uid} validated{late}")
            models.validate(conn, realm, found, now)
            return _reply(operation, "true")
        resource = codec.argument(call, "resourceId") or ""
        if operation in ("acceptInstruction", "declineInstruction", "partialAcceptInstruction"):
            late = "" if in_time else " after its batch expired"
            note(
                request.scope,
                "ADS-3",
                in_time,
                f"instruction of batch {found.uid} for {resource} answered{late}",
            )
        if operation == "acceptInstruction":
            models.respond(conn, realm, fleet, found, resource, "ACCEPT", user.name, now)
        elif operation == "declineInstruction":
            reason = codec.argument(call, "reasonCode")
            models.respond(conn, realm, fleet, found, resource, "DECLINE", user.name, now, reason=reason)
        elif operation == "partialAcceptInstruction":
            try:
                mw = float(codec.argument(call, "mw") or "")
            except ValueError:
                raise SoapFault("partialAcceptInstruction needs a numeric mw") from None
            models.respond(conn, realm, fleet, found, resource, "PARTIAL", user.name, now, mw=mw)
        else:
            raise SoapFault(f"isosim does not emulate ADS {operation} yet", "Server", 501)
        return _reply(operation, "true")


def register() -> None:
    """Put ADS's operations and WSDL into the SOAP platform (every operation the catalogue lists)."""
    from isosim.caiso import catalogue

    for endpoint in catalogue.endpoints():
        if endpoint.app == "ADS":
            soap_routes.HANDLERS[("ADS", endpoint.base_operation)] = handle
    soap_routes.WSDLS["ADS"] = wsdl


# ADS answers inside the SOAP platform (app/caiso/soap), where `register` puts its operations.
SERVICE = Service("caiso.ads", state=ads_tables.STATE, served=section("caiso", "ads"), setup=register)
