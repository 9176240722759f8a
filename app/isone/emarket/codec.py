"""eMarket's wire format: isosim's message profile v1 (schemas/isone/emarket-v1.xsd), INFERRED.

ISO-NE's eMarket Data Exchange Specification is not public; this module is the only place that
knows the XML, so the real format can replace it. Requests are checked against the schema first
(malformed or invalid: the caller's error, HTTP 400), then read into plain values; rules.py judges
them. Answers are written here from the values rules.py and results.py compute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from isosim.core import xml
from isosim.isone.eastern import EASTERN

NS = "urn:isosim:isone:emarket:v1"
SCHEMA = "isone/emarket-v1.xsd"
FORMAT = "emarket-inferred/1"  # the X-Isosim-Format header of every eMarket answer
MEDIA_TYPE = "application/xml"
_Q = f"{{{NS}}}"

# offer hour attribute -> the stored field it fills (rules.OFFER_FIELDS: every re-offerable or not)
OFFER_ATTRIBUTES = {
    "noLoadPrice": "no_load",
    "coldStartPrice": "cold_start",
    "intermediateStartPrice": "intermediate_start",
    "hotStartPrice": "hot_start",
    "coldNotificationTime": "cold_notification",
    "intermediateNotificationTime": "intermediate_notification",
    "hotNotificationTime": "hot_notification",
    "coldStartupTime": "cold_startup",
    "intermediateStartupTime": "intermediate_startup",
    "hotStartupTime": "hot_startup",
    "rampRate": "ramp_rate",
    "claim10": "claim10",
    "claim30": "claim30",
    "useOfferSlope": "use_offer_slope",
    "useStartupNoLoad": "use_startup_no_load",
    "fuelType": "fuel_type",
    "fuelBlend": "fuel_blend",
    "fuelPriceAdjustment": "fuel_price_adjustment",
}
DARD_ATTRIBUTES = {"useOfferSlope": "use_offer_slope", "rampRate": "ramp_rate"}
SCHEDULE_GENERATOR = {
    "emergencyMin": "emergency_min",
    "ecoMin": "eco_min",
    "ecoMax": "eco_max",
    "rthol": "rthol",
}
SCHEDULE_DARD = {"minConsumption": "eco_min", "maxConsumption": "eco_max"}
SCHEDULE_ATTRIBUTES = SCHEDULE_GENERATOR | SCHEDULE_DARD
DAILY_ATTRIBUTES = {
    "minRunTime": "min_run_time",
    "minDownTime": "min_down_time",
    "hotToCold": "hot_to_cold",
    "hotToIntermediate": "hot_to_intermediate",
    "maxDailyEnergy": "max_daily_energy",
}
_TEXT = {"cold_notification", "intermediate_notification", "hot_notification", "cold_startup"}
_TEXT |= {"intermediate_startup", "hot_startup", "fuel_type", "min_run_time", "min_down_time"}
_TEXT |= {"hot_to_cold", "hot_to_intermediate", "status"}
_FLAGS = {"use_offer_slope", "use_startup_no_load"}


@dataclass
class HourIn:
    """One `Hour` of a request: its `time` as written, the values it sets, and its segments."""

    time: str
    values: dict[str, object] = field(default_factory=dict)
    segments: list[tuple[float | None, float]] | None = None  # None: the element has no Segment


@dataclass
class UnitIn:
    name: str  # UnitShortName, or a demand bid's bidId
    hours: list[HourIn]
    daily: dict[str, object] | None = None
    location: int | None = None  # demand bids: ID
    bid_type: str | None = None


@dataclass
class Submission:
    kind: str  # supplyoffer, dardbid, scheduledetail, demandbid
    day: date
    market: str
    units: list[UnitIn]


ROOTS = {"SupplyOffers": "supplyoffer", "DardBids": "dardbid", "ScheduleDetails": "scheduledetail"}
ROOTS["DemandBids"] = "demandbid"
_ITEMS = {"supplyoffer": "SupplyOffer", "dardbid": "DardBid", "scheduledetail": "ScheduleDetail"}
_ITEMS["demandbid"] = "DemandBid"
_ATTRIBUTES = {"supplyoffer": OFFER_ATTRIBUTES, "dardbid": DARD_ATTRIBUTES}
_ATTRIBUTES["scheduledetail"] = SCHEDULE_ATTRIBUTES
_ATTRIBUTES["demandbid"] = {}


def _value(name: str, text: str) -> object:
    if name in _FLAGS:
        return text.strip() in ("true", "1")
    if name in _TEXT:
        return text
    return float(Decimal(text))  # the schema has bounded it to 12 digits


def read(body: bytes, kind: str) -> Submission:
    """A submission of `kind` (the path's resource). Raises xml.XmlRejected saying what is wrong."""
    root = xml.parse(body)
    expected = _ITEMS[kind] + "s"
    if root.tag != _Q + expected:
        raise xml.XmlRejected(f"this resource takes a {expected} document in namespace {NS}, not {root.tag}")
    xml.validate(root, SCHEMA)
    attributes = _ATTRIBUTES[kind]
    units = []
    for item in root.iterchildren(_Q + _ITEMS[kind]):
        hours = []
        for hour in item.iter(_Q + "Hour"):
            values = {}
            for attribute, name in attributes.items():
                text = hour.get(attribute)
                if text is not None:
                    values[name] = _value(name, text)
            if kind == "scheduledetail":
                values["status"] = hour.get("status")
            segments = [
                (
                    float(Decimal(s.get("price"))) if s.get("price") is not None else None,
                    float(Decimal(s.get("MW"))),
                )
                for s in hour.iterchildren(_Q + "Segment")
            ]
            ramps = [
                (float(Decimal(r.get("MW"))), float(Decimal(r.get("rate"))))
                for r in hour.iterchildren(_Q + "RampRate")
            ]
            if ramps:
                values["ramp_curve"] = ramps
            hours.append(
                HourIn(hour.get("time"), values, segments if segments or kind != "scheduledetail" else None)
            )
        daily_element = item.find(_Q + "Daily")
        daily = None
        if daily_element is not None:
            daily = {
                name: _value(name, daily_element.get(a))
                for a, name in DAILY_ATTRIBUTES.items()
                if daily_element.get(a) is not None
            }
        name_element = item.find(_Q + "UnitShortName")
        units.append(
            UnitIn(
                name=name_element.text or "" if name_element is not None else item.get("bidId", ""),
                hours=hours,
                daily=daily,
                location=int(item.get("ID")) if item.get("ID") else None,
                bid_type=item.get("bidType"),
            )
        )
    return Submission(kind, date.fromisoformat(root.get("day")), root.get("market", "DA"), units)


# --- answers -----------------------------------------------------------------------------------------


def instant(begin: datetime) -> str:
    """An hour's `time`: ISO 8601 with the prevailing Eastern offset (-04:00 in daylight time)."""
    return begin.astimezone(EASTERN).isoformat()


def number(value: float | None) -> str:
    """A number as eMarket writes it: no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _element(parent: etree._Element | None, name: str, **attributes: str) -> etree._Element:
    tag = _Q + name
    made = etree.Element(tag, nsmap={None: NS}) if parent is None else etree.SubElement(parent, tag)
    for key, value in attributes.items():
        made.set(key, value)
    return made


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return number(float(value))
    return str(value)


def _document(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Message:
    severity: str  # ERROR or WARNING
    code: str
    text: str
    unit: str | None = None
    time: datetime | None = None
    segment: int | None = None


def submit_response(status: str, day: date | None, market: str | None, messages: Sequence[Message]) -> bytes:
    root = _element(None, "SubmitResponse", status=status)
    if day is not None:
        root.set("day", day.isoformat())
    if market is not None:
        root.set("market", market)
    for m in messages:
        element = _element(root, "Message", severity=m.severity, code=m.code)
        if m.unit is not None:
            element.set("unit", m.unit)
        if m.time is not None:
            element.set("time", instant(m.time))
        if m.segment is not None:
            element.set("segment", str(m.segment))
        element.text = m.text
    return _document(root)


@dataclass(frozen=True)
class HourOut:
    begin: datetime
    values: dict[str, object]  # stored field name -> value (None: not written)
    segments: tuple[tuple[float | None, float], ...] = ()
    source: str | None = None


def profile_document(
    kind: str,
    day: date,
    market: str | None,
    units: Iterable[tuple[str, bool, dict[str, object] | None, list[HourOut]]],
) -> bytes:
    """A query's answer: the same document a participant submits, every hour filled in."""
    root = _element(None, _ITEMS[kind] + "s", day=day.isoformat())
    if market is not None and kind in ("supplyoffer", "dardbid"):
        root.set("market", market)
    for name, dard, daily, hours in units:
        attributes = _ATTRIBUTES[kind]
        if kind == "scheduledetail":
            attributes = SCHEDULE_DARD if dard else SCHEDULE_GENERATOR
        item = _element(root, _ITEMS[kind])
        _element(item, "UnitShortName").text = name
        if daily:
            written = {a: _text(daily[n]) for a, n in DAILY_ATTRIBUTES.items() if daily.get(n) is not None}
            _element(item, "Daily", **written)
        profile = _element(item, "HourlyProfile")
        for hour in hours:
            element = _element(profile, "Hour", time=instant(hour.begin))
            if kind == "scheduledetail":
                element.set("status", str(hour.values["status"]))
            for attribute, field_name in attributes.items():
                value = hour.values.get(field_name)
                if value is not None:
                    element.set(attribute, _text(value))
            if hour.source is not None:
                element.set("source", hour.source)
            for price, mw in hour.segments:
                segment = _element(element, "Segment", MW=number(mw))
                if price is not None:
                    segment.set("price", number(price))
            for mw, rate in hour.values.get("ramp_curve") or ():  # type: ignore[union-attr]
                _element(element, "RampRate", MW=number(mw), rate=number(rate))
    return _document(root)


def demand_bids_document(day: date, bids: Iterable[tuple[str, int, str, list[HourOut]]]) -> bytes:
    root = _element(None, "DemandBids", day=day.isoformat())
    for bid_id, location, bid_type, hours in bids:
        item = _element(root, "DemandBid", ID=str(location), bidType=bid_type, bidId=bid_id)
        profile = _element(item, "HourlyProfile")
        for hour in hours:
            element = _element(profile, "Hour", time=instant(hour.begin))
            for price, mw in hour.segments:
                segment = _element(element, "Segment", MW=number(mw))
                if price is not None:
                    segment.set("price", number(price))
    return _document(root)


def awards_document(day: date, units: Iterable[tuple[str, list[tuple[datetime, float, float]]]]) -> bytes:
    """rest/unit/byparticipant: each unit's day-ahead MW and price, hour by hour."""
    root = _element(None, "UnitsByParticipant", day=day.isoformat())
    for name, hours in units:
        unit = _element(root, "Unit")
        _element(unit, "UnitShortName").text = name
        profile = _element(unit, "HourlyProfile")
        for begin, mw, price in hours:
            _element(profile, "Hour", time=instant(begin), MW=number(mw), price=number(price))
    return _document(root)


def system_summary_document(day: date, hours: Iterable[tuple[datetime, float, float]]) -> bytes:
    root = _element(None, "SystemSummary", day=day.isoformat())
    hours = list(hours)
    if hours:
        profile = _element(root, "HourlyProfile")
        for begin, demand, hub in hours:
            _element(profile, "Hour", time=instant(begin), clearedDemand=number(demand), hubPrice=number(hub))
    return _document(root)


def reference_levels_document(
    day: date, market: str, units: Iterable[tuple[str, list[tuple[datetime, dict[str, float], bool]]]]
) -> bytes:
    root = _element(None, "ReferenceLevels", day=day.isoformat(), market=market)
    for name, hours in units:
        unit = _element(root, "ReferenceLevel")
        _element(unit, "UnitShortName").text = name
        profile = _element(unit, "HourlyProfile")
        for begin, levels, adjusted in hours:
            _element(
                profile,
                "Hour",
                time=instant(begin),
                energy=number(levels["energy"]),
                coldStartPrice=number(levels["cold_start"]),
                intermediateStartPrice=number(levels["intermediate_start"]),
                hotStartPrice=number(levels["hot_start"]),
                noLoadPrice=number(levels["no_load"]),
                fuelPriceAdjusted=_text(adjusted),
            )
    return _document(root)


@dataclass(frozen=True)
class ConductTest:
    unit: str
    begin: datetime
    test: str
    offer: float
    reference: float
    threshold: float

    @property
    def failed(self) -> bool:
        return self.offer > self.threshold + 1e-9


def conduct_document(day: date, market: str, tests: Iterable[ConductTest]) -> bytes:
    root = _element(None, "ConductTests", day=day.isoformat(), market=market)
    for t in tests:
        _element(
            root,
            "ConductTest",
            unit=t.unit,
            time=instant(t.begin),
            test=t.test,
            offer=number(t.offer),
            reference=number(t.reference),
            threshold=number(t.threshold),
            result="FAIL" if t.failed else "PASS",
        )
    return _document(root)
