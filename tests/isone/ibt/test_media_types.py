"""Spec 2 and 2.2: bodies are application/vnd.iso-ne.contract.customers.v1+xml;charset=UTF-8; an
Accept of application/xml gets application/xml; an Accept allowing neither gets 406; a POST of any
other media type gets 415. Error bodies are text/plain."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import IBT, IBT_CONTENT_TYPE, IBT_MEDIA_TYPE, post_sample, sample

GENERIC = "application/xml;charset=UTF-8"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, IBT_CONTENT_TYPE),
        ("*/*", IBT_CONTENT_TYPE),
        (IBT_MEDIA_TYPE, IBT_CONTENT_TYPE),
        (IBT_CONTENT_TYPE, IBT_CONTENT_TYPE),
        ("application/*", IBT_CONTENT_TYPE),
        ("application/xml", GENERIC),
        ("text/html, application/xml;q=0.9", GENERIC),
        (f"application/xml;q=0.5, {IBT_MEDIA_TYPE}", IBT_CONTENT_TYPE),
        (f"{IBT_MEDIA_TYPE};q=0.2, application/xml;q=0.8", GENERIC),
        ("application/json, */*;q=0.1", IBT_CONTENT_TYPE),
    ],
)
def test_accept_chooses_the_media_type(client: TestClient, accept: str | None, content_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    for path in ("/1/subaccounts", "/1/contractSubaccountMappings", "/1/contractSubaccountMappings/999999"):
        response = client.get(IBT + path, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == content_type


def test_generic_and_versioned_media_types_carry_the_same_document(client: TestClient) -> None:
    versioned = client.get(f"{IBT}/1/subaccounts")
    generic = client.get(f"{IBT}/1/subaccounts", headers={"Accept": "application/xml"})
    assert versioned.content == generic.content


@pytest.mark.parametrize(
    "accept", ["text/html", "application/json", "text/xml", f"{IBT_MEDIA_TYPE};q=0, application/xml;q=0"]
)
def test_accept_allowing_neither_type_is_406(client: TestClient, accept: str) -> None:
    for path in ("/1/subaccounts", "/1/contractSubaccountMappings", "/1/contractSubaccountMappings/999999"):
        response = client.get(IBT + path, headers={"Accept": accept})
        assert response.status_code == 406
        assert response.headers["content-type"].startswith("text/plain")
        assert IBT_MEDIA_TYPE in response.text


def test_post_with_accept_allowing_neither_type_is_406_and_stores_nothing(client: TestClient) -> None:
    response = post_sample(client, headers={"Accept": "application/json"})
    assert response.status_code == 406
    history = client.get(f"{IBT}/1/contractSubaccountMappings/999999").text
    assert "2015-07-11T12:01:22Z" not in history


@pytest.mark.parametrize(
    "content_type",
    [
        IBT_MEDIA_TYPE,
        IBT_CONTENT_TYPE,
        "APPLICATION/VND.ISO-NE.CONTRACT.CUSTOMERS.V1+XML; charset=utf-8",
        f"{IBT_MEDIA_TYPE}; charset=UTF-8; foo=bar",
    ],
)
def test_post_accepts_the_versioned_type_whatever_its_case_and_parameters(
    client: TestClient, content_type: str
) -> None:
    response = client.post(
        f"{IBT}/1/contractSubaccountMappings",
        content=sample("3.2.8-mappings-post-request.xml"),
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/xml",
        "text/xml",
        "application/json",
        "application/vnd.iso-ne.contract.customers.v2+xml",
    ],
)
def test_post_of_another_media_type_is_415_and_stores_nothing(
    client: TestClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(
        f"{IBT}/1/contractSubaccountMappings",
        content=sample("3.2.8-mappings-post-request.xml"),
        headers=headers,
    )
    assert response.status_code == 415
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Unsupported Media Type: ")
    assert IBT_MEDIA_TYPE in response.text
    assert "2015-07-11T12:01:22Z" not in client.get(f"{IBT}/1/contractSubaccountMappings/999999").text
