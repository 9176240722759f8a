"""eMarket state: the participants' units and the market monitor's reference levels (a pack's
`[isone.emarket]` files), and what participants submit: hourly supply offers (day-ahead, and the
real-time re-offers that override them), schedule detail, daily parameters, DARD bids and demand
bids. A unit's hour with nothing submitted carries its standing offer (app/isone/emarket/rules.py)."""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import Field, field_validator
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Integer,
    String,
    Table,
)

from isosim.core.database import metadata
from isosim.core.packs import Pack, PackError, PackModel, read_csv, validate_model
from isosim.core.state import Rows, StateModel, realm_column

KINDS = ("GENERATOR", "DARD")
STATUSES = ("MUST_RUN", "ECONOMIC", "UNAVAILABLE")
MARKETS = ("DA", "RT")
BID_TYPES = ("FIXED", "PRICE")
MW = {"range": (0, 10**5)}
PRICE = {"range": (-(10**6), 10**6)}


def submitted() -> tuple[Column[object], Column[object]]:
    """Who sent a submitted row, and when (simulated clock, UTC)."""
    return Column("submitted_at", DateTime, nullable=False), Column(
        "submitted_by", String(100), nullable=False
    )


asset = Table(
    "emarket_asset",
    metadata,
    realm_column(),
    Column("asset_id", BigInteger, primary_key=True, autoincrement=False, info={"range": (1, 10**9)}),
    Column("short_name", String(40), nullable=False),
    Column("customer_id", BigInteger, nullable=False),  # the lead participant
    Column("kind", String(10), nullable=False, info={"choices": KINDS}),
    Column("loc_id", Integer, nullable=False),  # the node it prices at
    Column("masked_asset_id", BigInteger, nullable=False),  # its id in ISO-NE's masked feeds
    Column("fuel", String(20), nullable=False),
    Column("dual_fuel", Boolean, nullable=False),
    Column("fuel_index", Float, nullable=False, info={"range": (0, 10**4)}),  # $/MMBtu
    Column("claim10_capability", Float, nullable=False, info=MW),  # demonstrated
    Column("claim30_capability", Float, nullable=False, info=MW),
    Column("emergency_min", Float, nullable=False, info=MW),
    Column("eco_min", Float, nullable=False, info=MW),
    Column("eco_max", Float, nullable=False, info=MW),
    Column("rthol", Float, nullable=False, info=MW),
)

# The market monitor's reference levels per hour beginning (local hour 0-23), applied every day.
reference_level = Table(
    "emarket_reference_level",
    metadata,
    realm_column(),
    Column("asset_id", BigInteger, primary_key=True, autoincrement=False),
    Column("hour", Integer, primary_key=True, autoincrement=False, info={"range": (0, 23)}),
    Column("energy", Float, nullable=False, info=PRICE),  # $/MWh
    Column("cold_start", Float, nullable=False, info=PRICE),  # $ per start
    Column("intermediate_start", Float, nullable=False, info=PRICE),
    Column("hot_start", Float, nullable=False, info=PRICE),
    Column("no_load", Float, nullable=False, info=PRICE),  # $ per hour
    ForeignKeyConstraint(["realm", "asset_id"], ["emarket_asset.realm", "emarket_asset.asset_id"]),
)

