"""Who may use the control API (/_isosim): with `ISOSIM_CONTROL_TOKEN` set, callers that present it;
without, anyone on this machine or its private network for reading, but state changes only from
requests no web page could have forged: no foreign `Origin` (a page on another site posting to
localhost) and a local `Host` (a DNS-rebinding page reaches 127.0.0.1 under its own name)."""

from __future__ import annotations

import hmac
import ipaddress
import re
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

# Probes (compose healthchecks, CI readiness loops) need no token.
OPEN_PATHS = ("/_isosim/health", "/_isosim/ready")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DEFAULT_PORTS = {"http": 80, "https": 443}
_AUTHORITY = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(?P<port>[0-9]{1,5}))?")


def _host_and_port(netloc: str, scheme: str) -> tuple[str, int | None]:
    """(host name, port) of a Host header or an origin's authority; ("", None) when it is not one."""
    found = _AUTHORITY.fullmatch(netloc)
    if found is None:
        return "", None
    name, port = found.group("name").strip("[]").lower(), found.group("port")
    return name, int(port) if port else DEFAULT_PORTS.get(scheme)


def local_host(name: str, extra: list[str]) -> bool:
    """A name no one outside can point at this server: localhost, an IP address, a single-label name
    (a container or service alias on a private network) or one the settings list."""
    if name == "localhost" or name.endswith(".localhost") or "." not in name:
        return bool(name)
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return name in (host.lower() for host in extra)


def _presented(request: Request) -> str | None:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        return credential.strip()
    return request.headers.get("x-isosim-control-token")


def guard(request: Request) -> None:
    """A dependency of every control route: 401 without the token when one is set, 403 for a
    state change a browser page could have sent."""
    settings = request.app.state.runtime.settings
    if settings.control_token:
        if request.url.path in OPEN_PATHS:
            return
        presented = _presented(request)
        if presented is None or not hmac.compare_digest(presented.encode(), settings.control_token.encode()):
            raise HTTPException(
                401,
                "the control API needs the token ISOSIM_CONTROL_TOKEN: send Authorization: Bearer <token>",
                headers={"WWW-Authenticate": 'Bearer realm="isosim control"'},
            )
        return
    if request.method in SAFE_METHODS:
        return
    scheme = request.url.scheme
    host_header = request.headers.get("host", "")
    host, port = _host_and_port(host_header, scheme)
    if not local_host(host, settings.control_hosts):
        raise HTTPException(
            403,
            f"control requests that change state are taken for local host names only, not {host_header!r}:"
            " add it to ISOSIM_CONTROL_HOSTS, or set ISOSIM_CONTROL_TOKEN",
        )
    origin = request.headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if parts.scheme not in DEFAULT_PORTS or _host_and_port(parts.netloc, parts.scheme) != (host, port):
            raise HTTPException(
                403,
                "control requests that change state are not taken from other sites' pages "
                f"(Origin {origin!r})",
            )
