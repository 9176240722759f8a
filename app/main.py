"""The ASGI application: the shared pipeline around every emulated service and the control API."""

from __future__ import annotations

import gc

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler

from app.caiso import catalogue
from app.caiso.ads import routes as ads_routes
from app.caiso.ads import tables as ads_tables
from app.caiso.b2b import routes as b2b_routes
from app.caiso.b2b import tables as b2b_tables
from app.caiso.market import tables as market_tables
from app.caiso.oasis import routes as oasis_routes
from app.caiso.oasis import tables as oasis_tables
from app.caiso.outlook import routes as outlook_routes
from app.caiso.soap import routes as soap_routes
from app.control.routes import router as control_router
from app.core.pipeline import PACK_KEY, Pipeline, ServiceMount, plain_error
from app.core.runtime import Runtime
from app.core.settings import Settings
from app.core.state import StateModel
from app.isone.ibt import errors as ibt_errors
from app.isone.ibt import routes as ibt_routes
from app.isone.ibt import tables as ibt_tables

# Every service whose state the simulator keeps; seeding, reset and persistence iterate over these.
STATE_MODELS: tuple[StateModel, ...] = (
    ibt_tables.STATE,
    market_tables.STATE,
    oasis_tables.STATE,
    ads_tables.STATE,
    b2b_tables.STATE,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime.start(settings or Settings(), STATE_MODELS)
    app = FastAPI(
        title="isosim",
        summary="Local simulator of ISO New England and CAISO market-participant web services",
        version="0.1.0",
    )
    app.state.runtime = runtime

    @app.exception_handler(404)
    async def _no_service(request: Request, exc: Exception) -> Response:
        # The control API keeps FastAPI's JSON errors; a path that names no emulated service answers
        # in plain text, naming the environment it reached.
        if request.url.path.startswith("/_isosim"):
            return await http_exception_handler(request, exc)  # type: ignore[arg-type]
        pack = request.scope.get(PACK_KEY)
        where = f" in {pack.manifest.iso} {pack.manifest.environment} ({pack.name})" if pack else ""
        return plain_error(404, f"no emulated service at {request.url.path}{where}", {})

    app.include_router(control_router)
    # Emulated services are dispatched by the pipeline; FastAPI routes only the control API.
    services = [
        ServiceMount(ibt_routes.MOUNT, ibt_errors.render, ibt_routes.IbtService(runtime)),
        ServiceMount(oasis_routes.MOUNT, oasis_routes.render, oasis_routes.OasisService(runtime)),
        ServiceMount(outlook_routes.MOUNT, outlook_routes.render, outlook_routes.OutlookService(runtime)),
    ]
    ads_routes.register()
    b2b_routes.register()
    caiso_soap = soap_routes.CaisoSoapService(runtime)  # every catalogue endpoint, under these prefixes
    services += [
        ServiceMount(prefix, soap_routes.render, caiso_soap) for prefix in sorted(catalogue.prefixes())
    ]
    app.add_middleware(Pipeline, runtime=runtime, services=services)
    # What start-up built (packs, schemas, catalogues) lives as long as the process: moved out of the
    # collector's generations, a collection triggered by a request scans only what requests made.
    gc.freeze()
    return app
