"""Tenants: `X-Isosim-Tenant: <name>` gives a caller its own copy of the pack's state, made on first
use and reset on its own, so that parallel CI jobs can share one server."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import IBT, post_sample

HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"
POSTED = "2015-07-11T12:01:22Z"


def tenant(name: str) -> dict[str, str]:
    return {"X-Isosim-Tenant": name}


def test_two_tenants_never_see_each_others_writes(client: TestClient) -> None:
    assert post_sample(client, headers=tenant("job-a")).status_code == 200
    assert POSTED in client.get(HISTORY, headers=tenant("job-a")).text
    assert POSTED not in client.get(HISTORY, headers=tenant("job-b")).text
    assert POSTED not in client.get(HISTORY).text  # nor does the shared state
    assert post_sample(client).status_code == 200
    assert POSTED not in client.get(HISTORY, headers=tenant("job-b")).text


def test_a_tenant_is_made_on_first_use_from_the_pack(client: TestClient) -> None:
    client.post("/_isosim/reset", headers=tenant("fresh-1"))
    assert client.delete("/_isosim/tenants/fresh-1").status_code == 200
    assert "fresh-1" not in client.get("/_isosim/tenants").json()["isone-sandbox"]
    assert client.get(HISTORY, headers=tenant("fresh-1")).content == client.get(HISTORY).content
    assert "fresh-1" in client.get("/_isosim/tenants").json()["isone-sandbox"]


def test_a_tenant_is_reset_on_its_own(client: TestClient) -> None:
    post_sample(client, headers=tenant("job-a"))
    post_sample(client, headers=tenant("job-b"))
    assert client.post("/_isosim/reset", headers=tenant("job-a")).json()["tenant"] == "job-a"
    assert POSTED not in client.get(HISTORY, headers=tenant("job-a")).text
    assert POSTED in client.get(HISTORY, headers=tenant("job-b")).text
    client.post("/_isosim/reset?tenant=job-b")
    assert POSTED not in client.get(HISTORY, headers=tenant("job-b")).text


def test_a_reset_without_tenant_leaves_tenants_alone(client: TestClient) -> None:
    post_sample(client, headers=tenant("job-a"))
    client.post("/_isosim/reset")
    assert POSTED in client.get(HISTORY, headers=tenant("job-a")).text
    client.post("/_isosim/reset", headers=tenant("job-a"))


def test_a_dropped_tenant_starts_again_from_the_pack(client: TestClient) -> None:
    post_sample(client, headers=tenant("job-c"))
    assert client.delete("/_isosim/tenants/job-c").json()["packs"] == ["isone-sandbox"]
    assert client.delete("/_isosim/tenants/job-c").status_code == 404
    assert POSTED not in client.get(HISTORY, headers=tenant("job-c")).text


def test_the_control_api_refuses_a_malformed_tenant_name(client: TestClient) -> None:
    for name in ("a b", "-lead", "a~b"):
        assert client.post("/_isosim/reset", params={"tenant": name}).status_code == 422
        assert client.post("/_isosim/reset", headers=tenant(name)).status_code == 422
        assert client.get("/_isosim/snapshot", params={"tenant": name}).status_code == 422
    assert client.get("/_isosim/tenants").json()["isone-sandbox"] == []


def test_a_malformed_tenant_name_is_the_services_400(client: TestClient) -> None:
    for name in ("", "a b", "x" * 65, "-lead", "a~b", "a/b"):
        response = client.get(HISTORY, headers=tenant(name))
        assert response.status_code == 400, name
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text.startswith("Bad Request: X-Isosim-Tenant must be")
