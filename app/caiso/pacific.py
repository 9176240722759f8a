"""CAISO trading days: Pacific prevailing time (PPT), which is what OPR_DT, OPR_HR and OPR_INTERVAL
count in, while every timestamp on the wire is GMT. A trading day runs from local midnight to local
midnight, so it has 23 hours in spring and 25 in autumn; hours are numbered 1..23 or 1..25. Also
the months of monthly data, and when market results are published (OASIS and the B2B services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
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


def month_start(instant: datetime) -> datetime:
    """The first instant (UTC) of the Pacific calendar month holding `instant`."""
    local = instant.astimezone(PACIFIC)
    return datetime(local.year, local.month, 1, tzinfo=PACIFIC).astimezone(UTC)


def next_month(start: datetime) -> datetime:
    """The first instant (UTC) of the Pacific month after the one holding `start`."""
    local = start.astimezone(PACIFIC)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=PACIFIC).astimezone(UTC)


class Publication(Enum):
    """When CAISO has published an interval's results, judged by the simulated clock."""

    DAY_AHEAD = "day_ahead"  # a trading day's results appear at 13:00 Pacific the day before
    DAYS_AHEAD_2 = "days_ahead_2"  # 2-day-ahead forecast: two trading days ahead
    DAYS_AHEAD_7 = "days_ahead_7"
    HOUR_AHEAD = "hour_ahead"  # HASP: about 90 minutes before the interval ends
    REAL_TIME = "real_time"  # once the interval has ended
    DELAYED_90_DAYS = "delayed_90_days"  # public bids: 90 days after the trading day

    def until(self, now: datetime) -> datetime:
        """Intervals ending at or before this instant are published."""
        today = trading_day(now)
        if self is Publication.DAY_AHEAD:
            ahead = 1 if now.astimezone(PACIFIC).hour >= 13 else 0
            return day_bounds(today + timedelta(days=ahead))[1]
        if self is Publication.DAYS_AHEAD_2:
            return day_bounds(today + timedelta(days=2))[1]
        if self is Publication.DAYS_AHEAD_7:
            return day_bounds(today + timedelta(days=7))[1]
        if self is Publication.HOUR_AHEAD:
            return now + timedelta(minutes=90)
        if self is Publication.REAL_TIME:
            return now
        return day_bounds(today - timedelta(days=91))[1]
