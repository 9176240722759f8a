"""OASIS over HTTP: GET /oasisapi/SingleZip and /oasisapi/GroupZip, public (no identity needed).

Every answer is a zip with HTTP 200, errors included (INVALID_REQUEST.xml); only a caller asking more
often than the pack's rate limit gets HTTP 429. Parameter names are case-insensitive, as on OASIS.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import insert, select
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from isosim.caiso.market.registry import Registry, registry
from isosim.caiso.oasis import codec, errors
from isosim.caiso.oasis import tables as oasis_tables
from isosim.caiso.oasis.catalogue import GROUPS, REPORTS, SINGLE_REPORTS, Report
from isosim.caiso.oasis.errors import OasisError
from isosim.caiso.oasis.models import LMP_COMPONENTS, Block, Selection, blocks
from isosim.caiso.oasis.tables import group_request
from isosim.core import bounded, database, http
from isosim.core.pipeline import PACK_KEY, TENANT_KEY, plain_error, realm_of
from isosim.core.runtime import Runtime
from isosim.core.services import Service, section

MOUNT = "/oasisapi"
MAX_SPAN = timedelta(days=31)
MAX_NODES = 10
GROUP_TYPES = ("ALL", "ALL_APNODES")
_DATETIME = re.compile(r"([0-9]{8})T([0-9]{2}):([0-9]{2})([+-])([0-9]{2})([0-9]{2})")
# Above this many rows a member may pass 2 GiB and needs ZIP64.
_ZIP64_ROWS = 5_000_000


def render(status: int, detail: str, headers: dict[str, str]) -> Response:
    """OASIS's HTTP-level errors (rate limit, maintenance, injected faults) are plain text."""
    return plain_error(status, detail, headers)


