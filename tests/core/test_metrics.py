"""Prometheus metrics at /_isosim/metrics, read with prometheus-client's own parser: requests by
service, operation, status, pack and tenant; latency; fault firings; journal size; tenants."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import IBT, as_customer


def _samples(client: TestClient) -> dict[str, list]:
    answer = client.get("/_isosim/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    found: dict[str, list] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def _count(samples: dict[str, list], name: str, **labels: str) -> float:
    return sum(s.value for s in samples.get(name, []) if all(s.labels.get(k) == v for k, v in labels.items()))


def test_requests_are_counted_by_service_status_pack_and_tenant(client: TestClient) -> None:
    before = _samples(client)
    for _ in range(3):
        assert client.get(f"{IBT}/1/subaccounts", headers=as_customer(1)).status_code == 200
    assert (
        client.get(f"{IBT}/2/subaccounts", headers={**as_customer(1), "X-Isosim-Tenant": "m1"}).status_code
        == 403
    )
    after = _samples(client)
    labels = {"service": "isone.ibt", "pack": "isone-sandbox"}
    ok = _count(after, "isosim_requests_total", status="200", tenant="", **labels)
    assert ok - _count(before, "isosim_requests_total", status="200", tenant="", **labels) == 3
    assert _count(after, "isosim_requests_total", status="403", tenant="m1", **labels) == 1
    timed = _count(after, "isosim_request_duration_seconds_count", **labels)
    assert timed - _count(before, "isosim_request_duration_seconds_count", **labels) == 4
    assert _count(after, "isosim_journal_entries") >= 4


def test_operations_are_labelled_where_the_service_names_them(client: TestClient) -> None:
    client.get("/env/caiso-production/oasisapi/SingleZip?queryname=PRC_LMP")
    samples = _samples(client)
    assert _count(samples, "isosim_requests_total", service="caiso.oasis") >= 1


def test_fault_firings_and_tenants_are_counted(client: TestClient) -> None:
    assert (
        client.post("/_isosim/faults", json={"action": "error", "status": 503, "tenant": "m2"}).status_code
        == 201
    )
    headers = {**as_customer(1), "X-Isosim-Tenant": "m2"}
    assert client.get(f"{IBT}/1/subaccounts", headers=headers).status_code == 503
    assert client.post("/_isosim/reset?tenant=m3").status_code == 200
    samples = _samples(client)
    assert (
        _count(samples, "isosim_fault_firings_total", action="error", pack="isone-sandbox", tenant="m2") == 1
    )
    assert _count(samples, "isosim_tenants") >= 1
