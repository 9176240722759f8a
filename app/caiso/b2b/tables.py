"""B2B state: every submission (a transaction: who sent what, when, how many records) and every record
it stored, whatever the application. A record's dataset fields are kept as JSON: the datasets are
data (datasets.toml), so one pair of tables serves them all. Reference data (resources, contracts)
is the market registry's (app/caiso/market/tables.py)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Text

from isosim.core import database
from isosim.core.packs import Pack
from isosim.core.state import Rows, StateModel, realm_column

transaction = Table(
    "caiso_b2b_transaction",
    database.metadata,
    realm_column(),
    Column("transaction_id", String(40), primary_key=True),
    Column("app", String(10), nullable=False),
    Column("operation", String(80), nullable=False),  # the endpoint's operation: submitRawBidSet_v4
    Column("scheduling_coordinator", String(20), nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("record_count", Integer, nullable=False, info={"range": (0, None)}),
    Column("invalid_count", Integer, nullable=False, info={"range": (0, None)}),
)

record = Table(
    "caiso_b2b_record",
    database.metadata,
    realm_column(),
    Column("record_id", String(48), primary_key=True),  # <transaction id>-<n>
    Column("transaction_id", String(40), nullable=False),
    Column("dataset", String(60), nullable=False),
    Column("scheduling_coordinator", String(20), nullable=False),
    Column("name", String(60), nullable=False),  # the record's key: a resource, location, ...
    Column("start_time", DateTime, nullable=False),  # UTC
    Column("end_time", DateTime, nullable=False),
    Column("market_type", String(10), nullable=False, server_default=""),
    Column("received_at", DateTime, nullable=False),
    Column("status", String(20)),  # set by an action or the record's validation; else by its lifecycle
    Column("status_at", DateTime),
    Column("errors", Text, nullable=False, server_default=""),
    Column(
        "fields", Text, nullable=False, info={"json": "object"}
    ),  # JSON: the dataset's fields, as submitted
    Index("caiso_b2b_record_by_window", "realm", "dataset", "scheduling_coordinator", "start_time"),
    Index("caiso_b2b_record_by_transaction", "realm", "transaction_id"),
)


def load(pack: Pack) -> Rows:
    return {}  # nothing is submitted yet in a pack as shipped


def check(rows: Rows) -> None:
    """Stored records from a snapshot must be ones a submission could have stored."""
    from isosim.caiso.b2b.codec import check_stored

    sent = {row["transaction_id"]: row["operation"] for row in rows.get(transaction.name, [])}
    check_stored(rows.get(record.name, []), sent)


STATE = StateModel("caiso.b2b", (transaction, record), load, check=check)
