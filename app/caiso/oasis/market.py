"""The numbers behind OASIS: a deterministic market, generated on demand from the pack's reference
data (nodes, TAC areas, renewable fleets) and its seed. The same request always gives the same
numbers, in any process; nothing is stored.

Shapes are those of the CAISO market: a duck curve (solar pushes midday prices down, most in spring,
and the evening ramp pushes them up, most in late summer), a seasonal price level, congestion
across Path 15/26 that splits north and south, marginal losses proportional to the energy price,
GHG adders at EIM nodes outside California, and real-time prices that scatter around day-ahead with
rare spikes. Prices are kept as integers in 1e-5 $/MWh so that LMP = MCE + MCC + MCL + MGHG exactly
as printed; MW values as integers in 1e-2 MW so that totals equal the sum of their parts.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from app.caiso.oasis.catalogue import Report, Run
from app.caiso.pacific import Interval, intervals, trading_days
from app.core.packs import Pack, PackError, PackModel, read_csv, validate_model

PRICE_SCALE = 5  # decimals of prices
MW_SCALE = 2  # decimals of MW


# --- the pack's reference data -----------------------------------------------------------------


class OasisSection(PackModel):
    """`[caiso.oasis]` in pack.toml."""

    seed: str  # packs with the same seed publish the same numbers (MAP Stage copies Production)
    nodes: str = "oasis/nodes.csv"
    tac_areas: str = "oasis/tac_areas.csv"
    renewables: str = "oasis/renewables.csv"


class Node(PackModel):
    node: str
    kind: Literal["HUB", "DLAP", "APND", "PNODE", "SPTIE"]
    zone: str  # NP15, ZP26, SP15 or an EIM area
    congestion: float  # signed weight of north-to-south congestion in its price
    loss: float  # marginal loss as a share of the energy price
    ghg: bool
    tie: str = ""  # scheduling point / tie combinations only


class TacArea(PackModel):
    tac_area: str
    caiso: bool  # part of "CA ISO-TAC"
    mean_mw: float


class Fleet(PackModel):
    trading_hub: str
    renewable_type: Literal["Solar", "Wind"]
    capacity_mw: float


APNODE_KINDS = frozenset({"HUB", "DLAP", "APND"})


@dataclass(frozen=True)
class World:
    seed: str
    nodes: tuple[Node, ...]
    by_name: dict[str, Node]
    tac_areas: tuple[TacArea, ...]
    fleets: tuple[Fleet, ...]


def load_world(pack: Pack) -> World | None:
    """The pack's OASIS world, or None when the environment has no OASIS. Raises PackError."""
    section = pack.section("caiso", "oasis")
    if section is None:
        return None
    return _load(pack.path, pack.name, tuple(sorted(section.items())))


@lru_cache(maxsize=32)
def _load(folder: Path, name: str, section: tuple[tuple[str, object], ...]) -> World:
    settings = validate_model(OasisSection, dict(section), f"{folder / 'pack.toml'} [caiso.oasis]")
    nodes: dict[str, Node] = {}
    for line, node in read_csv(folder / settings.nodes, Node):
        if node.node in nodes:
            raise PackError(f"{folder / settings.nodes}:{line}", "repeated", "node")
        if (node.kind == "SPTIE") != bool(node.tie):
            raise PackError(f"{folder / settings.nodes}:{line}", "only SPTIE nodes name a tie", "tie")
        nodes[node.node] = node
    areas = tuple(area for _, area in read_csv(folder / settings.tac_areas, TacArea))
    fleets = tuple(fleet for _, fleet in read_csv(folder / settings.renewables, Fleet))
    return World(settings.seed, tuple(nodes.values()), nodes, areas, fleets)


# --- what a dataset produces ---------------------------------------------------------------------


@dataclass
class Series:
    """One data item of one resource: a CSV row per point, a REPORT_ITEM in XML."""

    label: str  # LMP_TYPE (LMP, MCE, ...) for price reports; "" otherwise
    item: str  # XML_DATA_ITEM
    points: list[tuple[Interval, int]] = field(default_factory=list)  # scaled integers
    columns: dict[str, str] = field(default_factory=dict)  # columns particular to this series


