"""CAISO trading days: Pacific prevailing time (PPT), which is what OPR_DT, OPR_HR and OPR_INTERVAL
count in, while every timestamp on the wire is GMT. A trading day runs from local midnight to local
midnight, so it has 23 hours in spring and 25 in autumn; hours are numbered 1..23 or 1..25."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")


@dataclass(frozen=True, slots=True)
class Interval:
    start: datetime  # UTC
    end: datetime  # UTC
    opr_date: date  # the trading day
    opr_hour: int  # hour ending, 1..23/24/25 counted from local midnight
    opr_interval: int  # 1..n within the hour; 0 for hourly intervals
    number: int  # 1-based within the trading day

    def local_hour(self) -> float:
        """Local clock time of the interval's middle, in hours (for daily shapes)."""
        middle = (self.start + (self.end - self.start) / 2).astimezone(PACIFIC)
        return middle.hour + middle.minute / 60


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The trading day's first and last instant (exclusive), in UTC."""
    start = datetime(day.year, day.month, day.day, tzinfo=PACIFIC).astimezone(UTC)
    following = day + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=PACIFIC).astimezone(UTC)
    return start, end


@lru_cache(maxsize=4096)
def intervals(day: date, minutes: int) -> tuple[Interval, ...]:
    """Every interval of a trading day at the given length (60, 15 or 5 minutes)."""
    start, end = day_bounds(day)
    step = timedelta(minutes=minutes)
    per_hour = 60 // minutes
    found = []
    at, number = start, 1
    while at < end:
        index = number - 1
        found.append(
            Interval(
                start=at,
                end=at + step,
                opr_date=day,
                opr_hour=index // per_hour + 1,
                opr_interval=0 if minutes == 60 else index % per_hour + 1,
                number=number,
            )
        )
        at += step
        number += 1
    return tuple(found)


def trading_day(instant: datetime) -> date:
    return instant.astimezone(PACIFIC).date()


def trading_days(start: datetime, end: datetime) -> list[date]:
    """The trading days that hold any instant of [start, end)."""
    if end <= start:
        return []
    first, last = trading_day(start), trading_day(end - timedelta(microseconds=1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
