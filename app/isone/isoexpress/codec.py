"""ISO Express CSV files as ISO-NE writes them (WIRE.md 8): every line begins with its quoted record
type: "C" comments (the report's title, file name, period and when it was generated), an "H" line of
field names, an "H" line of field types, "D" data lines (strings quoted, numbers bare), and one "T"
line closing the file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from isosim.isone.eastern import EASTERN

MEDIA_TYPE = "text/csv"  # exactly: gridstatus refuses anything else


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value: object) -> str:
    if isinstance(value, float):
        return repr(value)  # 27.93, 0.0 as ISO-NE writes them
    if isinstance(value, int):
        return str(value)
    return _quoted(str(value))


def generated(instant: datetime) -> str:
    """`03/16/2026 13:07:54 EDT`: Eastern prevailing time with its abbreviation."""
    local = instant.astimezone(EASTERN)
    return f"{local:%m/%d/%Y %H:%M:%S} {local.tzname()}"


def document(
    comments: Sequence[str], names: Sequence[str], kinds: Sequence[str], rows: Iterable[Sequence[object]]
) -> bytes:
    lines = [f'"C",{_quoted(c)}' for c in comments]
    lines.append('"H",' + ",".join(_quoted(n) for n in names))
    lines.append('"H",' + ",".join(_quoted(k) for k in kinds))
    count = 0
    for row in rows:
        lines.append('"D",' + ",".join(_field(v) for v in row))
        count += 1
    lines.append(f'"T","Total Rows: {count}"')  # the T line's text: [I]
    return ("\r\n".join(lines) + "\r\n").encode()
