"""The shipped compose file publishes isosim on the loopback interface only: its control API changes
state and its identity header is believed, so other machines must not reach it by default."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml  # uvicorn[standard] brings PyYAML

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("file", ["docker-compose.yml", "examples/replicas/docker-compose.yml"])
def test_compose_publishes_every_port_on_loopback_only(file: str) -> None:
    compose = yaml.safe_load((ROOT / file).read_text())
    published = [port for service in compose["services"].values() for port in service.get("ports", [])]
    assert published, "isosim must be reachable from the host"
    for port in published:
        assert str(port).startswith("127.0.0.1:"), port
