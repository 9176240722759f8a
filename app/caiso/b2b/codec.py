"""B2B documents on the wire: reading a request or submitted document (already valid against its
XSD) into the rules' terms, and writing data documents and standard outputs."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from lxml import etree

from app.caiso.b2b import models, spec
from app.caiso.b2b.schemas import STATUS_FIELDS, Document, Plan, window_elements
from app.caiso.soap.envelope import SoapFault, instant, stamp


def _instant(text: str) -> datetime:
    """An instant of a document already valid against its XSD (xs:dateTime)."""
    found = instant(text)
    assert found is not None, text
    return found


def check(root: etree._Element, document: Document) -> None:
    """A SoapFault naming the first way the document breaks its XSD."""
    if root.tag != f"{{{document.namespace}}}{document.root}":
        raise SoapFault(f"the document must be {{{document.namespace}}}{document.root}, not {root.tag}")
    schema = document.schema
    if not schema.validate(root):
        error = schema.error_log.last_error
        where = f"line {error.line}: " if error is not None and error.line else ""
        message = error.message if error is not None else "invalid"
        raise SoapFault(f"{document.root} is not valid against {document.filename}: {where}{message}")


def _records(root: etree._Element, document: Document) -> list[etree._Element]:
    return root.findall(f"{{{document.namespace}}}MessagePayload/{{{document.namespace}}}{document.record}")


def _texts(record: etree._Element, name: str) -> list[str]:
    return [(e.text or "").strip() for e in record if etree.QName(e).localname == name]


def _text(record: etree._Element, name: str) -> str:
    found = _texts(record, name)
    return found[0] if found else ""


def query(root: etree._Element, plan: Plan) -> models.Query:
    record = _records(root, plan.incoming)[0]
    start, end = window_elements(plan.operation.app)
    first, last = _text(record, start), _text(record, end)
    key = spec.dataset(plan.operation.dataset).key if plan.operation.dataset else ""
    return models.Query(
        start=_instant(first) if first else None,
        end=_instant(last) if last else None,
        market=_text(record, "marketType"),
        execution=_text(record, "executionType"),
        coordinators=tuple(_texts(record, "SchedulingCoordinator")),
        names=tuple(_texts(record, key)) if key and key != "SchedulingCoordinator" else (),
        transaction_id=_text(record, "transactionId"),
    )


def submitted(root: etree._Element, plan: Plan) -> list[models.Record]:
    dataset = spec.dataset(plan.operation.dataset)
    found = []
    for record in _records(root, plan.incoming):
        coordinator = _text(record, "SchedulingCoordinator")
        name = coordinator if dataset.key == "SchedulingCoordinator" else _text(record, dataset.key)
        values = {}
        for column in dataset.columns:
            texts = _texts(record, column.name)
            if texts:
                values[column.name] = texts[0]
        found.append(
            models.Record(
                dataset=dataset.name,
                coordinator=coordinator,
                name=name,
                start=_instant(_text(record, "startTime")),
                end=_instant(_text(record, "endTime")),
                market=_text(record, "marketType"),
                values=values,
            )
        )
    return found


def action(root: etree._Element, plan: Plan) -> models.ActionRequest:
    record = _records(root, plan.incoming)[0]
    return models.ActionRequest(
        _text(record, "action"), _text(record, "transactionId"), tuple(_texts(record, "recordId"))
    )


def _wrap(document: Document, records: str, source: str, now: datetime) -> bytes:
    """The document around its records: MessageHeader{TimeDate, Source, Version}, MessagePayload."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{document.root} xmlns="{document.namespace}">'
        f"<MessageHeader><TimeDate>{stamp(now)}</TimeDate><Source>{source}</Source>"
        f"<Version>{document.version}</Version></MessageHeader>"
        f"<MessagePayload>{records}</MessagePayload></{document.root}>\n"
    ).encode()


def data(document: Document, key: str, records: list[models.Record], source: str, now: datetime) -> bytes:
    """A data document holding the records, with the elements its XSD declares, in order; `key` is
    the dataset's key element (resource, location, ...)."""
    names = [e.name for e in document.elements]
    stamps: dict[datetime, str] = {}  # many records share their interval's instants

    def when(at: datetime) -> str:
        found = stamps.get(at)
        if found is None:
            found = stamps[at] = stamp(at)
        return found

    rows = []
    for item in records:
        known = {
            "recordId": item.record_id,
            "SchedulingCoordinator": item.coordinator,
            "startTime": when(item.start),
            "endTime": when(item.end),
            "marketType": item.market,
            "executionType": item.execution,
            "status": item.status,
            "errors": item.errors,
            "transactionId": item.transaction_id,
            "receivedTime": when(item.received) if item.received else "",
            key: item.name,
        }
        cells = []
        for name in names:
            value = item.values.get(name) if name in item.values else known.get(name)
            if value:
                if "&" in value or "<" in value or ">" in value:
                    value = escape(value)
                cells.append(f"<{name}>{value}</{name}>")
        rows.append(f"<{document.record}>{''.join(cells)}</{document.record}>")
    return _wrap(document, "".join(rows), source, now)


def status(document: Document, rows: list[dict[str, str]], source: str, now: datetime) -> bytes:
    records = "".join(
        f"<{document.record}>"
        + "".join(f"<{n}>{escape(row[n])}</{n}>" for n in STATUS_FIELDS if row.get(n))
        + f"</{document.record}>"
        for row in rows
    )
    return _wrap(document, records, source, now)
