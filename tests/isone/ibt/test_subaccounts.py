"""Spec 3.1: GET .../{customerId}/subaccounts returns the customer's subaccounts, each with its
sequence of versions (begin, name, status)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import etree

from tests.conftest import IBT, as_customer
from tests.isone.ibt import pack_oracle as oracle

NS = {"c": "http://xmlns.iso-ne.com/contract/customers"}


def test_every_subaccount_with_every_version_in_order(client: TestClient) -> None:
    for customer_id in range(1, 9):
        response = client.get(f"{IBT}/{customer_id}/subaccounts", headers=as_customer(customer_id))
        assert response.status_code == 200
        root = etree.fromstring(response.content)
        got = {
            s.findtext("c:subaccount_id", namespaces=NS): [
                (v.findtext("c:begin", namespaces=NS), v.findtext("c:subaccount_name", namespaces=NS))
                for v in s.iterfind("c:subaccount_version", NS)
            ]
            for s in root.iterfind("c:subaccount", NS)
        }
        want = {
            sid: [(b.strftime("%Y-%m-%dT%H:%M:%SZ"), n) for b, n in versions]
            for (cid, sid), versions in oracle.subaccount_names().items()
            if cid == customer_id
        }
        assert got == want
        assert list(got) == sorted(got)


def test_renamed_and_retired_subaccounts_show_each_version(client: TestClient) -> None:
    text = client.get(f"{IBT}/5/subaccounts", headers=as_customer(5)).text
    assert "(renamed)</subaccount_name>" in text
    statuses = {
        s.text
        for s in etree.fromstring(text.encode()).iterfind(
            "c:subaccount/c:subaccount_version/c:subaccount_status", NS
        )
    }
    assert statuses <= {"Active", "Inactive"}


def test_query_parameters_do_not_apply_to_subaccounts(client: TestClient) -> None:
    assert client.get(f"{IBT}/1/subaccounts?limit=0").content == client.get(f"{IBT}/1/subaccounts").content
