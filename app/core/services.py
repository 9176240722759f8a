"""What an emulated service is, to the rest of the simulator: one descriptor per service, listed once
(app/services.py). The app builds each service's ASGI app from it, the pipeline routes by its path
prefixes and answers 404 in packs that do not serve it, and state (seed, reset, tenants, snapshots)
covers its tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.responses import Response
from starlette.types import ASGIApp

from isosim.core.packs import Pack
from isosim.core.state import StateModel

if TYPE_CHECKING:
    from isosim.core.runtime import Runtime

# How a service words an error (for faults, maintenance, its last-resort handler): (status, detail,
# headers) -> response.
ErrorRenderer = Callable[[int, str, dict[str, str]], Response]


def _everywhere(pack: Pack) -> bool:
    return True


@dataclass(frozen=True)
class Service:
    name: str  # e.g. "isone.ibt", "caiso.oasis"
    render_error: ErrorRenderer | None = None
    # Where it answers: path prefixes, given by a function where they come from data (a catalogue).
    prefixes: Callable[[], Sequence[str]] = tuple
    build: Callable[[Runtime], ASGIApp] | None = None  # its ASGI app, built once per simulator
    state: StateModel | None = None  # its tables and how a pack seeds them
    served: Callable[[Pack], bool] = field(default=_everywhere)  # the packs that have it
    # Run once before any app is built: a service hosted by another's app registers itself there
    # (CAISO's applications in the SOAP platform).
    setup: Callable[[], None] | None = None

    @property
    def mounted(self) -> bool:
        return self.build is not None


def section(iso: str, name: str) -> Callable[[Pack], bool]:
    """A service served by the packs whose manifest has its section (e.g. `[caiso.oasis]`)."""

    def served(pack: Pack) -> bool:
        return pack.section(iso, name) is not None

    return served
