"""B2B documents on the wire, for every document shape: a record element is read into a tree
(element name -> its values or subtrees, in document order) and written back from one by its shape,
so one codec serves CAISO's published structures and the conventional ones alike. What a request
asks for and what a submitted record is about are found by the paths datasets.toml gives (or the
conventions' defaults)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from lxml import etree

from isosim.caiso import pacific
from isosim.caiso.b2b import models, schemas, spec
from isosim.caiso.b2b.schemas import Document, Plan, Shape
from isosim.caiso.soap.envelope import SUCCESS, SoapFault, event_time, instant

Tree = models.Tree
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'  # as CAISO's attachments begin


def check(root: etree._Element, document: Document) -> None:
    """A SoapFault naming the first way the document breaks its XSD."""
    name = etree.QName(root)
    if name.namespace != document.namespace or name.localname not in document.roots:
        expected = " or ".join(f"{{{document.namespace}}}{r}" for r in document.roots)
        raise SoapFault(f"the document must be {expected}, not {root.tag}")
    schema = document.schema
    if not schema.validate(root):
        error = schema.error_log.last_error
        where = f"line {error.line}: " if error is not None and error.line else ""
        message = error.message if error is not None else "invalid"
        raise SoapFault(f"{name.localname} is not valid against {document.filename}: {where}{message}")


# --- trees ------------------------------------------------------------------------------------------


def tree(element: etree._Element) -> Tree:
    """An element's content: child name -> texts (leaves) or trees (groups), in document order."""
    found: Tree = {}
    for child in element.iterchildren(etree.Element):
        value: str | Tree = tree(child) if len(child) else (child.text or "").strip()
        found.setdefault(etree.QName(child).localname, []).append(value)
    return found


def values(found: Tree, path: str) -> list:  # type: ignore[type-arg]
    """Every value at a slash-separated path (alternatives separated by |)."""
    result: list = []  # type: ignore[type-arg]
    for option in path.split("|"):
        level: list = [found]  # type: ignore[type-arg]
        for step in option.split("/"):
            level = [v for t in level if isinstance(t, dict) for v in t.get(step, ())]
        result += level
    return result


def first(found: Tree, path: str) -> str:
    for value in values(found, path):
        if isinstance(value, str):
            return value
    return ""


def write(shape: Shape, content: Tree) -> str:
    """The children of `shape` from a tree, in the shape's order; elements the shape does not
    declare are left out."""
    parts = []
    for child in shape.children:
        found = content.get(child.name)
        if not found:
            continue
        name = child.name
        for value in found:
            if type(value) is str:  # the common case first: a leaf's text
                if value:
                    text = escape(value) if ("&" in value or "<" in value or ">" in value) else value
                    parts.append(f"<{name}>{text}</{name}>")
            elif isinstance(value, dict):
                parts.append(f"<{name}>{write(child, value)}</{name}>")
    return "".join(parts)


def header_time(now: datetime) -> str:
    """MessageHeader/TimeDate as CAISO writes it: Pacific wall-clock time, no zone."""
    return now.astimezone(pacific.PACIFIC).strftime("%Y-%m-%dT%H:%M:%S")


def framed(document: Document, payload: str, now: datetime, declaration: str = DECLARATION) -> bytes:
    """A document around its payload: MessageHeader as CAISO writes it (TimeDate in Pacific time,
    Source CAISO, the document's Version) and MessagePayload. Attached documents begin with the XML
    declaration on a line of its own (CAISO's clients skip that line); Body documents have none."""
    return (
        f'{declaration}<{document.root} xmlns="{document.namespace}"><MessageHeader><TimeDate>'
        f"{header_time(now)}</TimeDate><Source>CAISO</Source><Version>{document.version_date}</Version>"
        f"</MessageHeader><MessagePayload>{payload}</MessagePayload></{document.root}>"
    ).encode()


def data(document: Document, records: list[models.Record], now: datetime) -> bytes:
    """A data document holding the records, each under its record element."""
    payload = document.payload
    default = payload.children[0].name
    rows = []
    for record in records:
        name = record.element or default
        shape = payload.index[name]
        rows.append(f"<{name}>{write(shape, record.content())}</{name}>")
    return framed(document, "".join(rows), now)


# --- requests ---------------------------------------------------------------------------------------


def _time(text: str, what: str) -> datetime:
    found = instant(text)
    if found is None:  # an xs:dateTime libxml2 accepted that Python cannot hold (year 0, 24:00)
        raise SoapFault(f"{what} {text!r} is not a time isosim can work with")
    return found


def _leaves(found: Tree, prefix: str = "") -> list[tuple[str, str]]:
    pairs = []
    for name, items in found.items():
        for item in items:
            if isinstance(item, dict):
                pairs += _leaves(item, f"{prefix}{name}/")
            else:
                pairs.append((f"{prefix}{name}", item))
    return pairs


