"""The simulated clock: every time-dependent behaviour reads `Clock.now()`, never the system time."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


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
        return state.anchor_sim + timedelta(seconds=(time.time() - state.anchor_real) * state.rate)

    @property
    def state(self) -> ClockState:
        return self._state

    def freeze(self, at: datetime) -> None:
        self._set(utc(at), 0.0)

    def real(self) -> None:
        self._set(datetime.now(UTC), 1.0)

    def shift(self, offset_seconds: float, rate: float = 1.0) -> None:
        """Real time plus a fixed offset (negative: the past), optionally running faster."""
        self._set(datetime.now(UTC) + timedelta(seconds=offset_seconds), rate)

    def run(self, at: datetime | None = None, rate: float = 1.0) -> None:
        """Run from `at` (default: the current simulated time) at `rate` times real time."""
        self._set(utc(at) if at else self.now(), rate)

    def _set(self, at: datetime, rate: float) -> None:
        with self._lock:
            self._state = ClockState(at, time.time(), rate)


def utc(value: datetime) -> datetime:
    """The instant as an aware UTC datetime (a naive one is taken as UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def naive_utc(value: datetime) -> datetime:
    """The instant as a naive UTC datetime, as the database stores instants (a naive one is kept)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
