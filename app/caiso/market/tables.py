"""The CAISO market's registry as realm state: the system's seed, the scheduling coordinators'
resources and contracts, and the pricing nodes, TAC areas and renewable fleets OASIS publishes.
Reset, tenants and snapshots cover them like any other state; every CAISO service reads them
through app/caiso/market/registry.py. Bids and outages are SIBR's and OMS's records (B2B state)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, String, Table

from isosim.core import database
from isosim.core.packs import Pack
from isosim.core.services import Service, section
from isosim.core.state import Rows, StateModel, realm_column

system = Table(
    "caiso_market_system",
    database.metadata,
    realm_column(),
    Column("balancing_area", String(20), primary_key=True),  # CISO
    Column("seed", String(100), nullable=False),  # packs with the same seed publish the same numbers
)

resource = Table(
    "caiso_market_resource",
    database.metadata,
    realm_column(),
    Column("resource_id", String(60), primary_key=True),
    Column("scheduling_coordinator", String(20), nullable=False),
    Column("resource_type", String(10), nullable=False),  # GEN, LOAD, ITIE, ETIE, PDR
    Column("fuel", String(20), nullable=False),
    Column("pnode", String(60), nullable=False),
    Column("pmin", Float, nullable=False),
    Column("pmax", Float, nullable=False),
    Column("ramp_rate", Float, nullable=False),  # MW/minute
    Column("startup_cost", Float, nullable=False),  # $ per start
    Column("min_load_cost", Float, nullable=False),  # $/h at Pmin
    Column("heat_rate", Float, nullable=False),  # Btu/kWh (gas units), 0 otherwise
    Column("ra", Boolean, nullable=False),  # resource adequacy: must offer, CAISO bids for it if not
    Column("ancillary", String(40), nullable=False),  # certified AS products, "SR|NR", "" for none
)

node = Table(
    "caiso_market_node",
    database.metadata,
    realm_column(),
    Column("node", String(80), primary_key=True),
    Column("kind", String(10), nullable=False),  # HUB, DLAP, APND, PNODE, SPTIE
    Column("zone", String(20), nullable=False),
    Column("congestion", Float, nullable=False),
    Column("loss", Float, nullable=False),
    Column("ghg", Boolean, nullable=False),
    Column("tie", String(40), nullable=False),
)

tac_area = Table(
    "caiso_market_tac_area",
    database.metadata,
    realm_column(),
    Column("tac_area", String(40), primary_key=True),
    Column("caiso", Boolean, nullable=False),
    Column("mean_mw", Float, nullable=False),
)

fleet = Table(
    "caiso_market_fleet",
    database.metadata,
    realm_column(),
    Column("trading_hub", String(20), primary_key=True),
    Column("renewable_type", String(10), primary_key=True),
    Column("capacity_mw", Float, nullable=False),
)

contract = Table(
    "caiso_market_contract",
    database.metadata,
    realm_column(),
    Column("contract_id", String(60), primary_key=True),
    Column("scheduling_coordinator", String(20), nullable=False),
    Column("contract_type", String(10), nullable=False),  # ETC, TOR
    Column("rights_mw", Float, nullable=False),
)

TABLES = (system, resource, node, tac_area, fleet, contract)


def load(pack: Pack) -> Rows:
    from isosim.caiso.market.registry import read_pack

    return read_pack(pack)


def check(rows: Rows) -> None:
    from isosim.caiso.market.registry import check_rows

    check_rows(rows)


STATE = StateModel("caiso.market", TABLES, load, check=check)


# The market every CAISO service reads: state, but no endpoint of its own.
SERVICE = Service("caiso.market", state=STATE, served=section("caiso", "market"))
