"""Reset restores exactly the pack's state, whatever was written before (random batches of valid and
invalid POSTs by several customers, on the base state and on a tenant)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import IBT, IBT_CONTENT_TYPE, as_customer
from tests.isone.ibt import pack_oracle as oracle
from tests.isone.ibt.test_contract_subaccount_mappings_post import document, mapping

CUSTOMERS = (1, 4, 5)


def z(instant) -> str:  # type: ignore[no-untyped-def]
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def versions_of(customer_id: int) -> list[oracle.Current]:
    return [v for v in oracle.current_versions() if v.customer_id == customer_id]


def subaccounts_of(customer_id: int) -> list[str]:
    return [*sorted({sid for cid, sid in oracle.subaccount_names() if cid == customer_id}), "NOPE"]


@st.composite
def writes(draw):  # type: ignore[no-untyped-def]
    customer_id = draw(st.sampled_from(CUSTOMERS))
    chosen = draw(st.lists(st.sampled_from(versions_of(customer_id)), min_size=1, max_size=4))
    body = document(
        *(
            mapping(
                v.contract_id,
                [(z(v.begin), z(v.end), draw(st.sampled_from(subaccounts_of(customer_id))))],
                customer_id=customer_id,
            )
            for v in chosen
        )
    )
    return customer_id, body, draw(st.booleans())


def everything(client: TestClient) -> tuple[object, bytes]:
    """Every row of the pack's realms (base and tenants), exported over HTTP, and one collection."""
    snapshot = client.get("/_isosim/snapshot?pack=isone-sandbox").json()
    collection = client.get(f"{IBT}/4/contractSubaccountMappings?limit=1000", headers=as_customer(4))
    return snapshot, collection.content


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(writes(), min_size=1, max_size=6))
def test_reset_restores_exactly_the_pack_state_after_arbitrary_writes(client: TestClient, batch) -> None:  # type: ignore[no-untyped-def]
    tenant = {"X-Isosim-Tenant": "reset-check"}
    client.post("/_isosim/reset")
    client.post("/_isosim/reset", headers=tenant)
    pristine = everything(client)

    for customer_id, body, on_tenant in batch:
        headers = {
            "Content-Type": IBT_CONTENT_TYPE,
            **as_customer(customer_id),
            **(tenant if on_tenant else {}),
        }
        response = client.post(
            f"{IBT}/{customer_id}/contractSubaccountMappings", content=body, headers=headers
        )
        assert response.status_code in (200, 400)

    client.post("/_isosim/reset")
    client.post("/_isosim/reset", headers=tenant)
    assert everything(client) == pristine


def test_the_comparison_sees_a_write(client: TestClient) -> None:
    """The check above can fail: a stored POST changes what `everything` returns."""
    client.post("/_isosim/reset")
    pristine = everything(client)
    v = versions_of(4)[0]
    other = next(s for s in subaccounts_of(4) if s not in (v.subaccount_id, "NOPE"))
    body = document(mapping(v.contract_id, [(z(v.begin), z(v.end), other)], customer_id=4))
    headers = {"Content-Type": IBT_CONTENT_TYPE, **as_customer(4)}
    assert (
        client.post(f"{IBT}/4/contractSubaccountMappings", content=body, headers=headers).status_code == 200
    )
    assert everything(client) != pristine


def test_reset_undoes_any_kind_of_write_to_any_table(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    """Writes no IBT request makes yet (later services will): rows of every table changed, deleted and
    added, straight in the database. A reset (incremental: only those rows are touched) undoes them."""
    from sqlalchemy import delete, insert, select, update

    from isosim.core import database
    from isosim.core.state import copies
    from isosim.isone.ibt.tables import contract, customer, mapping_version, subaccount_version

    client.post("/_isosim/reset")
    pristine = client.get("/_isosim/snapshot?pack=isone-sandbox").json()
    engine = app.state.runtime.engine
    realm = "isone-sandbox"
    with database.write(engine) as conn:
        assert conn.execute(select(copies.c.shift).where(copies.c.realm == realm)).first() is not None
        mv, c, sv = mapping_version.c, contract.c, subaccount_version.c
        first_id = conn.execute(select(mv.id).where(mv.realm == realm).order_by(mv.id)).scalars().first()
        conn.execute(delete(mapping_version).where(mv.id == first_id))  # a historical row deleted
        conn.execute(update(mapping_version).where(mv.id == first_id + 7).values(subaccount_id="Default"))
        conn.execute(update(contract).where(c.realm == realm, c.contract_id == 999999).values(status="Deny"))
        conn.execute(
            update(subaccount_version).where(sv.realm == realm, sv.customer_id == 1).values(name="x")
        )
        conn.execute(insert(customer).values(realm=realm, customer_id=77, name="Newcomer"))
        conn.execute(
            delete(subaccount_version).where(
                sv.realm == realm, sv.customer_id == 5, sv.subaccount_id == "PIO2"
            )
        )
    assert client.get("/_isosim/snapshot?pack=isone-sandbox").json() != pristine
    client.post("/_isosim/reset")
    assert client.get("/_isosim/snapshot?pack=isone-sandbox").json() == pristine

    # Without a recorded id shift (e.g. after a snapshot import) the reset copies the realm whole.
    with database.write(engine) as conn:
        conn.execute(delete(copies).where(copies.c.realm == realm))
        conn.execute(update(contract).where(contract.c.realm == realm).values(status="Gone"))
    client.post("/_isosim/reset")
    assert client.get("/_isosim/snapshot?pack=isone-sandbox").json() == pristine
