"""IBT over HTTP: the resource tree of spec sections 2.2 and 3, under
/sms_oper_contract/api/customers. Authentication runs before routing, as in the real service's
container, so an anonymous caller learns nothing about which URLs exist."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from isosim.core import bounded, database, http
from isosim.core.pipeline import IDENTITY_ERROR_KEY, IDENTITY_KEY, realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section
from isosim.isone.ibt import codec, rules, tables
from isosim.isone.ibt.errors import IbtError, forbidden, not_found, render

MOUNT = "/sms_oper_contract"
MEDIA_TYPE = "application/vnd.iso-ne.contract.customers.v1+xml"
GENERIC_MEDIA_TYPE = "application/xml"
ROLE = "IBT"
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="IBT"'}


def _error(error: IbtError) -> Response:
    return render(error.status, error.detail, error.headers)


class IbtService:
    """ASGI app mounted at MOUNT: identity and role first, then the routes.

    Handlers run their (millisecond) transactions on the event loop rather than hopping to a worker
    thread: one process then applies requests one after the other, which costs less than the hop
    and GIL contention (about three times the GET throughput). Concurrent writers (several
    workers or servers on one database) are ordered by the database's locks (see rules.py).
    """

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.routes = Starlette(
            routes=[
                Route("/api/customers/{customer_id}/subaccounts", self.get_subaccounts, methods=["GET"]),
                Route(
                    "/api/customers/{customer_id}/contractSubaccountMappings",
                    self.mappings,
                    methods=["GET", "POST"],
                ),
                Route(
                    "/api/customers/{customer_id}/contractSubaccountMappings/{contract_id}",
                    self.get_mapping,
                    methods=["GET"],
                ),
            ],
            exception_handlers={
                HTTPException: self._http_error,
                IbtError: self._ibt_error,
                Exception: http.last_resort(render),
            },
        )
        # A trailing slash names no resource; no redirect to a guessed URL.
        self.routes.router.redirect_slashes = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        response = self._authenticate(scope)
        if response is not None:
            await response(scope, receive, send)
            return
        await self.routes(scope, receive, send)

    def _authenticate(self, scope: Scope) -> Response | None:
        """The pipeline has resolved who is calling; IBT decides whether that is enough."""
        if IDENTITY_ERROR_KEY in scope:
            return _error(IbtError(401, str(scope[IDENTITY_ERROR_KEY]), _CHALLENGE))
        found = scope.get(IDENTITY_KEY)
        if found is None:
            return _error(
                IbtError(401, "a client certificate or credentials of an IBT user are required", _CHALLENGE)
            )
        if ROLE not in found.user.roles:
            return _error(forbidden(f"user {found.user.name} does not have the {ROLE} role"))
        return None

    # --- errors ---------------------------------------------------------------------------------

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return _error(not_found(f"no IBT resource at {request.url.path}"))
        if exc.status_code == 405:
            detail = f"{request.method} is not supported by {request.url.path}"
            # Starlette lists the methods from a set; a stable order keeps the header reproducible.
            allowed = sorted(m.strip() for m in (exc.headers or {}).get("Allow", "").split(","))
            return _error(IbtError(405, detail, {"Allow": ", ".join(allowed)}))
        return _error(IbtError(exc.status_code, exc.detail, dict(exc.headers or {})))

    async def _ibt_error(self, _request: Request, exc: Exception) -> Response:
        assert isinstance(exc, IbtError)
        return _error(exc)

    # --- helpers --------------------------------------------------------------------------------

    def _customer(self, request: Request) -> int:
        """The URL's customer, which must be the caller's own."""
        customer_id = bounded.integer(request.path_params["customer_id"])
        if customer_id is None:
            raise not_found(f"no IBT resource at {request.url.path} (customerId must be numeric)")
        user = request.scope[IDENTITY_KEY].user
        if user.customer_id != customer_id:
            raise forbidden(f"user {user.name} may not access the data of customer {customer_id}")
        return customer_id

    def _media_type(self, request: Request) -> str:
        chosen = http.negotiate(request.headers.get("accept"), (MEDIA_TYPE, GENERIC_MEDIA_TYPE))
        if chosen is None:
            raise IbtError(406, f"this resource produces {MEDIA_TYPE} or {GENERIC_MEDIA_TYPE}")
        return chosen

    def _xml(self, body: bytes, media_type: str) -> Response:
        return Response(body, media_type=f"{media_type};charset=UTF-8")

    def _realm(self, request: Request, write: bool = False) -> str:
        return realm_of(request.scope, write)

    # --- resources ------------------------------------------------------------------------------

    # Sync endpoints run in Starlette's worker threads: a database wait never blocks the event loop.
    def get_subaccounts(self, request: Request) -> Response:
        customer_id = self._customer(request)
        media_type = self._media_type(request)
        realm = self._realm(request)  # seeded before any transaction opens
        with database.read(self.runtime.engine) as conn:
            found = rules.subaccounts(conn, realm, customer_id)
        return self._xml(codec.subaccounts_document(found), media_type)

    async def mappings(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._post_mappings(request)
        return await run_in_threadpool(self._get_mappings, request)

    def _get_mappings(self, request: Request) -> Response:
        customer_id = self._customer(request)
        media_type = self._media_type(request)
        first = {key: request.query_params.getlist(key)[0] for key in request.query_params}
        query = rules.parse_query(first)
        realm = self._realm(request)
        with database.read(self.runtime.engine) as conn:
            total, found = rules.current_mappings(conn, realm, customer_id, query)
        return self._xml(codec.mappings_document(found, total), media_type)

    async def _post_mappings(self, request: Request) -> Response:
        customer_id = self._customer(request)
        if http.media_type(request.headers.get("content-type")) != MEDIA_TYPE:
            raise IbtError(
                415,
                f"{request.headers.get('content-type') or 'no Content-Type'}; "
                f"send {MEDIA_TYPE};charset=UTF-8",
            )
        media_type = self._media_type(request)
        try:
            body = await http.read_body(request, self.runtime.settings.max_body_bytes)
        except http.BodyTooLarge as exc:
            raise IbtError(413, str(exc)) from None
        return await run_in_threadpool(self._store_mappings, request, customer_id, body, media_type)

    def _store_mappings(self, request: Request, customer_id: int, body: bytes, media_type: str) -> Response:
        requested = codec.read_mappings(body)
        realm = self._realm(request, write=True)
        with database.write(self.runtime.engine) as conn:
            stored = rules.apply_mappings(conn, realm, customer_id, requested, self.runtime.clock.now)
        return self._xml(codec.mappings_document(stored, None), media_type)

    def get_mapping(self, request: Request) -> Response:
        customer_id = self._customer(request)
        text = request.path_params["contract_id"]
        contract_id = bounded.integer(text)
        if contract_id is None:
            if 0 < len(text) <= 100 and text.isascii() and text.isdigit():  # a number no contract has
                raise rules.no_mapping(text, customer_id)
            raise not_found(f"no IBT resource at {request.url.path} (contractId must be numeric)")
        media_type = self._media_type(request)
        realm = self._realm(request)
        with database.read(self.runtime.engine) as conn:
            found = rules.mapping_history(conn, realm, customer_id, contract_id)
        return self._xml(codec.mapping_document(found), media_type)


SERVICE = Service(
    "isone.ibt",
    render,
    prefixes=lambda: (MOUNT,),
    build=IbtService,
    state=tables.STATE,
    served=section("isone", "ibt"),
)
