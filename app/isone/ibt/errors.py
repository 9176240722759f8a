"""The IBT service's own errors (spec 2.1): an HTTP status and a text/plain body that names what was
wrong, written as "<reason phrase>: <detail>"."""

from __future__ import annotations

from starlette.responses import PlainTextResponse, Response

from isosim.core import http


class IbtError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}

    @property
    def body(self) -> str:
        return f"{http.phrase(self.status)}: {self.detail}"


def bad_request(detail: str) -> IbtError:
    return IbtError(400, detail)


def not_found(detail: str) -> IbtError:
    return IbtError(404, detail)


def forbidden(detail: str) -> IbtError:
    return IbtError(403, detail)


def render(status: int, detail: str, headers: dict[str, str]) -> Response:
    """The wire form of an IBT error; also used by the shared pipeline for faults and maintenance."""
    error = IbtError(status, detail, headers)
    return PlainTextResponse(error.body, status_code=status, headers=error.headers)
