"""The README's table of CAISO services and how much of each isosim emulates, generated from the
catalogue (run `python -m app.caiso.catalogue.coverage` and paste between the README's markers; a
test keeps the two equal)."""

from __future__ import annotations

from collections import Counter, defaultdict

from app.caiso import catalogue
from app.caiso.soap.routes import HANDLERS

ENVIRONMENTS = ("Production", "Production ECN", "MAP Stage", "Sandbox")
# Query endpoints served by their own service rather than the SOAP platform.
OWN_SERVICES = {("OASIS", "SingleZip"), ("OASIS", "GroupZip")}


def _kinds(endpoints: list[catalogue.Endpoint]) -> str:
    """What the endpoints do, from datasets.toml (B2B) or the service (ADS, OASIS)."""
    from app.caiso.b2b import spec
    from app.caiso.b2b.routes import APPS

    if endpoints[0].app not in APPS:
        return {
            "ADS": "rpc operations (dispatch batches, instructions, trajectories)",
            "OASIS": "reports",
        }.get(endpoints[0].app, "")
    counts = Counter(spec.operation(e.app, e.base_operation).kind for e in endpoints)
    generated = sum(
        1
        for e in endpoints
        if spec.operation(e.app, e.base_operation).kind == "retrieve"
        and not spec.dataset(spec.operation(e.app, e.base_operation).dataset).submitted
    )
    parts = [f"{counts[k]} {k}" for k in ("submit", "retrieve", "action", "status") if counts[k]]
    if generated:
        parts.append(f"{generated} retrieves of generated results")
    return ", ".join(parts)


def table() -> str:
    from app.caiso.ads import routes as ads_routes
    from app.caiso.b2b import routes as b2b_routes

    ads_routes.register()  # as the application does at start-up
    b2b_routes.register()
    rows: dict[str, list[catalogue.Endpoint]] = defaultdict(list)
    for endpoint in catalogue.endpoints():
        rows[endpoint.app].append(endpoint)
    lines = [
        "| application | endpoints in the catalogue | environments | emulated | what they do |",
        "|---|---|---|---|---|",
    ]
    for app in sorted(rows):
        endpoints = rows[app]
        where = ", ".join(env for env in ENVIRONMENTS if app in catalogue.bases().get(env, {}))
        emulated = sum(
            (e.app, e.name) in OWN_SERVICES or (e.app, e.base_operation) in HANDLERS for e in endpoints
        )
        lines.append(f"| {app} | {len(endpoints)} | {where} | {emulated} | {_kinds(endpoints)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