def query(root: etree._Element, plan: Plan) -> models.Query:
    """What a retrieve (or status query, or action) asks for, from its request record."""
    payload = root.find(f"{{{plan.incoming.namespace}}}MessagePayload")
    assert payload is not None  # valid against the XSD
    operation = plan.operation
    dataset = spec.dataset(operation.dataset) if operation.dataset else None
    key = dataset.key if dataset is not None else ""
    start = end = market = execution = transaction = action = ""
    coordinators, names, records, statuses = [], [], [], []
    filters: dict[str, set[str]] = {}
    for path, value in _leaves(tree(payload)):
        steps = path.split("/")
        name, below = steps[-1], steps[1:]  # below the request's record (or query form)
        if name in ("dateTimeStart", "MarketStartTime") or path.endswith("rangePeriod/start"):
            start = value
        elif name in ("dateTimeEnd", "MarketEndTime") or path.endswith("rangePeriod/end"):
            end = value
        elif name == "marketType":
            market = value
        elif name == "executionType":
            execution = value
        elif name == "schedulingCoordinator" or path.endswith("MktOrganisation/mRID"):
            coordinators.append(value)
        elif name == "transactionId" or path.endswith("BatchStatus/mRID"):
            transaction = value
        elif name == "action":
            action = value
        elif (
            name == "recordId"
            or path in ("Outage/mRID", "OutageChangeRequest/mRID")
            or path.endswith(("DistributedEnergyResourceContainer/mRID", "DemandResponseRegistration/mRID"))
        ):
            records.append(value)
        elif name == "outageStatus":
            statuses.append(value)
        elif (key and name.lower() == key.lower()) or (len(steps) > 2 and steps[-2].startswith("Registered")):
            names.append(value)
        else:  # <x>List/<x>: a filter on the records' <x>; <X>List/<y>: on their <X>/<y>
            wrapper = next((i for i, step in enumerate(below[:-1]) if step.endswith("List")), None)
            if wrapper is not None:
                base, rest = below[wrapper].removesuffix("List"), below[wrapper + 1 :]
                same = len(rest) == 1 and rest[0].lower() == base.lower()
                filters.setdefault(rest[0] if same else "/".join([base, *rest]), set()).add(value)
    return models.Query(
        start=_time(start, "the start time") if start else None,
        end=_time(end, "the end time") if end else None,
        market=market,
        execution=execution,
        coordinators=tuple(coordinators),
        names=tuple(names),
        transaction_id=transaction,
        record_ids=tuple(records),
        statuses=tuple(statuses),
        filters={k: frozenset(v) for k, v in filters.items()},
        action=action,
    )


# --- submitted records ------------------------------------------------------------------------------


def submitted(root: etree._Element, plan: Plan) -> list[models.Record]:
    """The records of a submitted document, each with what it is about (coordinator, name, market,
    period) read at its dataset's paths, and its whole content."""
    dataset = spec.dataset(plan.operation.dataset)
    payload = root.find(f"{{{plan.incoming.namespace}}}MessagePayload")
    assert payload is not None
    found = []
    for element in payload.iterchildren(etree.Element):
        kind = etree.QName(element).localname
        if dataset.layout != "bid" and kind != dataset.record_name:
            raise SoapFault(f"{plan.endpoint.operation} takes {dataset.record_name} records, not {kind}")
        content = tree(element)
        intervals = []
        for point in values(content, dataset.path("intervals")):
            if isinstance(point, dict):
                first_at = _time(first(point, dataset.path("interval_start")), "an interval's start")
                last_at = _time(first(point, dataset.path("interval_end")), "an interval's end")
                intervals.append((first_at, last_at))
        span_start, span_end = first(content, dataset.path("start")), first(content, dataset.path("end"))
        if span_start and span_end:
            start, end = _time(span_start, "the start time"), _time(span_end, "the end time")
        elif intervals:
            start, end = min(i[0] for i in intervals), max(i[1] for i in intervals)
        else:
            raise SoapFault(f"{etree.QName(element).localname} has no period")
        coordinator = first(content, dataset.path("coordinator"))
        name = (
            coordinator
            if dataset.key == "SchedulingCoordinator"
            else first(content, dataset.path("name") or dataset.key)
        )
        found.append(
            models.Record(
                dataset=dataset.name,
                coordinator=coordinator,
                name=name,
                start=start,
                end=end,
                market=first(content, dataset.path("market")) if dataset.has_market else "",
                tree=content,
                element=etree.QName(element).localname,
                intervals=tuple(intervals),
            )
        )
    return found


# --- standard outputs -------------------------------------------------------------------------------


def _event_log(transaction: str, description: str, service: str, now: datetime, inner: str = "") -> str:
    """The EventLog of CAISO's CIM standard outputs (OutageStandardOutput, StandardOutput v1): the
    event, what it concerns (`inner`: outages, a batch) and the service."""
    event = (
        f"<Event><creationDateTime>{event_time(now)}</creationDateTime><description>{description}</description>"
        f"<id>{transaction}</id><result>{SUCCESS}</result></Event>"
    )
    service_xml = f"<Service><id>{transaction}</id><name>{service}</name></Service>"
    batch, outages = (inner, "") if inner.startswith("<Batch>") else ("", inner)
    return f"<EventLog>{batch}{event}{outages}{service_xml}</EventLog>"


