"""When ISO-NE publishes each series (WIRE.md 5; [I] where the sources are silent): one place for
every feed and download, so that the web services, ISO Express and their /info agree.

- Day-ahead results at about 13:08 the day before the operating day.
- A five-minute preliminary real-time value 25 s after its interval begins; a fifteen-minute one as
  its quarter hour ends; an hour's preliminary value 5 minutes after the hour ends.
- Final real-time values two days after the operating day, at 10:00.
- The load forecast for a day at 09:50 the day before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from isosim.core import bounded
from isosim.isone.eastern import EASTERN, midnight_utc
from isosim.isone.market import prices

FIVE = prices.FIVE_MINUTES
FIFTEEN = timedelta(minutes=15)
HOUR = prices.HOUR
DA_PUBLISHED = timedelta(hours=13, minutes=7, seconds=54)  # after the day before's midnight
FIVE_MINUTE_LAG = timedelta(seconds=25)
HOURLY_LAG = timedelta(minutes=5)
FINAL_PUBLISHED = timedelta(days=2, hours=10)  # after the operating day's midnight
FORECAST_ISSUED = timedelta(hours=-14, minutes=-10)  # 09:50 the day before the operating day


def local_day(instant: datetime) -> date:
    return instant.astimezone(EASTERN).date()


def aware(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)


def day_start(day: date) -> datetime:
    """The operating day's first instant, aware UTC."""
    return aware(midnight_utc(day))


def days_of_month(first: date) -> list[date]:
    """The days of the month that begins on `first`."""
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


def da_published(day: date) -> datetime:
    return day_start(day - timedelta(days=1)) + DA_PUBLISHED


def final_published(day: date) -> datetime:
    return day_start(day) + FINAL_PUBLISHED


def forecast_issued(day: date) -> datetime:
    return day_start(day) + FORECAST_ISSUED


def series(kind: str) -> tuple[timedelta, Callable[[datetime, datetime], bool]]:
    """(interval length, whether an interval beginning at t is published at `now`) for a series:
    da, rt-prelim (hourly), rt-final (hourly), five-prelim, five-final, fifteen-prelim, fifteen-final."""
    if kind == "da":
        return HOUR, lambda t, now: now >= da_published(local_day(t))
    if kind == "rt-prelim":
        return HOUR, lambda t, now: now >= t + HOUR + HOURLY_LAG
    if kind == "five-prelim":
        return FIVE, lambda t, now: now >= t + FIVE_MINUTE_LAG
    if kind == "fifteen-prelim":
        return FIFTEEN, lambda t, now: now >= t + FIFTEEN + FIVE_MINUTE_LAG
    step = {"rt-final": HOUR, "fifteen-final": FIFTEEN}.get(kind, FIVE)
    return step, lambda t, now: now >= final_published(local_day(t))


def intervals_of(day: date, step: timedelta) -> list[datetime]:
    """The intervals of an operating day (aware UTC), 23, 24 or 25 hours of them."""
    hours = prices.hours_of(day)
    if step == HOUR:
        return hours
    return [h + step * n for h in hours for n in range(int(HOUR / step))]


def latest(kind: str, now: datetime) -> datetime | None:
    """The newest interval of the series published at `now` (None before any)."""
    step, published = series(kind)
    for day in (local_day(now) + timedelta(days=1), local_day(now), local_day(now) - timedelta(days=1)):
        if not bounded.day_in_range(day):
            continue
        found = [t for t in intervals_of(day, step) if published(t, now)]
        if found:
            return found[-1]
    if kind.endswith("final"):
        day = local_day(now - FINAL_PUBLISHED)
        return intervals_of(day, step)[-1] if bounded.day_in_range(day) else None
    return None


def published_at(kind: str, interval: datetime) -> datetime:
    """When the interval's value was published (ServiceInfo's CreationDate)."""
    if kind == "da":
        return da_published(local_day(interval))
    if kind == "rt-prelim":
        return interval + HOUR + HOURLY_LAG
    if kind == "five-prelim":
        return interval + FIVE_MINUTE_LAG
    if kind == "fifteen-prelim":
        return interval + FIFTEEN + FIVE_MINUTE_LAG
    return final_published(local_day(interval))
