"""eMarket's bidding timeline on the simulated clock (seed 003's "Hourly Markets Timeline"), Eastern
prevailing time, every time a pack setting (tables.Settings):

- the day-ahead window for operating day OD closes at `da_close` (10:00) on OD-1; between that time
  and `reoffer_open` (18:30) of any day nothing can be bid for any day ("bidding window opens for
  OD+1 and beyond: 18:30 to midnight on OD-1");
- day-ahead results are published at `da_results` (13:30) on OD-1;
- real-time re-offers for OD open at `reoffer_open` on OD-1; each hour locks `reoffer_lock_minutes`
  (30) before it begins, so the last closes at 22:30 on OD. After that only the control room takes
  changes, by phone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from isosim.isone.eastern import EASTERN
from isosim.isone.emarket.tables import Settings


def at(day: date, when: time) -> datetime:
    """A local time of day on `day`, as an aware UTC instant."""
    return datetime.combine(day, when, EASTERN).astimezone(UTC)


def da_close(settings: Settings, day: date) -> datetime:
    return at(day - timedelta(days=1), settings.at("da_close"))


def da_results(settings: Settings, day: date) -> datetime:
    return at(day - timedelta(days=1), settings.at("da_results"))


def reoffer_open(settings: Settings, day: date) -> datetime:
    return at(day - timedelta(days=1), settings.at("reoffer_open"))


def hour_lock(settings: Settings, begin: datetime) -> datetime:
    return begin - timedelta(minutes=settings.reoffer_lock_minutes)


def day_ahead_refusal(settings: Settings, day: date, now: datetime) -> str | None:
    """Why a day-ahead submission for `day` is refused at `now`, or None when its window is open."""
    close = da_close(settings, day)
    if now >= close:
        return (
            f"the day-ahead bidding window for operating day {day} closed at "
            f"{close.astimezone(EASTERN).isoformat()}"
        )
    local = now.astimezone(EASTERN)
    if settings.at("da_close") <= local.time() < settings.at("reoffer_open"):
        reopens = at(local.date(), settings.at("reoffer_open")).astimezone(EASTERN)
        return (
            f"day-ahead bidding is closed between {settings.da_close} and {settings.reoffer_open} "
            f"Eastern; it reopens at {reopens.isoformat()}"
        )
    return None


def reoffer_refusal(settings: Settings, begin: datetime, day: date, now: datetime) -> str | None:
    """Why a real-time re-offer of the hour beginning at `begin` (of operating day `day`) is refused
    at `now`, or None when it may be re-offered."""
    opens = reoffer_open(settings, day)
    if now < opens:
        return f"re-offers for operating day {day} open at {opens.astimezone(EASTERN).isoformat()}"
    lock = hour_lock(settings, begin)
    if now >= lock:
        return (
            f"the hour beginning {begin.astimezone(EASTERN).isoformat()} locked at "
            f"{lock.astimezone(EASTERN).isoformat()} ({settings.reoffer_lock_minutes} minutes before it); "
            "changes now go to the control room by phone"
        )
    return None
