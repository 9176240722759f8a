"""The B2B services' data (datasets.toml), read once and checked: every catalogue row of a B2B
application resolves to an Operation here, or the import fails (a test walks the catalogue)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

HERE = Path(__file__).resolve().parent
INTERVALS = {"5min": 5, "15min": 15, "hour": 60}  # minutes; day, month and span are calendar-based
NUMERIC = ("mw", "price", "cost", "percent", "count")
KINDS = (*NUMERIC, "text", "flag")
_FIELD = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9]*):(?P<kind>\w+)(?:\((?P<arg>[^)]*)\))?(?P<optional>\?)?")
PRICE_FLOOR, PRICE_CAP = -150.0, 1000.0  # SIBR's energy bid floor and soft offer cap ($/MWh)
# Where a conventional document keeps what every record has (datasets may name other paths).
DEFAULT_PATHS = {
    "coordinator": "schedulingCoordinator",
    "market": "marketType",
    "execution": "executionType",
    "intervals": "TradeIntervalData",
    "interval_start": "intervalStartTime",
    "interval_end": "intervalEndTime",
    "start": "startTime",  # span datasets: the record's own period
    "end": "endTime",
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # one of KINDS, "code" or "ref"
    optional: bool
    choices: tuple[str, ...] = ()  # code
    ref: str = ""  # ref: the dataset whose recordId it names

    @property
    def per_interval(self) -> bool:
        """Numbers vary interval by interval (TradeIntervalData); codes, texts and references
        describe the whole record."""
        return self.kind in NUMERIC


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dataset(_Model):
    name: str = ""
    key: str
    names: str | list[str] | list[dict[str, str]]
    types: list[str] = []
    fuels: list[str] = []
    interval: Literal["5min", "15min", "hour", "day", "month", "span"]
    markets: list[str]
    source: Literal["submitted", "generated", "both", "market"]
    lifecycle: list[tuple[str, int]] = []
    invalid: str = ""
    supersede: str = ""
    capacity: float = 0.0
    fields: list[str]
    record: str = ""  # the record element (CAISO names records by class); default <Dataset>Record
    layout: Literal["conventional", "bid"] = "conventional"
    paths: dict[str, str] = {}  # role -> element path in the record, where not DEFAULT_PATHS
    checks: dict[str, str] = {}  # element path -> mw | price | ref(<Dataset>): rules beyond the fields'
    attributes: dict[
        str, str
    ] = {}  # record element -> resource.type|resource.subtype|resource.pnode|name.<x>|literal
    combos: list[list[str]] = []  # generated data: one record per combination of the record-level codes

    @field_validator("fields")
    @classmethod
    def _fields_parse(cls, value: list[str]) -> list[str]:
        for text in value:
            _field(text)
        return value

    @cached_property
    def columns(self) -> tuple[Field, ...]:
        """The parsed fields (parsed once: submissions and retrieves read them per record)."""
        return tuple(_field(text) for text in self.fields)

    @cached_property
    def record_name(self) -> str:
        return self.record or f"{self.name}Record"

    def path(self, role: str) -> str:
        return self.paths.get(role, DEFAULT_PATHS.get(role, ""))

    @property
    def public(self) -> bool:
        """System data: names that no scheduling coordinator owns (fixed, or the TAC areas)."""
        return isinstance(self.names, list) or self.names == "tac_areas"

    @property
    def span(self) -> bool:
        return self.interval == "span"

    @property
    def submitted(self) -> bool:
        return self.source in ("submitted", "both")

    @property
    def generated(self) -> bool:
        return self.source in ("generated", "both")

    @property
    def market_pairs(self) -> list[tuple[str, str]]:
        """(marketType, executionType) pairs; executionType is "" for submitted data."""
        return [(m.partition("/")[0], m.partition("/")[2]) for m in self.markets]

    @property
    def has_market(self) -> bool:
        return bool(self.markets)

    @property
    def has_execution(self) -> bool:
        return any("/" in m for m in self.markets)

    @cached_property
    def record_fields(self) -> tuple[Field, ...]:
        return tuple(c for c in self.columns if self.span or not c.per_interval)

    @cached_property
    def interval_fields(self) -> tuple[Field, ...]:
        return tuple(c for c in self.columns if not self.span and c.per_interval)

    @property
    def references(self) -> list[str]:
        """The datasets whose records this one's records name (a change request's outage)."""
        return list(dict.fromkeys(k[4:-1] for k in self.value_checks.values() if k.startswith("ref(")))

    @cached_property
    def value_checks(self) -> dict[str, str]:
        """Every element path whose value a submission rule checks: mw, price, or ref(<Dataset>) (the
        id of a record of that dataset the submitter owns)."""
        found = {}
        for column in self.columns:
            if column.kind in ("mw", "price", "ref"):
                where = (
                    column.name if column in self.record_fields else f"{self.path('intervals')}/{column.name}"
                )
                found[where] = f"ref({column.ref})" if column.kind == "ref" else column.kind
        return {**found, **self.checks}


class Operation(_Model):
    app: str = ""
    name: str = ""  # the base operation: RetrieveMarketAwards
    kind: Literal["submit", "retrieve", "action", "status"] = "retrieve"
    dataset: str = ""
    datasets: list[str] = []  # action: the datasets whose records it acts on
    document: str = ""
    request: str = ""  # the retrieve's request document, where not Request<document>
    statuses: list[str] = []
    actions: dict[str, str] = {}
    submitted_only: bool = False

    @property
    def request_document(self) -> str:
        """The retrieve's (or action's, or status query's) request document root."""
        if self.kind == "action":
            return self.document
        return self.request or "Request" + self.document


