"""What each OASIS dataset produces, read from the CAISO market (app/caiso/market): node prices and
AS prices per run, load forecasts per TAC area, system load and resource schedules, wind and solar,
all from the same system and prices that CMRI and ADS report. The same request always gives the same
numbers, in any process; nothing here is stored.

Numbers are kept as scaled integers (prices in 1e-5 $/MWh, MW in 1e-2 MW) so that an LMP equals the
sum of its components and a total equals the sum of its parts exactly as printed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from isosim.caiso.market import prices, system
from isosim.caiso.market.registry import APNODE_KINDS, Node, Registry
from isosim.caiso.oasis.catalogue import Report, Run
from isosim.caiso.pacific import Interval, intervals, trading_days

PRICE_SCALE = prices.PRICE_SCALE  # decimals of prices
MW_SCALE = 2  # decimals of MW
# OASIS's market runs -> the market's: OASIS calls the 5-minute real-time dispatch "RTM".
MARKET_RUNS = {"RTM": "RTD"}


def market_run(run: Run) -> str:
    return MARKET_RUNS.get(run.market, run.market) if run.minutes == 5 else run.market


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


# --- price reports -----------------------------------------------------------------------------

LMP_COMPONENTS = (
    ("LMP", "LMP_PRC"),
    ("MCE", "LMP_ENE_PRC"),
    ("MCC", "LMP_CONG_PRC"),
    ("MCL", "LMP_LOSS_PRC"),
    ("MGHG", "LMP_GHG_PRC"),
)


def select_nodes(registry: Registry, selection: Selection, ties: bool) -> list[Node]:
    if selection.grp_type is not None:
        if ties:
            return [n for n in registry.nodes if n.kind == "SPTIE"]
        kinds = APNODE_KINDS if selection.grp_type == "ALL_APNODES" else APNODE_KINDS | {"PNODE"}
        return [n for n in registry.nodes if n.kind in kinds]
    found = (registry.node(name) for name in selection.nodes or [])
    return [n for n in found if n is not None and (n.kind == "SPTIE") == ties]


def price_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    ties = selection.report.dataset == "sptie"
    world = registry.system
    for node in select_nodes(registry, selection, ties):
        for run in selection.runs:
            series = [Series(label, item) for label, item in LMP_COMPONENTS]
            lmp, mce, mcc, mcl, mghg = (s.points for s in series)
            for day in selection.days():
                chosen = selection.intervals(run, day)
                if not chosen:
                    continue
                found = prices.node_day(world, node, market_run(run), day)
                energy, congestion, loss, ghg = found.energy, found.congestion, found.loss, found.ghg
                for iv in chosen:
                    i = iv.number - 1
                    lmp.append((iv, energy[i] + congestion[i] + loss[i] + ghg[i]))
                    mce.append((iv, energy[i]))
                    mcc.append((iv, congestion[i]))
                    mcl.append((iv, loss[i]))
                    mghg.append((iv, ghg[i]))
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


def as_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    wanted_type, wanted_region = selection.param("ANC_TYPE"), selection.param("ANC_REGION")
    for region in prices.AS_REGIONS:
        if wanted_region not in ("ALL", region):
            continue
        for anc_type, (item, _) in prices.AS_TYPES.items():
            if wanted_type not in ("ALL", anc_type):
                continue
            if anc_type in prices.SYSTEM_WIDE and region not in ("AS_CAISO", "AS_CAISO_EXP"):
                continue
            for run in selection.runs:
                series = Series("", item)
                for day in selection.days():
                    chosen = selection.intervals(run, day)
                    if not chosen:
                        continue
                    day_prices = prices.as_day(registry.system, region, anc_type, run.market, day)
                    for iv in chosen:
                        series.points.append((iv, day_prices[iv.number - 1]))
                if series.points:
                    columns = {"OPR_TYPE": "PRC", "ANC_TYPE": anc_type, "ANC_REGION": region}
                    yield Block(run, region, columns, [series], PRICE_SCALE)


# --- load: forecasts and actuals per TAC area ---------------------------------------------------

CA_ISO_TAC = "CA ISO-TAC"
LOAD_ITEMS = {
    "7DA": "SYS_FCST_7DA_MW",
    "2DA": "SYS_FCST_2DA_MW",
    "DAM": "SYS_FCST_DA_MW",
    "RTPD": "SYS_FCST_15MIN_MW",
    "RTD": "SYS_FCST_5MIN_MW",
    "ACTUAL": "SYS_FCST_ACT_MW",
}


def area_load(registry: Registry, area: system.TacArea, iv: Interval, forecast: str) -> int:
    """An area's load (or its forecast) in an interval, in 1e-2 MW."""
    return _scaled(system.area_load(registry.seed, area, iv, forecast), MW_SCALE)


