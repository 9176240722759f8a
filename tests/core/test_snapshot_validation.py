"""Snapshot import checks everything it restores, before it writes anything: realm and tenant names
(the header's rule), each value against its column (type, length, range, enumeration, JSON), and
each service's own rules (a stored bid must be one SIBR could have taken). A crafted snapshot is
refused with 400 and changes nothing; one that is accepted never breaks a later read."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from isosim.caiso.b2b import spec
from tests.caiso.b2b.conftest import call, records, returned, sample_record, sample_request, submission
from tests.conftest import IBT, post_sample

HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"
SANDBOX = "isone-sandbox"
CAISO = "caiso-production"


def _export(client: TestClient, pack: str) -> dict[str, Any]:
    response = client.get(f"/_isosim/snapshot?pack={pack}")
    assert response.status_code == 200
    return response.json()


def _tables(document: dict[str, Any], realm: str) -> dict[str, list[dict[str, Any]]]:
    return document["realms"][realm]["tables"]


def _refused(client: TestClient, document: object, *, raw: str | None = None) -> str:
    """PUT the snapshot; assert 400 and that no realm changed. The refusal's text."""
    before = {pack: _export(client, pack) for pack in (SANDBOX, CAISO)}
    text = json.dumps(document) if raw is None else raw  # ASCII: a lone surrogate travels as \ud800
    response = client.put("/_isosim/snapshot", content=text, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert {pack: _export(client, pack) for pack in (SANDBOX, CAISO)} == before
    return response.json()["detail"]


def _with_row_change(document: dict[str, Any], table: str, **change: Any) -> dict[str, Any]:
    crafted = copy.deepcopy(document)
    realm = next(iter(crafted["realms"]))
    _tables(crafted, realm)[table][0].update(change)
    return crafted


@pytest.mark.parametrize(
    ("table", "column", "value", "said"),
    [
        ("ibt_customer", "customer_id", "1", "must be an integer"),
        ("ibt_customer", "customer_id", 2**70, "must be an integer"),
        ("ibt_customer", "customer_id", True, "must be an integer"),
        ("ibt_customer", "name", 5, "must be a string"),
        ("ibt_customer", "name", "x" * 201, "longer than 200"),
        ("ibt_customer", "name", "bad\ud800name", "UTF-8"),
        ("ibt_customer", "name", "nul\u0000byte", "NUL"),
        ("ibt_customer", "name", None, "cannot be null"),
        ("ibt_subaccount_version", "status", "Bogus", "must be one of 'Active', 'Inactive'"),
        ("ibt_subaccount_version", "begin", "9999-12-31T00:00:00", "outside 1990-2099"),
        ("ibt_subaccount_version", "begin", "0001-01-01T00:00:00", "outside 1990-2099"),
        ("ibt_subaccount_version", "begin", "yesterday", "Invalid isoformat"),
        ("ibt_contract", "category", "ENERGY", "must be one of"),
        ("ibt_mapping_version", "current", "yes", "true or false"),
    ],
)
def test_each_value_is_held_to_its_column(
    client: TestClient, table: str, column: str, value: object, said: str
) -> None:
    good = _export(client, SANDBOX)
    detail = _refused(client, _with_row_change(good, table, **{column: value}))
    assert f"{table}.{column}" in detail and said in detail


def test_a_missing_required_column_is_refused(client: TestClient) -> None:
    crafted = copy.deepcopy(_export(client, SANDBOX))
    del _tables(crafted, SANDBOX)["ibt_contract"][0]["buyer_id"]
    assert "ibt_contract.buyer_id is missing" in _refused(client, crafted)


@pytest.mark.parametrize("tenant", ["bad name", "-leading", "x" * 65, "é", "a/b"])
def test_tenant_names_follow_the_header_rule(client: TestClient, tenant: str) -> None:
    good = _export(client, SANDBOX)
    crafted = {"format": good["format"], "realms": {f"{SANDBOX}~{tenant}": good["realms"][SANDBOX]}}
    assert "tenant name" in _refused(client, crafted)


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"format": "isosim-snapshot/1", "realms": []},
        {"format": "isosim-snapshot/1", "realms": {SANDBOX: "text"}},
        {"format": "isosim-snapshot/1", "realms": {SANDBOX: {"pack": [SANDBOX], "tables": {}}}},
        {"format": "isosim-snapshot/1", "realms": {SANDBOX: {"pack": SANDBOX, "tables": []}}},
        {
            "format": "isosim-snapshot/1",
            "realms": {SANDBOX: {"pack": SANDBOX, "tables": {"ibt_customer": 1}}},
        },
        {
            "format": "isosim-snapshot/1",
            "realms": {SANDBOX: {"pack": SANDBOX, "tables": {"ibt_customer": [1]}}},
        },
        {"format": "isosim-snapshot/1", "realms": {"@pack:isone-sandbox": {"pack": SANDBOX, "tables": {}}}},
    ],
)
def test_a_document_of_the_wrong_shape_is_refused(client: TestClient, document: object) -> None:
    response = client.put("/_isosim/snapshot", json=document)
    assert response.status_code in (400, 422), response.text  # 422: not a JSON object at all


