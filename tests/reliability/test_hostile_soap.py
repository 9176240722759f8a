"""Hostile XML against the CAISO SOAP endpoints (a B2B endpoint of a strict pack, and ADS): each gets
a SOAP fault, reads no file, opens no connection, stores nothing, and stays within a memory bound.
The same documents inside attachments (SwA and MTOM parts, ISOAttachment), correctly hashed and
signed, and gzip bombs there, are refused the same way. (A gzip bomb inside an ADS document:
tests/caiso/ads; oversize bodies: tests/caiso/soap.)"""

from __future__ import annotations

import base64
import gzip
import tracemalloc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from isosim.caiso.b2b.schemas import plan
from isosim.caiso.soap import attachments
from isosim.caiso.soap.envelope import SOAP_ENV
from isosim.caiso.soap.security import header_element, sign
from tests.caiso.b2b.conftest import endpoint, message, url
from tests.caiso.soap.conftest import ALPHA, NOW, cert, credentials, fault
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


def refused(client: TestClient, url: str, body: bytes, content_type: str = "text/xml") -> str:
    before = stored(client)
    response = client.post(url, content=body, headers={"Content-Type": content_type, **cert()})
    assert response.status_code == 500, response.text
    assert stored(client) == before
    return fault(response)[1]


def refused_cheaply(client: TestClient, url: str, body: bytes, content_type: str = "text/xml") -> str:
    """refused(), within a memory bound: what parsing and decompressing may cost at most."""
    tracemalloc.start()
    try:
        text = refused(client, url, body, content_type)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, peak
    return text


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
        assert "TOP-SECRET" not in refused_cheaply(soap, ENDPOINTS[endpoint], body), name
    assert listener.connections == 0


def test_xinclude_is_not_processed(soap: TestClient) -> None:
    include = '<xi:include href="/etc/passwd" parse="text"/>'
    body = f'{OPEN}<a xmlns:xi="http://www.w3.org/2001/XInclude">{include}</a>{CLOSE}'
    response = soap.post(
        ENDPOINTS["ads"], content=body.encode(), headers={"Content-Type": "text/xml", **cert()}
    )
    assert response.status_code == 500 and "root:" not in response.text


def _documents(secret: Path, url: str) -> dict[str, bytes]:
    """The same attacks as whole documents (what an attachment carries), and gzip bombs."""
    found = {
        name: body.replace(OPEN.encode(), b"").replace(CLOSE.encode(), b"")
        for name, body in _hostile(secret, url).items()
    }
    found["gzip-bomb"] = b"<a>" + b"0" * 50_000_000 + b"</a>"  # 50 MB once inflated; sent as 50 KB
    return found


@pytest.mark.parametrize(
    "framing",
    ["SubmitMeterData_STLMTv1_AP", "SubmitMeterData_STLMTv1_DocAttach_AP", "SubmitRawBidSet_SIBRv4_AP"],
)
def test_hostile_attachments_are_refused_and_change_nothing(
    soap: TestClient, framing: str, tmp_path: Path, listener: Listener
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    found = endpoint(framing)
    for name, document in _documents(secret, f"http://127.0.0.1:{listener.port}/x").items():
        body, content_type = message(plan(found), document)  # hashed and signed as a client does
        if name == "gzip-bomb":
            assert len(body) < 200_000
        assert "TOP-SECRET" not in refused_cheaply(soap, url(found), body, content_type), name
    assert listener.connections == 0


def test_an_mtom_gzip_bomb_is_refused_cheaply(soap: TestClient) -> None:
    bomb = gzip.compress(b"<a>" + b"0" * 50_000_000 + b"</a>")  # 50 MB once inflated
    headers = attachments.attachment_headers(base64.b64encode(bomb).decode(), "payload@client")
    body = (
        '<submitMeterData_v1 xmlns="http://www.caiso.com/soa/b2b/submitMeterData_v1"><attachment>'
        '<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:payload@client"/>'
        "</attachment></submitMeterData_v1>"
    )
    head = etree.tostring(header_element(ALPHA, NOW)).decode() + headers
    envelope = sign(
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Header>{head}</soapenv:Header>'
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>".encode(),
        *credentials("caiso-production", "sc-alpha-systems"),
    )
    mtom = (
        b"--bomb\r\nContent-Type: application/xop+xml\r\nContent-ID: <root>\r\n\r\n"
        + envelope
        + b"\r\n--bomb\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
        b"Content-ID: <payload@client>\r\n\r\n" + bomb + b"\r\n--bomb--\r\n"
    )
    kind = 'multipart/related; type="application/xop+xml"; start="<root>"; boundary="bomb"'
    assert "larger than" in refused_cheaply(soap, url(endpoint("SubmitMeterData_STLMTv1_AP")), mtom, kind)


def test_a_message_of_too_many_parts_is_refused_before_they_are_parsed(soap: TestClient) -> None:
    boundary = "many"
    part = f"--{boundary}\r\nContent-Type: text/xml\r\nContent-ID: <p{{n}}>\r\n\r\n<x/>\r\n"
    body = "".join(part.format(n=n) for n in range(40_000)) + f"--{boundary}--\r\n"
    kind = f'multipart/related; type="text/xml"; start="<p0>"; boundary="{boundary}"'
    before = stored(soap)
    tracemalloc.start()
    try:
        response = soap.post(
            ENDPOINTS["b2b"], content=body.encode(), headers={"Content-Type": kind, **cert()}
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 413 and "at most 100 MIME parts" in fault(response)[1]
    assert peak < 16 * 1024 * 1024 and stored(soap) == before
