"""ISO Express tests: gridstatus's ISONE client against a live isosim, its www.iso-ne.com requests
(requests and pandas' urllib) resolved to the loopback server with the real Host header."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

import pytest
import requests

from tests.isone.conftest import resolve_to_isosim


class _UrllibResolveTo(urllib.request.BaseHandler):
    """pandas.read_csv(url) opens ISO-NE's URLs with urllib: the same host resolution."""

    handler_order = 100

    def __init__(self, base: str) -> None:
        self.base = base

    def https_request(self, request: urllib.request.Request) -> urllib.request.Request:
        parts = urlsplit(request.full_url)
        if parts.netloc == "www.iso-ne.com":
            request.full_url = self.base + parts.path + (f"?{parts.query}" if parts.query else "")
            request.add_unredirected_header("Host", parts.netloc)
        return request


@pytest.fixture
def isone(live_servers: list[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from gridstatus import ISONE

    assert requests.put(f"{live_servers[0]}/_isosim/clock", json={"frozen_at": "2021-08-20T18:02:00Z"}).ok
    resolve_to_isosim(monkeypatch, live_servers[0], "www.iso-ne.com")
    opener = urllib.request.build_opener(_UrllibResolveTo(live_servers[0]))
    monkeypatch.setattr(urllib.request, "_opener", opener)
    return ISONE()
