"""OASIS state: the GroupZip requests whose assembly has started. Everything else OASIS serves is the
CAISO market's (models.py reads it). Declared as a StateModel so that reset, tenants and snapshots
treat it like any other service's state; the pack seeds no rows."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table

from isosim.core import database
from isosim.core.packs import Pack
from isosim.core.state import Rows, StateModel, realm_column

group_request = Table(
    "oasis_group_request",
    database.metadata,
    realm_column(),
    Column("request_key", String(400), primary_key=True),  # group, window, version and format
    Column("requested_at", DateTime, nullable=False),
)


def load(pack: Pack) -> Rows:
    return {}


STATE = StateModel("caiso.oasis", (group_request,), load)
