"""Hostile XML against the CAISO SOAP endpoints (a B2B endpoint of a strict pack, and ADS): each gets
a SOAP fault, reads no file, opens no connection, stores nothing, and stays within a memory bound.
(A gzip bomb inside an ADS document: tests/caiso/ads; oversize bodies: tests/caiso/soap.)"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.caiso.soap.envelope import SOAP_ENV
from tests.caiso.soap.conftest import cert, fault
from tests.reliability.conftest import Listener

ENDPOINTS = {
    "b2b": "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP",
    "ads": "/env/caiso-production/ADS/APIWebService/v7",
}
OPEN = f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Body>'
CLOSE = "</soapenv:Body></soapenv:Envelope>"
BIG = "x" * 100_000


def stored(client: TestClient) -> object:
    return client.get("/_isosim/snapshot?pack=caiso-production").json()


def refused(client: TestClient, url: str, body: bytes) -> str:
    before = stored(client)
    response = client.post(url, content=body, headers={"Content-Type": "text/xml", **cert()})
    assert response.status_code == 500, response.text
    assert stored(client) == before
    return fault(response)[1]


def _hostile(secret: Path, url: str) -> dict[str, bytes]:
    laughs = (
        '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    return {
        "external-file": f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>{OPEN}<a>&x;</a>{CLOSE}'.encode(),
        "external-url": f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}">]>{OPEN}<a>&x;</a>{CLOSE}'.encode(),
        "dtd-url": f'<!DOCTYPE r SYSTEM "{url}">{OPEN}<a/>{CLOSE}'.encode(),
        "billion-laughs": f"{laughs}{OPEN}<a>&c;</a>{CLOSE}".encode(),
        "quadratic": f'<!DOCTYPE r [<!ENTITY a "{BIG}">]>{OPEN}<a>{"&a;" * 20_000}</a>{CLOSE}'.encode(),
        "deep-nesting": (OPEN + "<a>" * 5000 + "</a>" * 5000 + CLOSE).encode(),
        "invalid-utf8": OPEN.encode() + b"<a>\xff\xfe</a>" + CLOSE.encode(),
        "lying-encoding": b'<?xml version="1.0" encoding="UTF-16"?>' + (OPEN + "<a/>" + CLOSE).encode(),
    }


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_hostile_messages_get_a_fault_read_nothing_and_store_nothing(
    soap: TestClient, endpoint: str, tmp_path: Path, listener: Listener
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    for name, body in _hostile(secret, f"http://127.0.0.1:{listener.port}/x").items():
        tracemalloc.start()
        try:
            text = refused(soap, ENDPOINTS[endpoint], body)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert "TOP-SECRET" not in text, name
        assert peak < 32 * 1024 * 1024, (name, peak)
    assert listener.connections == 0


def test_xinclude_is_not_processed(soap: TestClient) -> None:
    include = '<xi:include href="/etc/passwd" parse="text"/>'
    body = f'{OPEN}<a xmlns:xi="http://www.w3.org/2001/XInclude">{include}</a>{CLOSE}'
    response = soap.post(
        ENDPOINTS["ads"], content=body.encode(), headers={"Content-Type": "text/xml", **cert()}
    )
    assert response.status_code == 500 and "root:" not in response.text