@dataclass
class Block:
    """The series of one resource (node, TAC area, region, ...) in one market run."""

    run: Run
    resource: str  # RESOURCE_NAME in XML
    columns: dict[str, str]  # constant CSV columns of its rows
    series: list[Series]
    scale: int


@dataclass(frozen=True)
class Selection:
    """A validated request: which report, runs, window and resources."""

    report: Report
    runs: list[Run]
    start: datetime
    end: datetime
    now: datetime
    nodes: list[str] | None = None  # by name, for price reports
    grp_type: str | None = None  # ALL or ALL_APNODES
    params: dict[str, str] = field(default_factory=dict)  # report-specific filters, upper-cased keys
    # Worked out once per request, not once per resource: the days, and each (run, day)'s intervals.
    _memo: dict[object, list] = field(default_factory=dict, init=False, compare=False, repr=False)  # type: ignore[type-arg]

    def days(self) -> list[date]:
        if "days" not in self._memo:
            self._memo["days"] = trading_days(self.start, self.end)
        return self._memo["days"]

    def intervals(self, run: Run, day: date) -> list[Interval]:
        """The run's intervals of the day inside the window that OASIS has published by now."""
        key = (run, day)
        if key not in self._memo:
            until = run.publication.until(self.now)
            self._memo[key] = [
                iv
                for iv in intervals(day, run.minutes)
                if self.start <= iv.start < self.end and iv.end <= until
            ]
        return self._memo[key]

    def param(self, name: str) -> str:
        value = self.params.get(name, "ALL")
        return value or "ALL"


def _rng(*parts: object) -> random.Random:
    # A string seed is hashed with SHA-512: the same in every process, whatever PYTHONHASHSEED says.
    return random.Random("|".join(str(p) for p in parts))


def _scaled(value: float, scale: int) -> int:
    return round(value * 10**scale)


# --- system signals, shared by every node (cached: several files of one request reuse them) ------

# Seasonal level ($/MWh), depth of the solar dip and height of the evening ramp, by month.
_LEVEL = (0, 58, 52, 38, 30, 27, 34, 47, 58, 55, 50, 52, 60)
_SOLAR_DIP = (0, 0.25, 0.35, 0.62, 0.88, 0.97, 0.8, 0.6, 0.5, 0.5, 0.4, 0.3, 0.22)
_EVENING = (0, 0.25, 0.25, 0.35, 0.45, 0.5, 0.62, 0.85, 0.95, 0.8, 0.5, 0.3, 0.3)
# How far each market run scatters around day-ahead.
_SCATTER = {"DAM": 0.025, "RUC": 0.04, "HASP": 0.08, "RTPD": 0.1, "RTM": 0.16, "RTD": 0.16}


def _solar(hour: float, month: int) -> float:
    """Clear-sky solar output (0..1) at a local hour, with the season's day length."""
    length = 12 + 2.3 * math.cos(2 * math.pi * (month - 6.5) / 12)
    rise = 12.5 - length / 2
    if not rise < hour < rise + length:
        return 0.0
    return math.sin(math.pi * (hour - rise) / length) ** 1.3


@dataclass(frozen=True)
class Signals:
    energy: tuple[float, ...]  # system marginal energy price per interval
    congestion: tuple[float, ...]  # north-to-south congestion ($/MWh at weight 1)
    ghg: tuple[float, ...]  # GHG adder at EIM nodes


