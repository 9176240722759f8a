"""Conformance rules: whether a client of an ISO service behaved as the ISO's documents ask, judged
from what isosim saw (the journal: status, media types, body digests, timing, and the findings
services note while answering). Each rule has an id, a title, the ISO source it comes from, and a
check over one caller's requests to its service, oldest first: pass, fail or not-exercised, with the
requests that show it.

The journal is per process and bounded (ISOSIM_JOURNAL_CAPACITY): a report covers the requests it
still holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from isosim.core.journal import Entry

PASS, FAIL, NOT_EXERCISED = "pass", "fail", "not-exercised"
IBT_MEDIA_TYPE = "application/vnd.iso-ne.contract.customers.v1+xml"
RETRY_PAUSE = 0.5  # seconds: a retry sooner than this after a 503 or 429 is no back-off ([I])


@dataclass
class Verdict:
    status: str
    evidence: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    rate_limit_seconds: float | None  # the pack's OASIS limit (None: none)
    ads_poll_seconds: float = 30.0  # the pack's expected ADS polling interval


Check = Callable[[Sequence[Entry], Context], Verdict]


@dataclass(frozen=True)
class Rule:
    id: str
    service: str  # the service whose requests it reads (app/services.py names)
    title: str
    source: str
    check: Check


def evidence(entry: Entry, message: str) -> dict[str, object]:
    return {
        "entry": entry.id,
        "time": entry.time.isoformat(),
        "method": entry.method,
        "path": entry.path,
        "status": entry.status,
        "message": message,
    }


def _each(
    entries: Sequence[Entry], applies: Callable[[Entry], bool], bad: Callable[[Entry], str | None]
) -> Verdict:
    """Pass if every request the rule applies to is good; the bad ones are the evidence."""
    relevant = [e for e in entries if applies(e)]
    if not relevant:
        return Verdict(NOT_EXERCISED)
    failures = [evidence(e, why) for e in relevant if (why := bad(e)) is not None]
    return Verdict(FAIL, failures) if failures else Verdict(PASS, [evidence(relevant[-1], "as asked")])


def _retries(
    entries: Sequence[Entry], status: int, pause: Callable[[Context], float], context: Context
) -> Verdict:
    """After each answer with `status`, the same request again, and not before `pause` seconds."""
    refused = [n for n, e in enumerate(entries) if e.status == status]
    if not refused:
        return Verdict(NOT_EXERCISED)
    failures, passes = [], []
    wait = pause(context)
    for n in refused:
        first = entries[n]
        again = next((e for e in entries[n + 1 :] if (e.method, e.path) == (first.method, first.path)), None)
        if again is None:
            continue  # not retried (yet): no evidence either way
        gap = again.real_time - first.real_time
        if gap < wait:
            failures.append(
                evidence(again, f"retried {gap:.2f} s after the {status} (wait at least {wait:g} s)")
            )
        else:
            passes.append(evidence(again, f"retried {gap:.2f} s after the {status}"))
    if failures:
        return Verdict(FAIL, failures)
    return Verdict(PASS, passes) if passes else Verdict(NOT_EXERCISED)


def _not_resent(entries: Sequence[Entry], rejected: Callable[[Entry], bool]) -> Verdict:
    """A POST that was refused is not sent again byte for byte."""
    posts = [e for e in entries if e.method == "POST" and e.body_digest]
    if not posts:
        return Verdict(NOT_EXERCISED)
    refused: dict[str, Entry] = {}
    failures = []
    for entry in posts:
        if entry.body_digest in refused:
            failures.append(
                evidence(entry, f"the same document as request {refused[entry.body_digest].id}, refused")
            )
        if rejected(entry):
            refused.setdefault(entry.body_digest or "", entry)
    if failures:
        return Verdict(FAIL, failures)
    return Verdict(PASS) if refused else Verdict(NOT_EXERCISED)


def _finding(entry: Entry, rule: str) -> tuple[bool, str] | None:
    return next(((passed, message) for r, passed, message in entry.findings if r == rule), None)


def _ads_polling(entries: Sequence[Entry], context: Context) -> Verdict:
    """Polls for new batches come at a steady pace: no gap under half the pack's interval (hammering)
    or over twice it (a stalled client misses instructions)."""
    polls = [e for e in entries if e.operation == "getDispatchBatchesSinceUID"]
    if len(polls) < 3:
        return Verdict(NOT_EXERCISED)
    every = context.ads_poll_seconds
    failures = [
        evidence(
            later, f"{later.real_time - earlier.real_time:.1f} s after the previous poll (every {every:g} s)"
        )
        for earlier, later in pairwise(polls)
        if not 0.5 * every <= later.real_time - earlier.real_time <= 2 * every
    ]
    return (
        Verdict(FAIL, failures) if failures else Verdict(PASS, [evidence(polls[-1], f"{len(polls)} polls")])
    )


def _status_queried(entries: Sequence[Entry], _: Context) -> Verdict:
    """Every accepted submission to an application that has a status query is followed by one."""
    from isosim.caiso.b2b.routes import status_applications

    queried = status_applications()
    calls = [(e, f[1].split(" ", 1)) for e in entries if (f := _finding(e, "b2b-call")) is not None]
    submits = [
        (e, app) for e, (kind, app) in calls if kind == "submit" and app in queried and e.status == 200
    ]
    if not submits:
        return Verdict(NOT_EXERCISED)
    failures = [
        evidence(entry, f"no {app} status query after this submission")
        for entry, app in submits
        if not any(
            later.id > entry.id and kind == "status" and other == app for later, (kind, other) in calls
        )
    ]
    return Verdict(FAIL, failures) if failures else Verdict(PASS)


def _noted(entries: Sequence[Entry], rule: str) -> Verdict:
    """A rule the service judges while answering: its findings are the verdict."""
    return _each(
        entries,
        lambda e: _finding(e, rule) is not None,
        lambda e: None if (f := _finding(e, rule)) is None or f[0] else f[1],
    )


# --- the rules ---------------------------------------------------------------------------------------


def _ibt_media_type(entry: Entry) -> str | None:
    named = entry.content_type if entry.method == "POST" else entry.accept
    if named and IBT_MEDIA_TYPE in named:
        return None
    header = "Content-Type" if entry.method == "POST" else "Accept"
    return f"{header} {named or '(none)'} does not name {IBT_MEDIA_TYPE}"


def _oasis_pace(entries: Sequence[Entry], context: Context) -> Verdict:
    limit = context.rate_limit_seconds or 5.0
    if len(entries) < 2:
        return Verdict(NOT_EXERCISED)
    failures = [
        evidence(
            later,
            f"{later.real_time - earlier.real_time:.2f} s after the previous one (one per {limit:g} s)",
        )
        for earlier, later in pairwise(entries)
        if later.real_time - earlier.real_time < limit
    ]
    return Verdict(FAIL, failures) if failures else Verdict(PASS)


RULES: tuple[Rule, ...] = (
    Rule(
        "IBT-1",
        "isone.ibt",
        "POST documents are well-formed and valid against the IBT schema",
        "IBT Web Services Data Exchange Specification v1.0, 3.2.3 and 3.2.8",
        lambda entries, _: _each(
            entries,
            lambda e: e.method == "POST",
            lambda e: f"answered {e.status}: the document was refused" if e.status == 400 else None,
        ),
    ),
    Rule(
        "IBT-2",
        "isone.ibt",
        "Requests name the versioned media type",
        "IBT specification 2.1 (application/vnd.iso-ne.contract.customers.v1+xml)",
        lambda entries, _: _each(entries, lambda e: e.status not in (401, 404), _ibt_media_type),
    ),
    Rule(
        "IBT-3",
        "isone.ibt",
        "Only the caller's own customer data is requested",
        "IBT specification 2.1 (403 for another customer's resources)",
        lambda entries, _: _each(
            entries,
            lambda e: True,
            lambda e: "another customer's resource (403)" if e.status == 403 else None,
        ),
    ),
    Rule(
        "IBT-4",
        "isone.ibt",
        "A 503 is retried after a pause",
        "IBT specification 2.1 (503 Service Unavailable: the service is down; try again later)",
        lambda entries, context: _retries(entries, 503, lambda _: RETRY_PAUSE, context),
    ),
    Rule(
        "IBT-5",
        "isone.ibt",
        "A refused POST is not sent again unchanged",
        "IBT specification 3.2.3 (a 400 names what is wrong with the document)",
        lambda entries, _: _not_resent(entries, lambda e: e.status == 400),
    ),
    Rule(
        "EMKT-1",
        "isone.emarket",
        "Submissions are well-formed and valid against the message profile",
        "isosim's eMarket profile v1 (schemas/isone/emarket-v1.xsd; the DES is not public)",
        lambda entries, _: _each(
            entries,
            lambda e: e.method == "POST",
            lambda e: f"answered {e.status}: the document was refused" if e.status in (400, 415) else None,
        ),
    ),
    Rule(
        "EMKT-2",
        "isone.emarket",
        "Submissions pass eMarket's rules and windows",
        "Energy Market Offer Flexibility (seed 003): offer limits and the bidding timeline",
        lambda entries, _: _noted(entries, "EMKT-2"),
    ),
    Rule(
        "EMKT-3",
        "isone.emarket",
        "A rejected submission is not sent again unchanged",
        "Energy Market Offer Flexibility (seed 003): a rejected submission changes nothing",
        lambda entries, _: _not_resent(
            entries, lambda e: e.status == 400 or ((f := _finding(e, "EMKT-2")) is not None and not f[0])
        ),
    ),
    Rule(
        "B2B-1",
        "caiso.soap",
        "Messages are signed (RSA-SHA1) over the Body, CAISOWSHeader and attachment headers",
        "CAISO Interface Specification for B2B web services (WS-Security; seed 004)",
        lambda entries, _: _noted(entries, "B2B-1"),
    ),
    Rule(
        "B2B-2",
        "caiso.soap",
        "CAISOWSHeader names the caller's certificate and is within its validity window",
        "CAISO Interface Specification for B2B web services (CAISOWSHeader; seed 004)",
        lambda entries, _: _noted(entries, "B2B-2"),
    ),
    Rule(
        "B2B-3",
        "caiso.soap",
        "Attached documents are framed as CAISO's (ISOAttachment, or SwA/MTOM with attachmentHash)",
        "CAISO Interface Specification for B2B web services (attachments; seed 004)",
        lambda entries, _: _noted(entries, "B2B-3"),
    ),
    Rule(
        "B2B-4",
        "caiso.soap",
        "Submissions are followed by their status query (where the application has one)",
        "CAISO B2B interface specification (batch validation status; DRRS, MF, STLMT)",
        _status_queried,
    ),
    Rule(
        "ADS-1",
        "caiso.soap",
        "ADS is polled at a steady interval (the pack's ads_poll_seconds)",
        "CAISO ADS interface specification (getDispatchBatchesSinceUID polling; seed 004)",
        _ads_polling,
    ),
    Rule(
        "ADS-2",
        "caiso.soap",
        "Each dispatch batch is validated before its interval ends",
        "CAISO ADS interface specification (validateDispatchBatch; seed 004)",
        lambda entries, _: _noted(entries, "ADS-2"),
    ),
    Rule(
        "ADS-3",
        "caiso.soap",
        "Instructions are answered before their batch expires",
        "CAISO ADS interface specification (accept/decline/partialAcceptInstruction; seed 004)",
        lambda entries, _: _noted(entries, "ADS-3"),
    ),
    Rule(
        "OASIS-1",
        "caiso.oasis",
        "At most one request per 5 seconds",
        "CAISO Interface Specification for OASIS (rate limit; HTTP 429)",
        _oasis_pace,
    ),
    Rule(
        "OASIS-2",
        "caiso.oasis",
        "A 429 is retried after its Retry-After pause",
        "CAISO Interface Specification for OASIS (HTTP 429 with Retry-After)",
        lambda entries, context: _retries(entries, 429, lambda c: c.rate_limit_seconds or 5.0, context),
    ),
)


def evaluate(entries: Sequence[Entry], context: Context, services: set[str]) -> list[tuple[Rule, Verdict]]:
    """Every rule of the services the pack serves, over the caller's requests to each service."""
    found = []
    for rule in RULES:
        if rule.service not in services:
            continue
        mine = [e for e in entries if e.service == rule.service]
        found.append((rule, rule.check(mine, context)))
    return found
