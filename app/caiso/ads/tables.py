"""ADS state: the dispatch batches a scheduling coordinator has been offered (made when first listed),
whether each was validated, the responses to their instructions, and how far trajectory data has
been read. The resources are the market registry's (app/caiso/market/tables.py)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Index, String, Table

from isosim.core import database
from isosim.core.packs import Pack
from isosim.core.state import Rows, StateModel, realm_column

batch = Table(
    "ads_batch",
    database.metadata,
    realm_column(),
    Column("batch_uid", String(60), primary_key=True),
    Column("scheduling_coordinator", String(20), nullable=False),
    Column("start_time", DateTime, nullable=False),  # the 5-minute interval it dispatches (UTC)
    Column("validated_at", DateTime),
    Index("ads_batch_by_coordinator", "realm", "scheduling_coordinator", "start_time"),
)

response = Table(
    "ads_instruction_response",
    database.metadata,
    realm_column(),
    Column("batch_uid", String(60), primary_key=True),
    Column("resource_id", String(60), primary_key=True),
    Column("accept_status", String(20), nullable=False, info={"choices": ("ACCEPT", "DECLINE", "PARTIAL")}),
    Column("mw", Float, info={"range": (-100_000, 100_000)}),
    Column("reason_code", String(60)),
    Column("responder", String(200), nullable=False),
    Column("responded_at", DateTime, nullable=False),
)

trajectory_read = Table(
    "ads_trajectory_read",
    database.metadata,
    realm_column(),
    Column("scheduling_coordinator", String(20), primary_key=True),
    Column("read_through", DateTime, nullable=False),
)


def load(pack: Pack) -> Rows:
    return {}  # no batch has been offered in a pack as shipped


STATE = StateModel("caiso.ads", (batch, response, trajectory_read), load)
