"""Eastern prevailing time, the clock of ISO New England's markets: days and months begin at
local midnight (04:00Z in summer, 05:00Z in winter). Instants are naive UTC datetimes throughout
the project's storage; these helpers convert at the edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")


def midnight_utc(day: date) -> datetime:
    """The instant (naive UTC) at which `day` begins in Eastern prevailing time."""
    local = datetime(day.year, day.month, day.day, tzinfo=EASTERN)
    return local.astimezone(UTC).replace(tzinfo=None)


def local_date(instant: datetime) -> date:
    return instant.replace(tzinfo=UTC).astimezone(EASTERN).date()


def month_start(instant: datetime) -> datetime:
    """Start (naive UTC) of the Eastern month that contains `instant`."""
    day = local_date(instant)
    return midnight_utc(day.replace(day=1))


def next_month_start(instant: datetime) -> datetime:
    day = local_date(instant).replace(day=1)
    return midnight_utc((day + timedelta(days=32)).replace(day=1))


@lru_cache(maxsize=4096)
def monthly_periods(begin: datetime, end: datetime) -> tuple[tuple[datetime, datetime], ...]:
    """Split [begin, end) at Eastern month boundaries: the mapping periods of a contract.
    Cached: loading a pack asks once per mapping version, for a few hundred contracts."""
    periods = []
    cursor = begin
    while cursor < end:
        boundary = min(next_month_start(cursor), end)
        periods.append((cursor, boundary))
        cursor = boundary
    return tuple(periods)


def format_instant(instant: datetime) -> str:
    """xs:dateTime in GMT as the IBT samples print it; milliseconds only when there are some."""
    text = instant.strftime("%Y-%m-%dT%H:%M:%S")
    if instant.microsecond:
        text += f".{instant.microsecond // 1000:03d}"
    return text + "Z"


def hour_ending(begin: datetime) -> str:
    """ISO-NE's hour-ending label of the hour beginning at `begin` (aware): 01-24, the repeated fall
    hour `02X` (the second 01:00, which zoneinfo marks with fold=1); spring's 03 does not occur."""
    local = begin.astimezone(EASTERN)
    return f"{local.hour + 1:02d}{'X' if local.fold else ''}"
