"""The IBT wire format: XML documents of namespace http://xmlns.iso-ne.com/contract/customers,
written as the samples of the specification show them (JAXB-style declaration, two-space indent)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from isosim.core import xml
from isosim.core.clock import naive_utc
from isosim.isone.eastern import format_instant
from isosim.isone.ibt.errors import bad_request

NAMESPACE = "http://xmlns.iso-ne.com/contract/customers"
SCHEMA = "vnd.iso-ne.contract.customers.v1.xsd"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = f"{{{NAMESPACE}}}"


# --- what the codec exchanges with the rules -----------------------------------------------------


@dataclass
class SubaccountVersion:
    begin: datetime
    name: str
    status: str


@dataclass
class Subaccount:
    subaccount_id: str
    versions: list[SubaccountVersion] = field(default_factory=list)


@dataclass
class MappingVersion:
    begin: datetime
    end: datetime | None  # None only in a POST that leaves `end` out
    version: str  # as sent in a POST (ignored); a timestamp text in responses
    subaccount_id: str


@dataclass
class Mapping:
    customer_id: int
    contract_id: int
    market_name: str
    buyer_name: str
    seller_name: str
    contract_begin: datetime
    contract_end: datetime
    status: str
    versions: list[MappingVersion] = field(default_factory=list)


# --- writing ---------------------------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, _NS + tag)
    if text is not None:
        child.text = text
    return child


def _document(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    return DECLARATION + etree.tostring(root, encoding="UTF-8") + b"\n"


def subaccounts_document(subaccounts: Iterable[Subaccount]) -> bytes:
    root = etree.Element(_NS + "subaccounts", nsmap={None: NAMESPACE})
    for subaccount in subaccounts:
        element = _sub(root, "subaccount")
        _sub(element, "subaccount_id", subaccount.subaccount_id)
        for version in subaccount.versions:
            v = _sub(element, "subaccount_version")
            _sub(v, "begin", format_instant(version.begin))
            _sub(v, "subaccount_name", version.name)
            _sub(v, "subaccount_status", version.status)
    return _document(root)


def _fill_mapping(element: etree._Element, mapping: Mapping) -> None:
    _sub(element, "customer_id", str(mapping.customer_id))
    _sub(element, "contract_id", str(mapping.contract_id))
    _sub(element, "market_name", mapping.market_name)
    _sub(element, "buyer_name", mapping.buyer_name)
    _sub(element, "seller_name", mapping.seller_name)
    _sub(element, "contract_begin", format_instant(mapping.contract_begin))
    _sub(element, "contract_end", format_instant(mapping.contract_end))
    _sub(element, "status", mapping.status)
    for version in mapping.versions:
        v = _sub(element, "contract_subaccount_mapping_version")
        _sub(v, "begin", format_instant(version.begin))
        if version.end is not None:
            _sub(v, "end", format_instant(version.end))
        _sub(v, "version", version.version)
        _sub(v, "subaccount_id", version.subaccount_id)


def mappings_document(mappings: Iterable[Mapping], total_record_count: int | None) -> bytes:
    """The collection; `query_info` only for a GET (the POST response of 3.2.9 has none)."""
    root = etree.Element(_NS + "contract_subaccount_mappings", nsmap={None: NAMESPACE})
    if total_record_count is not None:
        _sub(_sub(root, "query_info"), "total_record_count", str(total_record_count))
    for mapping in mappings:
        _fill_mapping(_sub(root, "contract_subaccount_mapping"), mapping)
    return _document(root)


def mapping_document(mapping: Mapping) -> bytes:
    root = etree.Element(_NS + "contract_subaccount_mapping", nsmap={None: NAMESPACE})
    _fill_mapping(root, mapping)
    return _document(root)


# --- reading a POST ------------------------------------------------------------------------------


def read_mappings(body: bytes) -> list[Mapping]:
    """Parse and schema-check a POST body; raises IbtError 400 naming what is wrong."""
    try:
        root = xml.parse(body)
        if root.tag != _NS + "contract_subaccount_mappings":
            raise xml.XmlRejected(
                f"request body must be a contract_subaccount_mappings element of namespace {NAMESPACE}, "
                f"not {root.tag}"
            )
        xml.validate(root, SCHEMA)
    except xml.XmlRejected as exc:
        raise bad_request(str(exc)) from None
    return [_read_mapping(element) for element in root.iterchildren(_NS + "contract_subaccount_mapping")]


def _read_mapping(element: etree._Element) -> Mapping:
    text = {xml.local_name(child): (child.text or "").strip() for child in element}
    versions = [
        MappingVersion(
            begin=_instant(v.findtext(_NS + "begin")),
            end=_instant(v.findtext(_NS + "end")) if v.find(_NS + "end") is not None else None,
            version=(v.findtext(_NS + "version") or "").strip(),
            subaccount_id=(v.findtext(_NS + "subaccount_id") or "").strip(),
        )
        for v in element.iterchildren(_NS + "contract_subaccount_mapping_version")
    ]
    return Mapping(
        customer_id=int(text["customer_id"]),
        contract_id=int(text["contract_id"]),
        market_name=text["market_name"],
        buyer_name=text["buyer_name"],
        seller_name=text["seller_name"],
        contract_begin=_instant(text["contract_begin"]),
        contract_end=_instant(text["contract_end"]),
        status=text["status"],
        versions=versions,
    )


def _instant(value: str | None) -> datetime:
    try:
        return naive_utc(datetime.fromisoformat((value or "").strip()))
    except ValueError:
        raise bad_request(f"{value!r} is not a date/time this service can handle") from None
