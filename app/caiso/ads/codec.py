"""ADS on the wire: rpc-style calls and answers in namespace urn-com-caiso-ads-webservices-api, and the
documents (namespace http://ads.caiso.com) that travel as base64(gzip(xml))."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from lxml import etree

from isosim.caiso.ads.models import INTERVAL, LEAD, Batch, Fleet, instructions
from isosim.caiso.soap import attachments
from isosim.caiso.soap.envelope import ADS_NAMESPACE, SOAP_ENV, SoapFault

DOCUMENT_NAMESPACE = "http://ads.caiso.com"


def argument(call: etree._Element, name: str, required: bool = True) -> str | None:
    """An rpc part by its (unqualified) name."""
    for child in call.iterchildren(etree.Element):
        if etree.QName(child).localname == name:
            return (child.text or "").strip()
    if required:
        raise SoapFault(f"{etree.QName(call).localname} needs the part {name!r}")
    return None


def answer(operation: str, value: str | list[str]) -> bytes:
    """The rpc/literal response: <ns:{operation}Response><return>...</return>."""
    items = value if isinstance(value, list) else None
    inner = "".join(f"<item>{escape(v)}</item>" for v in items) if items is not None else escape(str(value))
    name = f"ns:{operation}Response"
    call = f'<{name} xmlns:ns="{ADS_NAMESPACE}"><return>{inner}</return></{name}>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}">'
        f"<soapenv:Body>{call}</soapenv:Body></soapenv:Envelope>\n"
    ).encode()


def packed(document: str) -> str:
    """base64(gzip(xml)), as ADS carries documents."""
    return attachments.encode(document)


def _t(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _header(found: Batch) -> str:
    status = "VALIDATED" if found.validated_at else "SENT"
    return (
        f"<marketID>RTM</marketID><batchStatus>{status}</batchStatus>"
        f"<batchReceived>{_t(found.start - LEAD)}</batchReceived>"
        f"<batchSent>{_t(found.start - LEAD)}</batchSent>"
        f"<batchExpires>{_t(found.start + INTERVAL)}</batchExpires><batchType>RTD</batchType>"
        f"<startTime>{_t(found.start)}</startTime><dispatchMode>NORMAL</dispatchMode>"
        "<bindingFlag>Y</bindingFlag><revisionNo>1</revisionNo>"
    )


def batch_header(found: Batch) -> str:
    return (
        f'<DispatchBatch xmlns="{DOCUMENT_NAMESPACE}" batchUID="{found.uid}">{_header(found)}</DispatchBatch>'
    )


def batch_document(fleet: Fleet, found: Batch) -> str:
    parts = []
    for item in instructions(fleet, found.coordinator, found.start):
        answered = found.responses.get(item.resource.resource_id, {})
        parts.append(
            f"<instruction><batchUID>{found.uid}</batchUID><resourceId>{escape(item.resource.resource_id)}</resourceId>"
            f"<startTime>{_t(found.start)}</startTime><endTime>{_t(found.start + INTERVAL)}</endTime>"
            f"<dot>{item.dot:.2f}</dot><instructionType>DISPATCH</instructionType>"
            f"<acceptStatus>{answered.get('accept_status', 'NON_RESPONSE')}</acceptStatus>"
            f"<responder>{escape(str(answered.get('responder') or ''))}</responder>"
            f"<reasonCode>{escape(str(answered.get('reason_code') or ''))}</reasonCode>"
            f'<detail><instructionDetail segNo="1"><serviceType>EN</serviceType><mw>{item.dot:.2f}</mw>'
            f"<price>{item.price:.2f}</price></instructionDetail></detail></instruction>"
        )
    return (
        f'<DispatchBatch xmlns="{DOCUMENT_NAMESPACE}" batchUID="{found.uid}">{_header(found)}'
        f"<instructions>{''.join(parts)}</instructions></DispatchBatch>"
    )


def trajectory_document(fleet: Fleet, coordinators: list[str], starts: list[datetime]) -> str:
    points = []
    for coordinator in coordinators:
        for start in starts:
            for item in instructions(fleet, coordinator, start):
                points.append(
                    f"<point><resourceId>{escape(item.resource.resource_id)}</resourceId>"
                    f"<time>{_t(start)}</time><mw>{item.dot:.2f}</mw></point>"
                )
    return f'<TrajectoryData xmlns="{DOCUMENT_NAMESPACE}">{"".join(points)}</TrajectoryData>'
