"""Today's Outlook over HTTP, as www.caiso.com serves it: GET /outlook/history/<yyyymmdd>/<file>.csv
for a past day (or today, as far as it has come) and /outlook/current/<file>.csv for today; files
`fuelsource` and `demand`. Public: no identity. A day not reached yet, or an unknown file, is a 404.
"""

from __future__ import annotations

from datetime import date, datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from isosim.caiso.market.registry import registry
from isosim.caiso.outlook import codec, models
from isosim.caiso.pacific import trading_day
from isosim.core import bounded, database, http
from isosim.core.pipeline import PACK_KEY, plain_error, realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section

MOUNT = "/outlook"


def render(status: int, detail: str, headers: dict[str, str]) -> Response:
    return plain_error(status, detail, headers)


class OutlookService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.routes = Starlette(
            routes=[
                Route("/history/{day}/{name}.csv", self.history, methods=["GET"]),
                Route("/current/{name}.csv", self.current, methods=["GET"]),
            ],
            exception_handlers={HTTPException: self._http_error, Exception: http.last_resort(render)},
        )

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        await self.routes(scope, receive, send)

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return render(exc.status_code, f"no Today's Outlook file at {request.url.path}", {})

    # Sync endpoints: Starlette runs them in worker threads, off the event loop.
    def history(self, request: Request) -> Response:
        text = request.path_params["day"]
        try:
            day = datetime.strptime(text, "%Y%m%d").date() if len(text) == 8 and text.isdigit() else None
        except ValueError:
            day = None
        if day is None or not bounded.day_in_range(day):
            return render(404, f"no Today's Outlook history for {text[:40]!r}", {})
        return self._file(request, day)

    def current(self, request: Request) -> Response:
        return self._file(request, trading_day(self.runtime.clock.now()))

    def _file(self, request: Request, day: date) -> Response:
        name = request.path_params["name"]
        build = models.FILES.get(name)
        now = self.runtime.clock.now()
        pack = request.scope[PACK_KEY]
        if build is None or day > trading_day(now):
            return render(404, f"no Today's Outlook file {name}.csv for {day:%Y%m%d}", {})
        found = None
        if pack.section("caiso", "outlook") is not None:
            realm = realm_of(request.scope)
            with database.read(self.runtime.engine) as conn:
                found = registry(conn, realm)
        if found is None:
            where = f"{pack.manifest.iso} {pack.manifest.environment} ({pack.name})"
            return render(404, f"no emulated service at {request.url.path} in {where}", {})
        text = codec.csv_text(codec.FILES[name], build(found, day, now))
        return PlainTextResponse(text, media_type=codec.MEDIA_TYPE)


SERVICE = Service(
    "caiso.outlook",
    render,
    prefixes=lambda: (MOUNT,),
    build=OutlookService,
    served=section("caiso", "outlook"),
)
