"""An independent reading of the isone-sandbox IBT files, used as the oracle for query tests: what
the service answers (from SQL) must equal what plain Python computes from the CSV files."""

from __future__ import annotations

import csv
import fnmatch
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[3] / "fixtures" / "isone-sandbox" / "ibt"


def _rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _t(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Current:
    customer_id: int
    contract_id: int
    begin: datetime
    end: datetime
    version: datetime
    subaccount_id: str
    reference_id: str
    category: str
    location_id: int
    buyer_id: int
    seller_id: int


@cache
def current_versions() -> tuple[Current, ...]:
    contracts = {int(c["contract_id"]): c for c in _rows("contracts.csv")}
    latest: dict[tuple[int, int, str], dict[str, str]] = {}
    for row in _rows("mapping_versions.csv"):
        key = (int(row["customer_id"]), int(row["contract_id"]), row["begin"])
        if key not in latest or row["version"] >= latest[key]["version"]:
            latest[key] = row
    result = []
    for (customer_id, contract_id, _), row in latest.items():
        c = contracts[contract_id]
        result.append(
            Current(
                customer_id,
                contract_id,
                _t(row["begin"]),
                _t(row["end"]),
                _t(row["version"]),
                row["subaccount_id"],
                c["reference_id"],
                c["category"],
                int(c["location_id"]),
                int(c["buyer_id"]),
                int(c["seller_id"]),
            )
        )
    return tuple(sorted(result, key=lambda v: (v.customer_id, v.contract_id, v.begin)))


@cache
def subaccount_names() -> dict[tuple[int, str], list[tuple[datetime, str]]]:
    names: dict[tuple[int, str], list[tuple[datetime, str]]] = {}
    for row in _rows("subaccounts.csv"):
        names.setdefault((int(row["customer_id"]), row["subaccount_id"]), []).append(
            (_t(row["begin"]), row["name"])
        )
    return {key: sorted(value) for key, value in names.items()}


def name_at(customer_id: int, subaccount_id: str, at: datetime) -> str | None:
    found = None
    for begin, name in subaccount_names().get((customer_id, subaccount_id), []):
        if begin <= at:
            found = name
    return found


def wildcard(pattern: str, value: str) -> bool:
    """`*` and `%` match any run of characters; everything else is literal and case-sensitive."""
    glob = "".join("*" if ch in "*%" else f"[{ch}]" if ch in "[]?" else ch for ch in pattern)
    return fnmatch.fnmatchcase(value, glob)
