"""HTTP details shared by every emulated service: content negotiation and bounded body reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import Response

# What a client is told when a service fails unexpectedly: never the exception, a traceback or SQL.
LAST_RESORT = "the simulator could not answer this request; its log says why"


def phrase(status: int) -> str:
    """The reason phrase of a status; statuses HTTP does not name (a fault rule's 599) say "Error"."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class Refused(Exception):
    """A request the simulator will not serve for a reason of its own (a limit reached): answered in
    the service's error format, with this status and text, by whoever catches it first."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body is larger than {limit} bytes")
        self.limit = limit


def media_type(content_type: str | None) -> str:
    """`type/subtype` of a Content-Type value, lower-cased, parameters dropped."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        kind, *params = (part.strip() for part in item.split(";"))
        if not kind:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((kind.lower(), q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer (a `type/subtype`) the Accept header prefers, the first offer on a tie; None if the
    header rules every offer out. No Accept header accepts anything (RFC 9110 12.5.1)."""
    if not accept or not accept.strip():
        return offers[0]
    q_for = dict(_ranges(accept))
    best, best_q = None, 0.0
    for offer in offers:
        main = offer.split("/", 1)[0]
        # The most specific range that matches decides the offer's quality.
        q = q_for.get(offer, q_for.get(f"{main}/*", q_for.get("*/*", 0.0)))
        if q > best_q:
            best, best_q = offer, q
    return best


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused as soon as it is known to exceed `limit` (before it is all read)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def last_resort(
    render: Callable[[int, str, dict[str, str]], Response],
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """A Starlette app's handler for anything it failed to handle: the service's own error format
    (the pipeline logs the traceback)."""

    async def handler(request: Request, exc: Exception) -> Response:
        if isinstance(exc, Refused):
            return render(exc.status, exc.detail, exc.headers)
        return render(500, LAST_RESORT, {})

    return handler
