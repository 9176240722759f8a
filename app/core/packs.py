"""Fixture packs: one folder per emulated environment, a `pack.toml` manifest plus data files.

The manifest is generic (name, ISO, environment, hosts, users, settings); each emulated service
reads its own section (e.g. `[isone.ibt]`) and data files through a loader registered in
`app.core.state`. Any error names the file, the line or record, and the field.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

MANIFEST = "pack.toml"


class PackError(Exception):
    """A broken pack: `where` is "file[:line]" and `field` the offending field, when known."""

    def __init__(self, where: str, message: str, field: str | None = None) -> None:
        self.where, self.field, self.message = where, field, message
        super().__init__(f"{where}: {'field ' + repr(field) + ': ' if field else ''}{message}")


class PackModel(BaseModel):
    """Pack data is checked strictly: an unknown or misspelt field is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class User(PackModel):
    """A person or system with a certificate issued by the participant's security administrator."""

    name: str  # login for HTTP basic credentials
    password: str = ""
    certificate_subject: str = ""  # subject DN a TLS-terminating proxy passes on
    certificate: str = ""  # X.509 certificate (PEM), relative to the pack: checks the user's signatures
    customer_id: int | None = None  # ISO-NE market participant the user acts for
    scheduling_coordinators: list[str] = []  # CAISO scheduling coordinator ids the user acts for
    roles: list[str] = []  # ISO-NE: "IBT"; CAISO: the applications the user may call ("SIBR", "CMRI", ...)


Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class DailyWindow(PackModel):
    """Every day from `start` to `end`, local time; an `end` at or before `start` is the next day."""

    start: time
    end: time


class WeeklyWindow(PackModel):
    """From `start_day` `start` to `end_day` `end`, local time, every week."""

    start_day: Weekday
    start: time
    end_day: Weekday
    end: time


class Maintenance(PackModel):
    """When the environment is down for maintenance (503), judged by the simulated clock."""

    timezone: str = "UTC"
    daily: list[DailyWindow] = []
    weekly: list[WeeklyWindow] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class Behaviour(PackModel):
    """How the environment behaves, beyond its data."""

    maintenance: Maintenance = Maintenance()
    # Minimum seconds between two requests of one caller to a rate-limited service (OASIS: 5).
    rate_limit_seconds: float | None = None
    # How far back data is kept, in days (OASIS refuses older start dates).
    retention_days: int | None = None
    # Security checks on SOAP headers and signatures: "strict" (as CAISO), "lenient", or "off".
    security: Literal["strict", "lenient", "off"] = "lenient"
    # The ADS polling interval a client is expected to keep, in seconds (conformance rule ADS-1).
    ads_poll_seconds: float = Field(30.0, gt=0, le=3600)


class Manifest(PackModel):
    name: str
    iso: Literal["ISO-NE", "CAISO"]
    environment: str  # e.g. "Sandbox", "MAP Stage"
    description: str = ""
    hosts: list[str] = []
    default_user: str | None = None
    users: list[User] = []
    settings: Behaviour = Behaviour()
    # Per-service sections, e.g. {"isone": {"ibt": {...}}}; each service validates its own.
    isone: dict[str, dict[str, Any]] = {}
    caiso: dict[str, dict[str, Any]] = {}


@dataclass
class Pack:
    path: Path
    manifest: Manifest
    # Set by app.core.state.load_pack: a hash of the files, and how to read their table rows.
    fingerprint: str = ""
    loader: Callable[[], dict[str, list[dict[str, Any]]]] | None = None
    _rows: dict[str, list[dict[str, Any]]] | None = None

    @property
    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """Table rows keyed by table name, read (and checked) on first use: a server restarting on a
        database whose template already matches the pack's files never needs them."""
        if self._rows is None:
            self._rows = self.loader() if self.loader else {}
        return self._rows

    @property
    def name(self) -> str:
        return self.manifest.name

    def user(self, name: str) -> User | None:
        return next((u for u in self.manifest.users if u.name == name), None)

    def section(self, iso: str, service: str) -> dict[str, Any] | None:
        return getattr(self.manifest, iso).get(service)

    def file(self, relative: str) -> Path:
        return self.path / relative


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(str(path), "no pack manifest here") from None
    except tomllib.TOMLDecodeError as exc:  # its message ends "(at line L, column C)"
        line = re.search(r"at line (\d+)", str(exc))
        raise PackError(f"{path}:{line.group(1)}" if line else str(path), str(exc)) from None
    manifest = validate_model(Manifest, raw, str(path))
    names = {u.name for u in manifest.users}
    if manifest.default_user and manifest.default_user not in names:
        raise PackError(str(path), f"names no user {manifest.default_user!r}", "default_user")
    for user in manifest.users:
        if user.certificate and not (folder / user.certificate).is_file():
            raise PackError(str(path), f"user {user.name!r}: no file {user.certificate}", "certificate")
    if manifest.name != folder.name:
        raise PackError(str(path), f"is {manifest.name!r} but the folder is {folder.name!r}", "name")
    return manifest


M = TypeVar("M", bound=BaseModel)


def validate_model(model: type[M], data: dict[str, Any], where: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        raise PackError(where, first["msg"], loc or None) from None


def read_csv(path: Path, model: type[M]) -> Iterator[tuple[int, M]]:
    """Rows of a pack CSV file as validated models, with their line numbers (header is line 1)."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except FileNotFoundError:
        raise PackError(str(path), "file is missing") from None
    with handle:
        reader = csv.DictReader(handle)
        expected = set(model.model_fields)
        missing = expected - set(reader.fieldnames or [])
        if missing:
            raise PackError(f"{path}:1", f"header lacks column(s) {sorted(missing)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            clean = {k: v for k, v in row.items() if k is not None and (v != "" or k in _BLANK_OK)}
            yield reader.line_num, validate_model(model, clean, where)


# Columns where an empty cell is a value (an empty string), not "missing".
_BLANK_OK = {"reference_id"}


def find_pack_folder(name: str, search_path: list[Path]) -> Path:
    for base in search_path:
        candidate = base / name
        if (candidate / MANIFEST).is_file():
            return candidate
    raise PackError(name, f"no pack of that name in {', '.join(str(p) for p in search_path)}")


def discover(search_path: list[Path]) -> dict[str, Path]:
    """Every pack folder on the search path; a name found twice is taken from the first folder."""
    found: dict[str, Path] = {}
    for base in search_path:
        if base.is_dir():
            for manifest in sorted(base.glob(f"*/{MANIFEST}")):
                found.setdefault(manifest.parent.name, manifest.parent)
    return found
