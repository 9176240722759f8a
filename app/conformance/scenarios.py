"""Scenarios: what a conformance rule needs to be exercised, set up in one call so that a vendor can
run a complete demonstration against its client (POST /_isosim/conformance/scenarios/{name},
`isosim conformance run NAME`). Each sets fault rules and clocks through the control state, for one
tenant when given (then nothing else is disturbed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from isosim.core.faults import FaultSpec
from isosim.core.runtime import Runtime

EASTERN, PACIFIC = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    exercises: tuple[str, ...]  # rule ids
    apply: Callable[[Runtime, str | None], dict[str, object]]


def _fault(runtime: Runtime, tenant: str | None, **spec: object) -> str:
    return runtime.faults.add(FaultSpec.model_validate({**spec, "tenant": tenant})).id


def _local(runtime: Runtime, tenant: str | None, zone: ZoneInfo, at: time) -> datetime:
    """Today (in `zone`, on the tenant's clock) at `at`, as the instant to freeze the clock at."""
    today = runtime.clock.now_of(tenant).astimezone(zone).date()
    return datetime.combine(today, at, zone).astimezone(UTC)


def _freeze(runtime: Runtime, tenant: str | None, instant: datetime) -> dict[str, object]:
    runtime.clock.freeze(instant, tenant)
    return {"clock": instant.isoformat()}


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "ibt-outage",
            "IBT answers its next two requests with 503 Service Unavailable",
            ("IBT-4",),
            lambda r, t: {
                "faults": [_fault(r, t, action="error", status=503, count=2, path="/sms_oper_contract/*")]
            },
        ),
        Scenario(
            "ibt-slow",
            "IBT answers half its requests 2 s late (seeded: the same requests every run)",
            (),
            lambda r, t: {
                "faults": [
                    _fault(
                        r,
                        t,
                        action="latency",
                        latency_ms=2000,
                        probability=0.5,
                        seed=1,
                        path="/sms_oper_contract/*",
                    )
                ]
            },
        ),
        Scenario(
            "emarket-window-closed",
            "the clock at 11:00 Eastern today: eMarket's day-ahead window is closed until 18:30",
            ("EMKT-2", "EMKT-3"),
            lambda r, t: _freeze(r, t, _local(r, t, EASTERN, time(11, 0))),
        ),
        Scenario(
            "caiso-maintenance",
            "the clock at 17:00 Pacific today: MAP Stage is in its daily maintenance window (503)",
            (),
            lambda r, t: _freeze(r, t, _local(r, t, PACIFIC, time(17, 0))),
        ),
        Scenario(
            "b2b-unavailable",
            "the CAISO B2B services answer their next request with a 503 fault",
            ("B2B-1",),
            lambda r, t: {"faults": [_fault(r, t, action="error", status=503, count=1, path="/sst/*")]},
        ),
    )
}
