"""The ISO-NE market's registry as realm state: the system's seed, ISO-NE's locations (hub, load
zones, external nodes, areas, reserve zones, hub nodes and a set of network nodes) with how each
prices against the hub, and the statistics the price model is calibrated to. Reset, tenants and
snapshots cover them like any other state; every ISO-NE service reads them through
app/isone/market/registry.py."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table

from isosim.core import database
from isosim.core.packs import Pack
from isosim.core.services import Service, section
from isosim.core.state import Rows, StateModel, realm_column

LOCATION_TYPES = (
    "NETWORK AREA",
    "LOAD ZONE",
    "NETWORK NODE",
    "HUB",
    "HUB NODE",
    "RELIABILITY REGION",
    "EXT. NODE",
    "RESERVE ZONE",
    "SYSTEM",
    "INT. AREA",
    "EXT. AREA",
    "DISPATCH ZONE",
    "CAPACITY ZONE",
    "DRRAZ",
    "DRR AGGREGATION ZONE",
)  # fmt: skip  (ISO-NE's type_LocationType)
SHARE = {"range": (-0.5, 0.5)}  # a component's share of the energy price

system = Table(
    "isone_market_system",
    database.metadata,
    realm_column(),
    Column("area", String(20), primary_key=True),  # ISONE
    Column("seed", String(100), nullable=False),  # packs with the same seed publish the same numbers
)

location = Table(
    "isone_market_location",
    database.metadata,
    realm_column(),
    Column("loc_id", Integer, primary_key=True, autoincrement=False, info={"range": (1, 10**7)}),
    Column("name", String(60), nullable=False),
    Column("location_type", String(30), nullable=False, info={"choices": LOCATION_TYPES}),
    Column("area_type", String(20), nullable=False, info={"choices": ("INTERNAL", "EXTERNAL", "")}),
    Column("network_node_type", String(10), nullable=False, info={"choices": ("UNIT", "LOAD", "")}),
    Column("zone_id", Integer),  # the load zone a node prices in
    # Marginal loss and congestion as shares of the energy price (None: no LMP published here).
    Column("da_loss", Float, info=SHARE),
    Column("da_congestion", Float, info=SHARE),
    Column("rt_loss", Float, info=SHARE),
    Column("rt_congestion", Float, info=SHARE),
)

# A month's published statistics the model is calibrated to (seed 002: August 2021): the hub's LMP
# (loc_id 4000: avg, min, max in $/MWh) and each interface's interchange (its external node: imports
# and exports in MWh over the month, exports negative; the system's hours with a non-zero real-time
# reserve price, loc_id 7000; the real-time regulation service and capacity clearing prices' on-peak
# and off-peak averages and maxima, loc_id 7000).
STATISTICS = (
    "avg",
    "min",
    "max",
    "imports",
    "exports",
    "reserve_hours",
    "reg_service_avg",
    "reg_service_max",
    "reg_capacity_avg",
    "reg_capacity_max",
)
target = Table(
    "isone_market_target",
    database.metadata,
    realm_column(),
    Column("month", String(7), primary_key=True),  # YYYY-MM
    Column("market", String(2), primary_key=True, info={"choices": ("DA", "RT")}),
    Column("period", String(10), primary_key=True, info={"choices": ("all", "on_peak", "off_peak")}),
    Column("statistic", String(20), primary_key=True, info={"choices": STATISTICS}),
    Column("loc_id", Integer, primary_key=True, autoincrement=False, info={"range": (1, 10**7)}),
    Column("value", Float, nullable=False, info={"range": (-(10**8), 10**8)}),
)

TABLES = (system, location, target)


def load(pack: Pack) -> Rows:
    from isosim.isone.market.registry import read_pack

    return read_pack(pack)


def check(rows: Rows) -> None:
    from isosim.isone.market.registry import check_rows

    check_rows(rows)


STATE = StateModel("isone.market", TABLES, load, check=check)

# The market every ISO-NE feed reads: state, but no endpoint of its own.
SERVICE = Service("isone.market", state=STATE, served=section("isone", "market"))
