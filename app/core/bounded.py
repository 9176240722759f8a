"""Numbers and instants from the outside world, read the way every service needs them: ASCII digits
only (`str.isdigit` also accepts `²` and `٣`), within bounds a database column and a datetime can
hold, so that a 5,000-digit id or year 9999 is a client error in the service's own format, never a
500."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_INTEGER = re.compile(r"-?[0-9]{1,19}")
INT64 = 2**63 - 1
# The years the simulated markets cover: what the clock may be set to and what services compute.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)  # zip files date their members up to 2107


def integer(text: str | None, low: int = 0, high: int = INT64) -> int | None:
    """The integer `text` writes in ASCII digits, if it lies in [low, high]; None otherwise."""
    if text is None or not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def digits(text: str | None) -> bool:
    """Whether `text` is one or more ASCII digits (an id a column can hold)."""
    return integer(text) is not None and not (text or "").startswith("-")


def instant_in_range(value: datetime) -> bool:
    return EARLIEST <= value.astimezone(UTC) < LATEST


def day_in_range(value: date) -> bool:
    return EARLIEST.date() <= value < LATEST.date()
