"""Process-wide settings: flags of `isosim serve` and ISOSIM_* environment variables."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def shipped(folder: str) -> Path:
    """A data folder shipped with isosim (`fixtures`, `schemas`): inside the installed package
    (isosim/_fixtures, as a wheel lays it out), else at the top of the source tree."""
    package = Path(__file__).resolve().parents[1]
    installed = package / f"_{folder}"
    return installed if installed.is_dir() else package.parent / folder


# Packs shipped with the project; user packs are found through `pack_dirs`.
BUILTIN_PACK_DIR = shipped("fixtures")
SHIPPED_PACKS = (
    "isone-sandbox",
    "isone-production",
    "caiso-mapstage",
    "caiso-sandbox",
    "caiso-production",
    "caiso-production-ecn",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ISOSIM_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    # Processes serving together (`isosim serve --workers N`), sharing the database.
    workers: int = Field(1, ge=1, le=64)
    # Names of the packs this server emulates; the first one answers requests that name no pack.
    packs: Annotated[list[str], NoDecode] = list(SHIPPED_PACKS)
    # Extra folders searched for packs (each holds <pack>/pack.toml), before the shipped ones.
    pack_dirs: Annotated[list[Path], NoDecode] = []
    # SQLAlchemy URL. "sqlite://" (or "memory") keeps state in memory for tests.
    database_url: str = "sqlite:///isosim.sqlite3"
    # Freeze the simulated clock at this instant (ISO 8601, e.g. 2015-07-11T12:01:22Z).
    clock_frozen_at: datetime | None = None
    # Header a TLS-terminating proxy sets to the client certificate's subject DN.
    identity_header: str = "X-SSL-Client-S-DN"
    # Whether a pack's `default_user` answers for requests that carry no identity.
    default_user: bool = True
    # Request bodies larger than this are refused with 413 before they are parsed.
    max_body_bytes: int = 5 * 1024 * 1024
    # Whether packs' maintenance windows apply (turn off in CI to test at any hour).
    maintenance: bool = True
    # Whether packs' rate limits apply (OASIS: one request per 5 s); turn off in CI.
    rate_limit: bool = True
    # The request journal: how many requests it keeps, and whether (and how much of) bodies.
    journal_capacity: int = 1000
    journal_bodies: bool = False
    journal_body_limit: int = 64 * 1024
    # ... and how many bytes of entries (bodies included) it holds at most, whatever their number.
    journal_max_bytes: int = 16 * 1024 * 1024
    # The control API (/_isosim) asks for this token (`Authorization: Bearer <token>`) when it is set.
    # Without it, state-changing control requests are taken only from local pages (no foreign Origin)
    # for local host names (no DNS rebinding): see `control_hosts`.
    control_token: str | None = None
    # Host names, besides localhost, IP addresses and single-label names, that may change state
    # through the control API without a token (e.g. a CI service container's network alias).
    control_hosts: Annotated[list[str], NoDecode] = []
    # Addresses or networks (CIDR) whose requests may carry the identity header; empty trusts any
    # caller (local use). Set it to the TLS-terminating proxy's address when the port is reachable
    # by others: the header is then refused from anyone else.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    # How many tenants (X-Isosim-Tenant copies) may hold state at once; a new one beyond is refused.
    max_tenants: int = 1000

    @field_validator("packs", "pack_dirs", "control_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    @property
    def effective_database_url(self) -> str:
        return "sqlite://" if self.database_url in ("memory", ":memory:") else self.database_url

    def pack_search_path(self) -> list[Path]:
        return [*self.pack_dirs, BUILTIN_PACK_DIR]