@lru_cache(maxsize=2048)
def signals(seed: str, day: date, market: str, minutes: int) -> Signals:
    month, weekend = day.month, day.weekday() >= 5
    daily = _rng(seed, "day", day)  # shared by all markets: real time follows day-ahead
    level = _LEVEL[month] * daily.lognormvariate(0, 0.14) * (0.9 if weekend else 1.0)
    congested = daily.random() < 0.55
    congestion_level = daily.uniform(2, 14) if congested else daily.uniform(0, 1.5)
    ghg_level = daily.uniform(1.5, 5.0)
    scatter = _SCATTER.get(market, 0.1)
    noise = _rng(seed, "run", day, market, minutes)
    energy, congestion, ghg = [], [], []
    for iv in intervals(day, minutes):
        hour = iv.local_hour()
        evening = math.exp(-(((hour - 19.25) / 1.9) ** 2))
        shape = (
            1
            + _EVENING[month] * evening
            + 0.12 * math.exp(-(((hour - 7.5) / 1.4) ** 2))
            - _SOLAR_DIP[month] * _solar(hour, month)
            - (0.06 if hour < 5 else 0)
        )
        price = level * shape
        if scatter:
            price *= 1 + noise.gauss(0, scatter)
            if noise.random() < 0.004:  # a scarcity spike, under the 1,000 $/MWh soft cap
                price = min(1000.0, price * noise.uniform(3, 9) + 40)
        energy.append(price)
        binding = congestion_level * (0.35 + evening + 0.4 * _solar(hour, month))
        congestion.append(binding * max(0.0, 1 + noise.gauss(0, 2 * scatter)) if scatter else binding)
        ghg.append(ghg_level * (0.6 + 0.4 * evening))
    return Signals(tuple(energy), tuple(congestion), tuple(ghg))


# --- price reports -----------------------------------------------------------------------------

LMP_COMPONENTS = (
    ("LMP", "LMP_PRC"),
    ("MCE", "LMP_ENE_PRC"),
    ("MCC", "LMP_CONG_PRC"),
    ("MCL", "LMP_LOSS_PRC"),
    ("MGHG", "LMP_GHG_PRC"),
)


def select_nodes(world: World, selection: Selection, ties: bool) -> list[Node]:
    if selection.grp_type is not None:
        if ties:
            return [n for n in world.nodes if n.kind == "SPTIE"]
        kinds = APNODE_KINDS if selection.grp_type == "ALL_APNODES" else APNODE_KINDS | {"PNODE"}
        return [n for n in world.nodes if n.kind in kinds]
    found = (world.by_name.get(name) for name in selection.nodes or [])
    return [n for n in found if n is not None and (n.kind == "SPTIE") == ties]


def price_blocks(world: World, selection: Selection) -> Iterator[Block]:
    ties = selection.report.dataset == "sptie"
    for node in select_nodes(world, selection, ties):
        for run in selection.runs:
            series = [Series(label, item) for label, item in LMP_COMPONENTS]
            lmp, mce, mcc, mcl, mghg = (s.points for s in series)
            for day in selection.days():
                chosen = selection.intervals(run, day)
                if not chosen:
                    continue
                signal = signals(world.seed, day, run.market, run.minutes)
                local = _rng(world.seed, "node", node.node, day).gauss(1, 0.15)  # this node's day
                weight = node.congestion * local
                for iv in chosen:
                    i = iv.number - 1
                    energy = round(signal.energy[i] * 100_000)
                    congestion = round(weight * signal.congestion[i] * 100_000)
                    loss = round(node.loss * energy)
                    ghg = round(signal.ghg[i] * 100_000) if node.ghg else 0
                    lmp.append((iv, energy + congestion + loss + ghg))
                    mce.append((iv, energy))
                    mcc.append((iv, congestion))
                    mcl.append((iv, loss))
                    mghg.append((iv, ghg))
            if lmp:
                columns = {
                    "NODE_ID_XML": node.node,
                    "NODE_ID": node.node,
                    "NODE": node.node,
                    "PNODE_RESMRID": node.node,
                    "GRP_TYPE": selection.grp_type or "ALL",
                    "POS": "0",
                    "TIE_NAME": node.tie,
                }
                yield Block(run, node.node, columns, series, PRICE_SCALE)


# --- ancillary service prices ------------------------------------------------------------------

AS_TYPES = {  # ANC_TYPE: (XML_DATA_ITEM, typical $/MW)
    "RU": ("RU_CLR_PRC", 9.0),
    "RD": ("RD_CLR_PRC", 6.5),
    "SR": ("SP_CLR_PRC", 4.0),
    "NR": ("NS_CLR_PRC", 1.1),
    "RMU": ("RMU_CLR_PRC", 0.28),
    "RMD": ("RMD_CLR_PRC", 0.16),
}
AS_REGIONS = ("AS_CAISO", "AS_CAISO_EXP", "AS_NP26", "AS_NP26_EXP", "AS_SP26", "AS_SP26_EXP")


