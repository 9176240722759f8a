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
KINDS = ("mw", "price", "cost", "percent", "count", "text", "flag")
_FIELD = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9]*):(?P<kind>\w+)(?:\((?P<arg>[^)]*)\))?(?P<optional>\?)?")
PRICE_FLOOR, PRICE_CAP = -150.0, 1000.0  # SIBR's energy bid floor and soft offer cap ($/MWh)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # one of KINDS, "code" or "ref"
    optional: bool
    choices: tuple[str, ...] = ()  # code
    ref: str = ""  # ref: the dataset whose recordId it names


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dataset(_Model):
    name: str = ""
    key: str
    names: str | list[str]
    types: list[str] = []
    fuels: list[str] = []
    interval: Literal["5min", "15min", "hour", "day", "month", "span"]
    markets: list[str]
    source: Literal["submitted", "generated", "both"]
    lifecycle: list[tuple[str, int]] = []
    invalid: str = ""
    supersede: str = ""
    capacity: float = 0.0
    fields: list[str]

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


class Operation(_Model):
    app: str = ""
    name: str = ""  # the base operation: RetrieveMarketAwards
    kind: Literal["submit", "retrieve", "action", "status"] = "retrieve"
    dataset: str = ""
    datasets: list[str] = []  # action: the datasets whose records it acts on
    document: str = ""
    statuses: list[str] = []
    actions: dict[str, str] = {}
    submitted_only: bool = False

    @property
    def request_document(self) -> str:
        """The retrieve's (or action's, or status query's) request document root."""
        if self.kind == "action":
            return self.document
        return "Request" + self.document


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
