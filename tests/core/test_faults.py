"""Fault rules through the control plane: latency, the service's own error, a dropped connection;
matched on pack, path, method and identity; seeded probability and a count. A fault never changes
stored state."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import IBT, IBT_CONTENT_TYPE, as_customer, post_sample, sample

HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"


def add(client: TestClient, **rule: object) -> dict:  # type: ignore[type-arg]
    response = client.post("/_isosim/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def test_an_error_fault_answers_with_the_services_own_error_and_stores_nothing(client: TestClient) -> None:
    before = client.get(HISTORY).content
    add(
        client,
        path="*/contractSubaccountMappings",
        method="POST",
        action="error",
        status=503,
        message="try later",
    )
    response = post_sample(client)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "Service Unavailable: try later"
    assert client.get(HISTORY).content == before  # GET is not matched by the rule
    (entry,) = client.get("/_isosim/journal?status=503").json()["entries"]
    assert entry["fault"] is not None and entry["method"] == "POST"


def test_latency_delays_the_request_which_then_succeeds(client: TestClient) -> None:
    fault = add(client, path=f"{IBT}/1/subaccounts", action="latency", latency_ms=60)
    assert client.get(f"{IBT}/1/subaccounts").status_code == 200
    (entry,) = client.get("/_isosim/journal").json()["entries"]
    assert entry["fault"] == fault["id"] and entry["duration_ms"] >= 60


def test_random_latency_stays_in_its_range(client: TestClient) -> None:
    add(client, action="latency", latency_ms=10, latency_ms_max=30, seed=7)
    for _ in range(5):
        client.get(f"{IBT}/1/subaccounts")
    assert all(e["duration_ms"] >= 10 for e in client.get("/_isosim/journal").json()["entries"])


def test_a_dropped_connection_reaches_the_client_as_a_broken_response(
    client: TestClient, live_servers: list[str]
) -> None:
    before = client.get(HISTORY).content
    add(client, method="POST", action="drop")
    with pytest.raises(httpx.HTTPError):
        httpx.post(
            f"{live_servers[0]}{IBT}/1/contractSubaccountMappings",
            content=sample("3.2.8-mappings-post-request.xml"),
            headers={"Content-Type": IBT_CONTENT_TYPE},
            timeout=10,
        )
    assert client.get(HISTORY).content == before
    assert client.get("/_isosim/journal/count?status=0").json() == {"count": 1}


def fired(client: TestClient, n: int) -> list[int]:
    return [client.get(f"{IBT}/1/subaccounts").status_code for _ in range(n)]


def test_a_seeded_probability_fires_identically_on_two_runs(client: TestClient) -> None:
    add(client, action="error", status=500, probability=0.5, seed=42)
    first = fired(client, 40)
    client.delete("/_isosim/faults")
    add(client, action="error", status=500, probability=0.5, seed=42)
    second = fired(client, 40)
    assert first == second
    assert 5 < first.count(500) < 35  # it is a coin, not a constant
    client.delete("/_isosim/faults")
    add(client, action="error", status=500, probability=0.5, seed=43)
    assert fired(client, 40) != first


def test_a_count_limits_how_often_a_rule_fires(client: TestClient) -> None:
    fault = add(client, action="error", status=502, count=2)
    assert fired(client, 4) == [502, 502, 200, 200]
    assert client.get("/_isosim/faults").json()[0] == {**fault, "fired": 2}


def test_rules_match_pack_path_method_and_identity(client: TestClient) -> None:
    add(client, identity="qrs-ibt", action="error", status=500)
    add(client, pack="caiso-production", action="error", status=504)
    assert client.get(f"{IBT}/1/subaccounts").status_code == 200
    assert client.get(f"{IBT}/2/subaccounts", headers=as_customer(2)).status_code == 500
    assert client.get("/sst/cmri/x", headers={"Host": "ws.caiso.com"}).status_code == 504
    assert client.get("/sst/cmri/x", headers={"Host": "wssandbox.caiso.com"}).status_code == 404


def test_rules_are_listed_removed_and_cleared(client: TestClient) -> None:
    one = add(client, action="error", status=500)
    add(client, action="latency", latency_ms=1)
    assert [f["id"] for f in client.get("/_isosim/faults").json()] == [
        one["id"],
        f"f{int(one['id'][1:]) + 1}",
    ]
    assert client.delete(f"/_isosim/faults/{one['id']}").status_code == 204
    assert client.delete(f"/_isosim/faults/{one['id']}").status_code == 404
    assert client.delete("/_isosim/faults").status_code == 204
    assert client.get("/_isosim/faults").json() == []


@pytest.mark.parametrize(
    "rule",
    [
        {"action": "error"},
        {"action": "latency"},
        {"action": "explode"},
        {"action": "error", "status": 200},
        {"action": "error", "status": 500, "probability": 2},
        {"action": "latency", "latency_ms": 50, "latency_ms_max": 10},
        {"action": "error", "status": 500, "pack": "nope"},
    ],
)
def test_malformed_rules_are_refused(client: TestClient, rule: dict) -> None:  # type: ignore[type-arg]
    assert client.post("/_isosim/faults", json=rule).status_code in (404, 422)
    assert client.get("/_isosim/faults").json() == []
