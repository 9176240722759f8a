"""OASIS through HTTP: the caiso-production pack reached by its host name, the clock at a fixed
instant, and helpers that open the zip and read its CSV or XML members the way client code does."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import httpx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from isosim.core import xml
from tests.conftest import make_client

HOST = {"Host": "oasis.caiso.com"}
NS = {"o": "http://www.caiso.com/soa/OASISReport_v1.xsd"}
# Friday 2026-11-20, 12:00 Pacific: tomorrow's day-ahead market is not yet published (13:00).
NOW = "2026-11-20T20:00:00Z"
ONE_DAY = {"startdatetime": "20261110T08:00-0000", "enddatetime": "20261111T08:00-0000"}


@dataclass
class Answer:
    response: httpx.Response
    archive: zipfile.ZipFile

    @property
    def names(self) -> list[str]:
        return self.archive.namelist()

    def rows(self, member: str | None = None) -> list[dict[str, str]]:
        name = member or self.names[0]
        with self.archive.open(name) as handle:
            return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))

    def header(self, member: str | None = None) -> list[str]:
        with self.archive.open(member or self.names[0]) as handle:
            return handle.readline().decode().strip().split(",")

    def document(self) -> etree._Element:
        root = etree.fromstring(self.archive.read(self.names[0]))
        schema = _schema()
        assert schema.validate(root), f"not valid against OASISReport_v1.xsd: {schema.error_log}"
        return root

    def error(self) -> tuple[int, str]:
        assert self.names == ["INVALID_REQUEST.xml"], self.names
        root = self.document()
        return int(root.findtext(".//o:ERR_CODE", namespaces=NS)), root.findtext(
            ".//o:ERR_DESC", namespaces=NS
        )


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(xml.SCHEMA_DIR / "OASISReport_v1.xsd")))


@pytest.fixture
def oasis(app) -> TestClient:  # type: ignore[no-untyped-def]
    with make_client(app) as client:
        assert client.put("/_isosim/clock", json={"frozen_at": NOW}).status_code == 200
        yield client


def fetch(
    client: TestClient, resource: str = "SingleZip", headers: dict[str, str] | None = None, **params
) -> Answer:  # type: ignore[no-untyped-def]
    response = client.get(f"/oasisapi/{resource}", params=params, headers={**HOST, **(headers or {})})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-zip-compressed"
    return Answer(response, zipfile.ZipFile(io.BytesIO(response.content)))


def lmp(client: TestClient, **params) -> Answer:  # type: ignore[no-untyped-def]
    query = {"queryname": "PRC_LMP", "version": "12", "market_run_id": "DAM", "resultformat": "6", **ONE_DAY}
    return fetch(client, **{**query, **params})


def money(text: str) -> Decimal:
    return Decimal(text)
