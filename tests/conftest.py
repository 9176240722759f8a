"""Shared test fixtures: the simulator on SQLite and on PostgreSQL, driven through HTTP.

PostgreSQL: the session starts a throwaway server from the Debian `postgresql` package's binaries
(`/usr/lib/postgresql/*/bin`), or uses ISOSIM_TEST_POSTGRES_URL when set. Without either, the
PostgreSQL variants skip with a message saying how to enable them.
"""

from __future__ import annotations

import base64
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import create_engine, text

from isosim.core import xml
from isosim.core.settings import Settings
from isosim.main import create_app

IBT = "/sms_oper_contract/api/customers"
IBT_MEDIA_TYPE = "application/vnd.iso-ne.contract.customers.v1+xml"
IBT_CONTENT_TYPE = f"{IBT_MEDIA_TYPE};charset=UTF-8"
IBT_SCHEMA = "vnd.iso-ne.contract.customers.v1.xsd"
# The instant of the specification's sample POST response (3.2.9).
SAMPLE_POST_INSTANT = "2015-07-11T12:01:22Z"
SAMPLES = Path(__file__).parent / "samples"
# A Wednesday, 10:00 Pacific: every CAISO environment is open (MAP Stage's windows are closed).
CAISO_SOAP_NOW = datetime(2026, 11, 18, 18, 0, tzinfo=UTC)


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# The isone-sandbox IBT user of each customer (fixtures/isone-sandbox/pack.toml).
IBT_USERS = {
    1: "xyz",
    2: "qrs",
    3: "tuv",
    4: "granite",
    5: "pioneer",
    6: "casco",
    7: "nutmeg",
    8: "narragansett",
}


def as_customer(customer_id: int) -> dict[str, str]:
    name = IBT_USERS[customer_id]
    return basic(f"{name}-ibt", f"{name}-ibt-sandbox")


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def post_sample(
    client: httpx.Client, customer_id: int = 1, headers: dict[str, str] | None = None
) -> httpx.Response:
    """POST the specification's sample request body (3.2.8) with the versioned Content-Type."""
    return client.post(
        f"{IBT}/{customer_id}/contractSubaccountMappings",
        content=sample("3.2.8-mappings-post-request.xml"),
        headers={"Content-Type": IBT_CONTENT_TYPE, **(headers or {})},
    )


@cache
def _response_schema() -> etree.XMLSchema:
    # libxml2's validator: fast enough to check every response, and independent of the xmlschema
    # package that checks requests, so the XSD itself is read by two implementations.
    return etree.XMLSchema(etree.parse(str(xml.SCHEMA_DIR / IBT_SCHEMA)))


def _validate_xml_response(response: httpx.Response) -> None:
    """Every XML document the IBT service sends must be valid against the project's XSD."""
    content_type = response.headers.get("content-type", "")
    if response.request.url.path.startswith("/sms_oper_contract") and "xml" in content_type:
        response.read()
        if response.request.method == "HEAD":
            return
        schema = _response_schema()
        assert schema.validate(etree.fromstring(response.content)), (
            f"not valid against {IBT_SCHEMA}: {schema.error_log}"
        )


def make_client(app: FastAPI) -> TestClient:
    client = TestClient(app)
    client.event_hooks["response"].append(_validate_xml_response)
    return client


# --- PostgreSQL -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # The server refuses to run as root; Debian's package creates a `postgres` account for it.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if os.environ.get("ISOSIM_TEST_POSTGRES_URL"):
        yield os.environ["ISOSIM_TEST_POSTGRES_URL"]
        return
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or (os.geteuid() == 0 and not _has_user("postgres")):
        if os.environ.get("ISOSIM_TEST_REQUIRE_POSTGRES"):  # set by .ci/run: CI must not skip these
            pytest.fail(
                "PostgreSQL is required (ISOSIM_TEST_REQUIRE_POSTGRES) but no server binaries were found"
            )
        pytest.skip(
            "PostgreSQL tests need a server: `apt-get install postgresql` (the suite starts its own) "
            "or set ISOSIM_TEST_POSTGRES_URL=postgresql+psycopg://user:pass@host/db"
        )
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="isosim-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres(
            [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(
        _as_postgres(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            _as_postgres(
                [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "isosim"]
            ),
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/isosim"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


# --- the simulator --------------------------------------------------------------------------------


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'isosim.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def shared_app(database_url: str) -> FastAPI:
    # Rate limits off, as CI runs should have them (tests of the limit build their own app).
    return create_app(
        Settings(database_url=database_url, clock_frozen_at=SAMPLE_POST_INSTANT, rate_limit=False)
    )


@pytest.fixture
def blank_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the session's kind: a new SQLite file, or a new PostgreSQL database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'earlier.sqlite3'}"
        return
    name = f"upgrade_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield database_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def app(shared_app: FastAPI) -> FastAPI:
    """The session's simulator, reset to its packs and with the clock at the sample instant."""
    client = TestClient(shared_app)
    assert client.post("/_isosim/reset").status_code == 200
    assert client.put("/_isosim/clock", json={"frozen_at": SAMPLE_POST_INSTANT}).status_code == 200
    assert client.delete("/_isosim/clock").status_code == 200  # tenants' own clocks
    assert client.delete("/_isosim/faults").status_code == 204
    assert client.delete("/_isosim/journal").status_code == 200
    for name in {t for tenants in client.get("/_isosim/tenants").json().values() for t in tenants}:
        assert client.delete(f"/_isosim/tenants/{name}").status_code == 200
    return shared_app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """Acts as the pack's default user, xyz-ibt (customer 1, IBT role)."""
    with make_client(app) as client:  # one event-loop portal for all of the test's requests
        yield client


@pytest.fixture
def fresh_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Build a simulator of its own with particular settings (on a private SQLite file)."""

    def build(**overrides: object) -> FastAPI:
        settings = {"database_url": f"sqlite:///{tmp_path / 'own.sqlite3'}", **overrides}
        return create_app(Settings(**settings))  # type: ignore[arg-type]

    return build


def wait_until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.fixture
def live_servers(app: FastAPI) -> Iterator[list[str]]:
    """The session's simulator served by two uvicorn servers on loopback, each with its own event loop
    (as two workers would be), so that requests spread over both really run at the same time."""
    import threading

    import uvicorn

    servers = [
        uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
        for _ in range(2)
    ]
    threads = [threading.Thread(target=server.run, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    wait_until(lambda: all(server.started for server in servers))
    try:
        yield [f"http://127.0.0.1:{server.config.port}" for server in servers]
    finally:
        for server in servers:
            server.should_exit = True
        for thread in threads:
            thread.join(10)


@cache
def shared_client() -> TestClient:
    """A simulator of its own (in memory) for what every test reads alike: the WSDLs and XSDs a
    client downloads before it builds its messages."""
    client = TestClient(create_app(Settings(database_url="memory", rate_limit=False)))
    client.__enter__()
    return client


@pytest.fixture
def soap(client: TestClient) -> TestClient:
    """The session's simulator with the clock at CAISO_SOAP_NOW, for CAISO SOAP tests."""
    assert client.put("/_isosim/clock", json={"frozen_at": CAISO_SOAP_NOW.isoformat()}).status_code == 200
    return client
