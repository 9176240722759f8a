"""OASIS on the wire: report files in CSV (resultformat=6) or XML, their member names, the zip that
always carries them (streamed: a month of nodal prices never sits in memory), and the error
document INVALID_REQUEST.xml."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from isosim.caiso.oasis.catalogue import Report
from isosim.caiso.oasis.errors import OasisError
from isosim.caiso.oasis.models import Block, Series
from isosim.caiso.pacific import PACIFIC, Interval, day_bounds

NAMESPACE = "http://www.caiso.com/soa/OASISReport_v1.xsd"
MEDIA_TYPE = "application/x-zip-compressed"
MESSAGE_VERSION = "v20131201"
DISCLAIMER = (
    "The contents of these pages are subject to change without notice. Decisions based on information "
    "contained within the California ISO's web site are the visitor's sole responsibility."
)
CSV_FORMAT = "6"
_FLUSH_BYTES = 256 * 1024

# --- timestamps and names ------------------------------------------------------------------------


def gmt(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S-00:00")


def _local(instant: datetime) -> str:
    text = instant.astimezone(PACIFIC).strftime("%Y-%m-%dT%H:%M:%S%z")
    return f"{text[:-2]}:{text[-2:]}"


def stamp(now: datetime) -> str:
    return now.astimezone(PACIFIC).strftime("%Y%m%d_%H_%M_%S")


def stem(report: str, market: str, start: datetime, end: datetime, version: int, now: datetime) -> str:
    """`<start>_<end>_<QUERY>_<MKT>_<yyyymmdd_hh_mm_ss>_v<N>`, the dates being trading days."""
    first, last = start.astimezone(PACIFIC), end.astimezone(PACIFIC)
    return f"{first:%Y%m%d}_{last:%Y%m%d}_{report}_{market}_{stamp(now)}_v{version}"


def csv_member(
    report: str, market: str, start: datetime, end: datetime, version: int, label: str | None
) -> str:
    first, last = start.astimezone(PACIFIC), end.astimezone(PACIFIC)
    component = f"_{label}" if label else ""
    return f"{first:%Y%m%d}_{last:%Y%m%d}_{report}_{market}{component}_v{version}.csv"


def disposition(filename: str) -> str:
    return f"inline; filename={filename};"


# --- CSV -------------------------------------------------------------------------------------------

# Columns filled from the interval; the others come from the block and series.
_INTERVAL_FIELDS = {
    "INTERVALSTARTTIME_GMT": 0,
    "INTERVALENDTIME_GMT": 1,
    "OPR_DT": 2,
    "OPR_HR": 3,
    "OPR_INTERVAL": 4,
    "TIMEINTERVALSTART_GMT": 0,
    "TIMEINTERVALEND_GMT": 1,
    "SCH_BID_TIMEINTERVALSTART_GMT": 0,
    "SCH_BID_TIMEINTERVALSTOP_GMT": 1,
    "TIMEINTERVALSTART": 5,
    "TIMEINTERVALEND": 6,
    "SCH_BID_TIMEINTERVALSTART": 5,
    "SCH_BID_TIMEINTERVALSTOP": 6,
    "STARTTIME_GMT": 7,
    "STOPTIME_GMT": 8,
    "STARTTIME": 9,
    "STOPTIME": 10,
}


@lru_cache(maxsize=65536)
def _interval_fields(iv: Interval) -> tuple[str, ...]:
    day_start, day_end = day_bounds(iv.opr_date)
    return (
        gmt(iv.start),
        gmt(iv.end),
        iv.opr_date.isoformat(),
        str(iv.opr_hour),
        str(iv.opr_interval),
        _local(iv.start),
        _local(iv.end),
        gmt(day_start),
        gmt(day_end),
        _local(day_start),
        _local(day_end),
    )


def number(value: int, scale: int) -> str:
    """A scaled integer as OASIS prints numbers: no trailing zeros."""
    text = f"{value / 10**scale:.{scale}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(text: str) -> str:
    text = text.replace("{", "{{").replace("}", "}}")
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text


def _row_template(report: Report, block: Block, series: Series, group: int) -> str:
    """A str.format template of one series' rows: constants inlined, {0}..{10} the interval's
    fields, {v} the value."""
    cells = []
    for column in report.columns:
        if column in _INTERVAL_FIELDS:
            cells.append(f"{{{_INTERVAL_FIELDS[column]}}}")
        elif column == report.value_column:
            cells.append("{v}")
        elif column == "MARKET_RUN_ID":
            cells.append(_cell(block.run.market))
        elif column == "EXECUTION_TYPE":
            cells.append(_cell(block.run.execution or block.run.market))
        elif column == "LMP_TYPE":
            cells.append(_cell(series.label))
        elif column == "XML_DATA_ITEM":
            cells.append(_cell(series.item))
        elif column == "GROUP":
            cells.append(str(group))
        else:
            cells.append(_cell(series.columns.get(column, block.columns.get(column, ""))))
    return ",".join(cells) + "\n"


def csv_text(report: Report, blocks: Iterable[Block], label: str | None) -> Iterator[str]:
    """One CSV file: the header, then a row per point of every series (of one LMP component when
    `label` is given), in pieces of a few hundred kilobytes."""
    yield ",".join(report.columns) + "\n"
    pending: list[str] = []
    size = 0
    for group, block in enumerate(blocks, 1):
        for series in block.series:
            if label is not None and series.label != label:
                continue
            template = _row_template(report, block, series, group).format
            for iv, value in series.points:
                row = template(*_interval_fields(iv), v=number(value, block.scale))
                pending.append(row)
                size += len(row)
            if size >= _FLUSH_BYTES:
                yield "".join(pending)
                pending.clear()
                size = 0
    if pending:
        yield "".join(pending)


# --- XML -------------------------------------------------------------------------------------------


def _message_header(now: datetime, prefix: str = "") -> str:
    p = prefix
    return (
        f"<{p}MessageHeader><{p}TimeDate>{gmt(now)}</{p}TimeDate><{p}Source>OASIS</{p}Source>"
        f"<{p}Version>{MESSAGE_VERSION}</{p}Version></{p}MessageHeader>"
    )


def xml_text(report: Report, blocks: Iterable[Block], now: datetime) -> Iterator[str]:
    """The OASISReport document (default namespace): a REPORT_ITEM per series."""
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<OASISReport xmlns="{NAMESPACE}">'
        f"{_message_header(now)}<MessagePayload><RTO><name>CAISO</name>\n"
    )
    pending: list[str] = []
    size = 0
    for block in blocks:
        run = block.run
        execution = f"<EXECUTION_TYPE>{run.execution}</EXECUTION_TYPE>" if run.execution else ""
        header = (
            f"<REPORT_ITEM><REPORT_HEADER><SYSTEM>OASIS</SYSTEM><TZ>PPT</TZ><REPORT>{report.name}</REPORT>"
            f"<MKT_TYPE>{run.market}</MKT_TYPE>{execution}<UOM>{escape(report.uom)}</UOM>"
            f"<INTERVAL>ENDING</INTERVAL><SEC_PER_INTERVAL>{run.minutes * 60}</SEC_PER_INTERVAL>"
            "</REPORT_HEADER>\n"
        )
        resource = escape(block.resource)
        for series in block.series:
            lead = (
                f"<REPORT_DATA><DATA_ITEM>{series.item}</DATA_ITEM><RESOURCE_NAME>{resource}</RESOURCE_NAME>"
            )
            pending.append(header)
            for iv, value in series.points:
                start, end, opr_date = _interval_fields(iv)[:3]
                pending.append(
                    f"{lead}<OPR_DATE>{opr_date}</OPR_DATE><INTERVAL_NUM>{iv.number}</INTERVAL_NUM>"
                    f"<INTERVAL_START_GMT>{start}</INTERVAL_START_GMT><INTERVAL_END_GMT>{end}</INTERVAL_END_GMT>"
                    f"<VALUE>{number(value, block.scale)}</VALUE></REPORT_DATA>\n"
                )
                size += 330
            pending.append("</REPORT_ITEM>\n")
            if size >= _FLUSH_BYTES:
                yield "".join(pending)
                pending.clear()
                size = 0
    pending.append(
        f"<DISCLAIMER_ITEM><DISCLAIMER>{escape(DISCLAIMER)}</DISCLAIMER></DISCLAIMER_ITEM>"
        "</RTO></MessagePayload></OASISReport>\n"
    )
    yield "".join(pending)


def error_document(error: OasisError, now: datetime) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<m:OASISReport xmlns:m="{NAMESPACE}">'
        f"{_message_header(now, 'm:')}<m:MessagePayload><m:RTO><m:name>CAISO</m:name><m:ERROR>"
        f"<m:ERR_CODE>{error.code}</m:ERR_CODE><m:ERR_DESC>{escape(error.description)}</m:ERR_DESC>"
        "</m:ERROR></m:RTO></m:MessagePayload></m:OASISReport>\n"
    )


# --- the zip ---------------------------------------------------------------------------------------


class _Sink(io.RawIOBase):
    """Where the zip writer puts its bytes until the response takes them. It cannot seek, so the
    zip writer uses data descriptors and never goes back to patch a header."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        self._chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data


def stream_zip(
    members: Iterable[tuple[str, Iterable[str]]], now: datetime, large: bool = False
) -> Iterator[bytes]:
    """A zip of text members, produced piece by piece. `large` allows members over 2 GiB (ZIP64)."""
    sink = _Sink()
    when = now.astimezone(PACIFIC).timetuple()[:6]
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in members:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=large) as member:
                for piece in pieces:
                    member.write(piece.encode())
                    if sink.size >= _FLUSH_BYTES:
                        yield sink.drain()
            yield sink.drain()
    yield sink.drain()


def error_zip(error: OasisError, now: datetime) -> bytes:
    return b"".join(stream_zip([("INVALID_REQUEST.xml", [error_document(error, now)])], now))
