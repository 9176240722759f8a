"""The simulated clock: every time-dependent behaviour reads `Clock.now()`, never the system time.

It stays within the years the simulated markets cover (app/core/bounded.py: 1990 to 2100): a change
that would leave them is refused (ValueError) and the clock stays as it was; a fast clock that runs
past the end stops there."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.core.bounded import EARLIEST, LATEST, instant_in_range

MAX_RATE = 1_000_000.0  # a simulated day in under a tenth of a second
_SPAN = (LATEST - EARLIEST).total_seconds()
_LAST = LATEST - timedelta(microseconds=1)


@dataclass(frozen=True)
class ClockState:
    """now = anchor_sim + (real_now - anchor_real) * rate; rate 0 is a frozen clock."""

    anchor_sim: datetime
    anchor_real: float
    rate: float

    @property
    def mode(self) -> str:
        if self.rate == 0:
            return "frozen"
        return "real" if self.rate == 1 and abs(self.offset_seconds) < 0.001 else "shifted"

    @property
    def offset_seconds(self) -> float:
        return (self.anchor_sim - datetime.fromtimestamp(self.anchor_real, UTC)).total_seconds()


class Clock:
    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._state = ClockState(datetime.now(UTC), time.time(), 1.0)
        if frozen_at is not None:
            self.freeze(frozen_at)

    def now(self) -> datetime:
        state = self._state
        if state.rate == 0:
            return state.anchor_sim
        elapsed = min((time.time() - state.anchor_real) * state.rate, _SPAN)
        return min(state.anchor_sim + timedelta(seconds=elapsed), _LAST)

    @property
    def state(self) -> ClockState:
        return self._state

    def freeze(self, at: datetime) -> None:
        self._set(utc(at), 0.0)

    def real(self) -> None:
        self._set(datetime.now(UTC), 1.0)

    def shift(self, offset_seconds: float, rate: float = 1.0) -> None:
        """Real time plus a fixed offset (negative: the past), optionally running faster."""
        if not math.isfinite(offset_seconds) or abs(offset_seconds) > _SPAN:
            raise ValueError(f"offset_seconds must be within ±{_SPAN:.0f}")
        self._set(datetime.now(UTC) + timedelta(seconds=offset_seconds), rate)

    def run(self, at: datetime | None = None, rate: float = 1.0) -> None:
        """Run from `at` (default: the current simulated time) at `rate` times real time."""
        self._set(utc(at) if at else self.now(), rate)

    def _set(self, at: datetime, rate: float) -> None:
        if not instant_in_range(at):
            raise ValueError(f"the clock must stay from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}")
        if not (rate == 0 or (math.isfinite(rate) and 0 < rate <= MAX_RATE)):
            raise ValueError(f"rate must be more than 0 and at most {MAX_RATE:g}")
        with self._lock:
            self._state = ClockState(at, time.time(), rate)


def utc(value: datetime) -> datetime:
    """The instant as an aware UTC datetime (a naive one is taken as UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def naive_utc(value: datetime) -> datetime:
    """The instant as a naive UTC datetime, as the database stores instants (a naive one is kept)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
