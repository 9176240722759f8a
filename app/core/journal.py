"""The request journal: every request to an emulated service, in a ring buffer of bounded size."""

from __future__ import annotations

import fnmatch
import itertools
import threading
from collections import deque
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

# An entry's fixed cost in bytes (the object, its strings' headers, numbers and datetime): tracemalloc
# measured about 340 bytes for an entry with short texts and no bodies.
ENTRY_OVERHEAD = 300


@dataclass(frozen=True)
class Entry:
    id: int
    time: datetime  # simulated clock
    pack: str
    tenant: str | None
    identity: str | None
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    fault: str | None  # the id of the fault rule that acted on the request
    request_body: str | None
    response_body: str | None
    # What conformance rules read (app/conformance): the service that answered, real time (clients
    # pause in real time), the caller's address, the media types it named, a digest of its body, and
    # findings services noted while answering: (rule id, passed, message).
    service: str = ""
    operation: str | None = None  # where the service names one (SOAP operations)
    real_time: float = 0.0
    client: str | None = None
    content_type: str | None = None
    accept: str | None = None
    body_digest: str | None = None
    findings: tuple[tuple[str, bool, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def size(self) -> int:
        """Roughly what the entry holds in memory, in bytes: its texts plus a fixed overhead."""
        texts = (self.pack, self.tenant, self.identity, self.path, self.query, self.fault, self.accept)
        bodies = (self.request_body, self.response_body)
        return ENTRY_OVERHEAD + sum(len(t) for t in (*texts, *bodies) if t)


@dataclass(frozen=True)
class Filter:
    pack: str | None = None
    tenant: str | None = None
    identity: str | None = None
    method: str | None = None
    path: str | None = None  # glob, e.g. /sms_oper_contract/*
    status: int | None = None
    since_id: int | None = None

    def matches(self, entry: Entry) -> bool:
        return (
            (self.pack is None or entry.pack == self.pack)
            and (self.tenant is None or entry.tenant == self.tenant)
            and (self.identity is None or entry.identity == self.identity)
            and (self.method is None or entry.method == self.method.upper())
            and (self.path is None or fnmatch.fnmatchcase(entry.path, self.path))
            and (self.status is None or entry.status == self.status)
            and (self.since_id is None or entry.id > self.since_id)
        )


class Journal:
    """Keeps the last `capacity` entries, and no more than `max_bytes` of them (the oldest go first);
    bodies, when kept, are cut at `body_limit` characters."""

    def __init__(self, capacity: int, keep_bodies: bool, body_limit: int, max_bytes: int = 16 << 20) -> None:
        self._entries: deque[Entry] = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.bytes = 0
        self.keep_bodies = keep_bodies
        self.body_limit = body_limit

    def body(self, data: bytes) -> str | None:
        if not self.keep_bodies:
            return None
        return data[: self.body_limit].decode("utf-8", "replace")

    def record(self, **fields: Any) -> Entry:
        with self._lock:
            entry = Entry(id=next(self._ids), **fields)
            self._entries.append(entry)
            self.bytes += entry.size
            while self._entries and (len(self._entries) > self.capacity or self.bytes > self.max_bytes):
                self.bytes -= self._entries.popleft().size
        return entry

    def select(self, where: Filter, limit: int | None = None) -> list[Entry]:
        found = [entry for entry in list(self._entries) if where.matches(entry)]
        return found[-limit:] if limit else found

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self.bytes = 0
        return count
