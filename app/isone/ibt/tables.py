"""IBT state: customers, subaccount versions, contracts and contract subaccount mapping versions,
and the loader that reads them from a pack (section `[isone.ibt]` of pack.toml)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Literal

from pydantic import field_validator
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    text,
)

from isosim.core.clock import naive_utc
from isosim.core.database import metadata
from isosim.core.packs import Pack, PackError, PackModel, read_csv, validate_model
from isosim.core.state import Rows, StateModel, realm_column
from isosim.isone.eastern import monthly_periods

# The four contract categories (query parameter `category`) and the market name each one shows as.
MARKET_NAMES = {
    "ENERGY DAY AHEAD": "Energy DA",
    "ENERGY REAL TIME": "Energy RT",
    "LOAD REAL TIME": "Load RT",
    "FCM LOAD OBLIGATION": "FCM Load",
}
CATEGORIES = tuple(MARKET_NAMES)
SUBACCOUNT_STATUSES = ("Active", "Inactive")

customer = Table(
    "ibt_customer",
    metadata,
    realm_column(),
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
)

# A subaccount version is in force from `begin` until the next version's begin (`end`, derived).
subaccount_version = Table(
    "ibt_subaccount_version",
    metadata,
    realm_column(),
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("subaccount_id", String(100), primary_key=True),
    Column("begin", DateTime, primary_key=True),
    Column("end", DateTime),
    Column("name", String(200), nullable=False),
    Column("status", String(40), nullable=False, info={"choices": SUBACCOUNT_STATUSES}),
    ForeignKeyConstraint(["realm", "customer_id"], ["ibt_customer.realm", "ibt_customer.customer_id"]),
)

contract = Table(
    "ibt_contract",
    metadata,
    realm_column(),
    Column("contract_id", BigInteger, primary_key=True, autoincrement=False),
    Column("reference_id", String(25), nullable=False, server_default=""),
    Column("category", String(40), nullable=False, info={"choices": CATEGORIES}),
    Column("location_id", BigInteger, nullable=False),
    Column("buyer_id", BigInteger, nullable=False),
    Column("seller_id", BigInteger, nullable=False),
    Column("begin", DateTime, nullable=False),
    Column("end", DateTime, nullable=False),
    Column("status", String(20), nullable=False),
    ForeignKeyConstraint(["realm", "buyer_id"], ["ibt_customer.realm", "ibt_customer.customer_id"]),
    ForeignKeyConstraint(["realm", "seller_id"], ["ibt_customer.realm", "ibt_customer.customer_id"]),
    Index("ibt_contract_buyer", "realm", "buyer_id"),
    Index("ibt_contract_seller", "realm", "seller_id"),
)

# Each party maps the contract to its own subaccounts, one mapping period (an Eastern month of the
# contract) at a time. A POST that changes a period adds a version and makes it the current one;
# `id` orders the versions of a period in the order they were made.
mapping_version = Table(
    "ibt_mapping_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    realm_column(primary_key=False),
    Column("customer_id", BigInteger, nullable=False),
    Column("contract_id", BigInteger, nullable=False),
    Column("begin", DateTime, nullable=False),
    Column("end", DateTime, nullable=False),
    Column("version", DateTime, nullable=False),
    Column("subaccount_id", String(100), nullable=False),
    Column("current", Boolean, nullable=False),
    ForeignKeyConstraint(["realm", "contract_id"], ["ibt_contract.realm", "ibt_contract.contract_id"]),
    # A mapping's history in order (GET .../contractSubaccountMappings/{contractId}). Contract before
    # customer: the same index then serves the foreign key to ibt_contract, without which deleting a
    # realm's contracts (reset) scans this table once per contract on PostgreSQL.
    Index("ibt_mapping_history", "realm", "contract_id", "customer_id", "begin", "id"),
    # At most one current version per mapping period, whatever the concurrency; also the index the
    # collection GET walks, in its (contract_id, begin) order.
    Index(
        "ibt_mapping_one_current",
        "realm",
        "customer_id",
        "contract_id",
        "begin",
        unique=True,
        # Written as the queries write the condition (`current = 1` / `= true`, which PostgreSQL
        # folds to `current`), so that both planners can use this index for them.
        sqlite_where=text('"current" = 1'),
        postgresql_where=text('"current"'),
    ),
    # The collection GET with a date window: a range of current versions by period begin, so that
    # its cost follows the answer, not the size of the customer's history.
    Index(
        "ibt_mapping_current_by_begin",
        "realm",
        "customer_id",
        "begin",
        sqlite_where=text('"current" = 1'),
        postgresql_where=text('"current"'),
    ),
)


# --- the pack's data files -------------------------------------------------------------------


class Files(PackModel):
    customers: str
    subaccounts: str
    contracts: str
    mapping_versions: str


class CustomerRow(PackModel):
    customer_id: int
    name: str


class _Instants(PackModel):
    @field_validator("begin", "end", "version", mode="after", check_fields=False)
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("must carry a time zone, e.g. 2015-08-01T04:00:00Z")
        return naive_utc(value)


class SubaccountRow(_Instants):
    customer_id: int
    subaccount_id: str
    begin: datetime
    name: str
    status: Literal[SUBACCOUNT_STATUSES]  # type: ignore[valid-type]


class ContractRow(_Instants):
    contract_id: int
    reference_id: str = ""
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    location_id: int
    buyer_id: int
    seller_id: int
    begin: datetime
    end: datetime
    status: str


class MappingRow(_Instants):
    customer_id: int
    contract_id: int
    begin: datetime
    end: datetime
    version: datetime
    subaccount_id: str


def load(pack: Pack) -> Rows:
    section = pack.section("isone", "ibt")
    if section is None:
        return {}
    files = validate_model(Files, section, f"{pack.path / 'pack.toml'} [isone.ibt]")
    customers: dict[int, dict[str, Any]] = {}
    for line, row in read_csv(pack.file(files.customers), CustomerRow):
        if row.customer_id in customers:
            raise PackError(f"{pack.file(files.customers)}:{line}", "repeated", "customer_id")
        customers[row.customer_id] = row.model_dump()

    sub_path = pack.file(files.subaccounts)
    by_subaccount: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for line, row in read_csv(sub_path, SubaccountRow):
        if row.customer_id not in customers:
            raise PackError(f"{sub_path}:{line}", f"no customer {row.customer_id}", "customer_id")
        by_subaccount[(row.customer_id, row.subaccount_id)].append(row.model_dump())
    subaccounts = []
    for versions in by_subaccount.values():
        versions.sort(key=lambda v: v["begin"])
        for current, following in zip(versions, [*versions[1:], None], strict=True):
            subaccounts.append({**current, "end": following["begin"] if following else None})

    contract_path = pack.file(files.contracts)
    contracts: dict[int, dict[str, Any]] = {}
    for line, row in read_csv(contract_path, ContractRow):
        where = f"{contract_path}:{line}"
        if row.contract_id in contracts:
            raise PackError(where, "repeated", "contract_id")
        for party in ("buyer_id", "seller_id"):
            if getattr(row, party) not in customers:
                raise PackError(where, f"no customer {getattr(row, party)}", party)
        if row.buyer_id == row.seller_id:
            raise PackError(where, "a contract needs two different parties", "seller_id")
        if row.begin >= row.end:
            raise PackError(where, "must be later than begin", "end")
        if len(row.reference_id) > 25:
            raise PackError(where, "longer than 25 characters", "reference_id")
        contracts[row.contract_id] = row.model_dump()

    map_path = pack.file(files.mapping_versions)
    periods: dict[tuple[int, int, datetime], list[dict[str, Any]]] = defaultdict(list)
    for line, row in read_csv(map_path, MappingRow):
        where = f"{map_path}:{line}"
        found = contracts.get(row.contract_id)
        if found is None:
            raise PackError(where, f"no contract {row.contract_id}", "contract_id")
        if row.customer_id not in (found["buyer_id"], found["seller_id"]):
            raise PackError(where, f"customer is no party to contract {row.contract_id}", "customer_id")
        if (row.begin, row.end) not in monthly_periods(found["begin"], found["end"]):
            raise PackError(where, "is not a mapping period (Eastern month) of the contract", "begin")
        if not _defined(by_subaccount.get((row.customer_id, row.subaccount_id), []), row.begin):
            raise PackError(where, "names no subaccount of the customer defined as of begin", "subaccount_id")
        periods[(row.customer_id, row.contract_id, row.begin)].append(row.model_dump())
    for contract_row in contracts.values():
        for party in (contract_row["buyer_id"], contract_row["seller_id"]):
            for begin, _ in monthly_periods(contract_row["begin"], contract_row["end"]):
                if (party, contract_row["contract_id"], begin) not in periods:
                    raise PackError(
                        str(map_path),
                        f"customer {party} has no version for contract {contract_row['contract_id']} "
                        f"mapping period beginning {begin:%Y-%m-%dT%H:%M:%SZ}",
                    )
    mappings = []
    for versions in periods.values():
        versions.sort(key=lambda v: v["version"])  # file order breaks ties: sort is stable
        mappings += [{**v, "current": i == len(versions) - 1} for i, v in enumerate(versions)]
    mappings.sort(key=lambda v: (v["version"], v["contract_id"], v["begin"]))  # ids follow creation
    return {
        customer.name: list(customers.values()),
        subaccount_version.name: subaccounts,
        contract.name: list(contracts.values()),
        mapping_version.name: mappings,
    }


def _defined(versions: list[dict[str, Any]], at: datetime) -> bool:
    return any(v["begin"] <= at for v in versions)


STATE = StateModel("isone.ibt", (customer, subaccount_version, contract, mapping_version), load)
