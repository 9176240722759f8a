"""The ISO-NE market's registry: read from a pack's `[isone.market]` files into realm tables, checked
the same way when a snapshot brings them, and read back (cached per realm seeding) by every ISO-NE
feed: one place for the locations and how each prices."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from pydantic import Field
from sqlalchemy import Connection, select

from isosim.core.packs import Pack, PackError, PackModel, read_csv, validate_model
from isosim.core.state import PerSeeding, Rows
from isosim.isone.market import tables

AREA = "ISONE"
HUB = 4000
LOAD_ZONES = (4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008)
# Where an LMP is published: every location that prices (an area or a reserve zone does not).
PRICED_TYPES = ("HUB", "LOAD ZONE", "EXT. NODE", "HUB NODE", "NETWORK NODE")


class Settings(PackModel):
    seed: str = Field(min_length=1, max_length=100)
    locations: str
    calibration: str


class Location(PackModel):
    loc_id: int = Field(ge=1, le=10**7)
    name: str = Field(min_length=1, max_length=60)
    location_type: str
    area_type: str = ""
    network_node_type: str = ""
    zone_id: int | None = None
    da_loss: float | None = Field(None, ge=-0.5, le=0.5)
    da_congestion: float | None = Field(None, ge=-0.5, le=0.5)
    rt_loss: float | None = Field(None, ge=-0.5, le=0.5)
    rt_congestion: float | None = Field(None, ge=-0.5, le=0.5)

    @property
    def priced(self) -> bool:
        return self.location_type in PRICED_TYPES and self.da_loss is not None

    def shares(self, market: str) -> tuple[float, float]:
        """(loss, congestion) as shares of the energy price in the DA or RT market."""
        if market == "DA":
            return self.da_loss or 0.0, self.da_congestion or 0.0
        return self.rt_loss or 0.0, self.rt_congestion or 0.0


class Target(PackModel):
    month: str = Field(pattern=r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$")
    market: str = Field(pattern=r"^(DA|RT)$")
    period: str = Field(pattern=r"^(all|on_peak|off_peak)$")
    statistic: str = Field(
        pattern=r"^(avg|min|max|imports|exports|reserve_hours|reg_(service|capacity)_(avg|max))$"
    )
    loc_id: int = Field(ge=1, le=10**7)
    value: float = Field(ge=-(10**8), le=10**8)


@dataclass(frozen=True)
class Registry:
    seed: str
    locations: tuple[Location, ...]
    targets: tuple[Target, ...]
    _by_id: dict[int, Location] = field(default_factory=dict, compare=False, repr=False)
    _calibrations: dict[str, dict[tuple[str, str, str], float]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._by_id.update({loc.loc_id: loc for loc in self.locations})

    def location(self, loc_id: int) -> Location | None:
        return self._by_id.get(loc_id)

    @functools.cached_property
    def fingerprint(self) -> tuple[str, int]:
        """What the market's numbers depend on, cheap to hash: the caches' key (hashing the targets'
        models on every ask cost more than the lookups saved)."""
        return self.seed, hash(self.targets)

    @functools.cached_property  # asked by every LMP answer; the registry never changes
    def priced(self) -> tuple[Location, ...]:
        """Every location with an LMP, in id order."""
        return tuple(loc for loc in self.locations if loc.priced)

    @functools.cached_property
    def reported(self) -> tuple[Location, ...]:
        """The hub, the eight load zones and the external nodes: what `current` resources show."""
        return tuple(loc for loc in self.priced if loc.location_type in ("HUB", "LOAD ZONE", "EXT. NODE"))

    def calibration(self, month: str) -> dict[tuple[str, str, str], float]:
        """The hub's price targets for a month: (market, period, statistic) -> value; {} if none.
        Kept per month: reserve prices ask for it every five minutes."""
        found = self._calibrations.get(month)
        if found is None:
            found = self._calibrations[month] = self._calibration(month)
        return found

    def _calibration(self, month: str) -> dict[tuple[str, str, str], float]:
        return {
            (t.market, t.period, t.statistic): t.value
            for t in self.targets
            if t.month == month and t.loc_id == HUB and t.statistic in ("avg", "min", "max")
        }

    def reserve_hours(self, month: str) -> float | None:
        """How many hours of the month had a non-zero real-time reserve price; None if unknown."""
        found = [t.value for t in self.targets if t.month == month and t.statistic == "reserve_hours"]
        return found[0] if found else None

    def regulation(self, month: str) -> dict[tuple[str, str], float]:
        """The month's regulation clearing price targets: (period, statistic) -> $/MWh; {} if none."""
        return {
            (t.period, t.statistic): t.value
            for t in self.targets
            if t.month == month and t.statistic.startswith("reg_")
        }

    def interchange(self, month: str) -> dict[tuple[int, str], float]:
        """An interface's real-time imports and exports over a month (MWh): (loc_id, statistic)."""
        return {
            (t.loc_id, t.statistic): t.value
            for t in self.targets
            if t.month == month and t.market == "RT" and t.statistic in ("imports", "exports")
        }


