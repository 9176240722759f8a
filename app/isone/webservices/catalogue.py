"""ISO-NE web services v1.1 as data: every documented path template (catalogue.tsv), with the root and
item elements it answers and their fields in XSD order. The routes match a request against it; the
codec writes documents from it; a template no feed serves yet answers 501."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # dateTime, decimal, integer, string, LocationRef, FlagYn, ...
    optional: bool
    repeated: bool


@dataclass(frozen=True)
class Template:
    path: str  # /hourlylmp/da/final/day/{day}/location/{locationId}
    core: bool
    root: str  # the collection root: HourlyLmps ("(redirect)" for a bare resource)
    item: str  # HourlyLmp ("-" for ServiceInfo and redirects)
    single_root: str  # the root of a one-location answer, when the documentation gives one
    fields: tuple[Field, ...]
    interval: str

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.path.strip("/").split("/"))

    @property
    def resource(self) -> str:
        return self.segments[0]


def _fields(text: str) -> tuple[Field, ...]:
    found = []
    for part in (p.strip() for p in text.split(",")):
        if not part or ":" not in part:
            continue
        name, kind = part.split(":", 1)
        mark = name[-1] if name[-1] in "?*+" else ""
        found.append(Field(name.rstrip("?*+"), kind.strip(), mark in "?*", mark in "*+"))
    return tuple(found)


@cache
def templates() -> tuple[Template, ...]:
    with (HERE / "catalogue.tsv").open(newline="", encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return tuple(
        Template(
            row["path_template"],
            row["relevance"] == "core",
            row["collection_root"],
            row["item_element"],
            row["single_root"],
            _fields(row["fields"]),
            row["interval"],
        )
        for row in csv.DictReader(lines, delimiter="\t")
    )


def match(path: str) -> tuple[Template, dict[str, str]] | None:
    """The template a request path (suffix removed) matches, literal segments before parameters."""
    wanted = tuple(path.strip("/").split("/"))
    best: tuple[int, Template, dict[str, str]] | None = None
    for template in templates():
        segments = template.segments
        if len(segments) != len(wanted):
            continue
        params, literal = {}, 0
        for have, got in zip(segments, wanted, strict=True):
            if have.startswith("{") and have.endswith("}"):
                params[have[1:-1]] = got
            elif have == got:
                literal += 1
            else:
                break
        else:
            if best is None or literal > best[0]:
                best = (literal, template, params)
    return None if best is None else (best[1], best[2])
