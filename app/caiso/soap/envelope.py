"""SOAP 1.1 envelopes as CAISO's services read and write them, and their faults.

A fault is HTTP 500 (as SOAP 1.1 over HTTP requires) whose `detail` carries CAISO's standard output
(`outputDataType`, StandardOutput.xsd of 2006-06-13) with the message in EventLog/Event/description.
Envelopes carry no XML declaration: CAISO's own Python client parses answers as text, which fails on
a declaration naming an encoding.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from lxml import etree

from isosim.core import xml

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
STANDARD_OUTPUT = "http://www.caiso.com/soa/2006-06-13/StandardOutput.xsd"
CAISO_WS_HEADER = "http://www.caiso.com/soa/2006-09-30/CAISOWSHeader.xsd"
ADS_NAMESPACE = "urn-com-caiso-ads-webservices-api"
MEDIA_TYPE = "text/xml"
SUCCESS, FAILURE = "SCSS0001", "SERR0001"  # standard output's Event/result
NO_DATA = "FMWK0008"  # the framework's answer to a retrieve that selects nothing (CAISO's captured answers)
FRAMEWORK = "Caiso-SOA-Framework"


class SoapFault(Exception):
    """A fault to answer: `code` is the SOAP 1.1 faultcode (Client, Server, VersionMismatch)."""

    def __init__(self, message: str, code: str = "Client", status: int = 500) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass(frozen=True)
class Envelope:
    root: etree._Element
    header: etree._Element | None
    body: etree._Element

    @property
    def payload(self) -> etree._Element | None:
        """The Body's first element: the operation's request (document) or call (rpc)."""
        return next(iter(self.body.iterchildren(etree.Element)), None)


def parse(raw: bytes) -> Envelope:
    """The request's envelope, or a SoapFault naming what is wrong with it."""
    try:
        root = xml.parse(raw)
    except xml.XmlRejected as exc:
        raise SoapFault(str(exc).replace("request body", "SOAP message")) from None
    name = etree.QName(root)
    if name.localname != "Envelope":
        raise SoapFault(f"the message is not a SOAP envelope (root element {name.localname!r})")
    if name.namespace != SOAP_ENV:
        raise SoapFault(
            f"SOAP 1.1 envelope namespace {SOAP_ENV} expected, got {name.namespace or 'none'}",
            "VersionMismatch",
        )
    header = root.find(f"{{{SOAP_ENV}}}Header")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None:
        raise SoapFault("the SOAP envelope has no Body")
    return Envelope(root, header, body)


def stamp(instant: datetime) -> str:
    """A CAISO timestamp on the wire: UTC with milliseconds and Z."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def event_time(instant: datetime) -> str:
    """A standard output's creationTime as CAISO's framework writes it: Pacific time with its offset
    and milliseconds (2026-02-16T06:55:10.447-08:00)."""
    from isosim.caiso.pacific import PACIFIC

    return instant.astimezone(PACIFIC).isoformat(timespec="milliseconds")


def instant(text: str | None) -> datetime | None:
    """An xs:dateTime as an aware UTC instant (without an offset: UTC); None if missing or malformed."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def standard_output(
    description: str, service: str, result: str, created: str, transaction: str | None = None
) -> str:
    """CAISO's outputDataType: one event and the service it concerns; `transaction` identifies what
    was done (a submission's transaction id), a fresh id otherwise."""
    transaction = transaction or str(uuid.uuid4())
    success = result == SUCCESS
    kind, severity = ("Business", "INFO") if success else ("Error", "ERROR")
    name, text = escape(service), escape(description)
    return (
        f'<outputDataType xmlns="{STANDARD_OUTPUT}"><EventLog><id>{transaction}</id>'
        f"<name>{name}</name><description>{text}</description><type>{kind}</type>"
        f"<creationTime>{created}</creationTime>"
        "<collectionType>Event</collectionType><collectionQuantity>1</collectionQuantity>"
        f"<Event><result>{result}</result><id>{transaction}</id><name>{name}</name>"
        f"<description>{text}</description><creationTime>{created}</creationTime>"
        f"<severity>{severity}</severity><eventType>{kind}</eventType></Event>"
        f"<Service><id>{transaction}</id><name>{name}</name><description>{name}</description>"
        "<comments/></Service></EventLog></outputDataType>"
    )


def no_data(service: str, created: str) -> str:
    """What a retrieve that selects nothing returns in place of its data document: the framework's
    FMWK0008 event, as CAISO's captured answers show it."""
    transaction = str(uuid.uuid4())
    return (
        f'<outputDataType xmlns="{STANDARD_OUTPUT}"><EventLog><id>{transaction}</id>'
        f"<creationTime>{created}</creationTime><collectionQuantity>1</collectionQuantity>"
        f"<Event><result>{NO_DATA}</result><id>1</id><name>{FRAMEWORK}</name>"
        f"<description>The request returned no data.</description><creationTime>{created}</creationTime>"
        f"<severity>INFO</severity><eventType>FMWK</eventType></Event>"
        f"<Service><id>{transaction}</id><name>{escape(service)}</name><description>{FRAMEWORK}</description>"
        "<comments>None</comments></Service></EventLog></outputDataType>"
    )


def fault(error: SoapFault, service: str, created: str | None = None) -> bytes:
    detail = standard_output(error.message, service, FAILURE, created or event_time(datetime.now(UTC)))
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}">'
        f"<soapenv:Body><soapenv:Fault><faultcode>soapenv:{error.code}</faultcode>"
        f"<faultstring>{escape(error.message)}</faultstring><detail>{detail}</detail>"
        "</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    ).encode()


def message(body: str, header: str = "") -> bytes:
    """A response envelope around Body content (and SOAP headers, if any), on one line: CAISO's
    own client finds the envelope of a multipart answer as one text line."""
    head = f"<soapenv:Header>{header}</soapenv:Header>" if header else ""
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}">{head}<soapenv:Body>{body}</soapenv:Body>'
        "</soapenv:Envelope>"
    ).encode()