def load_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    wanted = selection.params.get("TAC_AREA_NAME", "ALL") or "ALL"
    names = [CA_ISO_TAC, *(a.tac_area for a in registry.tac_areas)]
    for run in selection.runs:
        forecast = run.execution or run.market
        per_area: dict[str, Series] = {name: Series("", LOAD_ITEMS[forecast]) for name in names}
        for day in selection.days():
            for iv in selection.intervals(run, day):
                total = 0
                for area in registry.tac_areas:
                    value = area_load(registry, area, iv, forecast)
                    per_area[area.tac_area].points.append((iv, value))
                    total += value if area.caiso else 0
                per_area[CA_ISO_TAC].points.append((iv, total))  # exactly the sum of its areas
        for name in names:
            if wanted in ("ALL", name) and per_area[name].points:
                columns = {"LOAD_TYPE": "0", "POS": "0", "TAC_AREA_NAME": name}
                yield Block(run, name, columns, [per_area[name]], MW_SCALE)


def peak_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    """SLD_FCST_PEAK: each trading day's peak of the CAISO demand forecast, per TAC area, as one
    hourly point at the hour it falls in."""
    wanted = selection.params.get("TAC_AREA_NAME", "ALL") or "ALL"
    names = [CA_ISO_TAC, *(a.tac_area for a in registry.tac_areas)]
    for run in selection.runs:
        forecast = run.execution or run.market
        per_area: dict[str, Series] = {name: Series("", "SYS_PEAK_MW") for name in names}
        for day in selection.days():
            chosen = selection.intervals(run, day)
            if not chosen:
                continue
            hourly: dict[str, list[tuple[Interval, int]]] = {name: [] for name in names}
            for iv in intervals(day, run.minutes):
                total = 0
                for area in registry.tac_areas:
                    value = area_load(registry, area, iv, forecast)
                    hourly[area.tac_area].append((iv, value))
                    total += value if area.caiso else 0
                hourly[CA_ISO_TAC].append((iv, total))
            for name in names:
                peak = max(hourly[name], key=lambda point: point[1])
                if peak[0] in chosen:
                    per_area[name].points.append(peak)
        for name in names:
            if wanted in ("ALL", name) and per_area[name].points:
                columns = {"TAC_AREA_NAME": name}
                yield Block(run, name, columns, [per_area[name]], MW_SCALE)


# --- system load and resource schedules --------------------------------------------------------

SLRS_TOTAL = "Caiso_Totals"
SLRS_SCHEDULES = {
    "Export": "ISO_TOT_EXP_MW",
    "Generation": "ISO_TOT_GEN_MW",
    "Import": "ISO_TOT_IMP_MW",
    "Load": "ISO_TOT_LOAD_MW",
}
EXPORT_SHARE = 0.03  # of each zone's load


def slrs_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    """Each CAISO zone's load, its share of the system's scheduled imports, its exports, and the
    generation that balances them (load + exports - imports)."""
    wanted_zone, wanted_schedule = selection.param("TAC_ZONE_NAME"), selection.param("SCHEDULE")
    zones = [a for a in registry.tac_areas if a.caiso]
    names = [*(a.tac_area for a in zones), SLRS_TOTAL]
    world = registry.system
    for run in selection.runs:
        forecast = "DAM" if run.market in ("DAM", "RUC") else "ACTUAL"
        series = {(z, s): Series("", item) for z in names for s, item in SLRS_SCHEDULES.items()}
        for day in selection.days():
            chosen = selection.intervals(run, day)
            if not chosen:
                continue
            scheduled = system.system_day(world, day, "DAM")
            for iv in chosen:
                loads = [area_load(registry, zone, iv, forecast) for zone in zones]
                whole = sum(loads) or 1
                imports_total = _scaled(scheduled.at(iv).imports, MW_SCALE)
                totals = dict.fromkeys(SLRS_SCHEDULES, 0)
                for zone, load in zip(zones, loads, strict=True):
                    imports = imports_total * load // whole
                    exports = round(load * EXPORT_SHARE)
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


def renewables(registry: Registry, fleet: system.Fleet, iv: Interval) -> dict[str, int]:
    """A fleet's day-ahead forecast, actual output and curtailment in an hour, in 1e-2 MW: the
    system's oversupply in the hour (actuals) curtails wind and solar in proportion to their output."""
    forecast, actual = system.fleet_output(registry.seed, fleet, iv)
    point = system.system_day(registry.system, iv.opr_date, "ACTUAL").at(iv)
    produced = point.solar + point.wind
    share = point.curtailment / produced if produced > 0 else 0.0
    return {
        "forecast": _scaled(forecast, MW_SCALE),
        "actual": _scaled(actual, MW_SCALE),
        "curtailment": _scaled(min(actual, actual * share), MW_SCALE),
    }


