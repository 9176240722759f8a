"""ISO-NE tests: the public-data pack (web services and ISO Express) on the simulated clock."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def feeds(client: TestClient):  # type: ignore[no-untyped-def]
    """The session's simulator with the clock on 20 August 2021, 14:02 EDT."""
    assert client.put("/_isosim/clock", json={"frozen_at": "2021-08-20T18:02:00Z"}).status_code == 200
    return client
