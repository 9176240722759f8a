"""The pytest plugin as another project uses it: examples/pytest-consumer (a client library and its
tests, using the `isosim` fixture) passes on its own server, under pytest-xdist with a server per
worker, and under pytest-xdist sharing one server (ISOSIM_URL), where only tenants keep the
workers' state, clocks and faults apart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from isosim.testing import start, tenant_name

CONSUMER = Path(__file__).resolve().parents[1] / "examples" / "pytest-consumer"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=CONSUMER,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_the_example_suite_passes_on_its_own_server() -> None:
    result = _run()
    assert result.returncode == 0, result.stdout[-2000:]
    assert "11 passed" in result.stdout


def test_the_example_suite_passes_under_xdist() -> None:
    result = _run("-n", "2")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "11 passed" in result.stdout


def test_workers_sharing_one_server_are_isolated_by_tenants(tmp_path: Path) -> None:
    server = start(["isone-sandbox"], tmp_path)
    try:
        result = _run("-n", "2", env={"ISOSIM_URL": server.url})
        assert result.returncode == 0, result.stdout[-2000:]
        assert "10 passed, 1 skipped" in result.stdout
        # the tests' tenants are gone, and the shared base state and clock were never touched
        assert all(not names for names in server.control.tenants().values())
        assert server.control.faults() == []
        assert server.control.clock()["mode"] == "real"
    finally:
        server.stop()


@pytest.mark.parametrize("worker", [None, "gw0", "gw1"])
def test_tenant_names_are_valid_and_distinct(worker: str | None) -> None:
    names = {tenant_name(f"tests/x.py::test_{n}[{'é' * n}]", worker) for n in range(50)}
    assert len(names) == 50
    assert all(len(n) <= 64 and n[0].isalnum() for n in names)
    assert tenant_name("a::b", "gw0") != tenant_name("a::b", "gw1")
