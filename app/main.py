"""The ASGI application: the shared pipeline around every emulated service and the control API."""

from __future__ import annotations

from fastapi import FastAPI

from app.control.routes import router as control_router
from app.core.pipeline import PackRouting
from app.core.runtime import Runtime
from app.core.settings import Settings
from app.core.state import StateModel
from app.isone.ibt import routes as ibt_routes
from app.isone.ibt import tables as ibt_tables

# Every service whose state the simulator keeps; seeding, reset and persistence iterate over these.
STATE_MODELS: tuple[StateModel, ...] = (ibt_tables.STATE,)


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime.start(settings or Settings(), STATE_MODELS)
    app = FastAPI(
        title="isosim",
        summary="Local simulator of ISO New England and CAISO market-participant web services",
        version="0.1.0",
    )
    app.state.runtime = runtime
    app.include_router(control_router)
    app.mount(ibt_routes.MOUNT, ibt_routes.IbtService(runtime))
    app.add_middleware(PackRouting, runtime=runtime)
    return app
