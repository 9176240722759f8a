"""ISO-NE web services documents, XML and JSON, from items in XSD field order.

XML: every element in namespace http://WEBSERV.iso-ne.com (a default xmlns on the root), a
location reference as simple content with attributes (`<Location LocId="4000" LocType="HUB">
.H.INTERNAL_HUB</Location>`), an empty answer as an empty root. JSON as ISO-NE's Jettison mapping
writes it: wrapped in the root's name, attributes as "@Name" strings and text as "$", numbers as
numbers (integral values without a fraction), one item as an object rather than a list, and an empty
answer as "" (WIRE.md 3.2).

Nested elements (a seven-day forecast's MarketDay, a morning report's TieDelivery) are items within
items: a dict is an element with children, a list repeats the element, a key "@Name" is an
attribute. A root written `outer>...>inner` is ISO-NE's second, snake_case style (WIRE.md 3.1): no
namespace, the collection inside an `isone_web_services` element."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from isosim.isone.eastern import EASTERN

NAMESPACE = "http://WEBSERV.iso-ne.com"
XML_TYPE = "application/xml"
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Ref:
    """An element with simple content and attributes: a location (LocId, LocType) and the like."""

    text: str
    attributes: tuple[tuple[str, str], ...]


class Many(list):  # type: ignore[type-arg]
    """A repeated element ISO-NE writes as a JSON array even when it occurs once (FCM results'
    zones and interfaces: gridstatus reads them as arrays)."""


Value = str | int | float | datetime | Ref | None | dict[str, "Value"] | list[dict[str, "Value"]]
Item = dict[str, Value]


@lru_cache(maxsize=65536)
def instant(value: datetime) -> str:
    """2021-08-01T00:00:00.000-04:00: Eastern prevailing time, milliseconds, offset with a colon.
    Cached: a day's answer repeats each interval's time once per location."""
    local = value.astimezone(EASTERN)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond // 1000:03d}{offset[:3]}:{offset[3:]}"


def number(value: float | int) -> int | float:
    """A decimal as ISO-NE's JSON writes it: 17276 rather than 17276.0, 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value: Value) -> str:
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return str(number(value))
    return str(value)


