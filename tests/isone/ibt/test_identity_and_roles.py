"""Spec 1.2/1.3: certificate holders whose security administrator gave them the IBT role. No
identity is 401, a user without the IBT role 403, another customer's data 403."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import IBT, basic, make_client, post_sample

XYZ = basic("xyz-ibt", "xyz-ibt-sandbox")
PATHS = ("/1/subaccounts", "/1/contractSubaccountMappings", "/1/contractSubaccountMappings/999999")


def test_basic_credentials_identify_the_user(client: TestClient) -> None:
    response = client.get(f"{IBT}/2/subaccounts", headers=basic("qrs-ibt", "qrs-ibt-sandbox"))
    assert response.status_code == 200
    assert "<subaccount_id>QRS1</subaccount_id>" in response.text


def test_client_certificate_subject_from_the_proxy_identifies_the_user(client: TestClient) -> None:
    # Spacing and attribute case of the DN do not matter.
    headers = {"X-SSL-Client-S-DN": "cn=tuv-ibt,o=TUV LLC,c=US"}
    assert client.get(f"{IBT}/3/subaccounts", headers=headers).status_code == 200
    assert client.get(f"{IBT}/1/subaccounts", headers=headers).status_code == 403


def test_identity_header_name_is_configurable(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = make_client(fresh_app(identity_header="X-Client-Subject", default_user=False))
    headers = {"X-Client-Subject": "CN=tuv-ibt, O=TUV LLC, C=US"}
    assert client.get(f"{IBT}/3/subaccounts", headers=headers).status_code == 200
    assert (
        client.get(
            f"{IBT}/3/subaccounts", headers={"X-SSL-Client-S-DN": headers["X-Client-Subject"]}
        ).status_code
        == 401
    )


def test_no_identity_is_401_when_the_default_user_is_off(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = make_client(fresh_app(default_user=False))
    for path in PATHS:
        response = client.get(IBT + path)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Basic")
        assert response.headers["content-type"].startswith("text/plain")
    response = post_sample(client)
    assert response.status_code == 401
    assert client.get(f"{IBT}/1/subaccounts", headers=XYZ).status_code == 200


def test_identity_is_checked_before_the_url_so_anonymous_callers_learn_nothing(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = make_client(fresh_app(default_user=False))
    assert client.get(f"{IBT}/1/nothing-here").status_code == 401
    assert client.delete(f"{IBT}/1/subaccounts").status_code == 401


def test_wrong_password_unknown_user_or_unknown_certificate_is_401(client: TestClient) -> None:
    for headers in (
        basic("xyz-ibt", "wrong"),
        basic("nobody", "x"),
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Bearer abc"},
        {"X-SSL-Client-S-DN": "CN=stranger, O=Elsewhere"},
    ):
        response = client.get(f"{IBT}/1/subaccounts", headers=headers)
        assert response.status_code == 401, headers
        assert response.text.startswith("Unauthorized: ")


def test_user_without_the_ibt_role_is_403(client: TestClient) -> None:
    viewer = basic("xyz-viewer", "xyz-viewer-sandbox")
    for path in PATHS:
        response = client.get(IBT + path, headers=viewer)
        assert response.status_code == 403
        assert "IBT role" in response.text
    response = post_sample(client, headers=viewer)
    assert response.status_code == 403
    assert "2015-07-11T12:01:22Z" not in client.get(f"{IBT}/1/contractSubaccountMappings/999999").text


def test_another_customers_data_is_403(client: TestClient) -> None:
    for path in ("/2/subaccounts", "/2/contractSubaccountMappings", "/2/contractSubaccountMappings/999998"):
        response = client.get(IBT + path, headers=XYZ)
        assert response.status_code == 403
        assert response.text == "Forbidden: user xyz-ibt may not access the data of customer 2"
    response = post_sample(client, customer_id=2)
    assert response.status_code == 403


def test_default_user_answers_requests_without_credentials(app: FastAPI) -> None:
    client = make_client(app)
    assert client.get(f"{IBT}/1/subaccounts").status_code == 200
    assert client.get(f"{IBT}/2/subaccounts").status_code == 403


def test_a_certificate_subject_matches_whatever_its_rdn_order_and_spacing(client: TestClient) -> None:
    # The pack registers "CN=tuv-ibt, OU=Settlements, O=TUV LLC, C=US"-style subjects; TLS proxies pass
    # them most-specific first (RFC 4514, nginx), reversed, or in OpenSSL's one-line form.
    for subject in (
        "C=US,O=TUV LLC,CN=tuv-ibt",
        "c=US, o=TUV LLC , cn=tuv-ibt",
        "/C=US/O=TUV LLC/CN=tuv-ibt",
    ):
        response = client.get(f"{IBT}/3/subaccounts", headers={"X-SSL-Client-S-DN": subject})
        assert response.status_code == 200, subject
    # A different subject, or one more RDN than registered, is not the same certificate.
    assert (
        client.get(
            f"{IBT}/3/subaccounts", headers={"X-SSL-Client-S-DN": "C=US,O=TUV LLC,CN=tuv-ibt,OU=x"}
        ).status_code
        == 401
    )
