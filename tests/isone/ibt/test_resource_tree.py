"""Spec 2.1/2.2: the resource tree. URLs that name no resource are 404, unsupported methods 405 with
an Allow header; all error bodies are text/plain and name what was wrong."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import IBT, IBT_CONTENT_TYPE, sample


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/",
        "/1",
        "/1/",
        "/1/subaccounts/",
        "/1/subaccounts/ABC1",
        "/1/contractsubaccountmappings",
        "/1/contractSubaccountMappings/",
        "/1/contractSubaccountMappings/999999/versions",
        "/1/contractSubaccountMappings/abc",
        "/x/subaccounts",
        "/-1/subaccounts",
        "/1/unknown",
    ],
)
def test_urls_that_name_no_resource_are_404(client: TestClient, path: str) -> None:
    response = client.get(IBT + path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Not Found: ")


def test_a_contract_the_customer_is_not_party_to_is_404(client: TestClient) -> None:
    # 100027 is a contract between customers 5 and 7; 123 is no contract at all.
    for contract_id in (100027, 123, 99999999999999999999):
        response = client.get(f"{IBT}/1/contractSubaccountMappings/{contract_id}")
        assert response.status_code == 404
        assert response.text == (
            f"Not Found: Contract Subaccount Mapping for contract {contract_id} not found for customer 1"
        )


@pytest.mark.parametrize(
    ("path", "method", "allow"),
    [
        ("/1/subaccounts", "POST", "GET, HEAD"),
        ("/1/subaccounts", "PUT", "GET, HEAD"),
        ("/1/subaccounts", "DELETE", "GET, HEAD"),
        ("/1/contractSubaccountMappings", "PUT", "GET, HEAD, POST"),
        ("/1/contractSubaccountMappings", "DELETE", "GET, HEAD, POST"),
        ("/1/contractSubaccountMappings", "PATCH", "GET, HEAD, POST"),
        ("/1/contractSubaccountMappings/999999", "POST", "GET, HEAD"),
        ("/1/contractSubaccountMappings/999999", "DELETE", "GET, HEAD"),
    ],
)
def test_unsupported_methods_are_405_with_allow(
    client: TestClient, path: str, method: str, allow: str
) -> None:
    response = client.request(method, IBT + path, content=b"<x/>", headers={"Content-Type": IBT_CONTENT_TYPE})
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"].startswith("text/plain")
    assert (
        response.text
        == f"Method Not Allowed: {method} is not supported by /sms_oper_contract/api/customers{path}"
    )


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    response = client.head(f"{IBT}/1/subaccounts")
    assert response.status_code == 200
    assert response.content == b""


def test_a_client_that_keeps_the_real_host_name_reaches_the_sandbox(client: TestClient) -> None:
    response = client.get(
        "https://sandboxsmd.iso-ne.com/sms_oper_contract/api/customers/1/subaccounts",
    )
    assert response.status_code == 200
    assert response.content == sample("3.1.6-subaccounts.xml")


def test_a_client_that_changes_only_its_base_url_reaches_the_pack_by_prefix(client: TestClient) -> None:
    response = client.get(f"/env/isone-sandbox{IBT}/1/subaccounts")
    assert response.status_code == 200
    assert response.content == sample("3.1.6-subaccounts.xml")
    assert client.get(f"/env/no-such-pack{IBT}/1/subaccounts").status_code == 404
