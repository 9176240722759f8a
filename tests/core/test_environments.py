"""Environments: one server serves every shipped pack; a request reaches one by its Host header (the
real host names of that environment) or by the path prefix /env/<pack>/."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from isosim.caiso.catalogue import HERE as CATALOGUE

ENVIRONMENTS = CATALOGUE / "environments.tsv"  # the project's copy of shared/caiso/environments.tsv
SHARED = Path(__file__).resolve().parents[3] / "shared" / "caiso"
PACK_OF = {
    "Production": "caiso-production",
    "Production ECN": "caiso-production-ecn",
    "MAP Stage": "caiso-mapstage",
    "Sandbox": "caiso-sandbox",
}


def test_every_shipped_pack_is_served(client: TestClient) -> None:
    served = {p["name"]: p for p in client.get("/_isosim/packs").json()}
    assert list(served) == [
        "isone-sandbox",
        "isone-production",
        "caiso-mapstage",
        "caiso-sandbox",
        "caiso-production",
        "caiso-production-ecn",
    ]
    assert served["caiso-mapstage"]["settings"]["maintenance"]["timezone"] == "America/Los_Angeles"
    assert served["caiso-production"]["settings"]["security"] == "strict"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/caiso/ is not beside this checkout")
@pytest.mark.parametrize("name", ["services.tsv", "environments.tsv"])
def test_the_catalogue_is_a_verbatim_copy_of_the_specification(name: str) -> None:
    assert (CATALOGUE / name).read_bytes() == (SHARED / name).read_bytes()


def test_caiso_packs_hold_every_host_of_their_environment(client: TestClient) -> None:
    served = {p["name"]: set(p["hosts"]) for p in client.get("/_isosim/packs").json()}
    with ENVIRONMENTS.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            assert urlsplit(row["base_url"]).hostname in served[PACK_OF[row["environment"]]], row


@pytest.mark.parametrize(
    ("host", "environment"),
    [
        ("ws.caiso.com", "CAISO Production (caiso-production)"),
        ("ws.aiso.com:443", "CAISO Production (caiso-production)"),
        ("ws.ecn.wepex.net", "CAISO Production ECN (caiso-production-ecn)"),
        ("wssandbox.caiso.com", "CAISO Sandbox (caiso-sandbox)"),
        ("OASISMAP.CAISO.COM", "CAISO MAP Stage (caiso-mapstage)"),
        ("sandboxsmd.iso-ne.com", "ISO-NE Sandbox (isone-sandbox)"),
        ("localhost:8000", "ISO-NE Sandbox (isone-sandbox)"),
    ],
)
def test_the_host_header_chooses_the_environment(client: TestClient, host: str, environment: str) -> None:
    client.put("/_isosim/clock", json={"frozen_at": "2026-11-25T12:00:00-08:00"})  # MAP Stage open
    response = client.get("/no/such/service", headers={"Host": host})
    assert response.status_code == 404
    assert response.text == f"Not Found: no emulated service at /no/such/service in {environment}"


def test_the_path_prefix_chooses_the_environment(client: TestClient) -> None:
    response = client.get("/env/caiso-sandbox/sst/bsap/x")
    assert response.text == "Not Found: no emulated service at /sst/bsap/x in CAISO Sandbox (caiso-sandbox)"
    assert client.get("/env/nowhere/x").text == "Not Found: no environment named 'nowhere' is served here"
    assert client.get("/env/isone-sandbox/sms_oper_contract/api/customers/1/subaccounts").status_code == 200