def outage_output(
    document: Document, service: str, transaction: str, outages: list[models.Record], now: datetime
) -> bytes:
    """OMS's answer to a submission: the event, and each outage's validation (OutageStandardOutput)."""
    rows = []
    for n, item in enumerate(outages, 1):
        own = first(item.tree, "mktOrgOutageID") or first(item.tree, "mRID") or item.record_id
        warning = item.warning
        results = (
            f"<OutageResult><mRID>{transaction}-{n}-1</mRID><description>{escape(warning)}</description>"
            "<status>UNACKNOWLEDGED</status><type>WARNING</type></OutageResult>"
            if warning
            else f"<OutageResult><mRID>{transaction}-{n}-1</mRID><description>Outage received as "
            f"{item.record_id}.</description><type>INFO</type></OutageResult>"
        )
        rows.append(
            f"<Outage><mRID>{item.record_id}</mRID><mktOrgOutageID>{escape(own)}</mktOrgOutageID>"
            f"<OutageValidation><submitStatus>ACCEPTED</submitStatus>{results}</OutageValidation></Outage>"
        )
    log = _event_log(transaction, f"{len(outages)} outage(s) received", service, now, "".join(rows))
    return framed(document, log, now, "")


def batch_output(document: Document, service: str, transaction: str, count: int, now: datetime) -> bytes:
    """DRRS's answer to a submission: StandardOutput v1, its Batch/mRID the handle for
    RetrieveBatchValidationStatus."""
    batch = f"<Batch><mRID>{transaction}</mRID></Batch>"
    return framed(
        document, _event_log(transaction, f"{count} record(s) received", service, now, batch), now, ""
    )


def batch_status(
    document: Document, found: models.BatchState | None, transaction: str, now: datetime
) -> bytes:
    """BatchValidationStatus for a submission: SUCCESS, ERROR (with each record's errors), or an
    unknown batch's ERROR."""
    created = event_time(now)
    if found is None:
        body = (
            f"<BatchStatus><mRID>{escape(transaction)}</mRID><description>ERROR</description></BatchStatus>"
            f"<ErrorLog><errMessage>No batch {escape(transaction)} of yours is known.</errMessage></ErrorLog>"
        )
    else:
        state = "ERROR" if found.errors else "SUCCESS"
        body = (
            f"<BatchStatus><mRID>{found.transaction_id}</mRID><description>{state}</description>"
            f"<creationTime>{created}</creationTime></BatchStatus>"
        )
        for name, problem in found.errors:  # each record's errors, under the resource it names
            body += (
                f"<RegisteredResource><mRID>{escape(name)}</mRID><ErrorLog><errMessage>{escape(problem)}"
                "</errMessage></ErrorLog></RegisteredResource>"
            )
    return framed(document, body, now)


# --- stored records (snapshots) -----------------------------------------------------------------------


def check_stored(records: list[dict], transactions: dict[str, str]) -> None:  # type: ignore[type-arg]
    """Snapshot rows of stored records, held to what a submission could have stored: a submitted
    dataset, and fields that write back into a document its XSD accepts (raises ValueError)."""
    from isosim.caiso import catalogue
    from isosim.caiso.b2b.routes import APPS

    submits: dict[str, list[tuple[str, Document]]] = {}
    for endpoint in catalogue.endpoints():
        if endpoint.app in APPS and endpoint.is_soap:
            operation = spec.operation(endpoint.app, endpoint.base_operation)
            if operation.kind == "submit" and operation.dataset:
                submits.setdefault(operation.dataset, []).append((endpoint.operation, endpoint))  # type: ignore[arg-type]
    for row in records:
        where = f"record {row.get('record_id')!r}"
        found = submits.get(str(row.get("dataset")))
        if not found:
            raise ValueError(f"{where}: no submission stores dataset {row.get('dataset')!r}")
        content = json.loads(str(row.get("fields")))
        stored_tree, element = content.get("tree"), content.get("element", "")
        if not _is_tree(stored_tree, 0) or not isinstance(element, str):
            raise ValueError(f"{where}: fields hold no record tree")
        if any(not isinstance(v, str) for k, v in content.items() if k not in ("tree", "element")):
            raise ValueError(f"{where}: a record's notes are texts")
        sent_by = transactions.get(str(row.get("transaction_id")))
        candidates = [e for name, e in found if name == sent_by] or [e for _, e in found]
        now = datetime.now(UTC)
        record = models.Record("", "", "", now, now, tree=stored_tree, element=element)
        problems = []
        for endpoint in candidates:
            document = schemas.plan(endpoint).incoming  # type: ignore[arg-type]
            if element and element not in document.payload.index:
                problems.append(f"{document.filename} has no {element}")
                continue
            try:
                check(etree.fromstring(data(document, [record], now)), document)
                break
            except SoapFault as fault:
                problems.append(fault.message)
        else:
            raise ValueError(f"{where}: {problems[0] if problems else 'not a submitted record'}")


def _is_tree(value: object, depth: int) -> bool:
    if not isinstance(value, dict) or depth > 30:
        return False
    return all(
        isinstance(key, str)
        and isinstance(items, list)
        and all(isinstance(item, str) or _is_tree(item, depth + 1) for item in items)
        for key, items in value.items()
    )