def as_blocks(world: World, selection: Selection) -> Iterator[Block]:
    wanted_type, wanted_region = selection.param("ANC_TYPE"), selection.param("ANC_REGION")
    for region in AS_REGIONS:
        if wanted_region not in ("ALL", region):
            continue
        for anc_type, (item, typical) in AS_TYPES.items():
            if wanted_type not in ("ALL", anc_type):
                continue
            if anc_type in ("RMU", "RMD") and region not in ("AS_CAISO", "AS_CAISO_EXP"):
                continue  # mileage is procured system-wide only
            for run in selection.runs:
                series = Series("", item)
                for day in selection.days():
                    chosen = selection.intervals(run, day)
                    if not chosen:
                        continue
                    signal = signals(world.seed, day, run.market, run.minutes)
                    # Sub-regions clear at the system price plus, on some days, a regional adder.
                    adder = 0.0
                    if region.startswith(("AS_NP26", "AS_SP26")):
                        adder = max(0.0, _rng(world.seed, "as", region, anc_type, day).gauss(0, 1.2))
                    for iv in chosen:
                        ratio = signal.energy[iv.number - 1] / max(_LEVEL[day.month], 1)
                        price = max(0.0, typical * (0.4 + 0.6 * ratio) + adder)
                        series.points.append((iv, _scaled(price, PRICE_SCALE)))
                if series.points:
                    columns = {"OPR_TYPE": "PRC", "ANC_TYPE": anc_type, "ANC_REGION": region}
                    yield Block(run, region, columns, [series], PRICE_SCALE)


# --- load: forecasts and actuals per TAC area ---------------------------------------------------

CA_ISO_TAC = "CA ISO-TAC"
_LOAD_MONTH = (0, 1.0, 0.97, 0.93, 0.9, 0.94, 1.04, 1.17, 1.22, 1.15, 0.98, 0.95, 1.0)
# Forecast error (relative, one sigma) of each forecast against the actual.
_FORECAST_ERROR = {"7DA": 0.06, "2DA": 0.035, "DAM": 0.02, "RTPD": 0.008, "RTD": 0.004, "ACTUAL": 0.0}
LOAD_ITEMS = {
    "7DA": "SYS_FCST_7DA_MW",
    "2DA": "SYS_FCST_2DA_MW",
    "DAM": "SYS_FCST_DA_MW",
    "RTPD": "SYS_FCST_15MIN_MW",
    "RTD": "SYS_FCST_5MIN_MW",
    "ACTUAL": "SYS_FCST_ACT_MW",
}


@lru_cache(maxsize=4096)
def _weather(seed: str, day: date) -> float:
    """How far the day's load sits from normal, shared by every area, forecast and interval."""
    return _rng(seed, "weather", day).gauss(1, 0.05)


def area_load(world: World, area: TacArea, iv: Interval, forecast: str) -> int:
    """An area's load (or its forecast) in an interval, in 1e-2 MW."""
    day = iv.opr_date
    month, hour = day.month, iv.local_hour()
    weather = _weather(world.seed, day)
    evening = math.exp(-(((hour - 18.5) / 3.0) ** 2))
    shape = 0.8 + 0.12 * _solar(hour, month) + (0.18 + 0.25 * (_LOAD_MONTH[month] - 0.9)) * evening
    actual = area.mean_mw * _LOAD_MONTH[month] * weather * shape
    error = _FORECAST_ERROR[forecast]
    if error:
        actual *= 1 + _rng(world.seed, "forecast", forecast, area.tac_area, day, iv.number).gauss(0, error)
    return _scaled(actual, MW_SCALE)


