"""The README's table of CAISO services and how much of each isosim emulates, generated from the
catalogue (run `python -m app.caiso.catalogue.coverage` and paste between the README's markers; a
test keeps the two equal)."""

from __future__ import annotations

from collections import defaultdict

from app.caiso import catalogue
from app.caiso.soap.routes import HANDLERS

ENVIRONMENTS = ("Production", "Production ECN", "MAP Stage", "Sandbox")
# Query endpoints served by their own service rather than the SOAP platform.
OWN_SERVICES = {("OASIS", "SingleZip"), ("OASIS", "GroupZip")}


def table() -> str:
    rows: dict[str, list[catalogue.Endpoint]] = defaultdict(list)
    for endpoint in catalogue.endpoints():
        rows[endpoint.app].append(endpoint)
    lines = [
        "| application | endpoints in the catalogue | environments | emulated | otherwise |",
        "|---|---|---|---|---|",
    ]
    for app in sorted(rows):
        endpoints = rows[app]
        where = ", ".join(env for env in ENVIRONMENTS if app in catalogue.bases().get(env, {}))
        emulated = sum(
            (e.app, e.name) in OWN_SERVICES or (e.app, e.base_operation) in HANDLERS for e in endpoints
        )
        otherwise = (
            ""
            if emulated == len(endpoints)
            else "envelope, access, security and DocAttach document checked, then 501"
        )
        lines.append(f"| {app} | {len(endpoints)} | {where} | {emulated} | {otherwise} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
