"""The ASGI application: the shared pipeline around every emulated service and the control API."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from isosim.control.routes import router as control_router
from isosim.core.pipeline import PACK_KEY, Pipeline, plain_error
from isosim.core.runtime import Runtime
from isosim.core.settings import Settings
from isosim.services import SERVICES, STATE_MODELS

__all__ = ["STATE_MODELS", "create_app"]
SWAGGER = "/_isosim/static/swagger-ui"
UI = Path(__file__).resolve().parent / "control" / "ui"


def _offline_docs(app: FastAPI) -> None:
    """The OpenAPI page at /docs with Swagger UI's files served by isosim (swagger-ui-bundle)."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount(SWAGGER, StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    # The dashboard: static files over the control API, no build step (app/control/ui).
    app.mount("/_isosim/ui", StaticFiles(directory=UI, html=True), name="ui")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="isosim control API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime.start(settings or Settings(), STATE_MODELS)
    app = FastAPI(
        title="isosim",
        summary="Local simulator of ISO New England and CAISO market-participant web services",
        version="0.1.0",
        docs_url=None,  # served below from local files: offline and air-gapped CI have no CDN
        redoc_url=None,
    )
    app.state.runtime = runtime
    _offline_docs(app)

    @app.exception_handler(404)
    async def _no_service(request: Request, exc: Exception) -> Response:
        # The control API keeps FastAPI's JSON errors; a path that names no emulated service answers
        # in plain text, naming the environment it reached.
        if request.url.path.startswith("/_isosim"):
            return await http_exception_handler(request, exc)  # type: ignore[arg-type]
        pack = request.scope.get(PACK_KEY)
        where = f" in {pack.manifest.iso} {pack.manifest.environment} ({pack.name})" if pack else ""
        return plain_error(404, f"no emulated service at {request.url.path}{where}", {})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: Exception) -> Response:
        # FastAPI's own 422, with what was sent written as text: a non-finite number (1e400) cannot
        # be echoed as JSON, and FastAPI would answer 500.
        assert isinstance(exc, RequestValidationError)
        errors = [{k: (repr(v) if k in ("input", "ctx") else v) for k, v in e.items()} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    app.include_router(control_router)
    # Emulated services are dispatched by the pipeline; FastAPI routes only the control API.
    for service in SERVICES:
        if service.setup is not None:
            service.setup()
    mounted = [(service, service.build(runtime)) for service in SERVICES if service.build is not None]
    app.add_middleware(Pipeline, runtime=runtime, services=mounted)
    # What start-up built (packs, schemas, catalogues) lives as long as the process: moved out of the
    # collector's generations, a collection triggered by a request scans only what requests made.
    gc.freeze()
    return app
