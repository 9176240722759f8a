"""The request pipeline every emulated service shares (the LocalStack way): which environment and
tenant a request is for, who is calling, maintenance windows, fault rules, and the journal. The
services only see requests that got through, with all of that already in the ASGI scope.

A request reaches a pack by a path prefix `/env/<pack>/...` (for clients that only change their base
URL) or by its Host header (for clients that keep the real host name and resolve it to isosim);
otherwise the first pack served answers. A service answers only in the packs that have it (404
elsewhere, before any identity check). The header `X-Isosim-Tenant` gives a caller its own copy of
the pack's state, made when a service first needs it (`realm_of`): a request refused before that
makes no tenant. Fault rules naming an operation fire once the service has named it (`named`).
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isosim.core import clock, http, identity
from isosim.core.faults import Firing
from isosim.core.maintenance import window_end
from isosim.core.runtime import Runtime
from isosim.core.services import ErrorRenderer, Service
from isosim.core.state import TENANT_NAME

log = logging.getLogger("isosim")

PACK_KEY = "isosim.pack"
REALM_KEY = "isosim.realm"
TENANT_KEY = "isosim.tenant"
IDENTITY_KEY = "isosim.identity"  # an identity.Identity, or None
IDENTITY_ERROR_KEY = "isosim.identity_error"  # identity.BadCredentials when credentials were wrong
OPERATION_KEY = "isosim.operation"  # set by services that name their operations (SOAP)
# What a service tells the pipeline back (mounts copy the scope): {"firing": the fault that fired}.
NOTES_KEY = "isosim.notes"
PIPELINE_KEY = "isosim.pipeline"  # the pipeline itself, for services that name their operations
BASE_KEY = "isosim.base"  # the /env/<pack> prefix the client used, "" when it came by Host
ENV_PREFIX = "/env/"
TENANT_HEADER = "x-isosim-tenant"
# The simulator's own pages: never journaled, faulted or put in maintenance.
CONTROL_PREFIXES = ("/_isosim", "/docs", "/redoc", "/openapi.json")


def realm_of(scope: Scope, write: bool = False) -> str:
    """Where the request's state lives, made when a service first needs it: a request refused before
    that (401, 403, 404, a fault) makes no tenant. A service that will write asks with `write`: a
    tenant that has only read shares its pack's template, and gets its own copy at its first write."""
    pipeline: Pipeline | None = scope.get(PIPELINE_KEY)
    if pipeline is not None:
        return pipeline.runtime.ensure_realm(scope[PACK_KEY], scope.get(TENANT_KEY), write)
    return scope[REALM_KEY]


def plain_error(status: int, detail: str, headers: dict[str, str]) -> Response:
    return PlainTextResponse(f"{http.phrase(status)}: {detail}", status_code=status, headers=headers)


@dataclass(frozen=True)
class ServiceMount:
    """A service at one of its path prefixes, with its ASGI app. The pipeline dispatches to it
    directly: a service request never walks the control API's routes."""

    prefix: str
    service: Service
    app: ASGIApp
    mount: Mount = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mount", Mount(self.prefix, app=self.app))

    @property
    def render_error(self) -> ErrorRenderer:
        return self.service.render_error or plain_error


class _DropConnection(Exception):
    """Raised after a partial response so that the server closes the connection mid-message."""


