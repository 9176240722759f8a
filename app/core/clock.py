"""The simulated clock: every time-dependent behaviour reads `Clock.now()`, never the system time.

Each tenant may have a clock of its own (parallel test jobs sharing a server are isolated in time
too); a tenant without one reads the base clock. `now()` reads the clock of the tenant the current
request is for (`TENANT`, set by the pipeline for the request's context, which Starlette's worker
threads inherit).

It stays within the years the simulated markets cover (app/core/bounded.py: 1990 to 2100): a change
that would leave them is refused (ValueError) and the clock stays as it was; a fast clock that runs
past the end stops there."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from isosim.core.bounded import EARLIEST, LATEST, instant_in_range

# The tenant whose clock `now()` reads: the current request's (None: the base clock).
TENANT: ContextVar[str | None] = ContextVar("isosim_tenant", default=None)
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
    """The clocks as this process holds them. With `persist` set (app/core/control_state.py), a change
    is written to the database for every process, and comes back through `load`."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._state = ClockState(datetime.now(UTC), time.time(), 1.0)
        self._tenants: dict[str, ClockState] = {}
        self.persist: Callable[[str | None, ClockState | None], None] | None = None
        if frozen_at is not None:
            self.freeze(frozen_at)

    def load(self, base: ClockState | None, tenants: dict[str, ClockState]) -> None:
        """Take the clocks as stored (no base: real time)."""
        with self._lock:
            self._state = base or ClockState(datetime.now(UTC), time.time(), 1.0)
            self._tenants = dict(tenants)

    def now(self) -> datetime:
        return self.now_of(TENANT.get())

    def now_of(self, tenant: str | None) -> datetime:
        state = self.state_of(tenant)
        if state.rate == 0:
            return state.anchor_sim
        elapsed = min((time.time() - state.anchor_real) * state.rate, _SPAN)
        return min(state.anchor_sim + timedelta(seconds=elapsed), _LAST)

    @property
    def state(self) -> ClockState:
        return self.state_of(TENANT.get())

    def state_of(self, tenant: str | None) -> ClockState:
        """The tenant's own clock, else the base clock."""
        return self._tenants.get(tenant, self._state) if tenant is not None else self._state

    def own(self, tenant: str) -> bool:
        return tenant in self._tenants

    def freeze(self, at: datetime, tenant: str | None = None) -> None:
        self._set(utc(at), 0.0, tenant)

    def real(self, tenant: str | None = None) -> None:
        self._set(datetime.now(UTC), 1.0, tenant)

    def shift(self, offset_seconds: float, rate: float = 1.0, tenant: str | None = None) -> None:
        """Real time plus a fixed offset (negative: the past), optionally running faster."""
        if not math.isfinite(offset_seconds) or abs(offset_seconds) > _SPAN:
            raise ValueError(f"offset_seconds must be within ±{_SPAN:.0f}")
        self._set(datetime.now(UTC) + timedelta(seconds=offset_seconds), rate, tenant)

    def run(self, at: datetime | None = None, rate: float = 1.0, tenant: str | None = None) -> None:
        """Run from `at` (default: the current simulated time) at `rate` times real time."""
        self._set(utc(at) if at else self.now_of(tenant), rate, tenant)

    def forget(self, tenant: str | None) -> None:
        """The tenant (None: every tenant) reads the base clock again."""
        if self.persist is not None:
            self.persist(tenant, None)
            return
        with self._lock:
            if tenant is None:
                self._tenants.clear()
            else:
                self._tenants.pop(tenant, None)

    def _set(self, at: datetime, rate: float, tenant: str | None) -> None:
        if not instant_in_range(at):
            raise ValueError(f"the clock must stay from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}")
        if not (rate == 0 or (math.isfinite(rate) and 0 < rate <= MAX_RATE)):
            raise ValueError(f"rate must be more than 0 and at most {MAX_RATE:g}")
        if self.persist is not None:
            self.persist(tenant, ClockState(at, time.time(), rate))
            return
        with self._lock:
            if tenant is None:
                self._state = ClockState(at, time.time(), rate)
            else:
                self._tenants[tenant] = ClockState(at, time.time(), rate)


def utc(value: datetime) -> datetime:
    """The instant as an aware UTC datetime (a naive one is taken as UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def naive_utc(value: datetime) -> datetime:
    """The instant as a naive UTC datetime, as the database stores instants (a naive one is kept)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
