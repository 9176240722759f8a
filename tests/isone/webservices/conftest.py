"""ISO-NE web services tests: the isone-production pack through HTTP, as an ISO Express account."""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from lxml import etree

BASE = "/env/isone-production/api/v1.1"
ACCOUNT = ("analyst@example.com", "isoexpress-sandbox")
NS = {"w": "http://WEBSERV.iso-ne.com"}
SCHEMAS = Path(__file__).resolve().parents[3] / "schemas" / "isone"


def auth(user: str = ACCOUNT[0], password: str = ACCOUNT[1]) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@cache
def schema(name: str = "webservices-v1.1.xsd") -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def get(client: TestClient, path: str, **headers: str) -> httpx.Response:
    return client.get(BASE + path, headers={**auth(), **headers}, follow_redirects=False)


def xml_of(client: TestClient, path: str) -> etree._Element:
    """An XML answer, checked against the project's schema (written to match ISO-NE's XSD; its
    second, snake_case style against the second schema)."""
    answer = get(client, path)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(answer.content)
    checker = schema("webservices-ns1.xsd" if root.tag == "isone_web_services" else "webservices-v1.1.xsd")
    assert checker.validate(root), checker.error_log
    return root


def json_of(client: TestClient, path: str) -> dict:
    answer = get(client, path + ".json")
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/json")
    return json.loads(answer.content)


def rows(document: dict, root: str, item: str) -> list[dict]:
    """The items of a JSON answer, whether ISO-NE wrote one (an object) or several (a list)."""
    body = document[root]
    if body == "":
        return []
    found = body[item]
    return found if isinstance(found, list) else [found]


def at(client: TestClient, instant: str) -> None:
    assert client.put("/_isosim/clock", json={"frozen_at": instant}).status_code == 200