class Pipeline:
    def __init__(self, app: ASGIApp, runtime: Runtime, services: list[tuple[Service, ASGIApp]]) -> None:
        self.app = app
        self.runtime = runtime
        self.proxies = [ipaddress.ip_network(n, strict=False) for n in runtime.settings.trusted_proxies]
        self.services = [
            ServiceMount(prefix, service, built)
            for service, built in services
            for prefix in service.prefixes()
        ]

    def _mounted(self, path: str) -> ServiceMount | None:
        return next((m for m in self.services if path == m.prefix or path.startswith(m.prefix + "/")), None)

    def _renderer(self, path: str) -> ErrorRenderer:
        found = self._mounted(path)
        return found.render_error if found is not None else plain_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        control = self.runtime.control
        if control is not None and control.stale():  # what other processes changed: clocks, faults, realms
            await run_in_threadpool(control.sync)
        if scope["path"].startswith(CONTROL_PREFIXES):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        scope, early = self._environment(scope, headers)
        # Everything this request does reads its tenant's clock (worker threads inherit the context).
        tenant_clock = clock.TENANT.set(scope.get(TENANT_KEY))
        mounted = self._mounted(scope["path"])
        if early is None and mounted is not None and not mounted.service.served(scope[PACK_KEY]):
            pack = scope[PACK_KEY]
            where = f"{pack.manifest.iso} {pack.manifest.environment} ({pack.name})"
            early = plain_error(404, f"no emulated service at {scope['path']} in {where}", {})
        if early is None:
            early = self._maintenance(scope)
        firing = None
        if early is None:
            self._identify(scope, headers)
            found = scope.get(IDENTITY_KEY)
            if self.runtime.faults.any():  # a firing is counted in the database: off the event loop
                firing = await run_in_threadpool(
                    self.runtime.faults.fire,
                    scope[PACK_KEY].name,
                    scope["path"],
                    scope["method"],
                    scope.get(OPERATION_KEY),
                    found.user.name if found else None,
                    scope.get(TENANT_KEY),
                )
        scope[PIPELINE_KEY] = self
        notes: dict[str, Firing] = {}
        scope[NOTES_KEY] = notes
        journal = self.runtime.journal
        recorder = _Recorder(send, journal.body_limit if journal.keep_bodies else 0)
        receive = recorder.wrap_receive(receive)
        try:
            if early is not None:
                await early(scope, receive, recorder.send)
            elif firing is not None:
                await self._fault(firing, scope, receive, recorder.send)
            else:
                await self._dispatch(scope, receive, recorder.send)
        finally:
            self._journal(scope, recorder, started, notes.get("firing", firing))
            clock.TENANT.reset(tenant_clock)

    # --- stages -------------------------------------------------------------------------------------

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        """To the service that owns the path (as a Starlette Mount would), else to the app (404).
        Whatever a service fails to handle is answered in its own error format, the traceback kept
        in the server's log only: never a bare 500, never a traceback or SQL to the client."""
        for service in self.services:
            match, child = service.mount.matches(scope)
            if match is Match.FULL:
                await self._serve(service, {**scope, **child}, receive, send)
                return
        await self.app(scope, receive, send)

    async def _serve(self, service: ServiceMount, scope: Scope, receive: Receive, send: Send) -> None:
        sent = {"start": False, "end": False}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["start"] = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                sent["end"] = True
            await send(message)

        try:
            await service.mount.handle(scope, receive, sending)
        except _DropConnection:
            raise
        except http.Refused as refused:  # a limit the service ran into (the tenant cap)
            if not sent["start"]:
                await service.render_error(refused.status, refused.detail, refused.headers)(
                    scope, receive, send
                )
        except Exception:
            log.exception("%s failed on %s %s", service.service.name, scope["method"], scope["path"])
            if sent["end"]:
                return  # the service's own last-resort answer went out (http.last_resort)
            if sent["start"]:
                raise  # too late for an answer: the connection is closed
            await service.render_error(500, http.LAST_RESORT, {})(scope, receive, send)

    def _environment(self, scope: Scope, headers: dict[str, str]) -> tuple[Scope, Response | None]:
        path: str = scope["path"]
        if path.startswith(ENV_PREFIX):
            name, _, rest = path[len(ENV_PREFIX) :].partition("/")
            pack = self.runtime.packs.get(name)
            if pack is None:
                return scope, plain_error(404, f"no environment named {name!r} is served here", {})
            # Only the path is rewritten: Starlette's mounts derive their own root_path from it.
            prefix = ENV_PREFIX + name
            scope = {**scope, "path": "/" + rest, BASE_KEY: prefix}
            if scope.get("raw_path"):
                scope["raw_path"] = scope["raw_path"][len(prefix.encode()) :]
        else:
            host = headers.get("host", "")
            host = host.rsplit(":", 1)[0] if not host.startswith("[") else host
            pack = self.runtime.hosts.get(host.lower(), self.runtime.default_pack)
        scope[PACK_KEY] = pack
        scope.setdefault(BASE_KEY, "")
        tenant = headers.get(TENANT_HEADER)
        if tenant is not None and not TENANT_NAME.fullmatch(tenant):
            scope[REALM_KEY], scope[TENANT_KEY] = self.runtime.realm(pack), None
            detail = (
                "X-Isosim-Tenant must be 1-64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
            return scope, self._renderer(scope["path"])(400, detail, {})
        scope[TENANT_KEY] = tenant
        scope[REALM_KEY] = self.runtime.realm(pack, tenant)  # seeded once the request is let through
        return scope, None

    def _maintenance(self, scope: Scope) -> Response | None:
        if not self.runtime.settings.maintenance:
            return None
        pack = scope[PACK_KEY]
        now = self.runtime.clock.now()
        until = window_end(pack.manifest.settings.maintenance, now)
        if until is None:
            return None
        detail = f"{pack.manifest.environment} is in a maintenance window until {until:%Y-%m-%dT%H:%M:%SZ}"
        retry = str(max(1, int((until - now).total_seconds())))
        return self._renderer(scope["path"])(503, detail, {"Retry-After": retry})

    def _from_proxy(self, scope: Scope) -> bool:
        """Whether the caller may vouch for a certificate: any caller unless proxies are listed."""
        if not self.proxies:
            return True
        client = scope.get("client")
        try:
            address = ipaddress.ip_address(client[0]) if client else None
        except ValueError:  # a Unix socket or a test client's name
            return False
        return address is not None and any(address in network for network in self.proxies)

    def _identify(self, scope: Scope, headers: dict[str, str]) -> None:
        settings = self.runtime.settings
        subject = headers.get(settings.identity_header.lower())
        try:
            if subject is not None and not self._from_proxy(scope):
                raise identity.BadCredentials(
                    f"the {settings.identity_header} header is taken only from the proxies in "
                    "ISOSIM_TRUSTED_PROXIES"
                )
            scope[IDENTITY_KEY] = identity.resolve(
                scope[PACK_KEY], headers.get("authorization"), subject, settings.default_user
            )
        except identity.BadCredentials as exc:
            scope[IDENTITY_KEY], scope[IDENTITY_ERROR_KEY] = None, exc

    async def named(self, scope: Scope, operation: str, send: Send) -> bool:
        """For services that learn the operation from the message (SOAP): fire the fault rules that
        name an operation. True if a fault answered (the service must stop); False to go on, after
        any injected latency."""
        scope[OPERATION_KEY] = operation
        scope[NOTES_KEY]["operation"] = operation  # the notes are shared with the pipeline's scope
        found = scope.get(IDENTITY_KEY)
        if not self.runtime.faults.any():
            return False
        firing = await run_in_threadpool(
            lambda: self.runtime.faults.fire(
                scope[PACK_KEY].name,
                scope["path"],
                scope["method"],
                operation,
                found.user.name if found else None,
                scope.get(TENANT_KEY),
                named_only=True,
            )
        )
        if firing is None:
            return False
        scope[NOTES_KEY]["firing"] = firing
        spec = firing.fault.spec
        if firing.delay_ms:
            await asyncio.sleep(firing.delay_ms / 1000)
        if spec.action == "latency":
            return False
        if spec.action == "error":
            await self._renderer(scope["path"])(spec.status, spec.message, {})(scope, _no_body, send)
            return True
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
        raise _DropConnection(firing.fault.id)

    async def _fault(self, firing, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[no-untyped-def]
        spec = firing.fault.spec
        if firing.delay_ms:
            await asyncio.sleep(firing.delay_ms / 1000)
        if spec.action == "latency":
            await self._dispatch(scope, receive, send)
        elif spec.action == "error":
            await self._renderer(scope["path"])(spec.status, spec.message, {})(scope, receive, send)
        else:  # drop: promise a body, send none, and let the server close the connection
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]}
            )
            raise _DropConnection(firing.fault.id)

    def _journal(self, scope: Scope, recorder: _Recorder, started: float, firing) -> None:  # type: ignore[no-untyped-def]
        journal = self.runtime.journal
        found = scope.get(IDENTITY_KEY)
        pack = scope.get(PACK_KEY)
        status = 0 if firing and firing.fault.spec.action == "drop" else recorder.status
        elapsed = time.perf_counter() - started
        mounted = self._mounted(scope["path"])
        operation = scope.get(NOTES_KEY, {}).get("operation") or scope.get(OPERATION_KEY)
        if self.runtime.metrics is not None:
            self.runtime.metrics.observe(
                mounted.service.name if mounted else "",
                operation,
                status,
                pack.name if pack else "",
                scope.get(TENANT_KEY),
                elapsed,
                firing.fault.spec.action if firing else None,
            )
        journal.record(
            time=self.runtime.clock.now(),
            pack=pack.name if pack else "",
            tenant=scope.get(TENANT_KEY),
            identity=found.user.name if found else None,
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            status=status,
            duration_ms=round(elapsed * 1000, 3),
            fault=firing.fault.id if firing else None,
            request_body=journal.body(recorder.request_body),
            response_body=journal.body(recorder.response_body),
            service=mounted.service.name if mounted else "",
            operation=operation,
            real_time=time.time(),
            client=scope["client"][0] if scope.get("client") else None,
            content_type=_header(scope, b"content-type"),
            accept=_header(scope, b"accept"),
            body_digest=recorder.body_digest,
            findings=tuple(scope.get(NOTES_KEY, {}).get("findings", ())),
        )