def parse_datetime(text: str | None) -> datetime:
    """`YYYYMMDDTHH:MM-0000`, any offset."""
    found = _DATETIME.fullmatch(text or "")
    if not found:
        raise OasisError(errors.BAD_DATETIME)
    day, hour, minute, sign, off_h, off_m = found.groups()
    try:
        offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (1 if sign == "+" else -1)
        local = datetime.strptime(f"{day}{hour}{minute}", "%Y%m%d%H%M")
        found = local.replace(tzinfo=timezone(offset)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise OasisError(errors.BAD_DATETIME) from None
    if not bounded.instant_in_range(found):  # the years the simulated market covers
        raise OasisError(errors.BAD_DATETIME)
    return found


class OasisService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.routes = Starlette(
            routes=[
                Route("/SingleZip", self.single_zip, methods=["GET"]),
                Route("/GroupZip", self.group_zip, methods=["GET"]),
            ],
            exception_handlers={HTTPException: self._http_error, Exception: http.last_resort(render)},
        )
        self.routes.router.redirect_slashes = False

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        await self.routes(scope, receive, send)

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = "use GET" if exc.status_code == 405 else f"no OASIS resource at {request.url.path}"
        return render(exc.status_code, detail, dict(exc.headers or {}))

    # --- the two resources --------------------------------------------------------------------------

    def _prologue(self, request: Request) -> tuple[Registry, dict[str, str], Response | None]:
        """The environment's market registry and the request's parameters, or an early answer."""
        pack = request.scope[PACK_KEY]
        world = None
        if pack.section("caiso", "oasis") is not None:
            realm = realm_of(request.scope)
            with database.read(self.runtime.engine) as conn:
                world = registry(conn, realm)
        if world is None:
            name = f"{pack.manifest.iso} {pack.manifest.environment} ({pack.name})"
            return None, {}, render(404, f"no emulated service at {request.url.path} in {name}", {})  # type: ignore[return-value]
        limit = pack.manifest.settings.rate_limit_seconds
        if limit and self.runtime.settings.rate_limit:
            client = request.client.host if request.client else ""
            # Per caller and tenant: parallel test jobs sharing a server do not slow each other.
            caller = f"oasis|{pack.name}|{request.scope.get(TENANT_KEY) or ''}|{client}"
            left = self.runtime.control.wait(caller, limit) if self.runtime.control else 0.0
            if left:
                detail = f"at most one request per {limit:g} seconds"
                return None, {}, render(429, detail, {"Retry-After": str(math.ceil(left))})  # type: ignore[return-value]
        params = {key.lower(): value for key, value in request.query_params.multi_items()}
        return world, params, None

    # Sync endpoints run in Starlette's worker threads (as the zip's rows are made): database waits
    # and the CPU work of a large report never block the event loop.
    def single_zip(self, request: Request) -> Response:
        return self._answer(request, self._single)

    def group_zip(self, request: Request) -> Response:
        return self._answer(request, self._group)

    def _answer(self, request: Request, build: Callable[..., Response]) -> Response:
        """What both resources share: the prologue, the empty query, and OASIS errors as a zip."""
        world, params, early = self._prologue(request)
        if early is not None:
            return early
        now = self.runtime.clock.now()
        try:
            if not params:
                raise OasisError(errors.EMPTY_QUERY)
            return build(world, params, request, now)
        except OasisError as error:
            return self._error(error, now)

    def _single(self, world: Registry, params: dict[str, str], request: Request, now: datetime) -> Response:
        report = SINGLE_REPORTS.get(params.get("queryname", ""))
        if report is None:
            raise OasisError(errors.NO_SUCH_REPORT)
        version = self._version(params, report.versions)
        start, end = self._window(params, request, now)
        nodes, grp_type = self._nodes(params, report)
        runs = report.runs_for(params.get("market_run_id"), params.get("execution_type"))
        filters = {k.upper(): v for k, v in params.items() if k not in _COMMON}
        selection = Selection(report, runs, start, end, now, nodes, grp_type, filters)
        return self._report(world, selection, version, params, now)

    def _group(self, world: Registry, params: dict[str, str], request: Request, now: datetime) -> Response:
        group = GROUPS.get(params.get("groupid", ""))
        if group is None:
            raise OasisError(errors.NO_SUCH_GROUP)
        version = self._version(params, group.versions)
        start, end = self._window(params, request, now)
        key = "|".join(
            (group.groupid, start.isoformat(), end.isoformat(), str(version), params.get("resultformat", ""))
        )
        if not self._assembled(request, key, now):
            raise OasisError(errors.GROUP_IN_PROCESSING)
        report = REPORTS[group.report]
        selection = Selection(
            report, report.runs_for(group.market, None), start, end, now, None, group.grp_type, {}
        )
        return self._report(world, selection, version, params, now)

    # --- checks, in the order OASIS applies them --------------------------------------------------

    @staticmethod
    def _version(params: dict[str, str], accepted: frozenset[int]) -> int:
        version = bounded.integer(params.get("version"))
        if version is None or version not in accepted:
            raise OasisError(errors.BAD_VERSION)
        return version

    def _window(self, params: dict[str, str], request: Request, now: datetime) -> tuple[datetime, datetime]:
        start = parse_datetime(params.get("startdatetime"))
        end = parse_datetime(params.get("enddatetime"))
        if end - start > MAX_SPAN:
            raise OasisError(errors.SPAN_TOO_LONG)
        retention = request.scope[PACK_KEY].manifest.settings.retention_days
        if retention is not None and start < now - timedelta(days=retention):
            raise OasisError(errors.BEYOND_RETENTION)
        return start, end

    @staticmethod
    def _nodes(params: dict[str, str], report: Report) -> tuple[list[str] | None, str | None]:
        if not report.by_node:
            return None, None
        grp_type = params.get("grp_type") or None
        if grp_type is not None:
            if grp_type not in GROUP_TYPES:
                raise OasisError(errors.NO_DATA)
            return None, grp_type
        nodes = [n.strip() for n in params.get("node", "").split(",") if n.strip()]
        if nodes == ["ALL"]:
            return None, "ALL"
        if len(nodes) > MAX_NODES:
            raise OasisError(errors.TOO_MANY_NODES)
        return nodes, None

    def _assembled(self, request: Request, key: str, now: datetime) -> bool:
        """Whether an earlier request started this group's assembly; the first one starts it."""
        realm = realm_of(request.scope, write=True)
        with database.write(self.runtime.engine) as conn:
            held = conn.execute(
                select(group_request.c.request_key).where(
                    group_request.c.realm == realm, group_request.c.request_key == key
                )
            ).first()
            if held is None:
                row = {"realm": realm, "request_key": key, "requested_at": now.replace(tzinfo=None)}
                conn.execute(insert(group_request).values(**row))
        return held is not None

    # --- answers --------------------------------------------------------------------------------------

    def _error(self, error: OasisError, now: datetime) -> Response:
        return Response(
            codec.error_zip(error, now),
            media_type=codec.MEDIA_TYPE,
            headers={"Content-Disposition": codec.disposition("INVALID_REQUEST.xml.zip")},
        )

    def _report(
        self, world: Registry, selection: Selection, version: int, params: dict[str, str], now: datetime
    ) -> Response:
        report = selection.report
        source = blocks(world, selection)
        first = next(source, None) if selection.runs else None
        if first is None:
            raise OasisError(errors.NO_DATA)
        market = selection.runs[0].market
        name = codec.stem(report.name, market, selection.start, selection.end, version, now)
        large = _estimated_rows(first, selection) > _ZIP64_ROWS

        def file_blocks(index: int) -> Iterator[Block]:
            # The first file continues the blocks already begun (the first told whether there is
            # any data); each further file (one per LMP component) generates them again.
            return itertools.chain([first], source) if index == 0 else blocks(world, selection)

        members: Iterator[tuple[str, Iterator[str]]]
        if params.get("resultformat") == codec.CSV_FORMAT:
            labels: list[str | None] = [label for label, _ in LMP_COMPONENTS] if report.by_node else [None]
            members = (
                (
                    codec.csv_member(report.name, market, selection.start, selection.end, version, label),
                    codec.csv_text(report, file_blocks(index), label),
                )
                for index, label in enumerate(labels)
            )
        else:
            members = iter([(f"{name}.xml", codec.xml_text(report, file_blocks(0), now))])
        return StreamingResponse(
            codec.stream_zip(members, now, large),
            media_type=codec.MEDIA_TYPE,
            headers={"Content-Disposition": codec.disposition(f"{name}.zip")},
        )


def _estimated_rows(first: Block, selection: Selection) -> int:
    per_block = sum(len(s.points) for s in first.series)
    resources = len(selection.nodes or []) or 500
    return per_block * resources


# Parameters every report takes; the rest are the report's own filters.
_COMMON = frozenset(
    {
        "queryname",
        "version",
        "startdatetime",
        "enddatetime",
        "market_run_id",
        "execution_type",
        "node",
        "grp_type",
        "resultformat",
        "groupid",
    }
)


SERVICE = Service(
    "caiso.oasis",
    render,
    prefixes=lambda: (MOUNT,),
    build=OasisService,
    state=oasis_tables.STATE,
    served=section("caiso", "oasis"),
)