def _field(text: str) -> Field:
    found = _FIELD.fullmatch(text)
    if found is None:
        raise ValueError(f"field {text!r} is not name:kind[(arg)][?]")
    kind, arg = found["kind"], found["arg"] or ""
    if kind == "code":
        return Field(found["name"], kind, bool(found["optional"]), tuple(arg.split("|")))
    if kind == "ref":
        return Field(found["name"], kind, bool(found["optional"]), ref=arg)
    if kind not in KINDS:
        raise ValueError(f"field {text!r}: unknown kind {kind!r}")
    return Field(found["name"], kind, bool(found["optional"]))


@cache
def _data() -> tuple[dict[str, Dataset], dict[str, dict]]:
    raw = tomllib.loads((HERE / "datasets.toml").read_text(encoding="utf-8"))
    datasets = {name: Dataset(name=name, **body) for name, body in raw["datasets"].items()}
    return datasets, raw.get("operations", {})


def datasets() -> dict[str, Dataset]:
    return _data()[0]


def dataset(name: str) -> Dataset:
    return datasets()[name]


@cache
def operation(app: str, base: str) -> Operation:
    """What `base` (e.g. RetrieveMarketAwards) of `app` does: its row in datasets.toml, or the
    default for its verb (RetrieveX reads dataset X, SubmitX writes it)."""
    body = dict(_data()[1].get(f"{app}.{base}", {}))
    kind = body.pop("kind", None)
    if kind is None:
        kind = "submit" if base.startswith("Submit") else "retrieve" if base.startswith("Retrieve") else ""
        if not kind:
            raise ValueError(f"{app}.{base}: an operation that neither submits nor retrieves needs a kind")
    stem = re.sub(r"^(Submit|Retrieve)", "", base)
    if kind == "status":
        body.setdefault("document", "BatchValidationStatus")
    if kind in ("submit", "retrieve"):
        body.setdefault("dataset", stem)
        body.setdefault("document", stem)
    found = Operation(app=app, name=base, kind=kind, **body)
    for name in [found.dataset, *found.datasets]:
        if name and name not in datasets():
            raise ValueError(f"{app}.{base}: unknown dataset {name!r}")
    if kind == "submit" and not dataset(found.dataset).submitted:
        raise ValueError(f"{app}.{base}: dataset {found.dataset} is not submitted data")
    if kind == "action" and not (found.datasets and found.actions):
        raise ValueError(f"{app}.{base}: an action needs datasets and actions")
    return found
