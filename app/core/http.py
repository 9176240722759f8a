"""HTTP details shared by every emulated service: content negotiation and bounded body reads."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request


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
