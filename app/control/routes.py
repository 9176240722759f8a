"""The /_isosim control API: health, readiness, reset and the simulated clock."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import text

from app.core.runtime import Runtime

router = APIRouter(prefix="/_isosim", tags=["control"])


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


@router.get("/health", summary="The process is alive")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", summary="Packs are loaded and the database answers")
def ready(request: Request) -> dict[str, object]:
    runtime = _runtime(request)
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready"
        raise HTTPException(503, f"database unreachable: {exc}") from None
    return {"status": "ready", "packs": list(runtime.packs), "database": runtime.engine.dialect.name}


@router.get("/packs", summary="The packs (emulated environments) this server serves")
def packs(request: Request) -> list[dict[str, object]]:
    return [
        {
            "name": pack.name,
            "iso": pack.manifest.iso,
            "environment": pack.manifest.environment,
            "hosts": pack.manifest.hosts,
            "path_prefix": f"/env/{pack.name}",
        }
        for pack in _runtime(request).packs.values()
    ]


@router.post("/reset", summary="Put a pack's state (or every pack's) back to the pack as shipped")
def reset(request: Request, pack: str | None = None) -> dict[str, list[str]]:
    runtime = _runtime(request)
    if pack is not None and pack not in runtime.packs:
        raise HTTPException(404, f"no pack named {pack!r} is served")
    names = [pack] if pack else list(runtime.packs)
    for name in names:
        runtime.reset(runtime.packs[name])
    return {"reset": names}


class ClockView(BaseModel):
    now: datetime
    mode: str  # "real", "frozen" or "shifted"
    rate: float


class ClockChange(BaseModel):
    """frozen_at freezes the clock; at (optional) with rate runs it; neither returns to real time."""

    frozen_at: datetime | None = None
    at: datetime | None = None
    rate: float | None = None


def _clock_view(runtime: Runtime) -> ClockView:
    state = runtime.clock.state
    return ClockView(now=runtime.clock.now(), mode=state.mode, rate=state.rate)


@router.get("/clock", response_model=ClockView, summary="The simulated clock")
def get_clock(request: Request) -> ClockView:
    return _clock_view(_runtime(request))


@router.put("/clock", response_model=ClockView, summary="Freeze, shift, speed up or restore the clock")
def put_clock(request: Request, change: ClockChange) -> ClockView:
    clock = _runtime(request).clock
    if change.frozen_at is not None:
        clock.freeze(change.frozen_at)
    elif change.at is not None or change.rate is not None:
        if change.rate is not None and change.rate <= 0:
            raise HTTPException(422, "rate must be positive; use frozen_at to stop the clock")
        clock.run(change.at, change.rate if change.rate is not None else 1.0)
    else:
        clock.real()
    return _clock_view(_runtime(request))