def _section(pack: Pack) -> Settings | None:
    found = pack.section("isone", "market")
    if found is None:
        return None
    return validate_model(Settings, found, f"{pack.path / 'pack.toml'} [isone.market]")


def read_pack(pack: Pack) -> Rows:
    """The registry's rows from the pack's files. Raises PackError naming the file, line and field."""
    settings = _section(pack)
    if settings is None:
        return {}
    locations = [item for _, item in read_csv(pack.file(settings.locations), Location)]
    targets = [item for _, item in read_csv(pack.file(settings.calibration), Target)]
    rows: Rows = {
        tables.location.name: [item.model_dump() for item in locations],
        tables.target.name: [item.model_dump() for item in targets],
        tables.system.name: [{"area": AREA, "seed": settings.seed}],
    }
    try:
        check_rows(rows)
    except ValueError as error:
        raise PackError(str(pack.file(settings.locations)), str(error)) from None
    return rows


def check_rows(rows: Rows) -> None:
    """The registry's rules (pack files and snapshots alike; raises ValueError saying why)."""
    if not any(rows.values()):
        return  # a realm of a pack without an ISO-NE market
    systems = rows.get(tables.system.name, [])
    if len(systems) != 1:
        raise ValueError("the ISO-NE market registry needs exactly one system row with a seed")
    found = [Location.model_validate(row) for row in rows.get(tables.location.name, [])]
    ids = {loc.loc_id for loc in found}
    if len(ids) != len(found):
        raise ValueError("a location id appears twice")
    if HUB not in ids or not set(LOAD_ZONES) <= ids:
        raise ValueError("the registry needs the hub (4000) and the eight load zones (4001-4008)")
    for loc in found:
        if loc.location_type not in tables.LOCATION_TYPES:
            raise ValueError(f"location {loc.loc_id}: unknown type {loc.location_type!r}")
        if loc.zone_id is not None and loc.zone_id not in LOAD_ZONES:
            raise ValueError(f"location {loc.loc_id}: zone {loc.zone_id} is not a load zone")
    for row in rows.get(tables.target.name, []):
        Target.model_validate(row)


# --- from a realm -----------------------------------------------------------------------------------


def _read(conn: Connection, realm: str) -> Registry | None:
    seed = conn.execute(select(tables.system.c.seed).where(tables.system.c.realm == realm)).scalar()
    if seed is None:
        return None
    t = tables
    columns = [c for c in t.location.c if c.name != "realm"]
    found = conn.execute(select(*columns).where(t.location.c.realm == realm).order_by(t.location.c.loc_id))
    locations = tuple(Location.model_construct(**row._mapping) for row in found)
    columns = [c for c in t.target.c if c.name != "realm"]
    targets = tuple(
        Target.model_construct(**row._mapping)
        for row in conn.execute(select(*columns).where(t.target.c.realm == realm))
    )
    return Registry(seed, locations, targets)


# The realm's registry, or None when its pack has no ISO-NE market (read once per seeding).
registry = PerSeeding(_read)
