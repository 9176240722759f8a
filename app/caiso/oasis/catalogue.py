"""The OASIS reports and groups isosim serves, as data: adding a report of an existing kind is adding
a row here. Each report names its accepted versions, its market runs (with interval length and
publication rule), its CSV columns and the dataset that produces its numbers (see market.py).

Column layouts and data item names follow public OASIS files and client code (WIRE.md). Where no
source shows them (ENE_SLRS, ENE_WIND_SOLAR_SUMMARY, PRC_SPTIE_LMP's tie column, the public-bid
files, SLD_FCST_PEAK, SLD_REN_FCST's data items, ATL_PNODE), the layout is inferred and listed as
such in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from isosim.caiso.pacific import Publication


@dataclass(frozen=True)
class Run:
    """One market run of a report: MARKET_RUN_ID (and EXECUTION_TYPE where the report has one)."""

    market: str
    minutes: int
    publication: Publication
    execution: str | None = None


@dataclass(frozen=True)
class Report:
    name: str
    versions: frozenset[int]
    dataset: str  # a key of market.DATASETS
    runs: tuple[Run, ...]
    columns: tuple[str, ...]
    value_column: str  # the column that holds the number (MW, VALUE or PRC)
    uom: str
    # Whether nodes are chosen by `node` or `grp_type` (price reports) and how a CSV is split:
    # one file per LMP component for price reports, one file otherwise.
    by_node: bool = False
    default_market: str | None = None  # when the request names no market_run_id

    def latest_version(self) -> int:
        return max(self.versions)

    def runs_for(self, market: str | None, execution: str | None) -> list[Run]:
        market = market or self.default_market
        return [
            run
            for run in self.runs
            if run.market == market and (execution is None or run.execution in (None, execution))
        ]


_INTERVAL = ("INTERVALSTARTTIME_GMT", "INTERVALENDTIME_GMT", "OPR_DT", "OPR_HR", "OPR_INTERVAL")
_NODE = ("NODE_ID_XML", "NODE_ID", "NODE")
_LMP_TAIL = ("LMP_TYPE", "XML_DATA_ITEM", "PNODE_RESMRID", "GRP_TYPE", "POS")


def _lmp_columns(value: str, tie: bool = False) -> tuple[str, ...]:
    return (*_INTERVAL, *_NODE, *(("TIE_NAME",) if tie else ()), "MARKET_RUN_ID", *_LMP_TAIL, value, "GROUP")


_DA = Publication.DAY_AHEAD
_RT = Publication.REAL_TIME

REPORTS: dict[str, Report] = {
    report.name: report
    for report in (
        Report(
            "PRC_LMP",
            frozenset({1, 12}),
            "lmp",
            (Run("DAM", 60, _DA), Run("RUC", 60, _DA)),
            _lmp_columns("MW"),
            "MW",
            "US$/MWh",
            by_node=True,
        ),
        Report(
            "PRC_INTVL_LMP",
            frozenset({1, 2, 3}),
            "lmp",
            (Run("RTM", 5, _RT),),
            _lmp_columns("VALUE"),
            "VALUE",
            "US$/MWh",
            by_node=True,
            default_market="RTM",
        ),
        Report(
            "PRC_RTPD_LMP",
            frozenset({1, 2, 3}),
            "lmp",
            (Run("RTPD", 15, _RT),),
            _lmp_columns("PRC"),
            "PRC",
            "US$/MWh",
            by_node=True,
            default_market="RTPD",
        ),
        Report(
            "PRC_HASP_LMP",
            frozenset({1, 2, 3}),
            "lmp",
            (Run("HASP", 15, Publication.HOUR_AHEAD),),
            _lmp_columns("MW"),
            "MW",
            "US$/MWh",
            by_node=True,
            default_market="HASP",
        ),
        Report(
            "PRC_SPTIE_LMP",
            frozenset({1, 2, 3, 4, 5}),
            "sptie",
            (Run("DAM", 60, _DA), Run("RTPD", 15, _RT), Run("RTD", 5, _RT)),
            _lmp_columns("PRC", tie=True),
            "PRC",
            "US$/MWh",
            by_node=True,
        ),
        Report(
            "PRC_AS",
            frozenset({1, 12}),
            "as",
            (Run("DAM", 60, _DA), Run("HASP", 15, Publication.HOUR_AHEAD)),
            (
                *_INTERVAL,
                "OPR_TYPE",
                "ANC_TYPE",
                "ANC_REGION",
                "MARKET_RUN_ID",
                "XML_DATA_ITEM",
                "MW",
                "GROUP",
            ),
            "MW",
            "US$/MW",
        ),
        Report(
            "SLD_FCST",
            frozenset({1}),
            "load",
            (
                Run("7DA", 60, Publication.DAYS_AHEAD_7),
                Run("2DA", 60, Publication.DAYS_AHEAD_2),
                Run("DAM", 60, _DA),
                Run("RTM", 15, _RT, execution="RTPD"),
                Run("RTM", 5, _RT, execution="RTD"),
                Run("ACTUAL", 60, _RT),
            ),
            (
                *_INTERVAL,
                "LOAD_TYPE",
                "XML_DATA_ITEM",
                "POS",
                "TAC_AREA_NAME",
                "MW",
                "EXECUTION_TYPE",
                "MARKET_RUN_ID",
                "GROUP",
            ),
            "MW",
            "MW",
        ),
        Report(
            "SLD_FCST_PEAK",
            frozenset({1}),
            "peak",
            (Run("7DA", 60, Publication.DAYS_AHEAD_7),),
            (*_INTERVAL, "TAC_AREA_NAME", "XML_DATA_ITEM", "MARKET_RUN_ID", "MW", "GROUP"),
            "MW",
            "MW",
            default_market="7DA",
        ),
        Report(
            "SLD_REN_FCST",
            frozenset({1}),
            "renewables_forecast",
            (
                Run("DAM", 60, _DA),
                Run("HASP", 60, Publication.HOUR_AHEAD),
                Run("RTPD", 15, _RT),
                Run("RTD", 5, _RT),
                Run("ACTUAL", 60, _RT),
            ),
            (
                *_INTERVAL,
                "TRADING_HUB",
                "RENEWABLE_TYPE",
                "LABEL",
                "XML_DATA_ITEM",
                "MARKET_RUN_ID",
                "MW",
                "GROUP",
            ),
            "MW",
            "MW",
        ),
        Report(
            "ATL_PNODE",
            frozenset({1}),
            "pnodes",
            (Run("ATL", 60, Publication.DAYS_AHEAD_7),),
            ("PNODE_ID", "PNODE_TYPE", "ZONE", "START_DATE_GMT", "END_DATE_GMT", "GROUP"),
            "",
            "",
            default_market="ATL",
        ),
        Report(
            "ENE_SLRS",
            frozenset({1}),
            "slrs",
            (
                Run("DAM", 60, _DA),
                Run("RUC", 60, _DA),
                Run("HASP", 60, Publication.HOUR_AHEAD),
                Run("RTM", 60, _RT),
            ),
            (*_INTERVAL, "MARKET_RUN_ID", "TAC_ZONE_NAME", "SCHEDULE", "XML_DATA_ITEM", "MW", "GROUP"),
            "MW",
            "MW",
        ),
        Report(
            "ENE_WIND_SOLAR_SUMMARY",
            frozenset({1, 2, 3, 4, 5}),
            "renewables",
            (Run("ACTUAL", 60, _RT),),
            (*_INTERVAL, "TRADING_HUB", "RENEWABLE_TYPE", "MARKET_RUN_ID", "XML_DATA_ITEM", "MW", "GROUP"),
            "MW",
            "MW",
            default_market="ACTUAL",
        ),
        Report(
            "PUB_BID",
            frozenset({3}),
            "bids",
            (Run("DAM", 60, Publication.DELAYED_90_DAYS), Run("RTM", 60, Publication.DELAYED_90_DAYS)),
            (
                "STARTTIME_GMT",
                "STOPTIME_GMT",
                "STARTTIME",
                "STOPTIME",
                "RESOURCE_TYPE",
                "SCHEDULINGCOORDINATOR_SEQ",
                "RESOURCEBID_SEQ",
                "TIMEINTERVALSTART_GMT",
                "TIMEINTERVALEND_GMT",
                "TIMEINTERVALSTART",
                "TIMEINTERVALEND",
                "PRODUCTBID_DESC",
                "PRODUCTBID_MRID",
                "MARKETPRODUCT_DESC",
                "MARKETPRODUCTTYPE",
                "SELFSCHEDMW",
                "SCH_BID_TIMEINTERVALSTART_GMT",
                "SCH_BID_TIMEINTERVALSTOP_GMT",
                "SCH_BID_TIMEINTERVALSTART",
                "SCH_BID_TIMEINTERVALSTOP",
                "SCH_BID_XAXISDATA",
                "SCH_BID_Y1AXISDATA",
                "SCH_BID_Y2AXISDATA",
                "SCH_BID_CURVETYPE",
                "MINEOHSTATEOFCHARGE",
                "MAXEOHSTATEOFCHARGE",
            ),
            "SCH_BID_Y1AXISDATA",
            "US$/MWh",
        ),
    )
}


@dataclass(frozen=True)
class Group:
    """A GroupZip group: one report's files, for every node where the report is by node."""

    groupid: str
    report: str
    market: str
    versions: frozenset[int]
    grp_type: str | None = None  # node selection for price reports


GROUPS: dict[str, Group] = {
    group.groupid: group
    for group in (
        Group("PUB_DAM_GRP", "PUB_BID", "DAM", frozenset({1, 2, 3})),
        Group("PUB_RTM_GRP", "PUB_BID", "RTM", frozenset({1, 2, 3})),
        Group("DAM_LMP_GRP", "PRC_LMP", "DAM", frozenset({1, 12}), grp_type="ALL_APNODES"),
        Group("RTM_LMP_GRP", "PRC_INTVL_LMP", "RTM", frozenset({1, 2, 3}), grp_type="ALL_APNODES"),
    )
}

# SingleZip only: PUB_BID is reachable through its groups.
SINGLE_REPORTS = {name: report for name, report in REPORTS.items() if report.dataset != "bids"}
