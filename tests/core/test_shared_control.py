"""Several isosim processes on one database behave as one server: two `isosim serve` processes
started together on a fresh SQLite file or PostgreSQL database see the same clocks, fault rules
(and how often each fired), rate limits, tenants and state; `isosim serve --workers 2` does too."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import IBT, SAMPLES, as_customer, free_port, wait_until

TENANT = {"X-Isosim-Tenant": "shared"}
HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"
OASIS = (
    "/env/caiso-production/oasisapi/SingleZip?queryname=PRC_LMP&version=12&market_run_id=DAM"
    "&node=TH_NP15_GEN-APND&startdatetime=20261110T08:00-0000&enddatetime=20261111T08:00-0000"
)


def _serve(database: str, port: int, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "isosim.cli", "serve", "--port", str(port), "--log-level", "warning"]
    packs = ["--pack", "isone-sandbox", "--pack", "caiso-production"]
    env = {**os.environ, "ISOSIM_DATABASE_URL": database, "ISOSIM_MAINTENANCE": "false"}
    return subprocess.Popen(
        [*command, *packs, *extra], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/_isosim/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def two_servers(blank_url: str) -> Iterator[tuple[str, str]]:
    ports = [free_port(), free_port()]
    processes = [_serve(blank_url, port) for port in ports]  # started together on a fresh database
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, process in zip(bases, processes, strict=True):
            wait_until(lambda base=base, process=process: _ready(base) or process.poll() is not None, 120)
            assert process.poll() is None, process.stderr.read().decode()[-2000:] if process.stderr else ""
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
            process.wait(15)


def test_the_clock_is_one_for_every_process(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    assert httpx.put(f"{a}/_isosim/clock", json={"frozen_at": "2026-03-10T13:00:00Z"}).status_code == 200
    assert httpx.get(f"{b}/_isosim/clock").json() == {
        "now": "2026-03-10T13:00:00Z",
        "mode": "frozen",
        "rate": 0.0,
    }
    httpx.put(f"{b}/_isosim/clock?tenant=shared", json={"frozen_at": "2030-01-01T00:00:00Z"})
    assert httpx.get(f"{a}/_isosim/clock", headers=TENANT).json()["now"] == "2030-01-01T00:00:00Z"
    assert httpx.get(f"{a}/_isosim/clock").json()["now"] == "2026-03-10T13:00:00Z"


def test_fault_rules_and_their_counts_are_shared(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    rule = {"action": "error", "status": 503, "path": "/sms_oper_contract/*", "count": 1}
    assert httpx.post(f"{a}/_isosim/faults", json=rule).status_code == 201
    assert httpx.get(f"{b}{HISTORY}", headers=as_customer(1)).status_code == 503
    assert httpx.get(f"{a}{HISTORY}", headers=as_customer(1)).status_code == 200  # its one firing is spent
    assert [f["fired"] for f in httpx.get(f"{a}/_isosim/faults").json()] == [1]
    assert httpx.delete(f"{b}/_isosim/faults").status_code == 204
    assert httpx.get(f"{a}/_isosim/faults").json() == []


def test_state_and_tenants_are_shared_and_never_stale(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    body = (SAMPLES / "3.2.8-mappings-post-request.xml").read_bytes()
    headers = {**as_customer(1), **TENANT, "Content-Type": "application/vnd.iso-ne.contract.customers.v1+xml"}
    versions = lambda base: httpx.get(f"{base}{HISTORY}", headers={**as_customer(1), **TENANT}).text.count(  # noqa: E731
        "<contract_subaccount_mapping_version>"
    )
    assert versions(b) == 2
    assert (
        httpx.post(f"{a}{IBT}/1/contractSubaccountMappings", content=body, headers=headers).status_code == 200
    )
    assert versions(b) == 3  # written through one process, read through the other
    assert httpx.get(f"{b}/_isosim/tenants").json()["isone-sandbox"] == ["shared"]
    assert httpx.delete(f"{b}/_isosim/tenants/shared").status_code == 200
    assert versions(a) == 2  # the other process does not serve the dropped copy from a cache
    assert httpx.post(f"{b}/_isosim/reset").status_code == 200


def test_the_oasis_rate_limit_counts_requests_through_every_process(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    assert httpx.get(f"{a}{OASIS}", timeout=60).status_code == 200
    refused = httpx.get(f"{b}{OASIS}", timeout=60)
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 5


def test_workers_share_the_clock_and_state(tmp_path: Path) -> None:
    port = free_port()
    database = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    process = _serve(database, port, "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _ready(base) or process.poll() is not None, 120)
        assert process.poll() is None
        assert (
            httpx.put(f"{base}/_isosim/clock", json={"frozen_at": "2015-07-11T12:01:22Z"}).status_code == 200
        )
        # each request on a new connection: whichever worker takes it answers alike
        assert {httpx.get(f"{base}/_isosim/clock").json()["now"] for _ in range(20)} == {
            "2015-07-11T12:01:22Z"
        }
        body = (SAMPLES / "3.2.8-mappings-post-request.xml").read_bytes()
        headers = {**as_customer(1), "Content-Type": "application/vnd.iso-ne.contract.customers.v1+xml"}
        assert (
            httpx.post(f"{base}{IBT}/1/contractSubaccountMappings", content=body, headers=headers).status_code
            == 200
        )
        counts = {
            httpx.get(f"{base}{HISTORY}", headers=as_customer(1)).text.count(
                "<contract_subaccount_mapping_version>"
            )
            for _ in range(10)
        }
        assert counts == {3}
    finally:
        process.terminate()
        process.wait(15)
