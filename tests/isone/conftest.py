"""ISO-NE tests: the public-data pack (web services and ISO Express) on the simulated clock."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from fastapi.testclient import TestClient
from requests.adapters import HTTPAdapter


@pytest.fixture
def feeds(client: TestClient):  # type: ignore[no-untyped-def]
    """The session's simulator with the clock on 20 August 2021, 14:02 EDT."""
    assert client.put("/_isosim/clock", json={"frozen_at": "2021-08-20T18:02:00Z"}).status_code == 200
    return client


class ResolveTo(HTTPAdapter):
    """Requests to ISO-NE's real host names sent to isosim's loopback server, the Host header kept:
    what resolving the host to isosim does, without touching the client's code."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        request.headers["Host"] = parts.netloc
        request.url = self.base + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(request, **kwargs)


def resolve_to_isosim(monkeypatch: pytest.MonkeyPatch, base: str, host: str) -> None:
    """Every `requests` call to https://<host>/ goes to isosim at `base`."""
    adapter = ResolveTo(base)
    original = requests.Session.get_adapter

    def get_adapter(self, url):  # type: ignore[no-untyped-def]
        return adapter if url.startswith(f"https://{host}/") else original(self, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
