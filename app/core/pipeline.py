"""The request pipeline every emulated service shares: which pack (environment) a request is for.

A request reaches a pack by a path prefix `/env/<pack>/...` (for clients that only change their
base URL) or by its Host header (for clients that keep the real host name and resolve it to
isosim); otherwise the first pack served answers.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.packs import Pack
from app.core.runtime import Runtime

PACK_KEY = "isosim.pack"
ENV_PREFIX = "/env/"


def pack_of(scope: Scope) -> Pack:
    return scope[PACK_KEY]


class PackRouting:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(ENV_PREFIX):
            name, _, rest = path[len(ENV_PREFIX) :].partition("/")
            pack = self.runtime.packs.get(name)
            if pack is None:
                response = PlainTextResponse(f"No environment named {name!r} is served here", status_code=404)
                await response(scope, receive, send)
                return
            # Only the path is rewritten: Starlette's mounts derive their own root_path from it.
            prefix = ENV_PREFIX + name
            scope = {**scope, "path": "/" + rest}
            if scope.get("raw_path"):
                scope["raw_path"] = scope["raw_path"][len(prefix.encode()) :]
        else:
            pack = self._by_host(scope) or self.runtime.default_pack
        scope[PACK_KEY] = pack
        await self.app(scope, receive, send)

    def _by_host(self, scope: Scope) -> Pack | None:
        for key, value in scope.get("headers", ()):
            if key == b"host":
                host = value.decode("latin-1").rsplit(":", 1)[0] if not value.startswith(b"[") else ""
                return self.runtime.hosts.get(host.lower())
        return None
