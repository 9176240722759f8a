"""The market's registry: who takes part (scheduling coordinators' resources and contracts) and where
(pricing nodes, TAC areas, renewable fleets), read from a pack's `[caiso.market]` files into realm
tables and from there by every CAISO service.

A realm's registry is read once per seeding: it is cached under the realm's `seeded_at` mark, which
every seed, reset and snapshot restore renews, so a change of the rows is always seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import field_validator
from sqlalchemy import Connection, Table, select

from isosim.caiso.market import tables
from isosim.core.packs import Pack, PackError, PackModel, read_csv, validate_model
from isosim.core.state import PerSeeding, Rows

if TYPE_CHECKING:
    from isosim.caiso.market.system import System

RESOURCE_TYPES = ("GEN", "LOAD", "ITIE", "ETIE", "PDR")
NODE_KINDS = ("HUB", "DLAP", "APND", "PNODE", "SPTIE")
AS_PRODUCTS = ("RU", "RD", "SR", "NR")
APNODE_KINDS = frozenset({"HUB", "DLAP", "APND"})
BALANCING_AREA = "CISO"
MAX_MW = 100_000.0  # no resource, area or fleet is larger than the whole system


class MarketSection(PackModel):
    """`[caiso.market]` in pack.toml."""

    seed: str  # packs with the same seed publish the same numbers (MAP Stage carries Production's)
    resources: str = "market/resources.csv"
    nodes: str = "market/nodes.csv"
    tac_areas: str = "market/tac_areas.csv"
    renewables: str = "market/renewables.csv"
    contracts: str = "market/contracts.csv"


def _finite(value: float) -> float:
    if not math.isfinite(value) or abs(value) > MAX_MW:
        raise ValueError(f"must be a finite number within ±{MAX_MW:g}")
    return value


class Resource(PackModel):
    resource_id: str
    scheduling_coordinator: str
    resource_type: Literal["GEN", "LOAD", "ITIE", "ETIE", "PDR"]
    fuel: str  # GAS, WIND, SOLAR, HYDRO, BATTERY, GEOTHERMAL, NUCLEAR; NA for loads and interties
    pnode: str
    pmin: float
    pmax: float
    ramp_rate: float = 0.0
    startup_cost: float = 0.0
    min_load_cost: float = 0.0
    heat_rate: float = 0.0
    ra: bool = False
    ancillary: str = ""

    _numbers = field_validator(
        "pmin", "pmax", "ramp_rate", "startup_cost", "min_load_cost", "heat_rate", mode="after"
    )(_finite)

    @field_validator("ancillary", mode="after")
    @classmethod
    def _products(cls, value: str) -> str:
        unknown = [p for p in value.split("|") if p and p not in AS_PRODUCTS]
        if unknown:
            raise ValueError(f"unknown ancillary service product(s) {unknown}; use {'|'.join(AS_PRODUCTS)}")
        return value

    @property
    def products(self) -> tuple[str, ...]:
        """The ancillary services it is certified for."""
        return tuple(p for p in self.ancillary.split("|") if p)

    @property
    def supply(self) -> bool:
        """Whether it sells energy (generators, imports, demand response) rather than buys it."""
        return self.resource_type in ("GEN", "ITIE", "PDR")


class Node(PackModel):
    node: str
    kind: Literal["HUB", "DLAP", "APND", "PNODE", "SPTIE"]
    zone: str  # NP15, ZP26, SP15 or an EIM area
    congestion: float  # signed weight of north-to-south congestion in its price
    loss: float  # marginal loss as a share of the energy price
    ghg: bool
    tie: str = ""  # scheduling point / tie combinations only

    _numbers = field_validator("congestion", "loss", mode="after")(_finite)


class TacArea(PackModel):
    tac_area: str
    caiso: bool  # part of "CA ISO-TAC"
    mean_mw: float

    _numbers = field_validator("mean_mw", mode="after")(_finite)


class Fleet(PackModel):
    trading_hub: str
    renewable_type: Literal["Solar", "Wind"]
    capacity_mw: float

    _numbers = field_validator("capacity_mw", mode="after")(_finite)


class Contract(PackModel):
    contract_id: str
    scheduling_coordinator: str
    contract_type: Literal["ETC", "TOR"]
    rights_mw: float

    _numbers = field_validator("rights_mw", mode="after")(_finite)


@dataclass(frozen=True)
class Registry:
    seed: str
    resources: tuple[Resource, ...]
    nodes: tuple[Node, ...]
    tac_areas: tuple[TacArea, ...]
    fleets: tuple[Fleet, ...]
    contracts: tuple[Contract, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_nodes", {n.node: n for n in self.nodes})
        object.__setattr__(self, "_resources", {r.resource_id: r for r in self.resources})

    @property
    def system(self) -> System:
        """The system these participants sit in (its seed, areas and fleets)."""
        found = self.__dict__.get("_system")
        if found is None:
            from isosim.caiso.market.system import System

            found = System(self.seed, self.tac_areas, self.fleets)
            object.__setattr__(self, "_system", found)
        return found

    def node(self, name: str) -> Node | None:
        return self._nodes.get(name)  # type: ignore[attr-defined]

    def resource(self, resource_id: str) -> Resource | None:
        return self._resources.get(resource_id)  # type: ignore[attr-defined]

    def resources_of(self, coordinators: list[str] | tuple[str, ...]) -> list[Resource]:
        return [r for r in self.resources if r.scheduling_coordinator in coordinators]


# --- from the pack's files -------------------------------------------------------------------------


def section(pack: Pack) -> MarketSection | None:
    raw = pack.section("caiso", "market")
    if raw is None:
        return None
    return validate_model(MarketSection, raw, f"{pack.path / 'pack.toml'} [caiso.market]")


# In the order they are checked: a resource's pricing node must be known first.
_MODELS: dict[Table, type[PackModel]] = {
    tables.node: Node,
    tables.tac_area: TacArea,
    tables.fleet: Fleet,
    tables.resource: Resource,
    tables.contract: Contract,
}
_LIMITS = {tables.node.name: 20_000, tables.resource.name: 5_000}  # rows a registry may hold


def read_pack(pack: Pack) -> Rows:
    """The registry's rows from the pack's `[caiso.market]` files. Raises PackError naming the file,
    line and field of anything wrong."""
    settings = section(pack)
    if settings is None:
        return {}
    files = {
        tables.node: settings.nodes,
        tables.tac_area: settings.tac_areas,
        tables.fleet: settings.renewables,
        tables.resource: settings.resources,
        tables.contract: settings.contracts,
    }
    found: dict[str, list[PackModel]] = {}
    nodes: set[str] = set()
    for table, model in _MODELS.items():
        path = pack.file(files[table])
        items: list[PackModel] = []
        for line, item in read_csv(path, model):
            try:
                _check_item(item, nodes)
            except ValueError as error:
                raise PackError(f"{path}:{line}", str(error)) from None
            items.append(item)
        try:
            _unique(table, [i.model_dump() for i in items])
        except ValueError as error:
            raise PackError(str(path), str(error)) from None
        found[table.name] = items
    rows: Rows = {name: [i.model_dump() for i in items] for name, items in found.items()}
    rows[tables.system.name] = [{"balancing_area": BALANCING_AREA, "seed": settings.seed}]
    return rows


def _check_item(item: PackModel, nodes: set[str]) -> None:
    """Rules across fields and files: Pmin <= Pmax, a resource's pricing node exists, ..."""
    if isinstance(item, Node):
        nodes.add(item.node)
    if isinstance(item, Resource):
        if item.pmin > item.pmax:
            raise ValueError("needs pmin <= pmax")
        if item.pnode not in nodes:
            raise ValueError(f"pricing node {item.pnode!r} is not in the nodes file")
    if isinstance(item, Node) and (item.kind == "SPTIE") != bool(item.tie):
        raise ValueError("only SPTIE nodes name a tie")


