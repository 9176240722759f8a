"""Resource outages, as OMS handles them: their status through CAISO's lifecycle (OutageStatusKind)
and what an outage in force does to the resource's availability in the market runs.

Lifecycle, on the simulated clock (README "The CAISO market"):
- RECEIVED on submission; PRE_APPROVED 15 minutes later, APPROVED after an hour; then OUT while its
  period runs and IN_SERVICE once it has ended.
- A short-notice outage (starting within a day of its submission) carries a warning and stays
  RECEIVED until the warning is acknowledged; still unacknowledged when it starts, it is
  DISAPPROVED.
- An outage is in force for a market run if it was APPROVED (or later) when that run closed: it
  caps the resource's availability at its PmaxValue (the Availability point in effect; no
  Availability at all takes the resource out) in every interval of the run it overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

RECEIVED, PRE_APPROVED, APPROVED = "RECEIVED", "PRE_APPROVED", "APPROVED"
DISAPPROVED, OUT, IN_SERVICE, CANCELLED = "DISAPPROVED", "OUT", "IN_SERVICE", "CANCELLED"
LIFECYCLE = ((RECEIVED, timedelta(0)), (PRE_APPROVED, timedelta(minutes=15)), (APPROVED, timedelta(hours=1)))
IN_FORCE = frozenset({APPROVED, OUT, IN_SERVICE})
SHORT_NOTICE = timedelta(days=1)
WARNING = "Short notice: the outage starts less than one day after its submission; acknowledge to proceed."

Tree = dict[str, list[Any]]


def warning(start: datetime, now: datetime) -> str:
    """The warning OMS gives a submission to acknowledge, or ""."""
    return WARNING if start - now < SHORT_NOTICE else ""


def pending_until(extra: dict[str, Any], received: datetime) -> datetime | None:
    """When an outage stopped waiting on its warning: its acknowledgement, or its reception if it
    had no warning; None while a warning waits. `extra` is what was kept with the record."""
    if extra.get("warning"):
        return None
    if extra.get("acknowledged"):
        return datetime.fromisoformat(extra["acknowledged"])
    return received


def status(
    stored: str | None,
    stored_at: datetime | None,
    received: datetime,
    start: datetime,
    end: datetime,
    pending_until: datetime | None,
    now: datetime,
) -> str:
    """The outage's status at `now`. `stored` is a status set explicitly (at `stored_at`);
    `pending_until` is when its warning was acknowledged (None: never, if it had one), or the
    reception for outages without a warning."""
    if stored and stored_at is not None and stored_at <= now:
        return stored
    if pending_until is None or pending_until > now:
        return DISAPPROVED if now >= start else RECEIVED
    found = RECEIVED
    for name, age in LIFECYCLE:
        if now >= received + age:
            found = name
    if found == APPROVED:
        if now >= end:
            return IN_SERVICE
        if now >= start:
            return OUT
    return found


@dataclass(frozen=True)
class Outage:
    resource: str
    start: datetime
    end: datetime
    points: tuple[tuple[datetime, float], ...]  # Availability: from this instant, at most this MW

    def cap(self, start: datetime, end: datetime) -> float | None:
        """The resource's availability in an interval (MW), or None if the outage leaves it alone."""
        if not (self.start < end and start < self.end):
            return None
        if not self.points:
            return 0.0
        found = self.points[0][1]
        for instant, value in self.points:
            if instant <= start:
                found = value
        return found


def availability(tree: Tree) -> tuple[tuple[datetime, float], ...]:
    """The Availability points of an outage record (RegisteredGenerator, -Load or -InterTie), in
    time order. Values were checked on submission (mw)."""
    points = []
    for kind in ("RegisteredGenerator", "RegisteredLoad", "RegisteredInterTie"):
        for registered in tree.get(kind, []):
            for outaged in registered.get("OutagedRegisteredResource", []):
                for item in outaged.get("Availability", []):
                    when = (item.get("dateTimePoint") or [None])[0]
                    pmax = (item.get("PmaxValue") or [{}])[0]
                    value = (pmax.get("value") or [None])[0] if isinstance(pmax, dict) else None
                    if when is None or value is None:
                        continue
                    try:
                        instant = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
                        points.append((instant, float(value)))
                    except ValueError:
                        continue
    return tuple(sorted(p for p in points if p[0].tzinfo is not None))
