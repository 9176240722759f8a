"""ISO Express on www.iso-ne.com: the CSV downloads of LMPs, fuel mix and system load, and the report
page clients open first for cookies. Anonymous, as ISO-NE serves them. The numbers come from the
ISO-NE market (app/isone/market), the same ones the web services answer. A file not published yet
is 404; a path ISO Express has that isosim does not serve answers 501."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from isosim.core import bounded, database, http
from isosim.core.pipeline import realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section
from isosim.isone.eastern import EASTERN, hour_ending
from isosim.isone.emarket import results as emarket
from isosim.isone.isoexpress import codec, reports
from isosim.isone.isoexpress.reports import NotPublished
from isosim.isone.market import prices, system
from isosim.isone.market.fleet import Offer
from isosim.isone.market.publication import (
    FIVE,
    FIVE_MINUTE_LAG,
    HOUR,
    HOURLY_LAG,
    da_published,
    final_published,
    forecast_issued,
)
from isosim.isone.market.registry import Registry, registry
from isosim.isone.webservices import codec as webcodec
from isosim.isone.webservices import feeds
from isosim.isone.webservices import routes as webservices
from isosim.isone.webservices.routes import render

PREFIXES = ("/static-transform", "/transform", "/isoexpress", "/ws")
LMP_NAMES = (
    "Locational Marginal Price",
    "Energy Component",
    "Congestion Component",
    "Marginal Loss Component",
)
SERVED_FOLDERS = (
    "/static-transform/csv/histRpts/da-lmp/",
    "/static-transform/csv/histRpts/rt-lmp/",
    "/static-transform/csv/histRpts/5min-rt-prelim/",
    "/static-transform/csv/histRpts/5min-rt-final/",
    "/static-transform/csv/histRpts/da-energy-offer/",
)
FIVE_MINUTE_FILES = ("00-04", "04-08", "08-12", "12-16", "16-20", "20-24")


def _day(text: str) -> date:
    """A YYYYMMDD day in a file name (the web services' rule); a bad one is a file that does not exist."""
    try:
        return feeds.parse_day(text)
    except feeds.BadRequest:
        raise NotPublished(text) from None


def _mdy(day: date) -> str:
    return f"{day:%m/%d/%Y}"


def _located(day: date, x: prices.Lmp) -> tuple[object, ...]:
    """A row of an hourly LMP file that names its location by id, name and type."""
    where = x.location
    begin = hour_ending(x.begin)
    return (
        _mdy(day),
        begin,
        str(where.loc_id),
        where.name,
        where.location_type,
        x.total,
        x.energy,
        x.congestion,
        x.loss,
    )


def day_ahead_lmp(market: Registry, day: date, now: datetime) -> bytes:
    published = da_published(day)
    if now < published:
        raise NotPublished(str(day))
    hours = prices.hours_of(day)
    lmps = prices.day_ahead(market, hours, list(market.priced))
    stamp = f"{day:%Y%m%d}"
    rows = (_located(day, x) for x in lmps)
    return codec.document(
        [
            "Day-Ahead Energy Market Hourly LMP Report",
            f"Filename: WW_DALMP_ISO_{stamp}.csv",
            f"Report for: {_mdy(day)} - {_mdy(day)}",
            f"Report generated: {codec.generated(published)}",
        ],
        ["Date", "Hour Ending", "Location ID", "Location Name", "Location Type", *LMP_NAMES],
        ["Date", "HE", "String", "String", "String", "Number", "Number", "Number", "Number"],
        rows,
    )


def real_time_hourly_lmp(market: Registry, day: date, kind: str, now: datetime) -> bytes:
    """lmp_rt_prelim_YYYYMMDD.csv (the hours published so far) or lmp_rt_final_YYYYMMDD.csv."""
    hours = prices.hours_of(day)
    if kind == "final":
        if now < final_published(day):
            raise NotPublished(str(day))
        shown = hours
    else:
        shown = [h for h in hours if now >= h + HOUR + HOURLY_LAG]
        if not shown:
            raise NotPublished(str(day))
    lmps = prices.real_time_hourly(market, shown, list(market.priced))
    if kind == "final":  # final files name the location by id, name and type, as the day-ahead's
        names = ["Date", "Hour Ending", "Location ID", "Location Name", "Location Type", *LMP_NAMES]
        kinds = ["Date", "HE", "String", "String", "String", "Number", "Number", "Number", "Number"]
        rows = [_located(day, x) for x in lmps]
    else:  # preliminary files have one Location column, the name
        names = ["Date", "Hour Ending", "Location", *LMP_NAMES]
        kinds = ["Date", "HE", "String", "Number", "Number", "Number", "Number"]
        rows = [
            (_mdy(day), hour_ending(x.begin), x.location.name, x.total, x.energy, x.congestion, x.loss)
            for x in lmps
        ]
    title = "Final" if kind == "final" else "Preliminary"
    return codec.document(
        [
            f"Real-Time Energy Market Hourly {title} LMP Report",
            f"Filename: lmp_rt_{kind}_{day:%Y%m%d}.csv",
            f"Report for: {_mdy(day)} - {_mdy(day)}",
            f"Report generated: {codec.generated(now)}",
        ],
        names,
        kinds,
        rows,
    )


def five_minute_lmp(market: Registry, day: date, block: str, kind: str, now: datetime) -> bytes:
    """lmp_5min_YYYYMMDD_HH-HH.csv: a four-hour block of five-minute LMPs (published intervals)."""
    if block not in FIVE_MINUTE_FILES:
        raise NotPublished(block)
    first, last = (int(part) for part in block.split("-"))
    hours = [h for h in prices.hours_of(day) if first <= h.astimezone(EASTERN).hour < last]
    intervals = [h + FIVE * n for h in hours for n in range(12)]
    if kind == "final":
        if now < final_published(day):
            raise NotPublished(str(day))
    else:
        intervals = [t for t in intervals if now >= t + FIVE_MINUTE_LAG]
    if not intervals:
        raise NotPublished(str(day))
    lmps = prices.five_minute(market, intervals, list(market.priced))
    rows = (
        (
            f"{x.begin.astimezone(EASTERN):%H:%M}",
            str(x.location.loc_id),
            x.total,
            x.energy,
            x.congestion,
            x.loss,
        )
        for x in lmps
    )
    return codec.document(
        [
            f"Real-Time Energy Market Five-Minute {'Final' if kind == 'final' else 'Preliminary'} LMP Report",
            f"Filename: lmp_5min_{day:%Y%m%d}_{block}.csv",
            f"Report for: {_mdy(day)} - {_mdy(day)}",
            f"Report generated: {codec.generated(now)}",
        ],
        ["Local Time", "Location ID", "LMP", "Energy Component", "Congestion Component", "Loss Component"],
        ["String", "String", "Number", "Number", "Number", "Number"],
        rows,
    )


def gen_fuel_mix(market: Registry, day: date, now: datetime) -> bytes:
    rows = []
    for stamp, mix, marginal in system.fuel_mix(market, day):
        if stamp > now:
            continue
        local = stamp.astimezone(EASTERN)
        for (rollup, fuel), mw in mix.items():
            rows.append(
                (_mdy(day), f"{local:%H:%M:%S}", fuel, float(mw), rollup, "Y" if fuel == marginal else "N")
            )
    if not rows:
        raise NotPublished(str(day))
    return codec.document(
        [
            "Generation Fuel Mix",
            f"Filename: genfuelmix_{day:%Y%m%d}.csv",
            f"Report for: {_mdy(day)} - {_mdy(day)}",
            f"Report generated: {codec.generated(now)}",
        ],
        ["Date", "Time", "Fuel Category", "Gen Mw", "Fuel Category Rollup", "Marginal Flag"],
        ["Date", "String", "String", "Number", "String", "String"],
        rows,
    )


def five_minute_system_load(market: Registry, first: date, last: date, now: datetime) -> bytes:
    rows = []
    day = first
    while day <= last:
        for instant, native in system.five_minute_load(market, day):
            if now >= instant + FIVE_MINUTE_LAG:
                local = instant.astimezone(EASTERN)
                rows.append((f"{local:%m/%d/%Y %H:%M}", native, native))
        day += timedelta(days=1)
    if not rows:
        raise NotPublished(str(first))
    return codec.document(
        [
            "Five-Minute System Load",
            f"Filename: fiveminutesystemload_{first:%Y%m%d}_{last:%Y%m%d}.csv",
            f"Report for: {_mdy(first)} - {_mdy(last)}",
            f"Report generated: {codec.generated(now)}",
        ],
        ["Date/Time", "Native Load", "Native Load (Net of BTM PV)"],
        ["String", "Number", "Number"],
        rows,
    )


def _mdy_day(text: str) -> date:
    try:
        found = datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        raise NotPublished(text) from None
    if not bounded.day_in_range(found):
        raise NotPublished(text)
    return found


def _yes(fields: dict[str, str], name: str) -> bool:
    return fields.get(f"_nstmp_{name}", "").lower() in ("true", "on", "1", "yes")


def system_load(
    market: Registry, first: date, last: date, now: datetime, series: set[str]
) -> dict[str, list]:
    """What the system-load page shows: the forecast (hourly, with when it was made), the actual load
    (five-minute, with behind-the-meter solar added back) and the day-ahead cleared demand, as far as
    published at `now`."""
    found: dict[str, list] = {name: [] for name in sorted(series)}
    day = first
    while day <= last:
        if "forecast" in series:
            issued = forecast_issued(day)
            if now >= issued:
                found["forecast"] += [
                    {"BeginDate": webcodec.instant(h), "Mw": mw, "CreationDate": webcodec.instant(issued)}
                    for h, mw in system.load_forecast(market, day)
                ]
        if "actual" in series:
            found["actual"] += [
                {
                    "BeginDate": webcodec.instant(t),
                    "Mw": mw,
                    "NativeLoadBtmPv": round(mw + system.btm_pv(t), 2),
                }
                for t, mw in system.five_minute_load(market, day)
                if now >= t + FIVE_MINUTE_LAG
            ]
        if "cleared" in series and now >= da_published(day):
            found["cleared"] += [
                {"BeginDate": webcodec.instant(h), "Mw": mw} for h, mw in system.day_ahead_load(market, day)
            ]
        day += timedelta(days=1)
    return found


PAGE = """<!DOCTYPE html><html><head><title>ISO Express - {title}</title></head><body>
<h1>ISO Express</h1><p>{title}</p></body></html>"""


def _csv(body: bytes) -> Response:
    # Exactly `text/csv`, no charset parameter: gridstatus compares the header to that string.
    return Response(body, headers={"Content-Type": codec.MEDIA_TYPE})


class IsoExpress:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.app = Starlette(
            routes=[
                Route("/static-transform/csv/histRpts/da-lmp/{name}", self.static, methods=["GET"]),
                Route("/static-transform/csv/histRpts/rt-lmp/{name}", self.static, methods=["GET"]),
                Route("/static-transform/csv/histRpts/5min-rt-prelim/{name}", self.static, methods=["GET"]),
                Route("/static-transform/csv/histRpts/5min-rt-final/{name}", self.static, methods=["GET"]),
                Route("/static-transform/csv/histRpts/da-energy-offer/{name}", self.static, methods=["GET"]),
                Route("/transform/csv/genfuelmix", self.transform, methods=["GET"]),
                Route("/transform/csv/fiveminutesystemload", self.transform, methods=["GET"]),
                Route("/transform/csv/fiveminreserveprice", self.transform, methods=["GET"]),
                Route("/transform/csv/hbdayaheadenergyoffer", self.transform, methods=["GET"]),
                Route("/transform/csv/sphf", self.transform, methods=["GET"]),
                Route("/transform/csv/wphf", self.transform, methods=["GET"]),
                Route("/transform/csv/fiveminlmp/current", self.transform, methods=["GET"]),
                Route("/transform/csv/fiveminlmp/currentrollinginterval", self.transform, methods=["GET"]),
                Route("/transform/csv/hourlylmp/current", self.transform, methods=["GET"]),
                Route("/isoexpress/web/reports/{rest:path}", self.page, methods=["GET"]),
                Route("/ws/wsclient", self.wsclient, methods=["GET", "POST"]),
                Route("/{rest:path}", self.not_served),
            ],
            exception_handlers={Exception: http.last_resort(render)},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # One app behind several prefixes: it routes on the whole path, not the part below a prefix.
        await self.app({**scope, "root_path": ""}, receive, send)

    def _market(self, request: Request) -> Registry | None:
        with database.read(self.runtime.engine) as conn:
            return registry(conn, realm_of(request.scope))

    def _received(self, request: Request, market: Registry, day: date) -> dict[tuple[int, datetime], Offer]:
        """The participants' own day-ahead offers (eMarket), for the masked offer reports."""
        with database.read(self.runtime.engine) as conn:
            return emarket.received_offers(conn, realm_of(request.scope), market, day, "DA")

    async def page(self, request: Request) -> Response:
        """A report page: clients open it first, for the session cookie ISO Express sets."""
        title = request.path_params["rest"].rsplit("/", 1)[-1].replace("-", " ").title()
        response = HTMLResponse(PAGE.format(title=title))
        response.set_cookie("JSESSIONID", "isosim-isoexpress", path="/", httponly=True)
        return response

    async def not_served(self, request: Request) -> Response:
        if request.url.path.startswith(SERVED_FOLDERS):  # a folder isosim serves: no such file
            return render(404, f"No file at {request.url.path}.", {})
        return render(501, f"isosim does not serve {request.url.path} yet.", {})

    async def static(self, request: Request) -> Response:
        return await run_in_threadpool(self._static, request)

    def _static(self, request: Request) -> Response:
        path, name = request.url.path, request.path_params["name"]
        market, now = self._market(request), self.runtime.clock.now()
        if market is None:
            return render(404, f"No file at {path}.", {})
        try:
            if "/da-lmp/" in path and name.startswith("WW_DALMP_ISO_") and name.endswith(".csv"):
                body = day_ahead_lmp(market, _day(name[13:-4]), now)
            elif (
                "/rt-lmp/" in path
                and name.startswith(("lmp_rt_prelim_", "lmp_rt_final_"))
                and name.endswith(".csv")
            ):
                kind = "prelim" if name.startswith("lmp_rt_prelim_") else "final"
                body = real_time_hourly_lmp(market, _day(name[-12:-4]), kind, now)
            elif (
                "/da-energy-offer/" in path
                and name.startswith("hbdayaheadenergyoffer_")
                and name.endswith(".csv")
            ):
                day = _day(name[22:-4])
                body = reports.day_ahead_energy_offers(market, day, now, self._received(request, market, day))
            elif "/5min-rt-" in path and name.startswith("lmp_5min_") and name.endswith(".csv"):
                stamp, block = name[9:17], name[18:-4]
                kind = "final" if "/5min-rt-final/" in path else "prelim"
                body = five_minute_lmp(market, _day(stamp), block, kind, now)
            else:
                return render(404, f"No file at {path}.", {})
        except NotPublished:
            return render(404, f"No file at {path}.", {})
        return _csv(body)

    async def wsclient(self, request: Request) -> Response:
        """ISO Express's own proxy to the web services, anonymous, a form POST: `_nstmp_requestType=url`
        with `_nstmp_requestUrl=<API path>`, or `systemload` with a date range; the answer is a JSON
        array of one envelope `{"data": ..., "namespace": "_nstmp_"}` (WIRE.md 9)."""
        if request.method == "GET":  # ISO-NE's proxy fails on GET ([C], WIRE.md 9)
            return render(500, "The web service client takes a form POST.", {})
        try:
            body = await http.read_body(request, self.runtime.settings.max_body_bytes)
        except http.BodyTooLarge as error:
            return render(413, str(error), {})
        # A urlencoded form (what ISO Express's pages and gridstatus send): the standard library's parser.
        fields = {
            k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()
        }
        return await run_in_threadpool(self._wsclient, request, fields)

    def _wsclient(self, request: Request, fields: dict[str, str]) -> Response:
        kind = fields.get("_nstmp_requestType", "")
        if kind in ("url", "systemconditions"):  # systemconditions: the status page's own request
            path = fields.get("_nstmp_requestUrl", "")
            if not path.startswith("/"):
                return render(400, "_nstmp_requestUrl must be a web services path", {})
            path = path.split("?", 1)[0].removesuffix(".json").removesuffix(".xml")
            answer = webservices.resource(self.runtime, request.scope, path, "json")
            if answer.status_code != 200:
                return answer
            data = json.loads(bytes(answer.body))
        elif kind == "systemload":
            market, now = self._market(request), self.runtime.clock.now()
            if market is None:
                return render(404, "No data.", {})
            try:
                first = _mdy_day(fields.get("_nstmp_startDate", ""))
                last = _mdy_day(fields.get("_nstmp_endDate", "") or fields.get("_nstmp_startDate", ""))
            except NotPublished:
                return render(400, "_nstmp_startDate and _nstmp_endDate are MM/DD/YYYY", {})
            if last < first or (last - first).days > 31:
                return render(400, "the dates must span at most 31 days", {})
            data = system_load(
                market, first, last, now, {k for k in ("forecast", "actual", "cleared") if _yes(fields, k)}
            )
        else:
            return render(501, f"isosim does not serve the web service client's {kind!r} requests yet.", {})
        return Response(json.dumps([{"data": data, "namespace": "_nstmp_"}]), media_type="application/json")

    async def transform(self, request: Request) -> Response:
        return await run_in_threadpool(self._transform, request)

    def _transform(self, request: Request) -> Response:
        market, now = self._market(request), self.runtime.clock.now()
        query = request.query_params
        if market is None:
            return render(404, f"No file at {request.url.path}.", {})
        path = request.url.path
        try:
            if path.endswith(("/fiveminlmp/current", "/fiveminlmp/currentrollinginterval")):
                return _csv(reports.current_five_minute_lmp(market, now, rolling=path.endswith("interval")))
            if path.endswith("/hourlylmp/current"):
                if (
                    query.get("market", "rt").lower() != "rt"
                    or query.get("type", "prelim").lower() != "prelim"
                ):
                    return render(
                        501, "isosim serves the current preliminary real-time hourly LMPs only.", {}
                    )
                return _csv(reports.current_hourly_lmp(market, now))
            first = _day(query.get("start", ""))
            last = _day(query.get("end", "") or query.get("start", ""))
            if path.endswith("/genfuelmix"):
                body = gen_fuel_mix(market, first, now)
            elif path.endswith("/hbdayaheadenergyoffer"):  # the same file as histRpts/da-energy-offer
                body = reports.day_ahead_energy_offers(
                    market, first, now, self._received(request, market, first)
                )
            elif path.endswith(("/sphf", "/wphf")):
                body = reports.generation_forecast(
                    market, first, "Solar" if path.endswith("/sphf") else "Wind", now
                )
            else:
                if (last - first).days > 31 or last < first:
                    return render(400, "start and end must span at most 31 days", {})
                if path.endswith("/fiveminreserveprice"):
                    if query.get("type", "final").lower() != "final":
                        return render(
                            501, "isosim serves the final five-minute reserve prices file only.", {}
                        )
                    body = reports.five_minute_reserve_prices(market, first, last, now)
                else:
                    body = five_minute_system_load(market, first, last, now)
        except NotPublished:
            return render(404, f"No data for {request.url.path}.", {})
        return _csv(body)


SERVICE = Service(
    "isone.isoexpress",
    render,
    prefixes=lambda: PREFIXES,
    build=IsoExpress,
    served=section("isone", "isoexpress"),
)
