"""Control state per tenant: a tenant may have its own simulated clock and its own fault rules,
falling back to the base ones, so parallel jobs sharing one server are isolated in time and in
failures too; forgetting a tenant forgets them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.isone.emarket.conftest import DAY, SANDBOX, XYZ, hour, offers

OFFER = offers({"XYZ MILLBROOK CT": [hour(f"{DAY}T00:00:00-04:00", [(30, 57)])]})
OPEN, CLOSED = "2026-03-10T13:00:00Z", "2026-03-10T15:00:00Z"  # before and after 10:00 EDT


def _status(client: TestClient, tenant: str | None) -> str:
    headers = {**XYZ, "Content-Type": "application/xml", **({"X-Isosim-Tenant": tenant} if tenant else {})}
    answer = client.post(f"{SANDBOX}/supplyoffer", content=OFFER, headers=headers)
    assert answer.status_code == 200
    return answer.text.split('status="')[1].split('"')[0]


def test_each_tenant_may_run_on_its_own_clock(client: TestClient) -> None:
    assert client.put("/_isosim/clock", json={"frozen_at": CLOSED}).status_code == 200
    assert (
        client.put("/_isosim/clock?tenant=early", json={"frozen_at": OPEN})
        .json()["now"]
        .startswith("2026-03-10T13:00")
    )
    assert (
        client.put(
            "/_isosim/clock", json={"frozen_at": CLOSED}, headers={"X-Isosim-Tenant": "late"}
        ).status_code
        == 200
    )
    # eMarket's day-ahead window closed at 14:00Z: open for the early tenant only
    assert _status(client, "early") == "ACCEPTED"
    assert _status(client, "late") == "REJECTED"
    assert _status(client, "other") == "REJECTED"  # no clock of its own: the base clock
    assert _status(client, None) == "REJECTED"
    assert client.get("/_isosim/clock").json()["now"].startswith("2026-03-10T15:00")
    assert client.get("/_isosim/clock?tenant=early").json()["mode"] == "frozen"


def test_a_tenant_can_follow_the_base_clock_again(client: TestClient) -> None:
    client.put("/_isosim/clock", json={"frozen_at": CLOSED})
    client.put("/_isosim/clock?tenant=early", json={"frozen_at": OPEN})
    assert client.delete("/_isosim/clock?tenant=early").json()["now"].startswith("2026-03-10T15:00")
    assert _status(client, "early") == "REJECTED"
    client.put("/_isosim/clock?tenant=a", json={"frozen_at": OPEN})
    client.put("/_isosim/clock?tenant=b", json={"frozen_at": OPEN})
    assert client.delete("/_isosim/clock").status_code == 200  # every tenant follows the base again
    assert _status(client, "a") == "REJECTED" and _status(client, "b") == "REJECTED"


def test_a_tenants_fault_rules_fire_on_its_requests_only(client: TestClient) -> None:
    client.put("/_isosim/clock", json={"frozen_at": OPEN})
    rule = {"action": "error", "status": 503, "path": "/emktmui/*", "tenant": "flaky"}
    assert client.post("/_isosim/faults", json=rule).status_code == 201
    headers = {**XYZ, "X-Isosim-Tenant": "flaky"}
    assert client.get(f"{SANDBOX}/supplyoffer?day=20260311", headers=headers).status_code == 503
    assert (
        client.get(
            f"{SANDBOX}/supplyoffer?day=20260311", headers={**XYZ, "X-Isosim-Tenant": "calm"}
        ).status_code
        == 200
    )
    assert client.get(f"{SANDBOX}/supplyoffer?day=20260311", headers=XYZ).status_code == 200
    assert [f["tenant"] for f in client.get("/_isosim/faults?tenant=flaky").json()] == ["flaky"]
    assert client.get("/_isosim/faults?tenant=calm").json() == []
    # a base rule still fires for every tenant
    assert (
        client.post(
            "/_isosim/faults", json={"action": "error", "status": 500, "path": "/emktmui/*"}
        ).status_code
        == 201
    )
    assert (
        client.get(
            f"{SANDBOX}/supplyoffer?day=20260311", headers={**XYZ, "X-Isosim-Tenant": "calm"}
        ).status_code
        == 500
    )
    assert client.delete("/_isosim/faults?tenant=flaky").status_code == 204
    assert len(client.get("/_isosim/faults").json()) == 1


def test_forgetting_a_tenant_forgets_its_clock_and_faults(client: TestClient) -> None:
    client.put("/_isosim/clock", json={"frozen_at": CLOSED})
    client.put("/_isosim/clock?tenant=gone", json={"frozen_at": OPEN})
    client.post("/_isosim/faults", json={"action": "error", "status": 503, "tenant": "gone"})
    assert client.delete("/_isosim/tenants/gone").status_code == 200  # no state, but a clock and a rule
    assert client.get("/_isosim/faults").json() == []
    assert client.get("/_isosim/clock?tenant=gone").json()["now"].startswith("2026-03-10T15:00")
    assert client.delete("/_isosim/tenants/gone").status_code == 404


def test_tenant_names_are_checked(client: TestClient) -> None:
    assert client.put("/_isosim/clock?tenant=a%20b", json={"frozen_at": OPEN}).status_code == 422
    assert client.post("/_isosim/faults", json={"action": "drop", "tenant": "-x"}).status_code == 422