def xml(root: str, item: str, items: list[Item], single: bool = False) -> bytes:
    """The document: `<root>` holding `<item>`s, or (single) the one item as the root itself."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    if ">" in root:  # isone_web_services>...>collection: no namespace
        *outer, inner = root.split(">")
        body = "".join(_element(item, i) for i in items)
        text = f"<{inner}>{body}</{inner}>" if items else f"<{inner}/>"
        for name in reversed(outer):
            text = f"<{name}>{text}</{name}>"
        return (head + text).encode()
    parts = [f'{head}<{root} xmlns="{NAMESPACE}"']
    if single and items:
        parts.append(_attributes(items[0]) + ">" + _children(items[0]) + f"</{root}>")
    elif not items:
        parts.append("/>")
    else:
        parts.append(">" + "".join(_element(item, i) for i in items) + f"</{root}>")
    return "".join(parts).encode()


def _attributes(item: Item) -> str:
    return "".join(f" {k[1:]}={quoteattr(_text(v))}" for k, v in item.items() if k.startswith("@"))


def _element(name: str, item: Item) -> str:
    return f"<{name}{_attributes(item)}>{_children(item)}</{name}>"


def _children(item: Item) -> str:
    out = []
    for name, value in item.items():
        if value is None or name.startswith("@"):
            continue
        if isinstance(value, Ref):
            out.append(_ref_xml(name, value))
        elif isinstance(value, dict):
            out.append(_element(name, value))
        elif isinstance(value, list):
            out.extend(_element(name, v) for v in value)
        else:
            out.append(f"<{name}>{escape(_text(value))}</{name}>")
    return "".join(out)


@lru_cache(maxsize=65536)
def _ref_xml(name: str, value: Ref) -> str:
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in value.attributes)
    return f"<{name}{attributes}>{escape(value.text)}</{name}>"


def _json_value(value: Value) -> object:
    if isinstance(value, dict):
        return _json_item(value)
    if isinstance(value, list):  # a repeated element: one occurrence is an object (WIRE.md 3.2)
        rows = [_json_item(v) for v in value]
        return rows[0] if len(rows) == 1 and not isinstance(value, Many) else rows
    if isinstance(value, Ref):
        return {**{f"@{k}": v for k, v in value.attributes}, "$": value.text}
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number(value)
    return value


def _json_item(item: Item) -> dict[str, object]:
    return {
        name: _text(value) if name.startswith("@") else _json_value(value)  # attributes are strings
        for name, value in item.items()
        if value is not None
    }


def json_document(
    root: str, item: str, items: list[Item], single: bool = False, listed: bool = False
) -> bytes:
    """`listed`: a list even for one item: a singular root (ISO-NE's `current` of five-minute system
    load and of the load forecast) or a collection's items (`current` regulation clearing prices,
    which gridstatus reads as a list)."""
    if not items:
        body: object = ""
    elif single:
        one = len(items) == 1 and not listed
        body = _json_item(items[0]) if one else [_json_item(i) for i in items]
    else:
        rows = [_json_item(i) for i in items]
        body = {item: rows[0] if len(rows) == 1 and not listed else rows}
    if ">" in root:  # isone_web_services>...>collection
        nested: object = body
        for name in reversed(root.split(">")[1:]):
            nested = {name: nested}
        return json.dumps({root.split(">")[0]: nested}, separators=(",", ":")).encode()
    return json.dumps({root: body}, separators=(",", ":")).encode()


# --- LMPs: the large answers (a day of every location), written directly --------------------------


class LmpRow(Protocol):
    begin: datetime
    location: Located
    total: float
    energy: float
    congestion: float
    loss: float


class Located(Protocol):
    loc_id: int
    name: str
    location_type: str


@lru_cache(maxsize=1 << 16)
def _decimal(value: float) -> str:
    """Cached: a day's prices repeat (every location shares its interval's energy price)."""
    return str(int(value)) if value.is_integer() else repr(value)


@lru_cache(maxsize=4096)
def _location_json(loc_id: int, name: str, kind: str) -> str:
    return json.dumps({"@LocId": str(loc_id), "@LocType": kind, "$": name}, separators=(",", ":"))


@lru_cache(maxsize=4096)
def _location_xml(loc_id: int, name: str, kind: str) -> str:
    return f"<Location LocId={quoteattr(str(loc_id))} LocType={quoteattr(kind)}>{escape(name)}</Location>"


def lmp_json(root: str, item: str, rows: list[LmpRow], single: bool = False) -> bytes:
    """The same document json_document writes for LMP items (BeginDate, Location, LmpTotal,
    EnergyComponent, CongestionComponent, LossComponent), a hundred thousand rows a second."""
    if not rows:
        return json.dumps({root: ""}).encode()
    parts = []
    for r in rows:
        where = r.location
        parts.append(
            f'{{"BeginDate":"{instant(r.begin)}","Location":'
            f"{_location_json(where.loc_id, where.name, where.location_type)},"
            f'"LmpTotal":{_decimal(r.total)},"EnergyComponent":{_decimal(r.energy)},'
            f'"CongestionComponent":{_decimal(r.congestion)},"LossComponent":{_decimal(r.loss)}}}'
        )
    if single:
        body = parts[0] if len(parts) == 1 else "[" + ",".join(parts) + "]"
    else:
        listed = parts[0] if len(parts) == 1 else "[" + ",".join(parts) + "]"
        body = f'{{"{item}":{listed}}}'
    return f'{{"{root}":{body}}}'.encode()


def lmp_xml(root: str, item: str, rows: list[LmpRow], single: bool = False) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{root} xmlns="{NAMESPACE}"'
    if not rows:
        return (head + "/>").encode()
    parts = [
        f"<BeginDate>{instant(r.begin)}</BeginDate>"
        f"{_location_xml(r.location.loc_id, r.location.name, r.location.location_type)}"
        f"<LmpTotal>{_decimal(r.total)}</LmpTotal><EnergyComponent>{_decimal(r.energy)}</EnergyComponent>"
        f"<CongestionComponent>{_decimal(r.congestion)}</CongestionComponent>"
        f"<LossComponent>{_decimal(r.loss)}</LossComponent>"
        for r in rows
    ]
    if single:
        return f"{head}>{parts[0]}</{root}>".encode()
    return (head + ">" + "".join(f"<{item}>{p}</{item}>" for p in parts) + f"</{root}>").encode()