def _unique(table: Table, rows: list[dict[str, Any]]) -> None:
    key = [c.name for c in table.primary_key if c.name != "realm"]
    seen = set()
    for row in rows:
        value = tuple(row[k] for k in key)
        if value in seen:
            raise ValueError(f"{'/'.join(key)} {'/'.join(map(str, value))} is repeated")
        seen.add(value)


def check_rows(rows: Rows) -> None:
    """A snapshot's registry rows, held to the rules of the pack's files (raises ValueError)."""
    if not any(rows.values()):
        return  # a realm of a pack without a market
    systems = rows.get(tables.system.name, [])
    if len(systems) != 1 or not isinstance(systems[0].get("seed"), str) or len(systems[0]["seed"]) > 100:
        raise ValueError("the market registry needs exactly one system row with a seed")
    nodes: set[str] = set()
    for table, model in _MODELS.items():
        given = rows.get(table.name, [])
        if len(given) > _LIMITS.get(table.name, 1_000):
            raise ValueError(f"{table.name}: more rows than a market registry holds")
        items = []
        for row in given:
            try:
                item = model.model_validate(row)
                _check_item(item, nodes)
            except ValueError as error:  # pydantic's ValidationError is a ValueError
                raise ValueError(f"{table.name}: {str(error).splitlines()[0]}") from None
            items.append(item)
        try:
            _unique(table, [i.model_dump() for i in items])
        except ValueError as error:
            raise ValueError(f"{table.name}: {error}") from None


# --- from a realm -----------------------------------------------------------------------------------


def _read(conn: Connection, realm: str) -> Registry | None:
    seed = conn.execute(select(tables.system.c.seed).where(tables.system.c.realm == realm)).scalar()
    if seed is None:
        return None

    def rows(table, model, *order):  # type: ignore[no-untyped-def]
        columns = [c for c in table.c if c.name != "realm"]
        found = conn.execute(select(*columns).where(table.c.realm == realm).order_by(*order))
        # Rows were checked on the way in (pack files or snapshot): no need to validate again.
        return tuple(model.model_construct(**row._mapping) for row in found)

    t = tables
    return Registry(
        seed=seed,
        resources=rows(t.resource, Resource, t.resource.c.scheduling_coordinator, t.resource.c.resource_id),
        nodes=rows(t.node, Node, t.node.c.node),
        tac_areas=rows(t.tac_area, TacArea, t.tac_area.c.tac_area),
        fleets=rows(t.fleet, Fleet, t.fleet.c.trading_hub, t.fleet.c.renewable_type),
        contracts=rows(t.contract, Contract, t.contract.c.contract_id),
    )


# The realm's registry, or None when its pack has no CAISO market (read once per seeding).
registry = PerSeeding(_read)
