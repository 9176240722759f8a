"""The CAISO web-service catalogue, as data: `services.tsv` (every endpoint named in "CAISO Systems
Access Information for Market Participants" v10.1) and `environments.tsv` (each application's base
URL in each environment), copied verbatim from the project's shared specification folder (the
container image has no other copy), and `additions.tsv` (endpoints CAISO's own artifacts show beyond
the seed's list). Routing, the README's coverage table and the tests are driven by
these rows: adding a service is adding a row.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent

# services.tsv names each B2B endpoint <Operation>_<APP code>[v<version>][_DocAttach]_AP.
_ENDPOINT = re.compile(
    r"(?P<operation>[A-Za-z0-9]+?)_(?P<code>[A-Za-z]+?)(?:v(?P<version>\w+?))?(?P<doc>_DocAttach)?_AP"
)


@dataclass(frozen=True)
class Endpoint:
    app: str  # SIBR, CMRI, ... as in the catalogue
    name: str  # the catalogue's endpoint: "RetrieveMarketAwards_CMRIv4_AP", "APIWebService/v7/getBatchStatus"
    variant: str  # AP, DocAttach_AP, operation (ADS), query (OASIS)
    release: str

    @property
    def is_soap(self) -> bool:
        return self.variant in ("AP", "DocAttach_AP", "operation")

    @property
    def document(self) -> str:
        """The URL path below the application's base: the endpoint, or for ADS the web service
        (rpc-style: its operations share one URL)."""
        return self.name.rsplit("/", 1)[0] if self.variant == "operation" else self.name

    @property
    def operation(self) -> str:
        """The WSDL operation name in CAISO's style: retrieveMarketAwards_v4[_DocAttach]; ADS
        operations keep their own names."""
        if self.variant == "operation":
            return self.name.rsplit("/", 1)[1]
        found = _ENDPOINT.fullmatch(self.name)
        if found is None:
            raise ValueError(f"catalogue endpoint {self.name!r} does not follow <Op>_<APP>v<N>_AP")
        op = found["operation"]
        name = op[0].lower() + op[1:]
        if found["version"]:
            name += f"_v{found['version']}"
        return name + ("_DocAttach" if found["doc"] else "")

    @property
    def version(self) -> str:
        """The document version a B2B endpoint speaks: "v4", "v20100301", "vX"; "v1" when unnamed."""
        found = _ENDPOINT.fullmatch(self.name)
        return f"v{found['version']}" if found is not None and found["version"] else "v1"

    @property
    def base_operation(self) -> str:
        """The operation without version or framing ("RetrieveMarketAwards"): what a service's
        handler implements, whatever version and variant carry it."""
        if self.variant == "operation":
            return self.operation
        found = _ENDPOINT.fullmatch(self.name)
        assert found is not None
        return found["operation"]


@cache
def endpoints() -> tuple[Endpoint, ...]:
    """Every endpoint: the seed's catalogue, then `additions.tsv` (endpoints CAISO's own public
    artifacts show that the seed's list leaves out, each with its source)."""
    found = []
    for name in ("services.tsv", "additions.tsv"):
        with (HERE / name).open(newline="", encoding="utf-8") as handle:
            found += [
                Endpoint(row["app"], row["endpoint"], row["variant"], row["release"] or "")
                for row in csv.DictReader(handle, delimiter="\t")
            ]
    return tuple(found)


@cache
def bases() -> dict[str, dict[str, str]]:
    """environment -> application -> base path (the URL path of the base URL, with its slash)."""
    found: dict[str, dict[str, str]] = {}
    with (HERE / "environments.tsv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found.setdefault(row["environment"], {})[row["app"]] = urlsplit(row["base_url"]).path
    return found


@dataclass(frozen=True)
class Route:
    """Where an endpoint answers in one environment."""

    path: str  # the full URL path, e.g. /sst/cmri/RetrieveMarketAwards_CMRIv4_AP
    endpoint: Endpoint  # for ADS, the first operation of the web service
    operations: dict[str, Endpoint]  # the operations this URL accepts, by name


@cache
def routes(environment: str) -> dict[str, Route]:
    """Every SOAP endpoint of an environment, by URL path. Applications the environment does not
    list are absent: their paths are not there (404)."""
    found: dict[str, Route] = {}
    for endpoint in endpoints():
        base = bases().get(environment, {}).get(endpoint.app)
        if base is None or not endpoint.is_soap:
            continue
        path = base + endpoint.document
        route = found.setdefault(path, Route(path, endpoint, {}))
        route.operations[endpoint.operation] = endpoint
    return found


def prefixes() -> set[str]:
    """The first path segment of every base path, in every environment (what the pipeline mounts)."""
    segments = set()
    for environment in bases():
        for path in routes(environment):
            segments.add("/" + path.strip("/").split("/", 1)[0])
    return segments
