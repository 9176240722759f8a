"""What each ISO-NE web service resource answers, read from the ISO-NE market (one price source) on
the simulated clock: which intervals are published by now, which locations a path asks for, and the
items in the catalogue's field order. A template with no feed here answers 501 (routes.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

from app.core import bounded
from app.isone.eastern import EASTERN, midnight_utc
from app.isone.market import prices
from app.isone.market.registry import Location, Registry
from app.isone.webservices.catalogue import Template
from app.isone.webservices.codec import Item

FIVE = prices.FIVE_MINUTES
HOUR = prices.HOUR
# When ISO-NE publishes (WIRE.md 5; [I] where it says so): the day-ahead market's results at about
# 13:00 the day before; a five-minute preliminary price 25 s after its interval begins; an hour's
# preliminary price 5 minutes after the hour ends; final real-time prices two days after the
# operating day, at 10:00.
DA_PUBLISHED = timedelta(hours=13, minutes=7, seconds=54)  # after the day before's midnight
FIVE_MINUTE_LAG = timedelta(seconds=25)
HOURLY_LAG = timedelta(minutes=5)
FINAL_PUBLISHED = timedelta(days=2, hours=10)  # after the operating day's midnight


class BadRequest(Exception):
    """A path parameter ISO-NE would not accept (a malformed day or hour)."""


@dataclass(frozen=True)
class Answer:
    items: list[Item]
    single: bool = False  # the one-location form: the item's own element is the root
    lmps: list[prices.Lmp] | None = None  # LMP answers: written by the codec's fast path


def _day(text: str) -> date:
    if len(text) != 8 or not bounded.digits(text):
        raise BadRequest(f"day must be YYYYMMDD, not {text!r}")
    try:
        found = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise BadRequest(f"{text} is not a date") from None
    if not bounded.day_in_range(found):
        raise BadRequest(f"{text} is outside the years served")
    return found


def _hour(text: str) -> int:
    value = bounded.integer(text, 0, 23)
    if value is None or len(text) != 2:
        raise BadRequest(f"hour must be two digits 00-23, not {text!r}")
    return value


def _local_day(instant: datetime) -> date:
    return instant.astimezone(EASTERN).date()


def _aware(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)


# --- publication ---------------------------------------------------------------------------------


def da_published(day: date) -> datetime:
    return _aware(midnight_utc(day - timedelta(days=1))) + DA_PUBLISHED


def final_published(day: date) -> datetime:
    return _aware(midnight_utc(day)) + FINAL_PUBLISHED


def _series(kind: str) -> tuple[timedelta, Callable[[datetime, datetime], bool]]:
    """(interval length, whether an interval beginning at t is published at `now`) for a series:
    da, rt-prelim (hourly), rt-final (hourly), five-prelim, five-final."""
    if kind == "da":
        return HOUR, lambda t, now: now >= da_published(_local_day(t))
    if kind == "rt-prelim":
        return HOUR, lambda t, now: now >= t + HOUR + HOURLY_LAG
    if kind == "five-prelim":
        return FIVE, lambda t, now: now >= t + FIVE_MINUTE_LAG
    return (HOUR if kind == "rt-final" else FIVE), lambda t, now: now >= final_published(_local_day(t))


def _intervals(day: date, step: timedelta) -> list[datetime]:
    hours = prices.hours_of(day)
    if step == HOUR:
        return hours
    return [h + FIVE * n for h in hours for n in range(12)]


def latest(kind: str, now: datetime) -> datetime | None:
    """The newest interval of the series published at `now` (None before any)."""
    step, published = _series(kind)
    for day in (_local_day(now) + timedelta(days=1), _local_day(now), _local_day(now) - timedelta(days=1)):
        if not bounded.day_in_range(day):
            continue
        found = [t for t in _intervals(day, step) if published(t, now)]
        if found:
            return found[-1]
    if kind.endswith("final"):
        day = _local_day(now - FINAL_PUBLISHED)
        return _intervals(day, step)[-1] if bounded.day_in_range(day) else None
    return None


def publication(kind: str, interval: datetime) -> datetime:
    """When the interval's price was published (ServiceInfo's CreationDate)."""
    if kind == "da":
        return da_published(_local_day(interval))
    if kind == "rt-prelim":
        return interval + HOUR + HOURLY_LAG
    if kind == "five-prelim":
        return interval + FIVE_MINUTE_LAG
    return final_published(_local_day(interval))


def _prices(
    kind: str, registry: Registry, intervals: list[datetime], where: list[Location]
) -> list[prices.Lmp]:
    if kind == "da":
        return prices.day_ahead(registry, intervals, where)
    if kind.startswith("rt"):
        return prices.real_time_hourly(registry, intervals, where)
    return prices.five_minute(registry, intervals, where)


# --- LMP resources -------------------------------------------------------------------------------


def _kind(template: Template, params: dict[str, str]) -> str:
    segments = template.segments
    if segments[0] == "hourlylmp":
        return "da" if segments[1] == "da" else f"rt-{segments[2]}"
    kind = params.get("Type", "prelim")
    if kind not in ("prelim", "final"):
        raise BadRequest(f"type must be prelim or final, not {kind!r}")
    return f"five-{kind}"


def _where(
    registry: Registry, segments: tuple[str, ...], params: dict[str, str]
) -> tuple[list[Location], bool]:
    """(the locations a path asks for, whether it asks for one location by id)."""
    if "locationId" in params:
        loc_id = bounded.integer(params["locationId"], 1, 10**7)
        found = registry.location(loc_id) if loc_id is not None else None
        return ([found] if found is not None and found.priced else []), True
    if "locationType" in params:
        wanted = unquote(params["locationType"]).upper()
        return [loc for loc in registry.priced if loc.location_type == wanted], False
    if segments[-1] == "current" or segments[-1] == "previous":
        return list(registry.reported), False
    return list(registry.priced), False


def lmp(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    segments = template.segments
    kind = _kind(template, params)
    step, published = _series(kind)
    where, by_id = _where(registry, segments, params)
    if kind == "da" and "current" in segments:  # the day-ahead price in force this hour
        hour = now.replace(minute=0, second=0, microsecond=0)
        intervals = [hour] if published(hour, now) else []
    elif "current" in segments or "previous" in segments:
        newest = latest(kind, now)
        if newest is not None and "previous" in segments:
            newest -= step
        intervals = [newest] if newest is not None else []
    else:
        day = latest(kind, now) if segments[-1] == "latest" else None  # /hourlylmp/da/final/day/latest
        if day is None and segments[-1] == "latest":
            intervals = []
        else:
            chosen = _local_day(day) if day is not None else _day(params["day"])
            intervals = _intervals(chosen, step)
        if "sh" in params:
            hour = _hour(params["sh"])
            intervals = [t for t in intervals if t.astimezone(EASTERN).hour == hour]
        intervals = [t for t in intervals if published(t, now)]
    lmps = _prices(kind, registry, intervals, where)
    single = by_id and bool(template.single_root) and "current" in segments
    return Answer([], single, lmps)


def info(kind: str, now: datetime) -> Answer:
    newest = latest(kind, now)
    if newest is None:
        return Answer([])
    return Answer([{"LatestBeginDate": newest, "CreationDate": publication(kind, newest)}], single=True)


def lmp_info(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    return info(_kind(template, params), now)


# --- locations -----------------------------------------------------------------------------------


def _location_item(loc: Location) -> Item:
    return {
        "LocationID": loc.loc_id,
        "LocationType": loc.location_type,
        "LocationName": loc.name,
        "NetworkNodeType": loc.network_node_type or None,  # only network nodes carry it
        "AreaType": loc.area_type or None,
    }


def locations(registry: Registry, template: Template, params: dict[str, str], now: datetime) -> Answer:
    segments = template.segments
    if "locationId" in params:
        loc_id = bounded.integer(params["locationId"], 1, 10**7)
        found = registry.location(loc_id) if loc_id is not None else None
        return Answer([_location_item(found)] if found is not None else [], single=True)
    if segments[-1] == "all":
        return Answer([_location_item(loc) for loc in registry.locations])
    # The core set gridstatus expects: 20 rows (the control area, the hub, the zones, external nodes
    # and the external areas they face): [I] which 20, WIRE.md 6.
    core = [
        loc
        for loc in registry.locations
        if loc.location_type in ("INT. AREA", "HUB", "LOAD ZONE", "EXT. NODE") or loc.loc_id in (35, 36, 1740)
    ]
    return Answer([_location_item(loc) for loc in core[:20]])


Feed = Callable[[Registry, Template, dict[str, str], datetime], Answer]


def feed_for(template: Template) -> Feed | None:
    """The feed that answers a template, or None (not emulated yet: 501)."""
    resource, segments = template.resource, template.segments
    if resource in ("hourlylmp", "fiveminutelmp"):
        return lmp_info if segments[-1] == "info" else lmp
    if resource == "locations":
        return locations
    return None
