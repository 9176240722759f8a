"""ISO-NE web services v1.1 over HTTP (webservices.iso-ne.com/api/v1.1): HTTP Basic with an ISO Express
account of the pack, the path matched against ISO-NE's documented templates (catalogue.tsv), XML by
default and JSON with a `.json` suffix or `Accept: application/json`. Errors are ISO-NE's: HTML
pages (401 with `WWW-Authenticate: Basic`, 404 for an unknown path, 400 for a malformed day, 501
for a documented resource isosim does not serve yet)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from isosim.core import database, http
from isosim.core.pipeline import BASE_KEY, IDENTITY_ERROR_KEY, IDENTITY_KEY, realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section
from isosim.isone.emarket import results as emarket
from isosim.isone.market import fleet
from isosim.isone.market.registry import Registry, registry
from isosim.isone.webservices import auctions, catalogue, codec, feeds, offers, operations, settlements

MOUNT = "/api/v1.1"
# The modules that answer the catalogue's templates, each with feed_for(template) -> feed or None.
FEED_MODULES = (feeds, operations, offers, auctions, settlements)
ROLE = "ISO Express"
CHALLENGE = {"WWW-Authenticate": 'Basic realm="ISO New England Web Services"'}  # realm: [I]


def render(status: int, detail: str, headers: dict[str, str]) -> Response:
    """An error page as ISO-NE's servers answer: text/html;charset=utf-8."""
    phrase = http.phrase(status)
    page = (
        f"<html><head><title>{status} {phrase}</title></head><body><h1>{phrase}</h1>"
        f"<p>{escape(detail)}</p></body></html>"
    )
    return Response(page, status_code=status, media_type="text/html;charset=utf-8", headers=headers)


def _format(path: str, accept: str | None) -> tuple[str, str]:
    """(path without its suffix, "xml" or "json"): a suffix wins, then Accept; XML by default."""
    for suffix in (".json", ".xml"):
        if path.endswith(suffix):
            return path[: -len(suffix)], suffix[1:]
    chosen = http.negotiate(accept, (codec.XML_TYPE, codec.JSON_TYPE, "text/xml"))
    return path, "json" if chosen == codec.JSON_TYPE else "xml"


def _route_path(scope: Scope) -> str:
    """The path below the mount (Starlette's Mount keeps the whole path and sets root_path)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root + "/") else path


class WebServices:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            response = await run_in_threadpool(self.answer, request)
        except http.Refused as refused:
            response = render(refused.status, refused.detail, refused.headers)
        await response(scope, receive, send)

    def answer(self, request: Request) -> Response:
        scope = request.scope
        if IDENTITY_ERROR_KEY in scope or scope.get(IDENTITY_KEY) is None:
            return render(401, "This request requires HTTP authentication.", CHALLENGE)
        if ROLE not in scope[IDENTITY_KEY].user.roles:
            return render(401, "This request requires HTTP authentication.", CHALLENGE)
        if request.method not in ("GET", "HEAD"):
            return render(405, "Every ISO-NE web service resource is read with GET.", {"Allow": "GET"})
        asked = _route_path(scope)
        path, kind = _format(asked, request.headers.get("accept"))
        return resource(self.runtime, scope, path, kind, asked)


def resource(runtime: Runtime, scope: Scope, path: str, kind: str, asked: str | None = None) -> Response:
    """A resource's document (`kind` xml or json) for an allowed caller: ISO-NE's web services, and
    ISO Express's `/ws/wsclient` proxy, which asks them on its visitors' behalf."""
    asked = asked if asked is not None else path
    found = catalogue.match(path) if path not in ("", "/") else None
    if found is None:
        return render(404, f"No resource at {MOUNT}{asked}.", {})
    template, params = found
    if template.root == "(redirect)":  # a bare resource: "Default resource. Redirects to ... Info."
        base = scope.get(BASE_KEY, "")
        return RedirectResponse(
            f"{base}{MOUNT}{path.rstrip('/')}/info{'.json' if kind == 'json' else ''}", 302
        )
    feed = next((f for f in (m.feed_for(template) for m in FEED_MODULES) if f is not None), None)
    if feed is None:
        return render(501, f"isosim does not emulate {template.path} yet.", {})
    realm = realm_of(scope)
    with database.read(runtime.engine) as conn:
        market = registry(conn, realm)
    if market is None:
        return render(404, f"No resource at {MOUNT}{asked}.", {})
    try:
        if feed is offers.historical and template.resource in offers.RECEIVED:
            answer = offers.historical(
                market, template, params, runtime.clock.now(), received_offers(runtime, realm, market)
            )
        else:
            answer = feed(market, template, params, runtime.clock.now())
    except feeds.BadRequest as error:
        return render(400, str(error), {})
    root = template.root
    single = answer.single or template.root == "ServiceInfo"
    if answer.single and template.single_root:
        root = template.single_root
    if answer.lmps is not None:
        write = codec.lmp_json if kind == "json" else codec.lmp_xml
        body = write(root, template.item, answer.lmps, single)  # type: ignore[arg-type]
    elif kind == "json":
        body = codec.json_document(root, template.item, answer.items, single, answer.listed)
    else:
        body = codec.xml(root, template.item, answer.items, single)
    return Response(body, media_type=codec.JSON_TYPE if kind == "json" else codec.XML_TYPE)


def received_offers(runtime: Runtime, realm: str, market: Registry) -> offers.Received:
    """How to read the offers the realm's participants made through eMarket (for the hb* feeds)."""

    def read(day: date, kind: str) -> dict[tuple[int, datetime], fleet.Offer]:
        with database.read(runtime.engine) as conn:
            return emarket.received_offers(conn, realm, market, day, kind)

    return read


SERVICE = Service(
    "isone.webservices",
    render,
    prefixes=lambda: (MOUNT,),
    build=WebServices,
    served=section("isone", "webservices"),
)