def load_blocks(world: World, selection: Selection) -> Iterator[Block]:
    wanted = selection.params.get("TAC_AREA_NAME", "ALL") or "ALL"
    names = [CA_ISO_TAC, *(a.tac_area for a in world.tac_areas)]
    for run in selection.runs:
        forecast = run.execution or run.market
        per_area: dict[str, Series] = {name: Series("", LOAD_ITEMS[forecast]) for name in names}
        for day in selection.days():
            for iv in selection.intervals(run, day):
                total = 0
                for area in world.tac_areas:
                    value = area_load(world, area, iv, forecast)
                    per_area[area.tac_area].points.append((iv, value))
                    total += value if area.caiso else 0
                per_area[CA_ISO_TAC].points.append((iv, total))  # exactly the sum of its areas
        for name in names:
            if wanted in ("ALL", name) and per_area[name].points:
                columns = {"LOAD_TYPE": "0", "POS": "0", "TAC_AREA_NAME": name}
                yield Block(run, name, columns, [per_area[name]], MW_SCALE)


# --- system load and resource schedules --------------------------------------------------------

SLRS_TOTAL = "Caiso_Totals"
SLRS_SCHEDULES = {
    "Export": "ISO_TOT_EXP_MW",
    "Generation": "ISO_TOT_GEN_MW",
    "Import": "ISO_TOT_IMP_MW",
    "Load": "ISO_TOT_LOAD_MW",
}


def slrs_blocks(world: World, selection: Selection) -> Iterator[Block]:
    wanted_zone, wanted_schedule = selection.param("TAC_ZONE_NAME"), selection.param("SCHEDULE")
    zones = [a for a in world.tac_areas if a.caiso]
    names = [*(a.tac_area for a in zones), SLRS_TOTAL]
    for run in selection.runs:
        series = {(z, s): Series("", item) for z in names for s, item in SLRS_SCHEDULES.items()}
        for day in selection.days():
            for iv in selection.intervals(run, day):
                totals = dict.fromkeys(SLRS_SCHEDULES, 0)
                imports_share = 0.18 + 0.08 * math.cos(math.pi * (iv.local_hour() - 3) / 12)
                for zone in zones:
                    load = area_load(world, zone, iv, "DAM" if run.market in ("DAM", "RUC") else "ACTUAL")
                    imports = round(load * imports_share)
                    exports = round(load * 0.03)
                    values = {
                        "Load": load,
                        "Import": imports,
                        "Export": exports,
                        "Generation": load + exports - imports,  # the zone balances
                    }
                    for schedule, value in values.items():
                        series[(zone.tac_area, schedule)].points.append((iv, value))
                        totals[schedule] += value
                for schedule, value in totals.items():
                    series[(SLRS_TOTAL, schedule)].points.append((iv, value))
        for (zone_name, schedule), found in series.items():
            if wanted_zone in ("ALL", zone_name) and wanted_schedule in ("ALL", schedule) and found.points:
                columns = {"TAC_ZONE_NAME": zone_name, "SCHEDULE": schedule}
                yield Block(run, zone_name, columns, [found], MW_SCALE)


# --- wind and solar ----------------------------------------------------------------------------

RENEWABLE_ITEMS = (
    ("RENEW_FCST_DA_MW", "forecast"),
    ("RENEW_ACT_MW", "actual"),
    ("RENEW_CURT_MW", "curtailment"),
)


