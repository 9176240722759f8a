"""Spec 2.1 as a property: whatever batch of valid and invalid mappings a POST carries, afterwards
the stored state is either exactly the state before (400) or the state before with the whole batch
applied (200): every named period current at its requested subaccount, a new version for exactly
the periods that changed, and nothing else touched."""

from __future__ import annotations

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import IBT, IBT_CONTENT_TYPE, as_customer
from tests.core.test_reset import subaccounts_of, versions_of, z
from tests.isone.ibt.test_contract_subaccount_mappings_post import document, mapping

CUSTOMER = 4
MAPPINGS = "ibt_mapping_version"


def rows(client: TestClient) -> list[dict]:  # type: ignore[type-arg]
    snapshot = client.get("/_isosim/snapshot?pack=isone-sandbox").json()
    return snapshot["realms"]["isone-sandbox"]["tables"][MAPPINGS]


def current(table: list[dict]) -> dict[tuple[int, int, str], str]:  # type: ignore[type-arg]
    return {
        (r["customer_id"], r["contract_id"], r["begin"]): r["subaccount_id"] for r in table if r["current"]
    }


@st.composite
def entries(draw):  # type: ignore[no-untyped-def]
    """One period of one contract, mostly valid; sometimes an unknown subaccount, a period that is
    not a month of the contract, or a contract that is not the customer's."""
    v = draw(st.sampled_from(versions_of(CUSTOMER)))
    begin, end = z(v.begin), z(v.end)
    contract_id = v.contract_id
    subaccount = draw(st.sampled_from(subaccounts_of(CUSTOMER)))  # includes "NOPE", unknown
    flaw = draw(st.sampled_from(["none"] * 6 + ["period", "contract"]))
    if flaw == "period":
        end = begin
    elif flaw == "contract":
        contract_id = 999999  # customer 1's contract
    return contract_id, begin, end, subaccount


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(entries(), min_size=1, max_size=5, unique_by=lambda e: e[0]))
def test_a_post_applies_its_whole_batch_or_nothing(client: TestClient, batch) -> None:  # type: ignore[no-untyped-def]
    before = rows(client)
    body = document(*(mapping(c, [(b, e, s)], customer_id=CUSTOMER) for c, b, e, s in batch))
    response = client.post(
        f"{IBT}/{CUSTOMER}/contractSubaccountMappings",
        content=body,
        headers={"Content-Type": IBT_CONTENT_TYPE, **as_customer(CUSTOMER)},
    )
    after = rows(client)
    event(f"HTTP {response.status_code}")  # both outcomes occur: --hypothesis-show-statistics
    if response.status_code == 400:
        assert after == before
        return
    assert response.status_code == 200, response.text
    was, now = current(before), current(after)
    requested = {(CUSTOMER, c, b.replace("Z", "")): s for c, b, _, s in batch}
    changed = {key for key, subaccount in requested.items() if was[key] != subaccount}
    assert now == {**was, **requested}
    assert len(after) == len(before) + len(changed)
    untouched = [r for r in before if (r["customer_id"], r["contract_id"], r["begin"]) not in changed]
    assert all(r in after for r in untouched)


def test_the_property_sees_both_outcomes(client: TestClient) -> None:
    """The property above can fail: a valid batch changes the state, an invalid one must not."""
    v = versions_of(CUSTOMER)[0]
    other = next(s for s in subaccounts_of(CUSTOMER) if s not in (v.subaccount_id, "NOPE"))
    headers = {"Content-Type": IBT_CONTENT_TYPE, **as_customer(CUSTOMER)}
    before = rows(client)
    bad = document(mapping(v.contract_id, [(z(v.begin), z(v.end), "NOPE")], customer_id=CUSTOMER))
    assert (
        client.post(f"{IBT}/{CUSTOMER}/contractSubaccountMappings", content=bad, headers=headers).status_code
        == 400
    )
    assert rows(client) == before
    good = document(mapping(v.contract_id, [(z(v.begin), z(v.end), other)], customer_id=CUSTOMER))
    assert (
        client.post(f"{IBT}/{CUSTOMER}/contractSubaccountMappings", content=good, headers=headers).status_code
        == 200
    )
    assert rows(client) != before