def _header(scope: Scope, name: bytes) -> str | None:
    found = next((v for k, v in scope["headers"] if k == name), None)
    return found[:200].decode("latin-1") if found is not None else None


def note(scope: Scope, rule: str, passed: bool, message: str) -> None:
    """A service's finding about how a client behaved (a conformance rule's evidence), journaled
    with the request."""
    notes = scope.get(NOTES_KEY)
    if notes is not None:
        notes.setdefault("findings", []).append((rule, passed, message))


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class _Recorder:
    """Sees the status (and the first `keep` bytes of each body) go by without holding up the exchange."""

    def __init__(self, send: Send, keep: int) -> None:
        self._send = send
        self._keep = keep
        self.status = 0
        self.request_body = b""
        self.response_body = b""
        self._digest: Any = None  # of the whole request body, for conformance (a resent document)

    @property
    def body_digest(self) -> str | None:
        return self._digest.hexdigest() if self._digest is not None else None

    def wrap_receive(self, receive: Receive) -> Receive:
        async def recording() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                if body:
                    if self._digest is None:
                        self._digest = hashlib.blake2b(digest_size=16)
                    self._digest.update(body)
                if len(self.request_body) < self._keep:
                    self.request_body += body[: self._keep - len(self.request_body)]
            return message

        return recording

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body" and len(self.response_body) < self._keep:
            self.response_body += message.get("body", b"")[: self._keep - len(self.response_body)]
        await self._send(message)
