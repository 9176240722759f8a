"""The README's tables of CAISO services, generated from the catalogue and the B2B documents (run
`python -m isosim.caiso.catalogue.coverage` and paste between the README's markers; a test keeps them
equal): per application, what its endpoints do and how many of them speak documents in CAISO's own
structure; per B2B operation, its documents and where their structure comes from."""

from __future__ import annotations

from collections import Counter, defaultdict

from isosim.caiso import catalogue

ENVIRONMENTS = ("Production", "Production ECN", "MAP Stage", "Sandbox")
SOURCES = {
    "CAISO's": "CAISO's (published or captured)",
    "CAISO's, by analogy": "CAISO's, by analogy",
    "partly CAISO's": "partly CAISO's",
    "inferred": "inferred",
}


def _kinds(endpoints: list[catalogue.Endpoint]) -> str:
    """What the endpoints do, from datasets.toml (B2B) or the service (ADS, OASIS)."""
    from isosim.caiso.b2b import spec
    from isosim.caiso.b2b.routes import APPS

    if endpoints[0].app not in APPS:
        return {
            "ADS": "rpc operations (dispatch batches, instructions, trajectories)",
            "OASIS": "reports",
        }.get(endpoints[0].app, "")
    counts = Counter(spec.operation(e.app, e.base_operation).kind for e in endpoints)
    parts = [f"{counts[k]} {k}" for k in ("submit", "retrieve", "action", "status") if counts[k]]
    return ", ".join(parts)


def _structure(endpoints: list[catalogue.Endpoint]) -> str:
    from isosim.caiso.b2b import schemas
    from isosim.caiso.b2b.routes import APPS

    if endpoints[0].app not in APPS:
        return {"ADS": "inferred (WIRE.md's calls)", "OASIS": "OASIS's (WIRE.md)"}.get(endpoints[0].app, "")
    counts = Counter(schemas.plan(e).evidence for e in endpoints)
    return ", ".join(f"{counts[k]} {v}" for k, v in SOURCES.items() if counts[k])


def table() -> str:
    rows: dict[str, list[catalogue.Endpoint]] = defaultdict(list)
    for endpoint in catalogue.endpoints():
        rows[endpoint.app].append(endpoint)
    lines = [
        "| application | endpoints | environments | what they do | structure of their documents |",
        "|---|---|---|---|---|",
    ]
    for app in sorted(rows):
        endpoints = rows[app]
        where = ", ".join(env for env in ENVIRONMENTS if app in catalogue.bases().get(env, {}))
        lines.append(
            f"| {app} | {len(endpoints)} | {where} | {_kinds(endpoints)} | {_structure(endpoints)} |"
        )
    return "\n".join(lines)


def operations() -> str:
    """Per B2B operation (its versions and framings together): documents and their structure."""
    from isosim.caiso.b2b import schemas
    from isosim.caiso.b2b.routes import APPS

    grouped: dict[tuple[str, str], list[catalogue.Endpoint]] = defaultdict(list)
    for endpoint in catalogue.endpoints():
        if endpoint.app in APPS:
            grouped[(endpoint.app, endpoint.base_operation)].append(endpoint)
    lines = ["| application | operation | versions | documents | structure |", "|---|---|---|---|---|"]
    for (app, name), endpoints in sorted(grouped.items()):
        versions = ", ".join(dict.fromkeys(e.version for e in endpoints))
        documents = dict.fromkeys(d.root for e in endpoints for d in schemas.plan(e).documents.values())
        levels = dict.fromkeys(SOURCES[schemas.plan(e).evidence] for e in endpoints)
        lines.append(f"| {app} | {name} | {versions} | {', '.join(documents)} | {'; '.join(levels)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
    print()
    print(operations())