# An hour of a unit's supply offer (generators) or bid (DARDs) in one market. Real-time rows are the
# re-offers: an hour without one is offered in real time as in the day-ahead market.
offer_hour = Table(
    "emarket_offer_hour",
    metadata,
    realm_column(),
    Column("asset_id", BigInteger, primary_key=True, autoincrement=False),
    Column("market", String(2), primary_key=True, info={"choices": MARKETS}),
    Column("begin", DateTime, primary_key=True),  # hour beginning, UTC
    Column("segments", String(2000), nullable=False),  # JSON [[price, MW], ...], MW cumulative
    Column("no_load", Float, info=PRICE),
    Column("cold_start", Float, info=PRICE),
    Column("intermediate_start", Float, info=PRICE),
    Column("hot_start", Float, info=PRICE),
    Column("cold_notification", String(5)),  # hh:mm
    Column("intermediate_notification", String(5)),
    Column("hot_notification", String(5)),
    Column("cold_startup", String(5)),
    Column("intermediate_startup", String(5)),
    Column("hot_startup", String(5)),
    Column("ramp_rate", Float, info=MW),  # MW/min
    Column("ramp_curve", String(1000)),  # JSON [[MW, MW/min], ...]: ramp rate/MW pairs, or None
    Column("claim10", Float, info=MW),
    Column("claim30", Float, info=MW),
    Column("use_offer_slope", Boolean, nullable=False),
    Column("use_startup_no_load", Boolean, nullable=False),
    Column("fuel_type", String(20)),
    Column("fuel_blend", Float, info={"range": (0, 100)}),  # % of the second fuel (dual-fuel units)
    Column("fuel_price_adjustment", Float, info={"range": (0, 10**4)}),  # $/MMBtu, None: none
    *submitted(),
    ForeignKeyConstraint(["realm", "asset_id"], ["emarket_asset.realm", "emarket_asset.asset_id"]),
)

# Schedule detail: the hour's status and dispatch limits (day-ahead; in real time they are
# redeclared by phone to the control room). DARDs use eco_min/eco_max as minimum/maximum consumption.
schedule_hour = Table(
    "emarket_schedule_hour",
    metadata,
    realm_column(),
    Column("asset_id", BigInteger, primary_key=True, autoincrement=False),
    Column("begin", DateTime, primary_key=True),
    Column("status", String(12), nullable=False, info={"choices": STATUSES}),
    Column("emergency_min", Float, info=MW),
    Column("eco_min", Float, nullable=False, info=MW),
    Column("eco_max", Float, nullable=False, info=MW),
    Column("rthol", Float, info=MW),
    *submitted(),
    ForeignKeyConstraint(["realm", "asset_id"], ["emarket_asset.realm", "emarket_asset.asset_id"]),
)

# A unit's daily parameters (resource characteristics stay daily, seed 003).
unit_day = Table(
    "emarket_unit_day",
    metadata,
    realm_column(),
    Column("asset_id", BigInteger, primary_key=True, autoincrement=False),
    Column("day", String(10), primary_key=True),  # the operating day, YYYY-MM-DD
    Column("min_run_time", String(5)),  # hh:mm
    Column("min_down_time", String(5)),
    Column("hot_to_cold", String(5)),
    Column("hot_to_intermediate", String(5)),
    Column("max_daily_energy", Float, info={"range": (0, 10**7)}),
    *submitted(),
    ForeignKeyConstraint(["realm", "asset_id"], ["emarket_asset.realm", "emarket_asset.asset_id"]),
)

# An hour of a participant's day-ahead demand bid at a location (a load zone, or a node).
demand_bid_hour = Table(
    "emarket_demand_bid_hour",
    metadata,
    realm_column(),
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("bid_id", String(40), primary_key=True),
    Column("begin", DateTime, primary_key=True),
    Column("loc_id", Integer, nullable=False),
    Column("bid_type", String(5), nullable=False, info={"choices": BID_TYPES}),
    Column("segments", String(2000), nullable=False),  # JSON [[price or null, MW], ...]
    *submitted(),
)

TABLES = (asset, reference_level, offer_hour, schedule_hour, unit_day, demand_bid_hour)


# --- the pack's files and settings ----------------------------------------------------------------


def _hhmm(value: str) -> time:
    hours, _, minutes = value.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f"must be a time of day as hh:mm, not {value!r}")
    return time(int(hours), int(minutes))


