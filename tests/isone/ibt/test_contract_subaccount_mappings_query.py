"""Spec 3.2.4: the GET query parameters of .../contractSubaccountMappings. The collection holds the
current version of each mapping period; `query_info/total_record_count` counts every matching
version; paging cuts that sequence of versions. Results are checked against an independent
reading of the pack's files (pack_oracle)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from tests.conftest import IBT, basic
from tests.isone.ibt import pack_oracle as oracle
from tests.isone.ibt.pack_oracle import Current

NS = {"c": "http://xmlns.iso-ne.com/contract/customers"}
# Customer 4 (Granite State Power LLC) has subaccounts renamed over time and many contracts.
CUSTOMER = 4
USERS = {4: basic("granite-ibt", "granite-ibt-sandbox"), 5: basic("pioneer-ibt", "pioneer-ibt-sandbox")}
AUTH = USERS[CUSTOMER]


def fetch(client: TestClient, query: str, customer: int = CUSTOMER) -> tuple[int, list[tuple[int, datetime]]]:
    """(total_record_count, [(contract_id, begin), ...]) of one page."""
    response = client.get(f"{IBT}/{customer}/contractSubaccountMappings?{query}", headers=USERS[customer])
    assert response.status_code == 200, response.text
    root = etree.fromstring(response.content)
    total = int(root.findtext("c:query_info/c:total_record_count", namespaces=NS))
    found = []
    for mapping in root.iterfind("c:contract_subaccount_mapping", NS):
        contract_id = int(mapping.findtext("c:contract_id", namespaces=NS))
        for version in mapping.iterfind("c:contract_subaccount_mapping_version", NS):
            found.append(
                (
                    contract_id,
                    datetime.strptime(version.findtext("c:begin", namespaces=NS), "%Y-%m-%dT%H:%M:%SZ"),
                )
            )
    return total, found


def expected(predicate: Callable[[Current], bool], customer: int = CUSTOMER) -> list[tuple[int, datetime]]:
    return [
        (v.contract_id, v.begin)
        for v in oracle.current_versions()
        if v.customer_id == customer and predicate(v)
    ]


def check(
    client: TestClient, query: str, predicate: Callable[[Current], bool], customer: int = CUSTOMER
) -> int:
    want = expected(predicate, customer)
    total, got = fetch(client, f"{query}&limit=1000" if query else "limit=1000", customer)
    assert total == len(want)
    assert got == want
    return total


def test_without_parameters_the_first_25_current_versions_in_contract_order(client: TestClient) -> None:
    want = expected(lambda v: True)
    assert len(want) > 25
    total, got = fetch(client, "")
    assert total == len(want)
    assert got == want[:25]


def test_collection_holds_only_current_versions(client: TestClient) -> None:
    check(client, "", lambda v: True)


def test_start_and_limit_cut_the_sequence_of_versions(client: TestClient) -> None:
    want = expected(lambda v: True)
    total, got = fetch(client, "start=10&limit=7")
    assert total == len(want)
    assert got == want[10:17]
    total, got = fetch(client, f"start={len(want) - 3}&limit=1000")
    assert got == want[-3:]
    total, got = fetch(client, f"start={len(want) + 5}")
    assert (total, got) == (len(want), [])


def test_page_is_one_based_and_start_wins_when_both_are_sent(client: TestClient) -> None:
    want = expected(lambda v: True)
    assert fetch(client, "page=3&limit=10")[1] == want[20:30]
    assert fetch(client, "page=1&limit=10")[1] == want[:10]
    assert fetch(client, "page=3&start=5&limit=10")[1] == want[5:15]


def test_a_mapping_split_by_paging_appears_on_both_pages(client: TestClient) -> None:
    want = expected(lambda v: True)
    # Find a boundary that falls inside one contract's versions.
    cut = next(i for i in range(1, len(want)) if want[i][0] == want[i - 1][0])
    _, first = fetch(client, f"start=0&limit={cut}")
    _, second = fetch(client, f"start={cut}&limit=1")
    assert first[-1][0] == second[0][0]


@pytest.mark.parametrize("limit", [1, 1000])
def test_limit_bounds_are_accepted(client: TestClient, limit: int) -> None:
    assert len(fetch(client, f"limit={limit}")[1]) == min(limit, len(expected(lambda v: True)))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit must be >= 1 and <= 1000"),
        ("limit=1001", "limit must be >= 1 and <= 1000"),
        ("limit=-5", "limit must be >= 1 and <= 1000"),
        ("limit=abc", "limit must be a number"),
        ("start=-1", "start must be >= 0"),
        ("start=x", "start must be a number"),
        ("page=0", "page must be >= 1"),
        ("page=two", "page must be a number"),
        ("contract_id=", "contract_id must be 1-9 characters"),
        ("contract_id=1234567890", "contract_id must be 1-9 characters"),
        ("contract_id=12a", "contract_id must be 1-9 characters"),
        ("contract_id=12_4", "contract_id must be 1-9 characters"),
        ("reference_id=" + "R" * 26, "reference_id must be 0-25 characters"),
        ("subaccount_id=", "subaccount_id must be 1-100 characters"),
        ("subaccount_id=" + "S" * 101, "subaccount_id must be 1-100 characters"),
        ("subaccount_name=", "subaccount_name must be 1-100 characters"),
        ("subaccount_name=" + "N" * 101, "subaccount_name must be 1-100 characters"),
        ("category=ENERGY", "category must be one of"),
        ("category=fcm+load+obligation", "category must be one of"),
        ("location_id=hub", "location_id must be a number"),
        ("location_id=", "location_id must be a number"),
        ("party_id=-2", "party_id must be a number"),
        ("start_date=2015-08-01", "start_date must be a date in mm/dd/yyyy format"),
        ("start_date=13%2F01%2F2015", "start_date must be a date in mm/dd/yyyy format"),
        ("start_date=02%2F30%2F2015", "start_date must be a date in mm/dd/yyyy format"),
        ("end_date=08%2F01%2F15", "end_date must be a date in mm/dd/yyyy format"),
        ("start_date=09%2F01%2F2015&end_date=08%2F01%2F2015", "is later than end_date"),
    ],
)
def test_parameters_out_of_range_are_400(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"{IBT}/{CUSTOMER}/contractSubaccountMappings?{query}", headers=AUTH)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("Bad Request: ")
    assert message in response.text


def test_contract_id_exact(client: TestClient) -> None:
    contract_id = expected(lambda v: True)[5][0]
    assert check(client, f"contract_id={contract_id}", lambda v: v.contract_id == contract_id) >= 1


@pytest.mark.parametrize("pattern", ["1000*", "%9", "10*5*", "*", "%", "99999*"])
def test_contract_id_wildcards(client: TestClient, pattern: str) -> None:
    check(
        client,
        f"contract_id={pattern.replace('%', '%25')}",
        lambda v: oracle.wildcard(pattern, str(v.contract_id)),
    )


def test_reference_id_exact_wildcard_and_blank(client: TestClient) -> None:
    reference = next(
        v.reference_id for v in oracle.current_versions() if v.customer_id == CUSTOMER and v.reference_id
    )
    assert check(client, f"reference_id={reference}", lambda v: v.reference_id == reference) >= 1
    assert check(client, "reference_id=GRA-*", lambda v: v.reference_id.startswith("GRA-")) >= 1
    assert check(client, "reference_id=%25-GRA-%25", lambda v: "-GRA-" in v.reference_id) >= 1
    # A blank reference_id is allowed (0-25 characters): contracts without a reference ID.
    assert check(client, "reference_id=", lambda v: v.reference_id == "") >= 1


def test_wildcard_matching_is_case_sensitive(client: TestClient) -> None:
    assert check(client, "reference_id=gra-*", lambda v: False) == 0
    assert check(client, "subaccount_id=default", lambda v: False) == 0


def test_subaccount_id_exact_and_wildcard(client: TestClient) -> None:
    assert check(client, "subaccount_id=Default", lambda v: v.subaccount_id == "Default") >= 1
    assert check(client, "subaccount_id=GRA*", lambda v: v.subaccount_id.startswith("GRA")) >= 1
    assert check(client, "subaccount_id=%25A1", lambda v: v.subaccount_id.endswith("A1")) >= 1


def test_subaccount_name_is_the_name_in_force_when_the_period_began(client: TestClient) -> None:
    def named(pattern: str) -> Callable[[Current], bool]:
        return lambda v: oracle.wildcard(
            pattern, oracle.name_at(v.customer_id, v.subaccount_id, v.begin) or ""
        )

    # Customer 5's subaccount PIO2 was renamed "... (renamed)" in 2016: periods before keep the old name.
    assert check(client, "subaccount_name=Default", named("Default"), 5) >= 1
    renamed = check(client, "subaccount_name=*(renamed)", named("*(renamed)"), 5)
    old_name = check(client, "subaccount_name=PIO2 *", named("PIO2 *"), 5)
    assert renamed >= 1 and old_name >= 1
    assert check(client, "subaccount_name=PIO2*", named("PIO2*"), 5) > renamed


@pytest.mark.parametrize(
    "category", ["ENERGY DAY AHEAD", "ENERGY REAL TIME", "LOAD REAL TIME", "FCM LOAD OBLIGATION"]
)
def test_category(client: TestClient, category: str) -> None:
    assert check(client, f"category={category.replace(' ', '+')}", lambda v: v.category == category) >= 1


def test_location_id(client: TestClient) -> None:
    assert check(client, "location_id=4000", lambda v: v.location_id == 4000) >= 1
    assert check(client, "location_id=9999", lambda v: False) == 0


def test_party_id_finds_contracts_with_that_party_as_buyer_or_seller(client: TestClient) -> None:
    assert check(client, "party_id=7", lambda v: 7 in (v.buyer_id, v.seller_id)) >= 1
    # The customer itself is a party to all of its contracts.
    assert check(client, f"party_id={CUSTOMER}", lambda v: True) == len(expected(lambda v: True))


def test_filters_combine(client: TestClient) -> None:
    check(
        client,
        "category=ENERGY+DAY+AHEAD&subaccount_id=Default&start_date=01%2F01%2F2015&end_date=12%2F31%2F2016",
        lambda v: (
            v.category == "ENERGY DAY AHEAD"
            and v.subaccount_id == "Default"
            and v.begin < datetime(2017, 1, 1, 5)
            and v.end > datetime(2015, 1, 1, 5)
        ),
    )


# --- dates: Eastern prevailing time, overlap semantics, DST ------------------------------------------


def overlaps(low: datetime, high: datetime) -> Callable[[Current], bool]:
    return lambda v: v.begin < high and v.end > low


def test_start_date_alone_is_that_eastern_day(client: TestClient) -> None:
    # 03/15/2016 in EDT: 04:00Z to 04:00Z next day.
    assert (
        check(
            client, "start_date=03%2F15%2F2016", overlaps(datetime(2016, 3, 15, 4), datetime(2016, 3, 16, 4))
        )
        >= 1
    )


def test_end_date_alone_is_that_eastern_day(client: TestClient) -> None:
    # 01/10/2016 in EST: 05:00Z to 05:00Z next day.
    assert (
        check(client, "end_date=01%2F10%2F2016", overlaps(datetime(2016, 1, 10, 5), datetime(2016, 1, 11, 5)))
        >= 1
    )


def test_start_and_end_date_cover_the_days_between(client: TestClient) -> None:
    check(
        client,
        "start_date=06%2F01%2F2015&end_date=02%2F29%2F2016",
        overlaps(datetime(2015, 6, 1, 4), datetime(2016, 3, 1, 5)),
    )


def test_a_period_ending_at_eastern_midnight_does_not_overlap_the_next_day(client: TestClient) -> None:
    # Customer 1's August 2015 periods end 2015-09-01T04:00Z, the start of 09/01/2015 Eastern.
    response = client.get(f"{IBT}/1/contractSubaccountMappings?start_date=08%2F31%2F2015")
    assert "<total_record_count>2</total_record_count>" in response.text
    response = client.get(
        f"{IBT}/1/contractSubaccountMappings?start_date=09%2F01%2F2015&end_date=09%2F01%2F2015"
    )
    assert "<total_record_count>2</total_record_count>" in response.text
    assert "<begin>2015-09-01T04:00:00Z</begin>" in response.text
    assert "<begin>2015-08-01T04:00:00Z</begin>" not in response.text


def test_days_around_daylight_saving_changes_use_the_eastern_offset_of_that_day(client: TestClient) -> None:
    # 11/01/2015 (fall back) is 25 hours: 04:00Z to 05:00Z next day; 03/08/2015 (spring forward), 23 hours.
    check(client, "start_date=11%2F01%2F2015", overlaps(datetime(2015, 11, 1, 4), datetime(2015, 11, 2, 5)))
    check(client, "start_date=03%2F08%2F2015", overlaps(datetime(2015, 3, 8, 5), datetime(2015, 3, 9, 4)))
    # A period that ended at 2015-11-01T04:00Z (October in Eastern time) does not touch 11/01/2015.
    assert all(end != datetime(2015, 11, 1, 4) for _, end in _periods(client, "start_date=11%2F01%2F2015"))


def _periods(client: TestClient, query: str) -> list[tuple[datetime, datetime]]:
    response = client.get(f"{IBT}/{CUSTOMER}/contractSubaccountMappings?{query}&limit=1000", headers=AUTH)
    root = etree.fromstring(response.content)
    parse = lambda text: datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    return [
        (parse(v.findtext("c:begin", namespaces=NS)), parse(v.findtext("c:end", namespaces=NS)))
        for v in root.iterfind("c:contract_subaccount_mapping/c:contract_subaccount_mapping_version", NS)
    ]


def test_single_digit_month_and_day_are_accepted(client: TestClient) -> None:
    a = fetch(client, "start_date=8%2F1%2F2015")
    b = fetch(client, "start_date=08%2F01%2F2015")
    assert a == b


def test_first_value_of_a_repeated_parameter_counts_and_unknown_parameters_are_ignored(
    client: TestClient,
) -> None:
    assert fetch(client, "limit=5&limit=50&foo=bar")[1] == expected(lambda v: True)[:5]


def test_a_nul_character_in_a_text_filter_is_a_bad_request(client: TestClient) -> None:
    # No id or name holds one (and PostgreSQL cannot compare it): 400, never a 500.
    for name in ("subaccount_id", "subaccount_name", "reference_id", "contract_id", "start_date"):
        answer = client.get(f"{IBT}/1/contractSubaccountMappings", params={name: "A\x00"})
        assert answer.status_code == 400, name
        assert answer.text.startswith("Bad Request: ")
