"""A small typed client of a running isosim's control API (/_isosim), standard library only: the
`isosim` command and the pytest plugin (isosim.testing) use it, and so can any script."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any

TENANT_HEADER = "X-Isosim-Tenant"


class ControlError(Exception):
    """The control API refused a call (status and its detail), or the server could not be reached
    (status 0)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}" if status else detail)
        self.status = status
        self.detail = detail


class Control:
    """The control API of the isosim at `url`, acting on `tenant`'s state where an operation has a
    tenant (reset, snapshot, journal), else on the base state."""

    def __init__(self, url: str, tenant: str | None = None, token: str | None = None, timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.tenant = tenant
        self.token = token
        self.timeout = timeout

    def for_tenant(self, tenant: str | None) -> Control:
        return Control(self.url, tenant, self.token, self.timeout)

    def call(self, verb: str, path: str, body: object = None, query: dict[str, object] | None = None) -> Any:
        """One control call: JSON in and out (None for an empty answer); raises ControlError."""
        text = self.raw(verb, path, body, query)
        return json.loads(text) if text else None

    def raw(self, verb: str, path: str, body: object = None, query: dict[str, object] | None = None) -> bytes:
        """One control call, its answer's bytes as they came; raises ControlError."""
        wanted = {k: str(v) for k, v in (query or {}).items() if v is not None}
        target = f"{self.url}/_isosim{path}" + (f"?{urllib.parse.urlencode(wanted)}" if wanted else "")
        data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(target, data=data, method=verb, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise ControlError(error.code, error.read().decode(errors="replace")) from None
        except OSError as error:
            raise ControlError(0, f"cannot reach {self.url}: {error}") from None

    # --- the server -------------------------------------------------------------------------------

    def ready(self) -> bool:
        try:
            self.call("GET", "/ready")
        except ControlError:
            return False
        return True

    def packs(self) -> list[dict[str, Any]]:
        return self.call("GET", "/packs")

    # --- state ------------------------------------------------------------------------------------

    def reset(self, pack: str | None = None) -> dict[str, Any]:
        return self.call("POST", "/reset", query={"pack": pack, "tenant": self.tenant})

    def tenants(self) -> dict[str, list[str]]:
        return self.call("GET", "/tenants")

    def drop_tenant(self, name: str | None = None) -> dict[str, Any]:
        chosen = name or self.tenant
        if chosen is None:
            raise ValueError("no tenant to drop")
        return self.call("DELETE", f"/tenants/{urllib.parse.quote(chosen, safe='')}")

    def snapshot(self, pack: str | None = None) -> dict[str, Any]:
        return self.call("GET", "/snapshot", query={"pack": pack, "tenant": self.tenant})

    def restore(self, document: dict[str, Any] | bytes) -> dict[str, Any]:
        return self.call("PUT", "/snapshot", document)

    # --- clock ------------------------------------------------------------------------------------

    # The clock: the tenant's own (given one), else the base clock.

    def clock(self) -> dict[str, Any]:
        return self.call("GET", "/clock", query=self._scope())

    def freeze(self, at: datetime | str) -> dict[str, Any]:
        return self.call("PUT", "/clock", {"frozen_at": _instant(at)}, self._scope())

    def run(self, at: datetime | str | None = None, rate: float = 1.0) -> dict[str, Any]:
        body = {"at": _instant(at) if at is not None else None, "rate": rate}
        return self.call("PUT", "/clock", body, self._scope())

    def shift(self, offset_seconds: float, rate: float = 1.0) -> dict[str, Any]:
        return self.call("PUT", "/clock", {"offset_seconds": offset_seconds, "rate": rate}, self._scope())

    def real_time(self) -> dict[str, Any]:
        return self.call("PUT", "/clock", {}, self._scope())

    def follow_base_clock(self) -> dict[str, Any]:
        """The tenant drops its own clock and reads the base clock again."""
        return self.call("DELETE", "/clock", query=self._scope())

    def _scope(self) -> dict[str, object]:
        return {"tenant": self.tenant}

    # --- faults -----------------------------------------------------------------------------------

    def add_fault(self, action: str, **spec: object) -> str:
        """Add a fault rule (latency, error or drop; see the README) and return its id; with a
        tenant, the rule fires on that tenant's requests only."""
        return self.call("POST", "/faults", {"action": action, "tenant": self.tenant, **spec})["id"]

    def faults(self) -> list[dict[str, Any]]:
        return self.call("GET", "/faults", query=self._scope())

    def remove_fault(self, fault_id: str) -> None:
        self.call("DELETE", f"/faults/{urllib.parse.quote(fault_id, safe='')}")

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults", query=self._scope())

    # --- journal ----------------------------------------------------------------------------------

    def journal(self, **filters: object) -> list[dict[str, Any]]:
        """Requests seen (this tenant's when the client has one), oldest first; filters: pack,
        identity, method, path (glob), status, since_id, limit."""
        return self.call("GET", "/journal", query={"tenant": self.tenant, **filters})["entries"]

    def clear_journal(self) -> int:
        return self.call("DELETE", "/journal")["cleared"]

    # --- conformance ------------------------------------------------------------------------------

    def scenario(self, name: str) -> dict[str, Any]:
        """Set a conformance scenario up (for this client's tenant, if it has one)."""
        return self.call(
            "POST", f"/conformance/scenarios/{urllib.parse.quote(name, safe='')}", query=self._scope()
        )

    def conformance(
        self,
        identity: str | None = None,
        client: str | None = None,
        pack: str | None = None,
        format: str = "json",
    ) -> bytes:
        """A caller's conformance report (json, html or junit), as the server wrote it."""
        query = {
            "identity": identity,
            "client": client,
            "pack": pack,
            "tenant": self.tenant,
            "format": format,
        }
        return self.raw("GET", "/conformance", query=query)


def _instant(at: datetime | str) -> str:
    return at.isoformat() if isinstance(at, datetime) else at
