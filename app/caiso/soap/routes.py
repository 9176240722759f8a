"""Every CAISO SOAP endpoint of the catalogue, in every environment pack: one ASGI app for the B2B
base paths (/sst/<app>/..., /sst/runtime.asvc/...) and ADS (/ADS/APIWebService/v6|v7, or
/APIWebService/... where an environment's ADS base is the host root).

A request goes through what CAISO's front end and service bus do, in order: the environment must
list the application (404); the caller's certificate must have access to it (403, an HTML page, as
the TLS front end answers); GET serves ?wsdl (405 otherwise); the body must be a SOAP 1.1 envelope
with CAISO's security header (a SOAP fault otherwise); then the application's handler answers.
Applications not emulated yet answer 501 with a SOAP fault naming the endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lxml import etree
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from isosim.caiso import catalogue
from isosim.caiso.soap import attachments, security
from isosim.caiso.soap import envelope as soap
from isosim.core import http
from isosim.core.pipeline import BASE_KEY, IDENTITY_KEY, PACK_KEY, PIPELINE_KEY, note
from isosim.core.runtime import Runtime
from isosim.core.services import Service

# An application's handler: (runtime, request, envelope, endpoint, caller, now) -> response. It runs
# in a worker thread (it reads the database, checks and writes documents): never on the event loop.
Handler = Callable[..., Response]
# (application, base operation) -> handler; filled by each emulated application's module.
HANDLERS: dict[tuple[str, str], Handler] = {}
# application -> its WSDL writer (route, the endpoint's address) -> document.
WSDLS: dict[str, Callable[[catalogue.Route, str], bytes]] = {}
# application -> the XSDs its WSDLs import (route, file name) -> document, or None if not imported.
XSDS: dict[str, Callable[[catalogue.Route, str], bytes | None]] = {}
XML_TYPES = ("text/xml", "application/soap+xml")
MULTIPART = "multipart/related"  # SOAP with attachments, or MTOM/XOP


def render(status: int, detail: str, headers: dict[str, str]) -> Response:
    """A SOAP fault with that HTTP status: how faults and maintenance windows answer here."""
    code = "Server" if status >= 500 else "Client"
    body = soap.fault(soap.SoapFault(detail, code, status), "isosim")
    return Response(body, status_code=status, media_type=soap.MEDIA_TYPE, headers=headers)


def _fault(error: soap.SoapFault, service: str, now: datetime) -> Response:
    body = soap.fault(error, service, soap.event_time(now))
    return Response(body, status_code=error.status, media_type=soap.MEDIA_TYPE)


def _forbidden(detail: str) -> Response:
    page = (
        "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1>"
        f"<p>{detail}</p></body></html>"
    )
    return HTMLResponse(page, status_code=403)


class CaisoSoapService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive), send)
        if response is not None:
            await response(scope, receive, send)

    async def handle(self, request: Request, send: Send) -> Response | None:
        """The answer, or None when a fault rule naming the operation answered instead."""
        pack = request.scope[PACK_KEY]
        path = request.scope["path"]
        where = f"{pack.manifest.iso} {pack.manifest.environment} ({pack.name})"
        route = (
            catalogue.routes(pack.manifest.environment).get(path) if pack.manifest.iso == "CAISO" else None
        )
        if route is None:
            return PlainTextResponse(f"Not Found: no emulated service at {path} in {where}", status_code=404)
        app = route.endpoint.app
        found = request.scope.get(IDENTITY_KEY)
        if found is None:
            return _forbidden(
                f"A client certificate with access to {app} in {pack.manifest.environment} is required."
            )
        if app not in found.user.roles:
            return _forbidden(f"{found.user.name} has no access to {app} in {pack.manifest.environment}.")
        if request.method in ("GET", "HEAD"):
            wanted = request.query_params.get("xsd")
            if wanted is not None:
                found = XSDS[app](route, wanted) if app in XSDS else None
                if found is None:
                    return PlainTextResponse(
                        f"Not Found: the WSDL of {route.endpoint.name} imports no {wanted}", status_code=404
                    )
                return Response(found, media_type="text/xml")
            if any(key.lower() == "wsdl" for key in request.query_params):
                writer = WSDLS.get(app)
                if writer is not None:
                    location = f"{request.url.scheme}://{request.headers.get('host', 'localhost')}"
                    location += request.scope.get(BASE_KEY, "") + path
                    return Response(writer(route, location), media_type=soap.MEDIA_TYPE)
                return PlainTextResponse(
                    f"Not Implemented: isosim does not serve the WSDL of {route.endpoint.name} yet",
                    status_code=501,
                )
            return PlainTextResponse(
                "Method Not Allowed: POST a SOAP message, or GET ?wsdl",
                status_code=405,
                headers={"Allow": "POST"},
            )
        if request.method != "POST":
            return PlainTextResponse(
                "Method Not Allowed: POST a SOAP message", status_code=405, headers={"Allow": "POST"}
            )
        now = self.runtime.clock.now()
        service = route.endpoint.operation
        try:
            content_type = request.headers.get("content-type", "")
            kind = http.media_type(content_type)
            if kind not in (*XML_TYPES, MULTIPART):
                raise soap.SoapFault(
                    "a SOAP 1.1 message is sent as text/xml, or multipart/related with attachments",
                    status=415,
                )
            try:
                raw = await http.read_body(request, self.runtime.settings.max_body_bytes)
            except http.BodyTooLarge as exc:
                raise soap.SoapFault(str(exc).replace("request body", "SOAP message"), status=413) from None

            def read() -> tuple[soap.Envelope, catalogue.Endpoint]:
                root = raw
                if kind == MULTIPART:
                    request.state.multipart = attachments.split(content_type, raw)
                    root = request.state.multipart.root
                message = soap.parse(root)
                return message, self._operation(route, message)

            # Parsing, signature checks and the handler run in worker threads: the event loop keeps
            # answering other clients while a large message is read or a write lock is awaited.
            message, endpoint = await run_in_threadpool(read)
            service = endpoint.operation
            pipeline = request.scope.get(PIPELINE_KEY)
            if pipeline is not None and await pipeline.named(request.scope, service, send):
                return None
            handler = HANDLERS.get((app, endpoint.base_operation))
            if handler is None:
                raise soap.SoapFault(
                    f"isosim does not emulate {app} {endpoint.operation} ({endpoint.name}) yet", "Server", 501
                )
            user = found.user

            def answer() -> Response:
                if route.endpoint.variant != "operation":  # ADS is secured by TLS alone
                    security.check(message, user, pack, now, lambda *found: note(request.scope, *found))
                return handler(self.runtime, request, message, endpoint, user, now)

            return await run_in_threadpool(answer)
        except soap.SoapFault as error:
            return _fault(error, service, now)

    @staticmethod
    def _operation(route: catalogue.Route, message: soap.Envelope) -> catalogue.Endpoint:
        """The operation the message calls: named by the URL (B2B), or by the Body's element (ADS,
        rpc-style)."""
        if route.endpoint.variant != "operation":
            return route.endpoint
        if message.payload is None:
            raise soap.SoapFault("the SOAP Body is empty: it must hold the operation's request")
        called = etree.QName(message.payload)
        name, namespace = called.localname, called.namespace or ""
        endpoint = route.operations.get(name)
        if endpoint is None or namespace != soap.ADS_NAMESPACE:
            raise soap.SoapFault(
                f"no operation {{{namespace}}}{name} at {route.path}; it offers "
                + ", ".join(sorted(route.operations))
                + f" in namespace {soap.ADS_NAMESPACE}"
            )
        return endpoint


SERVICE = Service(
    "caiso.soap",
    render,
    prefixes=lambda: sorted(catalogue.prefixes()),  # every base path of the catalogue
    build=CaisoSoapService,
    served=lambda pack: pack.manifest.iso == "CAISO",  # the catalogue says which application where
)