def test_non_finite_numbers_are_refused(client: TestClient) -> None:
    good = _export(client, CAISO)
    text = json.dumps(_with_row_change(good, "caiso_market_resource", pmax=1.5))
    assert "pmax" in _refused(client, None, raw=text.replace('"pmax": 1.5', '"pmax": NaN'))


def test_a_duplicate_key_is_refused_whole(client: TestClient) -> None:
    post_sample(client)
    before = client.get(HISTORY).content
    crafted = copy.deepcopy(_export(client, SANDBOX))
    customers = _tables(crafted, SANDBOX)["ibt_customer"]
    customers.append(dict(customers[0]))
    assert "keys or references" in _refused(client, crafted)
    assert client.get(HISTORY).content == before


def test_a_refused_realm_leaves_every_other_realm_of_the_document_unwritten(client: TestClient) -> None:
    post_sample(client)
    sandbox = _export(client, SANDBOX)
    caiso = _with_row_change(_export(client, CAISO), "caiso_market_resource", pmin=-1e300)
    client.post("/_isosim/reset")
    crafted = {"format": sandbox["format"], "realms": {**sandbox["realms"], **caiso["realms"]}}
    _refused(client, crafted)


def _stored_bid(soap: TestClient) -> dict[str, Any]:
    row = sample_record(spec.dataset("RawBid"))
    answer = call(soap, "SubmitRawBidSet_SIBRv4_AP", submission("SubmitRawBidSet_SIBRv4_AP", [row]))
    assert answer.status_code == 200, answer.text
    return _export(soap, CAISO)


def _bid_records(document: dict[str, Any]) -> list[dict[str, Any]]:
    return _tables(document, CAISO)["caiso_b2b_record"]


def test_a_stored_bid_must_be_one_sibr_could_have_taken(soap: TestClient) -> None:
    good = _stored_bid(soap)
    (record,) = _bid_records(good)
    fields = json.loads(record["fields"])

    def crafted(change: Any) -> dict[str, Any]:
        changed = copy.deepcopy(good)
        _bid_records(changed)[0]["fields"] = change if isinstance(change, str) else json.dumps(change)
        return changed

    price = copy.deepcopy(fields)
    curve = price["tree"]["ProductBid"][0]["BidSchedule"][0]["BidPriceCurve"][0]["CurveSchedData"][0]
    curve["y1AxisData"] = ["a lot"]
    assert "not valid against" in _refused(soap, crafted(price))
    assert "JSON object" in _refused(soap, crafted("[1, 2]"))
    assert "JSON object" in _refused(soap, crafted("{not json"))
    assert "no record tree" in _refused(soap, crafted({**fields, "tree": {"ProductBid": "flat"}}))
    assert "no record tree" in _refused(soap, crafted({**fields, "tree": {"a": [{"b": [1]}]}}))
    deep: dict[str, Any] = {"x": []}
    for _ in range(40):
        deep = {"x": [deep]}
    assert "no record tree" in _refused(soap, crafted({**fields, "tree": deep}))
    unknown = copy.deepcopy(good)
    _bid_records(unknown)[0]["dataset"] = "NoSuchDataset"
    assert "no submission stores" in _refused(soap, unknown)


def test_an_accepted_snapshot_reads_back_through_the_services(soap: TestClient) -> None:
    good = _stored_bid(soap)
    soap.post("/_isosim/reset")
    assert soap.put("/_isosim/snapshot", json=good).status_code == 200
    found = call(
        soap, "RetrieveCurrentBidResults_SIBRv4_AP", sample_request("RetrieveCurrentBidResults_SIBRv4_AP")
    )
    (bid,) = records(returned(found))
    assert bid["ProductBid"][0]["BidSchedule"]  # the stored bid, read back whole
