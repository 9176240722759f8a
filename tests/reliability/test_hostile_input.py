"""Hostile XML against the IBT POST (the CAISO SOAP endpoints: test_hostile_soap.py): each gets the
service's own 400, reads no file, opens no connection, stores nothing, and is refused before it can
cost memory."""

from __future__ import annotations

import socket
import threading
import tracemalloc

from fastapi.testclient import TestClient

from tests.isone.ibt.test_contract_subaccount_mappings_post import NS_OPEN, post, state
from tests.reliability.conftest import Listener

CLOSE = "</contract_subaccount_mappings>"


def _refused(client: TestClient, body: str | bytes) -> str:
    raw = body.encode() if isinstance(body, str) else body
    before = state(client)
    response = post(client, raw)
    assert response.status_code == 400, response.text
    assert response.text.startswith("Bad Request: ")
    assert state(client) == before
    return response.text


def test_external_entities_by_url_open_no_connection(client: TestClient, listener: Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}/x"
    bodies = [
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{url}">]>{NS_OPEN}&x;{CLOSE}',
        f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "{url}">{NS_OPEN}{CLOSE}',
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{url}"> %p;]>{NS_OPEN}{CLOSE}',
    ]
    for body in bodies:
        _refused(client, body)
    # A schema location hint in an otherwise valid (empty) collection is not followed either.
    hint = f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x {url}"'
    before = state(client)
    assert post(client, f"{NS_OPEN[:-1]} {hint}>{CLOSE}".encode()).status_code == 200
    assert state(client) == before
    assert listener.connections == 0


def test_the_listener_would_see_a_connection(listener: Listener) -> None:
    """The check above can fail: a client that does connect is counted."""
    with socket.create_connection(("127.0.0.1", listener.port)):
        pass
    for _ in range(20):
        if listener.connections:
            break
        threading.Event().wait(0.05)
    assert listener.connections == 1


def test_quadratic_blowup_is_refused_before_expansion(client: TestClient) -> None:
    big = "x" * 100_000
    body = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{big}">]>{NS_OPEN}{"&a;" * 20_000}{CLOSE}'
    tracemalloc.start()
    try:
        text = _refused(client, body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "document type declarations (DTD) are not allowed" in text
    # Expanded, this would be 2 GB of text; refused, it costs a few copies of the 180 kB body.
    assert peak < 20 * 1024 * 1024, peak


def test_a_large_body_within_the_limit_costs_memory_in_proportion(client: TestClient) -> None:
    # 4 MB of well-formed but invalid content: parsed once, rejected by the schema, never multiplied.
    body = f"{NS_OPEN}<junk>{'y' * 4_000_000}</junk>{CLOSE}"
    tracemalloc.start()
    try:
        _refused(client, body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, peak
