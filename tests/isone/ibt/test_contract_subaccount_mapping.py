"""Spec 3.3: GET .../{customerId}/contractSubaccountMappings/{contractId} returns one mapping with one
current and zero or more historical versions for every mapping period, oldest first."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from lxml import etree

from tests.conftest import IBT, as_customer
from tests.isone.ibt.pack_oracle import FOLDER, _rows

NS = {"c": "http://xmlns.iso-ne.com/contract/customers"}


def test_full_history_of_every_period_from_the_pack(client: TestClient) -> None:
    rows = _rows("mapping_versions.csv")
    per_mapping = Counter((int(r["customer_id"]), int(r["contract_id"])) for r in rows)
    # A mapping with historical versions in the pack.
    (customer_id, contract_id), count = next(
        (key, n)
        for key, n in per_mapping.items()
        if n > len({r["begin"] for r in rows if (int(r["customer_id"]), int(r["contract_id"])) == key})
    )
    response = client.get(
        f"{IBT}/{customer_id}/contractSubaccountMappings/{contract_id}", headers=as_customer(customer_id)
    )
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    versions = [
        (
            v.findtext("c:begin", namespaces=NS),
            v.findtext("c:version", namespaces=NS),
            v.findtext("c:subaccount_id", namespaces=NS),
        )
        for v in root.iterfind("c:contract_subaccount_mapping_version", NS)
    ]
    want = sorted(
        (r["begin"], r["version"], r["subaccount_id"])
        for r in rows
        if (int(r["customer_id"]), int(r["contract_id"])) == (customer_id, contract_id)
    )
    assert len(versions) == count
    assert versions == want
    assert root.findtext("c:customer_id", namespaces=NS) == str(customer_id)
    assert FOLDER.exists()


def test_both_parties_see_their_own_mapping_of_one_contract(client: TestClient) -> None:
    buyer = client.get(f"{IBT}/1/contractSubaccountMappings/999998").text
    seller = client.get(f"{IBT}/2/contractSubaccountMappings/999998", headers=as_customer(2)).text
    assert "<customer_id>1</customer_id>" in buyer and "<customer_id>2</customer_id>" in seller
    assert "<buyer_name>XYZ Inc</buyer_name>" in seller and "<seller_name>QRS Ltd</seller_name>" in seller


def test_contract_id_with_leading_zeros_names_the_same_contract(client: TestClient) -> None:
    assert (
        client.get(f"{IBT}/1/contractSubaccountMappings/0999999").content
        == client.get(f"{IBT}/1/contractSubaccountMappings/999999").content
    )
