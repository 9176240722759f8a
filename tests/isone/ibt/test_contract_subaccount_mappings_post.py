"""Spec 2.1, 3.2.3 to 3.2.5, 3.2.8/3.2.9: POST .../contractSubaccountMappings. Each mapping period
whose requested subaccount differs from the current one gets a new current version stamped with
the server's clock; an unchanged one keeps its version. Every rule of 3.2.5 is enforced, and a
request that breaks any rule, anywhere in its body, stores nothing at all."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from tests.conftest import IBT, IBT_CONTENT_TYPE, as_customer, sample
from tests.isone.ibt import pack_oracle as oracle

URL = f"{IBT}/1/contractSubaccountMappings"
AUG = ("2015-08-01T04:00:00Z", "2015-09-01T04:00:00Z")
SEP = ("2015-09-01T04:00:00Z", "2015-10-01T04:00:00Z")
NS_OPEN = '<contract_subaccount_mappings xmlns="http://xmlns.iso-ne.com/contract/customers">'


def mapping(
    contract_id: int,
    versions: list[tuple[str, str | None, str]],
    customer_id: int = 1,
    contract: tuple[str, str] = ("2015-08-01T04:00:00Z", "2015-10-01T04:00:00Z"),
    info: dict[str, str] | None = None,
) -> str:
    """One contract_subaccount_mapping element; `info` overrides the informational elements."""
    values = {"market_name": "FCM Load", "buyer_name": "XYZ Inc", "seller_name": "QRS Ltd", "status": "Conf"}
    values.update(info or {})
    body = "".join(
        "<contract_subaccount_mapping_version>"
        f"<begin>{begin}</begin>"
        + (f"<end>{end}</end>" if end else "")
        + f"<version>{values.get('version', '2015-07-01T04:00:00Z')}</version>"
        f"<subaccount_id>{subaccount}</subaccount_id>"
        "</contract_subaccount_mapping_version>"
        for begin, end, subaccount in versions
    )
    return (
        "<contract_subaccount_mapping>"
        f"<customer_id>{customer_id}</customer_id><contract_id>{contract_id}</contract_id>"
        f"<market_name>{values['market_name']}</market_name><buyer_name>{values['buyer_name']}</buyer_name>"
        f"<seller_name>{values['seller_name']}</seller_name>"
        f"<contract_begin>{contract[0]}</contract_begin><contract_end>{contract[1]}</contract_end>"
        f"<status>{values['status']}</status>{body}</contract_subaccount_mapping>"
    )


def document(*mappings: str) -> bytes:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{declaration}{NS_OPEN}{''.join(mappings)}</contract_subaccount_mappings>".encode()


def post(client: TestClient, body: bytes, customer_id: int = 1, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"{IBT}/{customer_id}/contractSubaccountMappings",
        content=body,
        headers={"Content-Type": IBT_CONTENT_TYPE, **as_customer(customer_id), **headers},
    )


def state(client: TestClient, customer_id: int = 1, body: bytes = b"") -> tuple[bytes, ...]:
    """What a POST could change: every current version of the customer (a new version is always
    current) and the full history of the sample contracts and of every contract the body names."""
    auth = as_customer(customer_id)
    collection = client.get(
        f"{IBT}/{customer_id}/contractSubaccountMappings?limit=1000", headers=auth
    ).content
    named = {int(c) for c in re.findall(rb"<contract_id>(\d+)</contract_id>", body)}
    histories = tuple(
        client.get(f"{IBT}/{customer_id}/contractSubaccountMappings/{c}", headers=auth).content
        for c in sorted({999998, 999999} | named)
    )
    return (collection, *histories)


def assert_rejected(client: TestClient, body: bytes, message: str, customer_id: int = 1) -> None:
    before = state(client, customer_id, body)
    response = post(client, body, customer_id)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Bad Request: ")
    assert message in response.text
    assert state(client, customer_id, body) == before


# --- what a POST does --------------------------------------------------------------------------------


def test_changed_period_gets_a_new_current_version_and_the_old_one_becomes_history(
    client: TestClient,
) -> None:
    response = post(client, document(mapping(999998, [(*SEP, "ABC1")])))
    assert response.status_code == 200
    assert "<version>2015-07-11T12:01:22Z</version>" in response.text
    history = client.get(f"{IBT}/1/contractSubaccountMappings/999998").text
    assert history.count("<contract_subaccount_mapping_version>") == 3
    assert history.index("<subaccount_id>Default</subaccount_id>", history.index(SEP[0])) < history.index(
        "<subaccount_id>ABC1</subaccount_id>"
    )


def test_unchanged_period_keeps_its_current_version(client: TestClient) -> None:
    before = client.get(f"{IBT}/1/contractSubaccountMappings/999998").content
    response = post(client, document(mapping(999998, [(*AUG, "Default"), (*SEP, "Default")])))
    assert response.status_code == 200
    assert response.text.count("<version>2015-07-01T04:00:00Z</version>") == 2
    assert client.get(f"{IBT}/1/contractSubaccountMappings/999998").content == before


def test_response_lists_the_requested_periods_in_request_order(client: TestClient) -> None:
    response = post(client, document(mapping(999999, [(*SEP, "ABC1"), (*AUG, "Default")])))
    assert response.status_code == 200
    assert response.text.index(SEP[0]) < response.text.index("<begin>2015-08-01T04:00:00Z</begin>")
    assert "<query_info>" not in response.text


def test_version_is_stamped_with_the_simulated_clock(client: TestClient) -> None:
    client.put("/_isosim/clock", json={"frozen_at": "2015-07-20T09:30:15.250Z"})
    response = post(client, document(mapping(999999, [(*AUG, "ABC1")])))
    assert "<version>2015-07-20T09:30:15.250Z</version>" in response.text
    history = client.get(f"{IBT}/1/contractSubaccountMappings/999999").text
    assert "<version>2015-07-20T09:30:15.250Z</version>" in history


def test_successive_posts_stack_versions_in_order(client: TestClient) -> None:
    for second, subaccount in ((1, "ABC1"), (2, "Default"), (3, "ABC1")):
        client.put("/_isosim/clock", json={"frozen_at": f"2015-07-12T00:00:0{second}Z"})
        assert post(client, document(mapping(999999, [(*AUG, subaccount)]))).status_code == 200
    history = client.get(f"{IBT}/1/contractSubaccountMappings/999999").text
    stamps = ["2015-07-02T06:00:00Z", "2015-07-12T00:00:01Z", "2015-07-12T00:00:02Z", "2015-07-12T00:00:03Z"]
    positions = [history.index(f"<version>{s}</version>") for s in stamps]
    assert positions == sorted(positions)
    current = client.get(f"{URL}?contract_id=999999&start_date=08%2F01%2F2015").text
    assert "<version>2015-07-12T00:00:03Z</version>" in current and current.count("<version>") == 1


def test_end_may_be_left_out_and_is_then_the_end_of_the_mapping_period(client: TestClient) -> None:
    response = post(client, document(mapping(999999, [(AUG[0], None, "ABC1"), (SEP[0], None, "ABC1")])))
    assert response.status_code == 200, response.text
    assert f"<end>{AUG[1]}</end>" in response.text and f"<end>{SEP[1]}</end>" in response.text


def test_informational_elements_are_accepted_and_ignored(client: TestClient) -> None:
    info = {
        "market_name": "Something else",
        "buyer_name": "Nobody",
        "seller_name": "Nobody either",
        "status": "New",
        "version": "not even a timestamp",
    }
    body = document(
        mapping(
            999999, [(*AUG, "ABC1")], contract=("2001-01-01T05:00:00Z", "2001-02-01T05:00:00Z"), info=info
        )
    )
    response = post(client, body)
    assert response.status_code == 200, response.text
    for real in (
        "<market_name>FCM Load</market_name>",
        "<buyer_name>XYZ Inc</buyer_name>",
        "<seller_name>TUV LLC</seller_name>",
        "<status>Conf</status>",
        "<contract_begin>2015-08-01T04:00:00Z</contract_begin>",
    ):
        assert real in response.text


def test_query_info_in_a_post_is_ignored(client: TestClient) -> None:
    body = document(mapping(999999, [(*AUG, "ABC1")])).replace(
        NS_OPEN.encode(),
        NS_OPEN.encode() + b"<query_info><total_record_count>7</total_record_count></query_info>",
    )
    assert post(client, body).status_code == 200


def test_an_empty_collection_changes_nothing(client: TestClient) -> None:
    before = state(client)
    response = post(client, document())
    assert response.status_code == 200
    assert b"<contract_subaccount_mapping>" not in response.content
    assert state(client) == before


def test_the_counterparty_keeps_its_own_mapping(client: TestClient) -> None:
    qrs = as_customer(2)
    before = client.get(f"{IBT}/2/contractSubaccountMappings/999998", headers=qrs).content
    assert post(client, document(mapping(999998, [(*AUG, "ABC1")]))).status_code == 200
    assert client.get(f"{IBT}/2/contractSubaccountMappings/999998", headers=qrs).content == before


def test_the_seller_maps_its_side_of_the_contract(client: TestClient) -> None:
    body = document(mapping(999998, [(*AUG, "QRS1")], customer_id=2))
    response = post(client, body, customer_id=2)
    assert response.status_code == 200, response.text
    assert (
        "<customer_id>2</customer_id>" in response.text
        and "<subaccount_id>QRS1</subaccount_id>" in response.text
    )


# --- rules of 3.2.5 ------------------------------------------------------------------------------------


def test_customer_id_must_be_the_customer_of_the_url(client: TestClient) -> None:
    assert_rejected(
        client,
        document(mapping(999998, [(*AUG, "ABC1")], customer_id=2)),
        "must be the customer of the URL, 1",
    )


def test_contract_id_must_not_be_repeated(client: TestClient) -> None:
    body = document(mapping(999999, [(*AUG, "ABC1")]), mapping(999999, [(*SEP, "ABC1")]))
    assert_rejected(client, body, "contract_id 999999 is repeated in the request body")


@pytest.mark.parametrize("contract_id", [100027, 12345678, 99999999999999999999])
def test_customer_must_be_a_party_to_the_contract(client: TestClient, contract_id: int) -> None:
    assert_rejected(
        client,
        document(mapping(contract_id, [(*AUG, "ABC1")])),
        f"customer 1 is not a party to contract {contract_id}",
    )


def test_begin_must_not_be_earlier_than_the_contract_begin(client: TestClient) -> None:
    body = document(mapping(999999, [("2015-07-01T04:00:00Z", "2015-08-01T04:00:00Z", "ABC1")]))
    assert_rejected(client, body, "begin must not be earlier than the contract begin 2015-08-01T04:00:00Z")


def test_end_must_not_be_later_than_the_contract_end(client: TestClient) -> None:
    body = document(mapping(999999, [("2015-09-01T04:00:00Z", "2015-10-15T04:00:00Z", "ABC1")]))
    assert_rejected(client, body, "must not be later than the contract end 2015-10-01T04:00:00Z")


@pytest.mark.parametrize("end", ["2015-08-01T04:00:00Z", "2015-07-31T04:00:00Z"])
def test_begin_must_be_earlier_than_end(client: TestClient, end: str) -> None:
    body = document(mapping(999999, [(AUG[0], end, "ABC1")]))
    assert_rejected(client, body, "begin must be earlier than end")


def test_begin_and_end_must_belong_to_a_single_month(client: TestClient) -> None:
    body = document(mapping(999999, [(AUG[0], SEP[1], "ABC1")]))
    assert_rejected(client, body, "must belong to a single month")


def test_each_version_must_have_a_unique_mapping_period_month(client: TestClient) -> None:
    body = document(mapping(999999, [(*AUG, "ABC1"), (*AUG, "Default")]))
    assert_rejected(client, body, "the month 2015-08 is repeated for contract 999999")


def test_begin_and_end_must_be_a_mapping_period_of_the_contract(client: TestClient) -> None:
    body = document(mapping(999999, [("2015-08-10T04:00:00Z", "2015-08-20T04:00:00Z", "ABC1")]))
    assert_rejected(client, body, "are not a mapping period of the contract")


def test_months_are_eastern_months(client: TestClient) -> None:
    # 2015-08-01T00:00Z is still July 31 in Eastern time: not a mapping period, and before the contract.
    body = document(mapping(999999, [("2015-08-01T00:00:00Z", "2015-09-01T00:00:00Z", "ABC1")]))
    assert_rejected(client, body, "begin must not be earlier than the contract begin")


def test_subaccount_must_belong_to_the_customer(client: TestClient) -> None:
    body = document(mapping(999999, [(*AUG, "QRS1")]))
    assert_rejected(
        client,
        body,
        "subaccount_id 'QRS1' is not a subaccount of customer 1 defined as of 2015-08-01T04:00:00Z",
    )


def test_subaccount_must_be_defined_as_of_the_period_begin(client: TestClient) -> None:
    # A customer-4 subaccount first defined after the begin of one of customer 4's mapping periods.
    names = oracle.subaccount_names()
    for v in oracle.current_versions():
        if v.customer_id != 4:
            continue
        late = [
            (sid, versions[0][0])
            for (cid, sid), versions in names.items()
            if cid == 4 and versions[0][0] > v.begin
        ]
        if late:
            subaccount_id = late[0][0]
            break
    else:
        pytest.fail("the pack has no customer-4 subaccount defined after one of its mapping periods")
    z = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    contract = next(c for c in oracle.current_versions() if c.contract_id == v.contract_id)
    body = document(
        mapping(
            v.contract_id,
            [(z(v.begin), z(v.end), subaccount_id)],
            customer_id=4,
            contract=(z(contract.begin), z(contract.end)),
        )
    )
    assert_rejected(
        client,
        body,
        f"subaccount_id '{subaccount_id}' is not a subaccount of customer 4 defined as of",
        customer_id=4,
    )
    assert v.begin < datetime(2016, 1, 1)


def test_one_bad_mapping_among_many_stores_nothing(client: TestClient) -> None:
    body = document(
        mapping(999998, [(*AUG, "ABC1"), (*SEP, "ABC1")]),
        mapping(999999, [(*AUG, "ABC1"), (*SEP, "NOPE")]),
    )
    assert_rejected(client, body, "subaccount_id 'NOPE'")


def test_one_bad_version_after_good_ones_stores_nothing(client: TestClient) -> None:
    body = document(
        mapping(999999, [(*AUG, "ABC1"), ("2015-09-01T04:00:00Z", "2015-11-01T05:00:00Z", "ABC1")])
    )
    assert_rejected(client, body, "must not be later than the contract end")


# --- bodies that are not valid XML of the expected type ---------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "request body is empty"),
        (b"not xml at all", "not well-formed XML"),
        (
            b"<contract_subaccount_mappings xmlns='http://xmlns.iso-ne.com/contract/customers'>",
            "not well-formed XML",
        ),
        (
            b"<subaccounts xmlns='http://xmlns.iso-ne.com/contract/customers'/>",
            "must be a contract_subaccount_mappings element",
        ),
        (b"<contract_subaccount_mappings/>", "must be a contract_subaccount_mappings element of namespace"),
        (
            b"<contract_subaccount_mappings xmlns='urn:other'/>",
            "must be a contract_subaccount_mappings element",
        ),
        (document("<unexpected/>"), "not valid against vnd.iso-ne.contract.customers.v1.xsd"),
        (
            document(mapping(999999, [(*AUG, "ABC1")]).replace("<market_name>FCM Load</market_name>", "")),
            "not valid against",
        ),
        (
            document(mapping(999999, [(*AUG, "ABC1")]).replace("<subaccount_id>ABC1</subaccount_id>", "")),
            "not valid against",
        ),
        (
            document(
                mapping(999999, [(*AUG, "ABC1")]).replace(
                    "<customer_id>1</customer_id>", "<customer_id>one</customer_id>"
                )
            ),
            "not valid against",
        ),
        (document(mapping(999999, [("2015-08-01T04:00:00", AUG[1], "ABC1")])), "not valid against"),
        (document(mapping(999999, [("2015-08-01", AUG[1], "ABC1")])), "not valid against"),
        (document(mapping(999999, [(*AUG, "")])), "not valid against"),
        (
            document(
                mapping(999999, [(*AUG, "ABC1")]).replace(
                    "<status>Conf</status>", "<status>Conf</status><extra/>"
                )
            ),
            "not valid against",
        ),
    ],
)
def test_body_that_is_not_valid_xml_of_the_expected_type_is_400(
    client: TestClient, body: bytes, message: str
) -> None:
    assert_rejected(client, body, message)


def test_document_type_declarations_and_entities_are_refused(client: TestClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    external = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>{NS_OPEN}&x;</contract_subaccount_mappings>'
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' + NS_OPEN + "&c;</contract_subaccount_mappings>"
    )
    for body in (external, laughs):
        before = state(client)
        response = post(client, body.encode())
        assert response.status_code == 400
        assert "document type declarations (DTD) are not allowed" in response.text
        assert "TOP-SECRET" not in response.text
        assert state(client) == before


def test_body_larger_than_the_configured_limit_is_413(fresh_app) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_client

    client = make_client(fresh_app(max_body_bytes=2048))
    body = document(*(mapping(999999, [(*AUG, "ABC1")]) for _ in range(10)))
    assert len(body) > 2048
    response = post(client, body)
    assert response.status_code == 413
    assert response.text.startswith("Request Entity Too Large: ")
    assert post(client, sample("3.2.8-mappings-post-request.xml")).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            NS_OPEN.encode() + b"<contract_subaccount_mapping>\xff\xfe</contract_subaccount_mapping>",
            "not well-formed XML",
        ),
        (b'<?xml version="1.0" encoding="UTF-16"?>' + NS_OPEN.encode(), "not well-formed XML"),
        (b'<?xml version="1.0" encoding="X-NOPE"?>' + NS_OPEN.encode(), "Unsupported encoding"),
        (
            NS_OPEN.encode() + b"<a>" * 5000 + b"</a>" * 5000 + b"</contract_subaccount_mappings>",
            "Excessive depth",
        ),
        (
            NS_OPEN.encode()
            + b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>'
            + b"</contract_subaccount_mappings>",
            "not valid against",
        ),
    ],
    ids=["invalid-utf8", "lying-encoding", "unknown-encoding", "deep-nesting", "xinclude"],
)
def test_hostile_bodies_get_the_services_400_and_store_nothing(
    client: TestClient, body: bytes, message: str
) -> None:
    if not body.endswith(b"</contract_subaccount_mappings>"):
        body += b"</contract_subaccount_mappings>"
    assert_rejected(client, body, message)
    assert "root:" not in post(client, body).text  # nothing was read from the file system