def renewables_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    for fleet in registry.fleets:
        for run in selection.runs:
            series = {kind: Series("", item) for item, kind in RENEWABLE_ITEMS}
            for day in selection.days():
                for iv in selection.intervals(run, day):
                    for kind, value in renewables(registry, fleet, iv).items():
                        series[kind].points.append((iv, value))
            if series["actual"].points:
                columns = {"TRADING_HUB": fleet.trading_hub, "RENEWABLE_TYPE": fleet.renewable_type}
                resource = f"{fleet.trading_hub}_{fleet.renewable_type.upper()}"
                yield Block(run, resource, columns, list(series.values()), MW_SCALE)


# SLD_REN_FCST: per run, what it expected of each fleet (day-ahead and hour-ahead forecasts) or what
# it saw (RTPD, RTD and ACTUAL: actual output).
REN_FORECAST_ITEMS = {
    "DAM": "RENEW_FCST_DA_MW",
    "HASP": "RENEW_FCST_HA_MW",
    "RTPD": "RENEW_FCST_RTPD_MW",
    "RTD": "RENEW_FCST_RTD_MW",
    "ACTUAL": "RENEW_FCST_ACT_MW",
}


def renewables_forecast_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    for fleet in registry.fleets:
        for run in selection.runs:
            series = Series("", REN_FORECAST_ITEMS[run.market])
            for day in selection.days():
                for iv in selection.intervals(run, day):
                    forecast, actual = system.fleet_output(registry.seed, fleet, iv)
                    value = forecast if run.market in ("DAM", "HASP") else actual
                    series.points.append((iv, _scaled(value, MW_SCALE)))
            if series.points:
                columns = {"TRADING_HUB": fleet.trading_hub, "RENEWABLE_TYPE": fleet.renewable_type}
                resource = f"{fleet.trading_hub}_{fleet.renewable_type.upper()}"
                yield Block(run, resource, columns, [series], MW_SCALE)


# --- pricing nodes -----------------------------------------------------------------------------

NODES_SINCE = "2009-04-01T07:00:00-00:00"  # every node has been in force since the market began (MRTU)


def pnode_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    """ATL_PNODE: the pricing nodes in force in the window, one row each (no interval values)."""
    wanted = selection.params.get("PNODE_ID", "ALL") or "ALL"
    if not selection.runs or not selection.days():
        return
    run = selection.runs[0]
    first = intervals(selection.days()[0], 60)[0]  # one row per node: the window's first hour
    for node in registry.nodes:
        if node.kind == "SPTIE" or wanted not in ("ALL", node.node):
            continue
        columns = {
            "PNODE_ID": node.node,
            "PNODE_TYPE": node.kind,
            "ZONE": node.zone,
            "START_DATE_GMT": NODES_SINCE,
            "END_DATE_GMT": "",
        }
        yield Block(run, node.node, columns, [Series("", "PNODE", [(first, 0)])], 0)


# --- public bids (published 90 days after the trading day) -------------------------------------

_BID_PRODUCTS = {  # MARKETPRODUCTTYPE: (MARKETPRODUCT_DESC, price range of the first segment)
    "EN": ("Energy", (-30.0, 45.0)),
    "RU": ("Regulation Up", (2.0, 12.0)),
    "RD": ("Regulation Down", (1.0, 9.0)),
    "SR": ("Spinning Reserve", (0.5, 6.0)),
    "NR": ("Non-Spinning Reserve", (0.1, 3.0)),
}
_BID_RESOURCES = 48


def bid_blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    roster = _rng(registry.seed, "bidders")
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
                shape = _rng(registry.seed, "bid", resource, product)
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
                        drift = _rng(registry.seed, "bid", resource, product, day).uniform(0.9, 1.15)
                        for iv in selection.intervals(run, day):
                            price = start_price * drift * (1 + 0.35 * segment) + 4 * segment
                            series.points.append((iv, _scaled(price, 4)))
                    if series.points:
                        series_list.append(series)
            if series_list:
                yield Block(run, str(resource), {}, series_list, 4)


DATASETS = {
    "lmp": price_blocks,
    "peak": peak_blocks,
    "renewables_forecast": renewables_forecast_blocks,
    "pnodes": pnode_blocks,
    "sptie": price_blocks,
    "as": as_blocks,
    "load": load_blocks,
    "slrs": slrs_blocks,
    "renewables": renewables_blocks,
    "bids": bid_blocks,
}


def blocks(registry: Registry, selection: Selection) -> Iterator[Block]:
    return DATASETS[selection.report.dataset](registry, selection)