class Settings(PackModel):
    """`[isone.emarket]`: the data files, and the bidding timeline (Eastern prevailing time)."""

    assets: str
    reference_levels: str
    # The day-ahead window for an operating day closes at this time on the day before (seed 003:
    # 10:00; ISO-NE filed in July 2020 to close it 30 minutes later: set "10:30" for that).
    da_close: str = "10:00"
    da_results: str = "13:30"  # day-ahead results published by (seed 003)
    reoffer_open: str = "18:30"  # re-offers for the next day, and bids for later days, from (seed 003)
    reoffer_lock_minutes: int = Field(30, ge=0, le=24 * 60)  # an hour locks this long before it begins
    offer_cap: float = Field(1000.0, ge=0, le=10**5)  # $/MWh
    floor: float = Field(-150.0, ge=-(10**5), le=0)  # $/MWh (seed 003)

    @field_validator("da_close", "da_results", "reoffer_open")
    @classmethod
    def _time(cls, value: str) -> str:
        _hhmm(value)
        return value

    def at(self, name: str) -> time:
        return _hhmm(getattr(self, name))


class AssetRow(PackModel):
    asset_id: int = Field(ge=1, le=10**9)
    short_name: str = Field(min_length=1, max_length=40)
    customer_id: int = Field(ge=1, le=10**12)
    kind: Literal["GENERATOR", "DARD"]
    loc_id: int = Field(ge=1, le=10**7)
    masked_asset_id: int = Field(ge=1, le=10**9)
    fuel: str = Field("", max_length=20)
    dual_fuel: bool
    fuel_index: float = Field(ge=0, le=10**4)
    claim10_capability: float = Field(ge=0, le=10**5)
    claim30_capability: float = Field(ge=0, le=10**5)
    emergency_min: float = Field(ge=0, le=10**5)
    eco_min: float = Field(ge=0, le=10**5)
    eco_max: float = Field(ge=0, le=10**5)
    rthol: float = Field(ge=0, le=10**5)


class ReferenceRow(PackModel):
    asset_id: int
    hour: int = Field(ge=0, le=23)
    energy: float = Field(ge=-(10**6), le=10**6)
    cold_start: float = Field(ge=0, le=10**6)
    intermediate_start: float = Field(ge=0, le=10**6)
    hot_start: float = Field(ge=0, le=10**6)
    no_load: float = Field(ge=0, le=10**6)


def settings_of(pack: Pack) -> Settings | None:
    section = pack.section("isone", "emarket")
    if section is None:
        return None
    return validate_model(Settings, section, f"{pack.path / 'pack.toml'} [isone.emarket]")


def load(pack: Pack) -> Rows:
    settings = settings_of(pack)
    if settings is None:
        return {}
    assets: dict[int, dict[str, object]] = {}
    path = pack.file(settings.assets)
    names: set[str] = set()
    for line, row in read_csv(path, AssetRow):
        where = f"{path}:{line}"
        if row.asset_id in assets:
            raise PackError(where, "repeated", "asset_id")
        if row.short_name in names:
            raise PackError(where, "repeated", "short_name")
        if not row.emergency_min <= row.eco_min <= row.eco_max <= row.rthol:
            raise PackError(where, "limits must satisfy emergency_min <= eco_min <= eco_max <= rthol")
        names.add(row.short_name)
        assets[row.asset_id] = row.model_dump()
    path = pack.file(settings.reference_levels)
    references: dict[tuple[int, int], dict[str, object]] = {}
    for line, ref in read_csv(path, ReferenceRow):
        where = f"{path}:{line}"
        if ref.asset_id not in assets:
            raise PackError(where, f"no asset {ref.asset_id}", "asset_id")
        if (ref.asset_id, ref.hour) in references:
            raise PackError(where, "repeated", "hour")
        references[(ref.asset_id, ref.hour)] = ref.model_dump()
    for asset_id, found in assets.items():
        if found["kind"] == "GENERATOR" and any((asset_id, h) not in references for h in range(24)):
            raise PackError(str(path), f"generator {asset_id} needs a reference level for every hour 0-23")
    return {asset.name: list(assets.values()), reference_level.name: list(references.values())}


STATE = StateModel("isone.emarket", TABLES, load)
