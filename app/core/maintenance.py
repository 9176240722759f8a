"""Maintenance windows: is an environment down at a given (simulated) instant, and until when?"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from isosim.core.packs import Maintenance

_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def window_end(maintenance: Maintenance, now: datetime) -> datetime | None:
    """The end (UTC) of the maintenance window `now` falls in, or None when the service is up.
    Overlapping or adjoining windows count as one: the latest end is returned."""
    zone = ZoneInfo(maintenance.timezone)
    local = now.astimezone(zone)
    ends: list[datetime] = []
    for daily in maintenance.daily:
        # The window that started today, and the one that started yesterday (if it crosses midnight).
        for days_back in (0, 1):
            day = local.date() - timedelta(days=days_back)
            start = datetime.combine(day, daily.start, zone)
            end_day = day + timedelta(days=1) if daily.end <= daily.start else day
            end = datetime.combine(end_day, daily.end, zone)
            if start <= local < end:
                ends.append(end)
    for weekly in maintenance.weekly:
        start_offset = _DAYS.index(weekly.start_day)
        length_days = (_DAYS.index(weekly.end_day) - start_offset) % 7
        for weeks_back in (0, 1):
            monday = local.date() - timedelta(days=local.weekday() + 7 * weeks_back)
            start_day = monday + timedelta(days=start_offset)
            start = datetime.combine(start_day, weekly.start, zone)
            end = datetime.combine(start_day + timedelta(days=length_days), weekly.end, zone)
            if end <= start:
                end += timedelta(days=7)
            if start <= local < end:
                ends.append(end)
    if not ends:
        return None
    latest = max(ends).astimezone(UTC)
    # A window may end inside another (4 PM daily into the weekly Monday window): follow the chain.
    later = window_end(maintenance, latest) if latest > now else None
    return later or latest
