"""eMarket over HTTP, under /emktmui/webservices/rest on smd.iso-ne.com (sandbox: sandboxsmc): the
two downloads ISO-NE's clients are known to call (unit/byparticipant, public/systemsummary, GET with
`day=YYYYMMDD`), and isosim's inferred submit/query resources (POST or GET the same path):
supplyoffer, dardbid, scheduledetail, demandbid, plus referencelevel and mitigation reports.

Who calls is resolved by the shared pipeline (client-certificate subject from the TLS proxy, or
HTTP Basic as its stand-in); eMarket wants a participant's user with an eMarket role: "eMarket Read
Only" reads, "eMarket Read/Write" also submits. Errors outside a submission's judgement are HTTP
statuses with a text/plain body "<reason phrase>: <detail>", as ISO-NE's other SMD REST service
(IBT) answers them ([I]).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from isosim.core import bounded, database, http, xml
from isosim.core.pipeline import IDENTITY_ERROR_KEY, IDENTITY_KEY, PACK_KEY, note, realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section
from isosim.isone.emarket import codec, results, rules, tables
from isosim.isone.market.registry import Registry, registry

MOUNT = "/emktmui/webservices/rest"
READ_ROLES = ("eMarket Read Only", "eMarket Read/Write")
WRITE_ROLE = "eMarket Read/Write"
SUBMITTED = ("supplyoffer", "dardbid", "scheduledetail", "demandbid")
REPORTS = ("unit/byparticipant", "public/systemsummary", "referencelevel", "mitigation")
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="eMarket"'}
_HEADERS = {"X-Isosim-Format": codec.FORMAT}


def render(status: int, detail: str, headers: dict[str, str]) -> Response:
    """The wire form of an eMarket HTTP error; also used by the pipeline for faults and maintenance."""
    return PlainTextResponse(f"{http.phrase(status)}: {detail}", status_code=status, headers=headers)


def _xml(body: bytes) -> Response:
    return Response(body, media_type=f"{codec.MEDIA_TYPE};charset=UTF-8", headers=_HEADERS)


_settings: dict[str, tables.Settings] = {}


def settings_of(scope: Scope) -> tables.Settings:
    pack = scope[PACK_KEY]
    key = f"{pack.name}:{pack.fingerprint}"
    if key not in _settings:
        found = tables.settings_of(pack)
        assert found is not None  # the service is served only where the section is
        _settings[key] = found
    return _settings[key]


def _day(request: Request) -> date:
    text = request.query_params.get("day")
    if text is None:
        raise http.Refused(400, "query parameter day=YYYYMMDD is required")
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise http.Refused(400, f"day must be YYYYMMDD, not {text[:20]!r}")
    try:
        found = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise http.Refused(400, f"day {text} is not a calendar date") from None
    if not bounded.day_in_range(found):
        raise http.Refused(400, f"day {text} is out of range")
    return found


def _market(request: Request) -> str:
    market = request.query_params.get("market", "DA")
    if market not in ("DA", "RT"):
        raise http.Refused(400, f"market must be DA or RT, not {market[:20]!r}")
    return market


class EMarket:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            response = await self.answer(request)
        except http.Refused as refused:
            response = render(refused.status, refused.detail, refused.headers)
        except xml.XmlRejected as rejected:
            response = render(400, str(rejected), {})
        await response(scope, receive, send)

    def _caller(self, scope: Scope, write: bool) -> tuple[str, int]:
        if IDENTITY_ERROR_KEY in scope:
            raise http.Refused(401, str(scope[IDENTITY_ERROR_KEY]), _CHALLENGE)
        found = scope.get(IDENTITY_KEY)
        if found is None:
            raise http.Refused(
                401, "a client certificate or credentials of an eMarket user are required", _CHALLENGE
            )
        user = found.user
        roles = set(user.roles)
        if not roles & set(READ_ROLES):
            raise http.Refused(403, f"user {user.name} has no eMarket role")
        if write and WRITE_ROLE not in roles:
            raise http.Refused(403, f"user {user.name} may read but not submit (role {WRITE_ROLE} needed)")
        if user.customer_id is None:
            raise http.Refused(403, f"user {user.name} acts for no market participant")
        return user.name, user.customer_id

    async def answer(self, request: Request) -> Response:
        path = (
            request.scope["path"][len(MOUNT) :].strip("/") if request.scope["path"].startswith(MOUNT) else ""
        )
        if path not in SUBMITTED and path not in REPORTS:
            self._caller(request.scope, write=False)  # who may not use eMarket learns nothing of it
            raise http.Refused(404, f"no eMarket resource at {request.url.path}")
        allowed = ("GET", "HEAD", "POST") if path in SUBMITTED else ("GET", "HEAD")
        if request.method not in allowed:
            raise http.Refused(
                405, f"{request.method} is not supported by {request.url.path}", {"Allow": ", ".join(allowed)}
            )
        write = request.method == "POST"
        user, customer = self._caller(request.scope, write)
        if write:
            if http.media_type(request.headers.get("content-type")) not in ("application/xml", "text/xml"):
                raise http.Refused(415, "send the document as application/xml")
            try:
                body = await http.read_body(request, self.runtime.settings.max_body_bytes)
            except http.BodyTooLarge as exc:
                raise http.Refused(413, str(exc)) from None
            return await run_in_threadpool(self._submit, request, path, user, customer, body)
        return await run_in_threadpool(self._query, request, path, customer)

    def _market_model(self, conn: Connection, realm: str) -> Registry:
        found = registry(conn, realm)
        if found is None:
            raise http.Refused(
                501, "this pack's eMarket has no ISO-NE market ([isone.market]) to clear against"
            )
        return found

    def _submit(self, request: Request, path: str, user: str, customer: int, body: bytes) -> Response:
        submission = codec.read(body, path)  # CPU work before any transaction
        settings = settings_of(request.scope)
        realm = realm_of(request.scope, write=True)
        with database.write(self.runtime.engine) as conn:
            market = self._market_model(conn, realm)
            outcome = rules.submit(
                conn, realm, market, settings, customer, user, submission, self.runtime.clock.now()
            )
        codes = sorted({m.code for m in outcome.messages if m.severity == "ERROR"})
        note(
            request.scope,
            "EMKT-2",
            outcome.status != rules.REJECTED,
            f"{outcome.status} {' '.join(codes)}".strip(),
        )
        market_name = submission.market if path in ("supplyoffer", "dardbid") else None
        return _xml(codec.submit_response(outcome.status, submission.day, market_name, outcome.messages))

    def _query(self, request: Request, path: str, customer: int) -> Response:
        day = _day(request)
        market = _market(request)
        settings = settings_of(request.scope)
        now = self.runtime.clock.now()
        realm = realm_of(request.scope)
        with database.read(self.runtime.engine) as conn:
            model = self._market_model(conn, realm)
            if path == "public/systemsummary":
                hours = results.system_summary(model, day) if results.published(settings, day, now) else []
                return _xml(codec.system_summary_document(day, hours))
            if path == "demandbid":
                return _xml(
                    codec.demand_bids_document(day, _bids(rules.demand_bids(conn, realm, customer, day)))
                )
            units = rules.assets(conn, realm, customer)
            if path == "dardbid":
                units = [u for u in units if u.dard]
            elif path in ("supplyoffer", "referencelevel", "mitigation", "unit/byparticipant"):
                units = [u for u in units if not u.dard]
            book = rules.portfolio(conn, realm, model, units, day)
            refs = rules.references(conn, realm, [u.asset_id for u in units])
        if path == "unit/byparticipant":
            found = results.awards(model, book) if results.published(settings, day, now) else []
            return _xml(codec.awards_document(day, found))
        if path == "referencelevel":
            return _xml(
                codec.reference_levels_document(day, market, results.reference_levels(book, refs, market))
            )
        if path == "mitigation":
            return _xml(codec.conduct_document(day, market, results.conduct_tests(model, book, refs, market)))
        if path == "scheduledetail":
            units_out = [
                (u.short_name, u.dard, None, [_out(book.schedule(u, h)) for h in book.hours])
                for u in book.units
            ]
            return _xml(codec.profile_document(path, day, None, units_out))
        units_out = [
            (
                u.short_name,
                u.dard,
                book.dailies.get(u.asset_id),
                [_out(book.offer(u, h, market)) for h in book.hours],
            )
            for u in book.units
        ]
        return _xml(codec.profile_document(path, day, market, units_out))


def _out(hour: rules.Hour) -> codec.HourOut:
    values = {k: v for k, v in hour.values.items() if k != "segments"}
    return codec.HourOut(hour.begin, values, tuple(hour.values.get("segments", ())), hour.source)


def _bids(
    stored: dict[tuple[str, datetime], rules.Values],
) -> list[tuple[str, int, str, list[codec.HourOut]]]:
    by_bid: dict[str, tuple[int, str, list[codec.HourOut]]] = {}
    for (bid_id, begin), values in sorted(stored.items()):
        entry = by_bid.setdefault(bid_id, (values["loc_id"], values["bid_type"], []))
        entry[2].append(codec.HourOut(begin, {}, tuple(values["segments"])))
    return [(bid_id, loc, kind, hours) for bid_id, (loc, kind, hours) in by_bid.items()]


SERVICE = Service(
    "isone.emarket",
    render,
    prefixes=lambda: (MOUNT,),
    build=EMarket,
    state=tables.STATE,
    served=section("isone", "emarket"),
)