def renewables_blocks(world: World, selection: Selection) -> Iterator[Block]:
    for fleet in world.fleets:
        for run in selection.runs:
            series = {kind: Series("", item) for item, kind in RENEWABLE_ITEMS}
            for day in selection.days():
                chosen = selection.intervals(run, day)
                if not chosen:
                    continue
                sky = _rng(world.seed, "sky", fleet.trading_hub, day).uniform(0.55, 1.0)
                wind = _rng(world.seed, "wind", fleet.trading_hub, day).uniform(0.1, 0.7)
                noise = _rng(world.seed, "renewables", fleet.trading_hub, fleet.renewable_type, day)
                for iv in chosen:
                    hour = iv.local_hour()
                    if fleet.renewable_type == "Solar":
                        share = 0.85 * sky * _solar(hour, day.month)
                    else:
                        share = min(0.95, max(0.0, wind * (0.7 + 0.5 * math.sin(math.pi * (hour - 8) / 14))))
                    forecast = fleet.capacity_mw * share
                    actual = max(0.0, forecast * (1 + noise.gauss(0, 0.06)))
                    spring_glut = max(0.0, _SOLAR_DIP[day.month] - 0.6) * _solar(hour, day.month)
                    curtailment = actual * spring_glut * 0.5 if fleet.renewable_type == "Solar" else 0.0
                    for kind, value in (
                        ("forecast", forecast),
                        ("actual", actual),
                        ("curtailment", curtailment),
                    ):
                        series[kind].points.append((iv, _scaled(value, MW_SCALE)))
            if series["actual"].points:
                columns = {"TRADING_HUB": fleet.trading_hub, "RENEWABLE_TYPE": fleet.renewable_type}
                resource = f"{fleet.trading_hub}_{fleet.renewable_type.upper()}"
                yield Block(run, resource, columns, list(series.values()), MW_SCALE)


# --- public bids (published 90 days after the trading day) -------------------------------------

_BID_PRODUCTS = {  # MARKETPRODUCTTYPE: (MARKETPRODUCT_DESC, price range of the first segment)
    "EN": ("Energy", (-30.0, 45.0)),
    "RU": ("Regulation Up", (2.0, 12.0)),
    "RD": ("Regulation Down", (1.0, 9.0)),
    "SR": ("Spinning Reserve", (0.5, 6.0)),
    "NR": ("Non-Spinning Reserve", (0.1, 3.0)),
}
_BID_RESOURCES = 48


def bid_blocks(world: World, selection: Selection) -> Iterator[Block]:
    roster = _rng(world.seed, "bidders")
    resources = []
    for n in range(_BID_RESOURCES):
        kind = "GENERATOR" if n < 32 else ("LOAD" if n < 38 else "INTERTIE")
        resources.append((kind, roster.randint(10_000, 99_999), roster.randint(100_000, 999_999)))
    for kind, coordinator, resource in resources:
        for run in selection.runs:
            products = ["EN"] + (
                ["RU", "RD", "SR", "NR"] if kind == "GENERATOR" and resource % 3 == 0 else []
            )
            series_list = []
            for product in products:
                description, (low, high) = _BID_PRODUCTS[product]
                shape = _rng(world.seed, "bid", resource, product)
                segments = 1 if product != "EN" else shape.randint(2, 5)
                capacity = shape.uniform(20, 600)
                start_price = shape.uniform(low, high)
                for segment in range(segments):
                    mw = capacity * (segment + 1) / segments
                    series = Series(
                        "",
                        f"{product}_BID_PRC",
                        columns={
                            "RESOURCE_TYPE": kind,
                            "SCHEDULINGCOORDINATOR_SEQ": str(coordinator),
                            "RESOURCEBID_SEQ": str(resource),
                            "PRODUCTBID_DESC": f"{description} bid",
                            "PRODUCTBID_MRID": f"{resource}-{product}",
                            "MARKETPRODUCT_DESC": description,
                            "MARKETPRODUCTTYPE": product,
                            "SCH_BID_XAXISDATA": f"{mw:.4f}",
                            "SCH_BID_CURVETYPE": "BIDPRICE",
                        },
                    )
                    for day in selection.days():
                        drift = _rng(world.seed, "bid", resource, product, day).uniform(0.9, 1.15)
                        for iv in selection.intervals(run, day):
                            price = start_price * drift * (1 + 0.35 * segment) + 4 * segment
                            series.points.append((iv, _scaled(price, 4)))
                    if series.points:
                        series_list.append(series)
            if series_list:
                yield Block(run, str(resource), {}, series_list, 4)


DATASETS = {
    "lmp": price_blocks,
    "sptie": price_blocks,
    "as": as_blocks,
    "load": load_blocks,
    "slrs": slrs_blocks,
    "renewables": renewables_blocks,
    "bids": bid_blocks,
}


def blocks(world: World, selection: Selection) -> Iterator[Block]:
    return DATASETS[selection.report.dataset](world, selection)
