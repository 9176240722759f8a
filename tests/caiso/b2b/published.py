"""CAISO's published B2B structures, transcribed for the tests from the public evidence (README,
"CAISO's documents"; shared/caiso/MESSAGES.md): element names, order, cardinalities, enumerations,
namespaces (here), and the WSDLs' names, SOAPActions, messages and bindings (caiso_wsdls/, with the
shared StandardOutput, StandardAttachmentInfor and ISOAttachment schemas). This is the tests' own
transcription, independent of `app/`: the tests generate clients from it (zeep) and validate isosim's
answers against it. Where CAISO's own file is public the transcription follows it; MarketAwards v4's
result follows CAISO's captured answers and its request the published v2 request in the v4
namespace (as isosim does, by analogy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

XS = "http://www.w3.org/2001/XMLSchema"
SOA = "http://www.caiso.com/soa/"
STANDARD_OUTPUT = "http://www.caiso.com/soa/2006-06-13/StandardOutput.xsd"
ATTACHMENT_INFO = "http://www.caiso.com/soa/2006-06-13/StandardAttachmentInfor.xsd"
ISO_ATTACHMENT = "http://www.caiso.com/soa/2006-10-26/ISOAttachment.xsd"
ATTACHMENT_INFOR = "http://www.caiso.com/soa/AttachmentInfor_v1.xsd"

# An element: "name", "name?" (0..1), "name*" (0..n), "name+" (1..n), with a type: an XSD built-in
# ("dateTime"), a tuple of enumeration values, or a list of child elements.
DT, TEXT, DEC, INT = "dateTime", "string", "decimal", "integer"
MARKET_3 = ("2DA", "DAM", "RTM")
PTR_EXECUTION = ("HASP", "IFM", "RTD", "RTUC", "RUC")
LEVEL = ("FZONE", "GASCO", "GASMTR", "SAREA", "TZONE")
STATUS = (
    "APPROVED", "CANCELLED", "DISAPPROVED", "IN_OK", "IN_SERVICE", "IN_SERVICE_EDITABLE", "ISO_HOLD",
    "LATE_TO_END", "LATE_TO_START", "OE_NOT_RECOMMENDED", "OE_RECOMMENDED", "OUT", "OUT_OK",
    "PRE_APPROVED", "RECEIVED", "STUDY",
)  # fmt: skip
WORK = (
    "AMBIENT_DUE_TO_TEMP", "AMBIENT_NOT_DUE_TO_TEMP", "AVR_EXCITER", "ENVIRONMENTAL_RESTRICTIONS", "ICCP",
    "METERING_TELEMETRY", "NEW_GENERATOR_TEST_ENERGY", "PLANT_MAINTENANCE", "PLANT_TROUBLE",
    "POWER_SYSTEM_STABILIZER", "PRE_UNIT_COMMERCIAL_TESTING", "RAMP_RATE", "RTU_RIG",
    "TRANSITIONAL_LIMITATION", "TRANSMISSION_INDUCED", "UNIT_CYCLING", "UNIT_SUPPORTING_STARTUP",
    "UNIT_TESTING", "USE_LIMIT_REACHED",
)  # fmt: skip
YES_NO = ("NO", "YES")


def header(version: str, optional: bool) -> tuple:
    return (
        "MessageHeader?" if optional else "MessageHeader",
        [("TimeDate", DT), ("Source", TEXT), ("Version", TEXT, version)],
    )


GAS_ZONE = [("name", TEXT), ("summaryLevel", LEVEL)]
GAS_HOURS = [("gasBurn", TEXT), ("intervalEndTime?", DT), ("intervalStartTime", DT)]
REQUEST_GAS = [
    ("dateTimeEnd", DT),
    ("dateTimeStart", DT),
    ("executionType", PTR_EXECUTION),
    ("marketType", MARKET_3),
    ("GasCompanyList+", [("gasCompany", TEXT)]),
    ("GasZoneList*", GAS_ZONE),
]
AWARD_PRODUCTS = ("EN", "RU", "RD", "SR", "NR", "RC_CAP", "RC_AWD", "LFU", "LFD", "RMU", "RMD")
DATE_RANGE = [("end", DT), ("start", DT)]
STATUS_FILTER = [("outageStatus?", STATUS)]
FLOAT = [("multiplier?", ("M",)), ("unit?", ("W",)), ("value", "float")]
AVAILABILITY = [
    ("dateTimePoint", DT),
    ("outOfService?", YES_NO),
    ("returnToNetDependableCapacity?", YES_NO),
    ("PmaxValue?", FLOAT),
]
OUTAGED = [("timeToStartUp?", ("COLD", "HOT", "WARM")), ("Availability*", AVAILABILITY)]
REGISTERED = [("mRID", TEXT), ("name?", TEXT), ("OutagedRegisteredResource?", OUTAGED)]


@dataclass(frozen=True)
class Schema:
    """One published document: its file, namespace, root elements and content."""

    stem: str
    roots: tuple[str, ...]
    content: list  # the root's children

    @property
    def namespace(self) -> str:
        return f"{SOA}{self.stem}.xsd#"

    @property
    def filename(self) -> str:
        return self.stem + ".xsd"

    def xsd(self) -> str:
        types: list[str] = []

        def element(spec: tuple, owner: str) -> str:
            name, kind = spec[0], spec[1]
            default = f' default="{spec[2]}"' if len(spec) > 2 else ""
            base = name.rstrip("?*+")
            low = "0" if name[-1] in "?*" else "1"
            high = "unbounded" if name[-1] in "*+" else "1"
            occurs = f' minOccurs="{low}" maxOccurs="{high}"'
            if isinstance(kind, list):
                type_name = f"{owner}_{base}"
                types.append(complex_type(type_name, kind))
                return f'<xs:element name="{base}" type="m:{type_name}"{occurs}/>'
            if isinstance(kind, tuple):
                values = "".join(f'<xs:enumeration value="{v}"/>' for v in kind)
                return (
                    f'<xs:element name="{base}"{occurs}{default}><xs:simpleType>'
                    '<xs:restriction base="xs:string">'
                    f"{values}</xs:restriction></xs:simpleType></xs:element>"
                )
            return f'<xs:element name="{base}" type="xs:{kind}"{occurs}{default}/>'

        def complex_type(name: str, children: list) -> str:
            parts = []
            for child in children:
                if child[0] == "choice":  # ("choice", "*", [alternatives])
                    low = "0" if child[1] in "?*" else "1"
                    options = "".join(element(c, name) for c in child[2])
                    parts.append(f'<xs:choice minOccurs="{low}" maxOccurs="unbounded">{options}</xs:choice>')
                else:
                    parts.append(element(child, name))
            return (
                f'<xs:complexType name="{name}"><xs:sequence>{"".join(parts)}</xs:sequence></xs:complexType>'
            )

        root_type = complex_type(self.roots[0], self.content)
        roots = "".join(f'<xs:element name="{r}" type="m:{self.roots[0]}"/>' for r in self.roots)
        return (
            f'<xs:schema xmlns:xs="{XS}" xmlns:m="{self.namespace}" targetNamespace="{self.namespace}" '
            f'elementFormDefault="qualified">{roots}{root_type}{"".join(types)}</xs:schema>'
        )


GAS_BURN_SUMMARY = Schema(
    "GasBurnSummaryData_v1",
    ("GasBurnSummaryData",),
    [
        header("v20171001", True),
        (
            "MessagePayload",
            [
                (
                    "GasBurnSummaryRecord+",
                    [
                        ("executionType", PTR_EXECUTION),
                        ("marketType", MARKET_3),
                        ("marketEndTime?", DT),
                        ("marketStartTime?", DT),
                        ("GasZone", GAS_ZONE),
                        ("TradeIntervalData+", GAS_HOURS),
                    ],
                )
            ],
        ),
    ],
)
REQUEST_GAS_BURN_SUMMARY = Schema(
    "RequestGasBurnSummaryData_v1",
    ("RequestGasBurnSummary", "RequestGasBurnSummaryData"),
    [header("v20171001", False), ("MessagePayload", [("RequestGasBurnSummaryRecord", REQUEST_GAS)])],
)
GAS_BURN_RESOURCE = Schema(
    "GasBurnResourceData_v1",
    ("GasBurnResourceData",),
    [
        header("v20171001", True),
        (
            "MessagePayload",
            [
                (
                    "GasBurnResourceRecord+",
                    [
                        ("executionType", PTR_EXECUTION),
                        ("forecastZone?", TEXT),
                        ("gasCompany", TEXT),
                        ("gasCustomerMeter", TEXT),
                        ("marketEndTime?", DT),
                        ("marketStartTime?", DT),
                        ("marketType", MARKET_3),
                        ("pipeline", TEXT),
                        ("resource", TEXT),
                        ("serviceArea", TEXT),
                        ("transmissionZone?", TEXT),
                        ("TradeIntervalData+", GAS_HOURS),
                    ],
                )
            ],
        ),
    ],
)
REQUEST_GAS_BURN_RESOURCE = Schema(
    "RequestGasBurnResourceData_v1",
    ("RequestGasBurnResource",),
    [
        header("v20171001", False),
        (
            "MessagePayload",
            [("RequestGasBurnResourceRecord", [*REQUEST_GAS, ("ResourceList*", [("resource", TEXT)])])],
        ),
    ],
)
REQUEST_PRICE_INDEX = Schema(
    "RequestDailyElectricityPriceIndex_v1",
    ("RequestDailyElectricityPriceIndex",),
    [
        header("v20171001", False),
        (
            "MessagePayload",
            [
                (
                    "RequestDailyElectricityPriceIndexRecord",
                    [
                        ("dateTimeEnd", DT),
                        ("dateTimeStart", DT),
                        ("marketType", ("DAM", "RTM")),
                        ("ResourceList*", [("resource", TEXT)]),
                        ("SchedulingCoordinatorList+", [("schedulingCoordinator", TEXT)]),
                    ],
                )
            ],
        ),
    ],
)
MARKET_AWARDS = Schema(
    "MarketAwards_v4",
    ("MarketAwards",),
    [
        header("v20161001", True),
        (
            "MessagePayload",
            [
                (
                    "MarketResultRecord*",
                    [
                        ("executionType", ("IFM", "HASP", "RTUC")),
                        ("marketType", ("DAM", "RTM")),
                        ("resource", TEXT),
                        ("resourceSubType", ("PL", "NPL", "GEN", "PUMP", "ITIE_I", "ITIE_E", "SYNC")),
                        ("resourceType", ("GEN", "LOAD", "ITIE")),
                        ("schedulingCoordinator", TEXT),
                        ("bindingFlag", ("Y", "N")),
                        ("location?", TEXT),
                        ("product", AWARD_PRODUCTS),
                        ("scheduleType", ("CLEARED", "MARKET", "SELF")),
                        (
                            "TradeIntervalData+",
                            [
                                ("HR", INT),
                                ("intervalDuration", INT),
                                ("intervalEndTime", DT),
                                ("intervalNum", INT),
                                ("intervalStartTime", DT),
                                ("MW", DEC),
                                ("tradeDate", "date"),
                            ],
                        ),
                    ],
                )
            ],
        ),
    ],
)


def _list(name: str, item: str, values) -> tuple:  # type: ignore[no-untyped-def]
    return (f"{name}?", [(f"{item}+", values)])


REQUEST_MARKET_AWARDS = Schema(
    "RequestMarketAwards_v4",
    ("RequestMarketAwards",),
    [
        header("v20161001", True),
        (
            "MessagePayload",
            [
                (
                    "RequestMarketAwardRecord",
                    [
                        ("dateTimeStart", DT),
                        ("dateTimeEnd", DT),
                        ("marketType", ("DAM", "RTM")),
                        ("executionType", ("IFM", "HASP", "RTUC")),
                        ("schedulingCoordinatorList", [("schedulingCoordinator+", TEXT)]),
                        _list("resourceTypeList", "resourceType", ("GEN", "LOAD", "ITIE")),
                        _list(
                            "resourceSubTypeList",
                            "resourceSubType",
                            ("PL", "NPL", "GEN", "PUMP", "ITIE_I", "ITIE_E", "SYNC"),
                        ),
                        _list("productList", "product", AWARD_PRODUCTS),
                        _list("scheduleTypeList", "scheduleType", ("SELF", "MARKET")),
                        _list(
                            "contractTypeList",
                            "contractType",
                            ("ETC", "TOR", "RMT", "CVR", "PT", "LPT", "LOFF", "BASE"),
                        ),
                        _list("locationList", "location", TEXT),
                        _list("schedulingPointList", "schedulingPoint", TEXT),
                        _list("directionList", "direction", ("E", "I")),
                        _list("resourceList", "resource", TEXT),
                        _list("energyTypeList", "energyType", ("FIRM", "NFIRM", "DYN", "WHL", "UNT_CNTG")),
                        _list("bindingFlagList", "bindingFlag", ("Y", "N")),
                    ],
                )
            ],
        ),
    ],
)
REQUEST_RESOURCE_OUTAGE = Schema(
    "RequestResourceOutage_v1",
    ("RequestResourceOutage",),
    [
        header("v20141001", True),
        (
            "MessagePayload",
            [
                ("Outage*", [("mRID?", TEXT), ("mktOrgOutageID?", TEXT)]),
                ("OutageChangeRequest*", [("mRID", TEXT)]),
                ("OutageRange?", [("Outage?", STATUS_FILTER), ("rangePeriod", DATE_RANGE)]),
                (
                    "Participant?",
                    [
                        ("MktOrganisation", [("mRID", TEXT)]),
                        ("Outage?", STATUS_FILTER),
                        ("rangePeriod", DATE_RANGE),
                    ],
                ),
                (
                    "Resource?",
                    [
                        ("Outage?", STATUS_FILTER),
                        ("rangePeriod", DATE_RANGE),
                        (
                            "choice",
                            "+",
                            [
                                ("RegisteredGenerator", [("mRID", TEXT)]),
                                ("RegisteredInterTie", [("mRID", TEXT)]),
                                ("RegisteredLoad", [("mRID", TEXT)]),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
)
RESOURCE_OUTAGE = Schema(
    "ResourceOutageData_v1",
    ("ResourceOutageData",),
    [
        header("v20141001", True),
        (
            "MessagePayload",
            [
                (
                    "RegisteredResourceOutage*",
                    [
                        ("mRID?", TEXT),
                        ("description?", TEXT),
                        ("comment?", TEXT),
                        ("affectsRASSPS?", YES_NO),
                        ("discoveryDateTime?", DT),
                        ("emergencyReturnTime?", INT),
                        (
                            "emergencyReturnTimeType",
                            ("DAYS", "DURATION", "HOURS", "IMMEDIATE", "MINUTES", "YEARS"),
                        ),
                        ("mktOrgOutageID?", TEXT),
                        ("outageCoordinationLongTermPlanning?", YES_NO),
                        ("RIMSProjectCommissionDate?", DT),
                        ("RIMSProjectCompletion?", YES_NO),
                        ("RIMSProjectID?", TEXT),
                        ("RIMSProjectPhase?", TEXT),
                        ("actualPeriod?", [("end?", DT), ("start?", DT)]),
                        ("estimatedPeriod", DATE_RANGE),
                        ("MktOrganisation", [("mRID", TEXT)]),
                        ("OutageCause*", [("code?", TEXT)]),
                        ("OutageChangeRequest?", [("action", ("CANCEL", "UPDATE"))]),
                        ("Work", [("kind", WORK)]),
                        ("isOffPeakOpportunityOutage", YES_NO),
                        ("isShortNoticeOpportunityOutage", YES_NO),
                        (
                            "choice",
                            "*",
                            [
                                ("RegisteredGenerator", REGISTERED),
                                ("RegisteredInterTie", REGISTERED),
                                ("RegisteredLoad", REGISTERED),
                            ],
                        ),
                    ],
                )
            ],
        ),
    ],
)
OUTAGE_OUTPUT = Schema(
    "OutageStandardOutput_v1",
    ("OutageStandardOutput",),
    [
        header("v20141001", True),
        (
            "MessagePayload",
            [
                (
                    "EventLog",
                    [
                        (
                            "Event",
                            [
                                ("creationDateTime?", DT),
                                ("description?", TEXT),
                                ("id", TEXT),
                                ("result", TEXT),
                            ],
                        ),
                        (
                            "Outage*",
                            [
                                ("mRID?", TEXT),
                                ("mktOrgOutageID", TEXT),
                                ("OutageChangeRequest*", [("mRID", TEXT)]),
                                ("OutageGroup*", [("mRID", TEXT)]),
                                (
                                    "OutageValidation",
                                    [
                                        ("submitStatus", ("ACCEPTED", "REJECTED")),
                                        (
                                            "OutageResult+",
                                            [
                                                ("mRID", TEXT),
                                                ("description", TEXT),
                                                ("status?", ("ACKNOWLEDGED", "UNACKNOWLEDGED")),
                                                ("type", ("ERROR", "INFO", "WARNING")),
                                            ],
                                        ),
                                    ],
                                ),
                            ],
                        ),
                        ("Service", [("id", TEXT), ("name", TEXT)]),
                    ],
                )
            ],
        ),
    ],
)

FILES = Path(__file__).resolve().parent / "caiso_wsdls"  # the WSDLs and the shared schemas, as XML


def write(folder: Path) -> None:
    """Every transcribed file, as a client keeps CAISO's downloads: WSDLs and XSDs side by side."""
    for path in FILES.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    for schema in (
        GAS_BURN_SUMMARY, REQUEST_GAS_BURN_SUMMARY, GAS_BURN_RESOURCE, REQUEST_GAS_BURN_RESOURCE,
        REQUEST_PRICE_INDEX, MARKET_AWARDS, REQUEST_MARKET_AWARDS, REQUEST_RESOURCE_OUTAGE, RESOURCE_OUTAGE,
        OUTAGE_OUTPUT,
    ):  # fmt: skip
        (folder / schema.filename).write_text(schema.xsd(), encoding="utf-8")
