"""eMarket tests: the isone-sandbox pack (sandboxsmc) through HTTP, as its participants' users.

Documents are written here as text, not by isosim's codec, and answers are read with lxml against
the profile's schema; the pack's own files (assets, reference levels) are read directly as the
oracle for the rules.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from lxml import etree

from tests.conftest import basic

ROOT = Path(__file__).resolve().parents[3]
SANDBOX = "/env/isone-sandbox/emktmui/webservices/rest"
PRODUCTION = "/env/isone-production/emktmui/webservices/rest"
NS = "urn:isosim:isone:emarket:v1"
N = {"e": NS}
XYZ = basic("xyz-ibt", "xyz-ibt-sandbox")  # customer 1, eMarket Read/Write
VIEWER = basic("xyz-viewer", "xyz-viewer-sandbox")  # customer 1, eMarket Read Only
QRS = basic("qrs-ibt", "qrs-ibt-sandbox")  # customer 2, eMarket Read/Write
CT, CC, HYDRO, OIL, PUMPS = (
    "XYZ MILLBROOK CT",
    "XYZ RIVERBEND CC",
    "XYZ FALLS HYDRO",
    "XYZ HARBOR ST",
    "XYZ PUMPS",
)

# Operating day 2026-03-11 (a Wednesday, daylight time: Eastern = UTC-4). Its day-ahead window
# closes at 10:00 EDT on 03-10 (14:00Z); results at 13:30 EDT (17:30Z); re-offers from 18:30 EDT
# (22:30Z on 03-10); the hour beginning 14:00 EDT on 03-11 (18:00Z) locks at 17:30Z.
DAY = "2026-03-11"
STAMP = "20260311"
BEFORE_CLOSE = "2026-03-10T13:59:00Z"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(ROOT / "schemas" / "isone" / "emarket-v1.xsd")))


@cache
def assets(pack: str = "isone-sandbox") -> dict[str, dict[str, str]]:
    with (ROOT / "fixtures" / pack / "emarket" / "assets.csv").open() as f:
        return {row["short_name"]: row for row in csv.DictReader(f)}


@cache
def reference_levels(pack: str = "isone-sandbox") -> dict[tuple[str, int], dict[str, float]]:
    ids = {row["asset_id"]: name for name, row in assets(pack).items()}
    with (ROOT / "fixtures" / pack / "emarket" / "reference_levels.csv").open() as f:
        return {
            (ids[row["asset_id"]], int(row["hour"])): {
                k: float(v) for k, v in row.items() if k not in ("asset_id", "hour")
            }
            for row in csv.DictReader(f)
        }


def clock(client: TestClient, instant: str) -> None:
    assert client.put("/_isosim/clock", json={"frozen_at": instant}).status_code == 200


def hour(time: str, segments: list[tuple[float | None, float]] = (), **attributes: object) -> str:
    written = "".join(f' {k}="{str(v).lower() if isinstance(v, bool) else v}"' for k, v in attributes.items())
    inner = "".join(
        f'<Segment MW="{mw}"' + (f' price="{price}"' if price is not None else "") + "/>"
        for price, mw in segments
    )
    return f'<Hour time="{time}"{written}>{inner}</Hour>'


def units_document(
    root: str,
    item: str,
    units: dict[str, list[str]],
    day: str = DAY,
    market: str | None = "DA",
    daily: str = "",
) -> bytes:
    market_attribute = f' market="{market}"' if market else ""
    body = "".join(
        f"<{item}><UnitShortName>{name}</UnitShortName>{daily}<HourlyProfile>{''.join(hours)}</HourlyProfile></{item}>"
        for name, hours in units.items()
    )
    return f'<{root} xmlns="{NS}" day="{day}"{market_attribute}>{body}</{root}>'.encode()


def offers(units: dict[str, list[str]], day: str = DAY, market: str = "DA", daily: str = "") -> bytes:
    return units_document("SupplyOffers", "SupplyOffer", units, day, market, daily)


def post(
    client: TestClient, resource: str, body: bytes, headers: dict[str, str] = XYZ, base: str = SANDBOX
) -> httpx.Response:
    return client.post(
        f"{base}/{resource}", content=body, headers={**headers, "Content-Type": "application/xml"}
    )


@dataclass
class Outcome:
    status: str
    messages: list[dict[str, str]]

    def codes(self, severity: str | None = None) -> set[str]:
        return {m["code"] for m in self.messages if severity is None or m["severity"] == severity}


def submit(
    client: TestClient, resource: str, body: bytes, headers: dict[str, str] = XYZ, base: str = SANDBOX
) -> Outcome:
    answer = post(client, resource, body, headers, base)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-isosim-format"] == "emarket-inferred/1"
    root = etree.fromstring(answer.content)
    assert schema().validate(root), schema().error_log
    messages = [{**m.attrib, "text": m.text or ""} for m in root.iterfind("e:Message", N)]
    return Outcome(root.get("status"), messages)


def document(
    client: TestClient, path: str, headers: dict[str, str] = XYZ, base: str = SANDBOX
) -> etree._Element:
    answer = client.get(f"{base}/{path}", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(answer.content)
    assert schema().validate(root), schema().error_log
    return root


def unit_hours(root: etree._Element, name: str) -> list[etree._Element]:
    for unit in root:
        if unit.findtext("e:UnitShortName", namespaces=N) == name:
            return unit.findall("e:HourlyProfile/e:Hour", N)
    raise AssertionError(f"no unit {name} in the answer")


def segments_of(element: etree._Element) -> list[tuple[float | None, float]]:
    return [
        (float(s.get("price")) if s.get("price") is not None else None, float(s.get("MW")))
        for s in element.findall("e:Segment", N)
    ]
