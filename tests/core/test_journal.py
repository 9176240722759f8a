"""The request journal: every request to an emulated service with its time, pack, tenant, identity,
method, path, status, duration and (optionally) bodies, in a ring buffer of bounded size."""

from __future__ import annotations

from fastapi.testclient import TestClient

from isosim.core.journal import Filter
from tests.conftest import IBT, as_customer, make_client, post_sample


def entries(client: TestClient, query: str = "") -> list[dict]:  # type: ignore[type-arg]
    return client.get(f"/_isosim/journal{query}").json()["entries"]


def test_every_service_request_is_journaled_with_its_facts(client: TestClient) -> None:
    client.get(f"{IBT}/1/subaccounts")
    client.get(f"{IBT}/2/subaccounts", headers=as_customer(2))
    client.get(f"{IBT}/1/contractSubaccountMappings?limit=5", headers={"X-Isosim-Tenant": "j1"})
    post_sample(client)
    client.get(f"{IBT}/9/nothing")
    first, second, third, fourth, fifth = entries(client)
    assert first["method"] == "GET" and first["path"] == f"{IBT}/1/subaccounts" and first["status"] == 200
    assert first["pack"] == "isone-sandbox" and first["identity"] == "xyz-ibt" and first["tenant"] is None
    assert first["time"].startswith("2015-07-11T12:01:22") and first["duration_ms"] > 0
    assert second["identity"] == "qrs-ibt"
    assert third["tenant"] == "j1" and third["query"] == "limit=5"
    assert fourth["method"] == "POST" and fourth["request_body"] is None  # bodies are off by default
    assert fifth["status"] == 404
    assert [e["id"] for e in (first, second, third, fourth, fifth)] == sorted(
        e["id"] for e in entries(client)
    )
    client.post("/_isosim/reset", headers={"X-Isosim-Tenant": "j1"})


def test_the_control_api_is_not_journaled(client: TestClient) -> None:
    client.get("/_isosim/health")
    client.get("/_isosim/clock")
    assert entries(client) == []


def test_filter_count_and_clear(client: TestClient) -> None:
    client.get(f"{IBT}/1/subaccounts")
    client.get(f"{IBT}/1/subaccounts", headers=as_customer(2))  # 403
    client.delete(f"{IBT}/1/subaccounts")  # 405
    client.get("/anything", headers={"Host": "ws.caiso.com"})
    assert [e["status"] for e in entries(client, "?method=GET")] == [200, 403, 404]
    assert len(entries(client, "?status=403")) == 1
    assert len(entries(client, "?identity=qrs-ibt")) == 1
    assert len(entries(client, "?path=/sms_oper_contract/*")) == 3
    assert [e["pack"] for e in entries(client, "?pack=caiso-production")] == ["caiso-production"]
    last = entries(client, "?limit=2")
    assert len(last) == 2 and last[-1]["pack"] == "caiso-production"
    assert len(entries(client, f"?since_id={last[0]['id']}")) == 1
    assert client.get("/_isosim/journal/count?method=GET").json() == {"count": 3}
    assert client.delete("/_isosim/journal").json() == {"cleared": 4}
    assert client.get("/_isosim/journal/count").json() == {"count": 0}


def test_bodies_are_kept_when_asked_and_cut_at_the_limit(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = make_client(fresh_app(journal_bodies=True, journal_body_limit=120))
    post_sample(client)
    (entry,) = entries(client)
    assert entry["request_body"].startswith('<?xml version="1.0"') and len(entry["request_body"]) == 120
    assert entry["response_body"].startswith('<?xml version="1.0"') and len(entry["response_body"]) == 120


def test_the_journal_stays_bounded_after_many_requests(fresh_app) -> None:  # type: ignore[no-untyped-def]
    app = fresh_app(journal_capacity=50, journal_bodies=True, journal_body_limit=64)
    client = make_client(app)
    for _ in range(600):
        client.get(f"{IBT}/1/subaccounts")
    journal = client.get("/_isosim/journal").json()
    assert journal["capacity"] == 50 and len(journal["entries"]) == 50
    assert journal["entries"][-1]["id"] == 600 and journal["entries"][0]["id"] == 551
    # What is held is bounded too: at most capacity entries, each body cut at the limit.
    held = app.state.runtime.journal.select(Filter())
    assert len(held) == 50 and all(len(e.response_body or "") <= 64 for e in held)


def test_the_journal_holds_at_most_its_byte_bound_dropping_the_oldest(fresh_app) -> None:  # type: ignore[no-untyped-def]
    # Bodies of 4 KiB each: 40 of them would pass 100 KiB, far fewer entries than the capacity.
    app = fresh_app(
        journal_capacity=10_000, journal_bodies=True, journal_body_limit=4096, journal_max_bytes=100_000
    )
    client = make_client(app)
    for _ in range(80):
        post_sample(client)
    held = app.state.runtime.journal.select(Filter())
    size = sum(
        len(e.request_body or "") + len(e.response_body or "") + len(e.path) + len(e.query) for e in held
    )
    assert size <= 100_000 and 10 < len(held) < 80
    assert held[-1].id == 80 and [e.id for e in held] == list(range(81 - len(held), 81))
