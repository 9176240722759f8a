"""The /_isosim control API: health, readiness, environments, reset, tenants, snapshots, the
simulated clock, fault rules and the request journal. Documented on the OpenAPI page (/docs)."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text

from isosim.control.guard import guard
from isosim.core import bounded, clock, database, http
from isosim.core.faults import FaultSpec
from isosim.core.journal import Filter
from isosim.core.runtime import Runtime
from isosim.core.state import TENANT_NAME, SnapshotError

log = logging.getLogger("isosim")

router = APIRouter(prefix="/_isosim", tags=["control"], dependencies=[Depends(guard)])

TenantHeader = Header(None, alias="X-Isosim-Tenant", description="act on this tenant's state")


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def _tenant(query: str | None, header: str | None) -> str | None:
    """The tenant a control request names (query parameter first), held to the pipeline's rule."""
    chosen = query or header
    if chosen is not None and not TENANT_NAME.fullmatch(chosen):
        raise HTTPException(
            422, "a tenant name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return chosen


def _pack_names(runtime: Runtime, pack: str | None) -> list[str]:
    if pack is not None and pack not in runtime.packs:
        raise HTTPException(404, f"no pack named {pack!r} is served")
    return [pack] if pack else list(runtime.packs)


@router.get("/health", summary="The process is alive")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", summary="Packs are loaded and the database answers")
def ready(request: Request) -> dict[str, object]:
    runtime = _runtime(request)
    try:
        with database.read(runtime.engine) as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready"; its text (SQL, URL) stays in the log
        log.warning("readiness check failed: %s", exc)
        raise HTTPException(503, f"database unreachable ({type(exc).__name__})") from None
    return {"status": "ready", "packs": list(runtime.packs), "database": runtime.engine.dialect.name}


@router.get("/conformance", summary="How a caller behaved: each conformance rule pass, fail or not-exercised")
def conformance(
    request: Request,
    identity: str | None = Query(None, description="the pack user whose requests to judge"),
    client: str | None = Query(None, description="or the caller's address (anonymous services: OASIS)"),
    pack: str | None = None,
    tenant: str | None = None,
    since: datetime | None = Query(None, description="only requests from this instant (simulated clock)"),
    format: str = Query("json", pattern="^(json|html|junit)$"),
) -> Response:
    from isosim.conformance import report, rules
    from isosim.services import SERVICES

    runtime = _runtime(request)
    if identity is None and client is None:
        raise HTTPException(422, "name the caller: identity=<pack user> or client=<address>")
    names = _pack_names(runtime, pack)
    where = Filter(pack=pack, tenant=_tenant(tenant, None), identity=identity)
    entries = [
        e
        for e in runtime.journal.select(where)
        if (client is None or e.client == client) and (since is None or e.time >= clock.utc(since))
    ]
    served = {s.name for s in SERVICES for name in names if s.served(runtime.packs[name])}
    behaviours = [runtime.packs[name].manifest.settings for name in names]
    context = rules.Context(
        next((b.rate_limit_seconds for b in behaviours if b.rate_limit_seconds), None),
        behaviours[0].ads_poll_seconds if len(behaviours) == 1 else 30.0,
    )
    found = report.document(identity, client, pack, tenant, rules.evaluate(entries, context, served))
    if format == "html":
        return Response(report.html(found), media_type="text/html; charset=utf-8")
    if format == "junit":
        return Response(report.junit(found), media_type="application/xml")
    return JSONResponse(found)


@router.get("/conformance/scenarios", summary="The scenarios that set up what conformance rules need")
def scenarios() -> list[dict[str, object]]:
    from isosim.conformance.scenarios import SCENARIOS

    return [
        {"name": s.name, "description": s.description, "exercises": list(s.exercises)}
        for s in SCENARIOS.values()
    ]


@router.post("/conformance/scenarios/{name}", summary="Set a scenario up (for one tenant, or the base state)")
def run_scenario(
    request: Request, name: str, tenant: str | None = Query(None), tenant_header: str | None = TenantHeader
) -> dict[str, object]:
    from isosim.conformance.scenarios import SCENARIOS

    found = SCENARIOS.get(name)
    if found is None:
        raise HTTPException(404, f"no scenario {name!r}; see GET /_isosim/conformance/scenarios")
    chosen = _tenant(tenant, tenant_header)
    try:
        return {"scenario": name, "tenant": chosen, **found.apply(_runtime(request), chosen)}
    except ValueError as error:  # too many fault rules, a clock out of range
        raise HTTPException(422, str(error)) from None


@router.get("/prices", summary="A market node's day-ahead LMPs for a day (the dashboard's chart)")
def prices(
    request: Request,
    pack: str | None = None,
    location: int = Query(4000, ge=1, le=10**7, description="an ISO-NE location id (default: the hub)"),
    day: date | None = Query(None, description="default: today on the simulated clock (Eastern)"),
) -> dict[str, object]:
    """From the first served pack (or `pack`) with an ISO-NE market: the numbers its feeds publish."""
    from isosim.isone.eastern import local_date
    from isosim.isone.market import prices as lmps
    from isosim.isone.market.registry import registry

    runtime = _runtime(request)
    for name in _pack_names(runtime, pack):
        with database.read(runtime.engine) as conn:
            market = registry(conn, runtime.ensure_realm(runtime.packs[name], None))
        where = market.location(location) if market is not None else None
        if market is None or where is None:
            continue
        wanted = day or local_date(runtime.clock.now())
        if not bounded.day_in_range(wanted):
            raise HTTPException(422, f"day {wanted} is outside the years the markets cover")
        hours = lmps.hours_of(wanted)
        found = lmps.day_ahead(market, hours, [where]) if where.priced else []
        return {
            "pack": name,
            "location": location,
            "name": where.name,
            "day": wanted.isoformat(),
            "hours": [{"begin": lmp.begin.isoformat(), "lmp": lmp.total} for lmp in found],
        }
    return {"pack": pack, "location": location, "name": None, "day": None, "hours": []}


@router.get("/metrics", summary="Prometheus metrics of this process (text exposition format)")
def metrics(request: Request) -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST

    found = _runtime(request).metrics
    assert found is not None
    return Response(found.text(), media_type=CONTENT_TYPE_LATEST)


@router.get("/packs", summary="The packs (emulated environments) this server serves")
def packs(request: Request) -> list[dict[str, object]]:
    return [
        {
            "name": pack.name,
            "iso": pack.manifest.iso,
            "environment": pack.manifest.environment,
            "hosts": pack.manifest.hosts,
            "path_prefix": f"/env/{pack.name}",
            "settings": pack.manifest.settings.model_dump(mode="json"),
            "users": [
                {
                    "name": u.name,
                    "customer_id": u.customer_id,
                    "roles": u.roles,
                    "certificate_subject": u.certificate_subject,
                }
                for u in pack.manifest.users
            ],
        }
        for pack in _runtime(request).packs.values()
    ]


# --- state ------------------------------------------------------------------------------------------


@router.post("/reset", summary="Put state back to the pack as shipped: every pack or one, base or one tenant")
def reset(
    request: Request,
    pack: str | None = None,
    tenant: str | None = Query(None, description="reset this tenant's copy (the header works too)"),
    tenant_header: str | None = TenantHeader,
) -> dict[str, object]:
    runtime = _runtime(request)
    names = _pack_names(runtime, pack)
    chosen = _tenant(tenant, tenant_header)
    try:
        for name in names:
            runtime.reset(runtime.packs[name], chosen)
    except http.Refused as refused:  # the tenant cap
        raise HTTPException(refused.status, refused.detail) from None
    return {"reset": names, "tenant": chosen}


@router.get("/tenants", summary="Each pack's tenants that hold state")
def tenants(request: Request) -> dict[str, list[str]]:
    return _runtime(request).tenants()


@router.delete(
    "/tenants/{name}", summary="Forget a tenant: its state in every pack, its clock and fault rules"
)
def drop_tenant(request: Request, name: str) -> dict[str, object]:
    runtime = _runtime(request)
    # a name no tenant can have holds nothing (and never reaches the database: NUL, length)
    if not TENANT_NAME.fullmatch(name):
        raise HTTPException(404, f"no tenant named {name!r} holds state")
    control = runtime.clock.own(name) or bool(runtime.faults.list(name))
    runtime.clock.forget(name)
    runtime.faults.clear(name)
    dropped = runtime.drop_tenant(name)
    if not dropped and not control:
        raise HTTPException(404, f"no tenant named {name!r} holds state")
    return {"dropped": name, "packs": dropped}


@router.get("/snapshot", summary="Export state as a JSON document (every realm, or one pack and/or tenant)")
def export_snapshot(
    request: Request,
    pack: str | None = None,
    tenant: str | None = None,
    tenant_header: str | None = TenantHeader,
) -> Response:
    runtime = _runtime(request)
    _pack_names(runtime, pack)
    document = runtime.export(pack, _tenant(tenant, tenant_header))
    stamp = runtime.clock.now().strftime("%Y%m%dT%H%M%SZ")
    return Response(
        json.dumps(document, separators=(",", ":")),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="isosim-snapshot-{stamp}.json"'},
    )


@router.put("/snapshot", summary="Import a snapshot: each realm in it is replaced, all or nothing")
def import_snapshot(request: Request, document: dict[str, Any] = Body(...)) -> dict[str, list[str]]:
    try:
        return {"restored": _runtime(request).restore(document)}
    except SnapshotError as exc:
        raise HTTPException(400, str(exc)) from None
    except http.Refused as refused:  # the tenant cap
        raise HTTPException(refused.status, refused.detail) from None


# --- clock ------------------------------------------------------------------------------------------


class ClockView(BaseModel):
    now: datetime
    mode: str  # "real", "frozen" or "shifted"
    rate: float


class ClockChange(BaseModel):
    """frozen_at freezes the clock; at (optional) with rate runs it; offset_seconds shifts real time;
    an empty body returns to real time."""

    model_config = ConfigDict(allow_inf_nan=False)

    frozen_at: datetime | None = None
    at: datetime | None = None
    rate: float | None = None
    offset_seconds: float | None = None


def _clock_view(runtime: Runtime, tenant: str | None) -> ClockView:
    state = runtime.clock.state_of(tenant)
    return ClockView(now=runtime.clock.now_of(tenant), mode=state.mode, rate=state.rate)


TenantQuery = Query(None, description="this tenant's clock (the header works too); default: the base clock")


@router.get("/clock", response_model=ClockView, summary="The simulated clock (the base one, or a tenant's)")
def get_clock(
    request: Request, tenant: str | None = TenantQuery, tenant_header: str | None = TenantHeader
) -> ClockView:
    return _clock_view(_runtime(request), _tenant(tenant, tenant_header))


@router.put("/clock", response_model=ClockView, summary="Freeze, shift, speed up or restore the clock")
def put_clock(
    request: Request,
    change: ClockChange,
    tenant: str | None = TenantQuery,
    tenant_header: str | None = TenantHeader,
) -> ClockView:
    """With a tenant, that tenant gets a clock of its own; the others keep theirs or the base one."""
    clock = _runtime(request).clock
    chosen = _tenant(tenant, tenant_header)
    if change.rate is not None and change.rate <= 0:
        raise HTTPException(422, "rate must be positive; use frozen_at to stop the clock")
    try:  # a refused change leaves the clock as it was
        if change.frozen_at is not None:
            clock.freeze(change.frozen_at, chosen)
        elif change.offset_seconds is not None:
            clock.shift(change.offset_seconds, change.rate or 1.0, chosen)
        elif change.at is not None or change.rate is not None:
            clock.run(change.at, change.rate if change.rate is not None else 1.0, chosen)
        else:
            clock.real(chosen)
    except (ValueError, OverflowError) as error:
        raise HTTPException(422, str(error)) from None
    return _clock_view(_runtime(request), chosen)


@router.delete(
    "/clock",
    response_model=ClockView,
    summary="A tenant's clock (or every tenant's) follows the base clock again",
)
def forget_clock(
    request: Request, tenant: str | None = TenantQuery, tenant_header: str | None = TenantHeader
) -> ClockView:
    chosen = _tenant(tenant, tenant_header)
    _runtime(request).clock.forget(chosen)
    return _clock_view(_runtime(request), chosen)


# --- faults -----------------------------------------------------------------------------------------


@router.post(
    "/faults",
    status_code=201,
    summary="Add a fault rule (latency, the service's error, or a dropped connection)",
)
def add_fault(request: Request, spec: FaultSpec) -> dict[str, object]:
    """A rule with `tenant` fires on that tenant's requests only."""
    runtime = _runtime(request)
    if spec.pack is not None:
        _pack_names(runtime, spec.pack)
    try:
        return runtime.faults.add(spec).view()
    except ValueError as error:  # too many rules
        raise HTTPException(422, str(error)) from None


@router.get("/faults", summary="The fault rules (every one, or a tenant's), with how often each has fired")
def list_faults(request: Request, tenant: str | None = Query(None)) -> list[dict[str, object]]:
    return [fault.view() for fault in _runtime(request).faults.list(_tenant(tenant, None))]


@router.delete("/faults/{fault_id}", status_code=204, summary="Remove one fault rule")
def remove_fault(request: Request, fault_id: str) -> Response:
    if not _runtime(request).faults.remove(fault_id):
        raise HTTPException(404, f"no fault rule {fault_id!r}")
    return Response(status_code=204)


@router.delete("/faults", status_code=204, summary="Remove every fault rule, or a tenant's")
def clear_faults(request: Request, tenant: str | None = Query(None)) -> Response:
    _runtime(request).faults.clear(_tenant(tenant, None))
    return Response(status_code=204)


# --- journal ----------------------------------------------------------------------------------------


def _filter(
    # The journal's filters, shared by listing and counting (a FastAPI dependency).
    pack: str | None = None,
    tenant: str | None = None,
    identity: str | None = None,
    method: str | None = None,
    path: str | None = Query(None, description="glob, e.g. /sms_oper_contract/*"),
    status: int | None = None,
    since_id: int | None = Query(None, description="only entries after this id"),
) -> Filter:
    return Filter(pack, tenant, identity, method, path, status, since_id)


@router.get("/journal", summary="Requests seen, oldest first (a ring buffer of ISOSIM_JOURNAL_CAPACITY)")
def journal(
    request: Request,
    where: Filter = Depends(_filter),
    limit: int | None = Query(None, ge=1, description="only the last N matching entries"),
) -> dict[str, object]:
    runtime = _runtime(request)
    entries = runtime.journal.select(where, limit)
    return {"capacity": runtime.journal.capacity, "entries": [e.as_dict() for e in entries]}


@router.get("/journal/count", summary="How many journaled requests match")
def journal_count(request: Request, where: Filter = Depends(_filter)) -> dict[str, int]:
    return {"count": len(_runtime(request).journal.select(where))}


@router.delete("/journal", summary="Empty the journal")
def clear_journal(request: Request) -> dict[str, int]:
    return {"cleared": _runtime(request).journal.clear()}
