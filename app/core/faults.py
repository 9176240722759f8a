"""Fault rules: make chosen requests slow, fail with the service's own error, or lose their connection.

A rule matches on pack, path (glob), method, operation and identity; it fires with a probability
drawn from its own seeded generator (the same seed fires on the same requests, run after run) and
at most `count` times. A fault acts before the service sees the request, so it never changes state.
"""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_LATENCY_MS = 600_000.0  # ten minutes: longer than any client waits
MAX_RULES = 1000


class FaultSpec(BaseModel):
    """What the control API accepts (POST /_isosim/faults)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    pack: str | None = None
    path: str = "*"  # glob over the request path, e.g. /sms_oper_contract/*/contractSubaccountMappings
    method: str | None = None
    operation: str | None = None  # a service's operation name, where the service names one
    identity: str | None = None  # user name
    tenant: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # its requests only
    action: Literal["latency", "error", "drop"]
    latency_ms: float | None = Field(None, ge=0, le=MAX_LATENCY_MS)  # fixed delay...
    latency_ms_max: float | None = Field(None, ge=0, le=MAX_LATENCY_MS)  # ...or random, up to this
    status: int | None = Field(None, ge=400, le=599)  # for "error": answered with the service's body
    message: str = Field("fault injected by isosim", max_length=1000)
    probability: float = Field(1.0, ge=0, le=1)
    seed: int | None = Field(None, ge=-(2**63), le=2**63 - 1)
    count: int | None = Field(None, ge=1, le=2**63 - 1)  # fire at most this many times

    @model_validator(mode="after")
    def _complete(self) -> FaultSpec:
        if self.action == "latency" and self.latency_ms is None:
            raise ValueError("a latency fault needs latency_ms")
        if self.action == "error" and self.status is None:
            raise ValueError("an error fault needs status")
        if self.latency_ms_max is not None and (self.latency_ms or 0) > self.latency_ms_max:
            raise ValueError("latency_ms_max must not be less than latency_ms")
        return self


@dataclass
class Fault:
    id: str
    spec: FaultSpec
    fired: int = 0
    _random: random.Random = field(default_factory=random.Random)

    def matches(
        self,
        pack: str,
        path: str,
        method: str,
        operation: str | None,
        identity: str | None,
        tenant: str | None,
    ) -> bool:
        s = self.spec
        return (
            (s.tenant is None or s.tenant == tenant)
            and (s.pack is None or s.pack == pack)
            and fnmatch.fnmatchcase(path, s.path)
            and (s.method is None or s.method.upper() == method)
            and (s.operation is None or s.operation == operation)
            and (s.identity is None or s.identity == identity)
        )

    def view(self) -> dict[str, object]:
        return {"id": self.id, "fired": self.fired, **self.spec.model_dump(exclude_none=True)}


@dataclass(frozen=True)
class Firing:
    fault: Fault
    delay_ms: float


class Backend(Protocol):
    """Where the rules live when several processes share them (app/core/control_state.py)."""

    def add_fault(self, spec: FaultSpec) -> str: ...
    def remove_faults(self, ids: list[str]) -> int: ...
    def claim(self, fault: Fault) -> bool: ...
    def fired(self) -> dict[str, int]: ...


class Faults:
    """The rules as this process holds them. With a `backend`, changes and firings go through it
    (for every process) and the rules come back through `load`."""

    def __init__(self) -> None:
        self._rules: dict[str, Fault] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.backend: Backend | None = None

    def load(self, rules: list[tuple[str, FaultSpec, int]]) -> None:
        """Take the rules as stored; a rule this process already held keeps its random generator,
        so a seed fires on the same requests whatever else changed meanwhile."""
        with self._lock:
            held = self._rules
            self._rules = {}
            for fault_id, spec, fired in rules:
                fault = held.get(fault_id)
                if fault is None or fault.spec != spec:
                    fault = Fault(fault_id, spec, _random=random.Random(spec.seed))
                fault.fired = fired
                self._rules[fault_id] = fault

    def add(self, spec: FaultSpec) -> Fault:
        if self.backend is not None:
            fault_id = self.backend.add_fault(spec)  # stored, then loaded back into self._rules
            return self._rules[fault_id]
        with self._lock:
            if len(self._rules) >= MAX_RULES:
                raise ValueError(f"at most {MAX_RULES} fault rules; remove some first")
            fault = Fault(f"f{next(self._ids)}", spec, _random=random.Random(spec.seed))
            self._rules[fault.id] = fault
        return fault

    def any(self) -> bool:
        """Whether any rule is held (most requests then skip fault matching altogether)."""
        return bool(self._rules)

    def list(self, tenant: str | None = None) -> list[Fault]:
        """Every rule, or a tenant's own (with how often each fired through every process)."""
        if self.backend is not None:
            for fault_id, fired in self.backend.fired().items():
                if fault_id in self._rules:
                    self._rules[fault_id].fired = fired
        return [f for f in self._rules.values() if tenant is None or f.spec.tenant == tenant]

    def remove(self, fault_id: str) -> bool:
        if self.backend is not None:
            return self.backend.remove_faults([fault_id]) == 1
        with self._lock:
            return self._rules.pop(fault_id, None) is not None

    def clear(self, tenant: str | None = None) -> None:
        """Remove every rule, or a tenant's own."""
        doomed = [f.id for f in self._rules.values() if tenant is None or f.spec.tenant == tenant]
        if self.backend is not None:
            self.backend.remove_faults(doomed)
            return
        with self._lock:
            for fault_id in doomed:
                self._rules.pop(fault_id, None)

    def fire(
        self,
        pack: str,
        path: str,
        method: str,
        operation: str | None,
        identity: str | None,
        tenant: str | None = None,
        named_only: bool = False,
    ) -> Firing | None:
        """The first matching rule that fires for this request, if any (rules are tried in order).
        `named_only`: only rules naming an operation (tried once the service has named it)."""
        for fault in list(self._rules.values()):
            spec = fault.spec
            if spec.count is not None and fault.fired >= spec.count:
                continue
            if named_only and spec.operation is None:
                continue
            if not fault.matches(pack, path, method, operation, identity, tenant):
                continue
            with self._lock:
                # One draw per matching request, so a seed gives the same firings on every run.
                if fault._random.random() >= spec.probability:
                    continue
                delay = spec.latency_ms or 0.0
                if spec.latency_ms_max is not None:
                    delay = fault._random.uniform(spec.latency_ms or 0.0, spec.latency_ms_max)
            if self.backend is not None and not self.backend.claim(fault):
                fault.fired = spec.count or fault.fired  # spent through another process
                continue
            fault.fired += 1
            return Firing(fault, delay)
        return None
