"""isosim in other projects' test suites: `Control`, a typed client of a running isosim's control API
(isosim.control.client, which the `isosim` command uses too), and a pytest plugin (registered through
the `pytest11` entry point, so installing isosim is enough):

- `isosim_server` (session): a running isosim for the suite, started in-process on a free port with a
  temporary SQLite database (one per pytest-xdist worker), or the one at `--isosim-url` /
  `ISOSIM_URL` / ini `isosim_url`;
- `isosim` (function): the test's own tenant, fresh for it and dropped after it, with `url`,
  `headers` (the tenant header to send) and the control helpers (clock, faults, journal, reset).

Options (command line, or ini without the dashes): `--isosim-pack` (repeatable; ini `isosim_packs`,
one per line), `--isosim-clock` (freeze the test's clock at this instant), `--isosim-setting
NAME=VALUE` (repeatable; ini `isosim_settings`: any ISOSIM_<NAME> setting of the in-process server),
`--isosim-url`. Only the standard library is imported here: pytest loads this module in every run
of an environment where isosim is installed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from isosim.control.client import TENANT_HEADER, Control, ControlError

__all__ = ["TENANT_HEADER", "Control", "ControlError", "Server", "Tenant", "start", "tenant_name"]

# --- the pytest plugin -------------------------------------------------------------------------------


@dataclass
class Server:
    """A running isosim: its base URL and its control API."""

    url: str
    control: Control
    clock: str | None = None  # where each test's clock starts (None: real time)
    _stop: Callable[[], None] | None = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the server if this process started it (one found at a URL keeps running)."""
        if self._stop is not None:
            self._stop()


@dataclass
class Tenant:
    """One test's own copy of the simulated state: send `headers` with every request to `url`."""

    server: Server
    name: str
    control: Control

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def headers(self) -> dict[str, str]:
        return {TENANT_HEADER: self.name}

    def reset(self, pack: str | None = None) -> dict[str, Any]:
        return self.control.reset(pack)

    def freeze(self, at: datetime | str) -> dict[str, Any]:
        return self.control.freeze(at)

    def add_fault(self, action: str, **spec: object) -> str:
        return self.control.add_fault(action, **spec)

    def journal(self, **filters: object) -> list[dict[str, Any]]:
        return self.control.journal(**filters)


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("isosim", "isosim, the ISO web services simulator")
    group.addoption("--isosim-url", help="use the isosim running here instead of starting one")
    group.addoption("--isosim-pack", action="append", help="pack to serve (repeatable; default: all)")
    group.addoption("--isosim-clock", help="freeze the simulated clock here before each test")
    group.addoption(
        "--isosim-setting",
        action="append",
        metavar="NAME=VALUE",
        help="a setting of the in-process server, as ISOSIM_<NAME> (repeatable), e.g. maintenance=false",
    )
    parser.addini("isosim_url", "use the isosim running here instead of starting one")
    parser.addini("isosim_packs", "packs to serve, one per line (default: all)", type="linelist")
    parser.addini("isosim_clock", "freeze the simulated clock here before each test")
    parser.addini(
        "isosim_settings", "settings of the in-process server, NAME=VALUE per line", type="linelist"
    )


def _option(config: Any, name: str) -> Any:
    return config.getoption(f"isosim_{name}") or config.getini(f"isosim_{name}") or None


def start(packs: list[str] | None = None, folder: Path | None = None, **settings: Any) -> Server:
    """Start isosim in this process, in a thread, on a free port (settings as `Settings` takes them;
    a temporary SQLite file unless `database_url` says otherwise); `Server.stop()` stops it."""
    import tempfile

    import uvicorn

    from isosim.core.settings import Settings
    from isosim.main import create_app

    where = folder or Path(tempfile.mkdtemp(prefix="isosim-"))
    values: dict[str, Any] = {"database_url": f"sqlite:///{where / 'isosim.sqlite3'}", "rate_limit": False}
    if packs:
        values["packs"] = packs
    values.update(settings)
    app = create_app(Settings(**values))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", ws="none", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="isosim", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("isosim did not start (see the log above)")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return Server(url, Control(url), _stop=stop)


def _server(request: Any) -> Iterator[Server]:
    config = request.config
    clock = _option(config, "clock")
    url = os.environ.get("ISOSIM_URL") or _option(config, "url")
    if url:
        yield Server(url, Control(url), clock)
        return
    packs = config.getoption("isosim_pack") or config.getini("isosim_packs") or None
    pairs = config.getoption("isosim_setting") or config.getini("isosim_settings") or []
    settings = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator:
            raise ValueError(f"isosim setting {pair!r}: write NAME=VALUE")
        settings[name.strip().lower()] = value.strip()
    server = start(packs, **settings)
    server.clock = clock
    try:
        yield server
    finally:
        server.stop()


_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def tenant_name(nodeid: str, worker: str | None = None) -> str:
    """A tenant name for a test: readable, unique per test and xdist worker, at most 64 characters."""
    digest = hashlib.sha1(f"{worker}|{nodeid}".encode()).hexdigest()[:10]
    readable = _NAME.sub("-", nodeid.rsplit("::", 1)[-1]).strip("-.")[:40] or "test"
    return f"t{digest}-{readable}"


def _tenant(request: Any, isosim_server: Server) -> Iterator[Tenant]:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = tenant_name(request.node.nodeid, worker)
    control = isosim_server.control.for_tenant(name)
    control.reset()  # a fresh copy, whatever an earlier run left
    control.clear_faults()
    if isosim_server.clock:
        control.freeze(isosim_server.clock)  # the tenant's own clock: other tests keep theirs
    try:
        yield Tenant(isosim_server, name, control)
    finally:
        with contextlib.suppress(ControlError):  # the server went away: nothing left to clean
            control.drop_tenant()


def _fixtures() -> tuple[Any, Any]:
    import pytest

    return (
        pytest.fixture(scope="session", name="isosim_server")(_server),
        pytest.fixture(name="isosim")(_tenant),
    )


isosim_server_fixture, isosim_fixture = _fixtures()
