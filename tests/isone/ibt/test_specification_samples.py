"""Each sample request of IBT spec sections 3.1.5 to 3.3.6 returns the sample response, byte for byte:
the XML declaration, namespace, element order and values."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import IBT, IBT_CONTENT_TYPE, post_sample, sample


def test_3_1_5_subaccounts_of_customer_1(client: TestClient) -> None:
    response = client.get(f"{IBT}/1/subaccounts")
    assert response.status_code == 200
    assert response.headers["content-type"] == IBT_CONTENT_TYPE
    assert response.content == sample("3.1.6-subaccounts.xml")


def test_3_2_6_mappings_as_of_august_2015(client: TestClient) -> None:
    response = client.get(f"{IBT}/1/contractSubaccountMappings?start_date=08%2F01%2F2015&start=0&limit=25")
    assert response.status_code == 200
    assert response.headers["content-type"] == IBT_CONTENT_TYPE
    assert response.content == sample("3.2.7-mappings-get-response.xml")


def test_3_2_8_post_maps_contract_999999_to_abc1_for_august(client: TestClient) -> None:
    response = post_sample(client)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == IBT_CONTENT_TYPE
    assert response.content == sample("3.2.9-mappings-post-response.xml")


def test_3_3_5_mapping_history_after_the_sample_post(client: TestClient) -> None:
    post_sample(client)
    response = client.get(f"{IBT}/1/contractSubaccountMappings/999999")
    assert response.status_code == 200
    assert response.content == sample("3.3.6-mapping-999999.xml")


def test_sample_get_after_the_post_shows_the_new_current_version(client: TestClient) -> None:
    post_sample(client)
    response = client.get(f"{IBT}/1/contractSubaccountMappings?start_date=08%2F01%2F2015")
    expected = sample("3.2.7-mappings-get-response.xml").replace(
        b"<version>2015-07-02T06:00:00Z</version>\n      <subaccount_id>Default</subaccount_id>",
        b"<version>2015-07-11T12:01:22Z</version>\n      <subaccount_id>ABC1</subaccount_id>",
    )
    assert expected != sample("3.2.7-mappings-get-response.xml")
    assert response.content == expected
