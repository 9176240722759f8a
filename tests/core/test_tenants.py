"""Tenants: `X-Isosim-Tenant: <name>` gives a caller its own copy of the pack's state, made on first
use and reset on its own, so that parallel CI jobs can share one server."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import IBT, post_sample

HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"
POSTED = "2015-07-11T12:01:22Z"


def tenant(name: str) -> dict[str, str]:
    return {"X-Isosim-Tenant": name}


def test_two_tenants_never_see_each_others_writes(client: TestClient) -> None:
    assert post_sample(client, headers=tenant("job-a")).status_code == 200
    assert POSTED in client.get(HISTORY, headers=tenant("job-a")).text
    assert POSTED not in client.get(HISTORY, headers=tenant("job-b")).text
    assert POSTED not in client.get(HISTORY).text  # nor does the shared state
    assert post_sample(client).status_code == 200
    assert POSTED not in client.get(HISTORY, headers=tenant("job-b")).text


def test_a_tenant_is_made_on_first_use_from_the_pack(client: TestClient) -> None:
    client.post("/_isosim/reset", headers=tenant("fresh-1"))
    assert client.delete("/_isosim/tenants/fresh-1").status_code == 200
    assert "fresh-1" not in client.get("/_isosim/tenants").json()["isone-sandbox"]
    assert client.get(HISTORY, headers=tenant("fresh-1")).content == client.get(HISTORY).content
    assert "fresh-1" in client.get("/_isosim/tenants").json()["isone-sandbox"]


def test_a_tenant_is_reset_on_its_own(client: TestClient) -> None:
    post_sample(client, headers=tenant("job-a"))
    post_sample(client, headers=tenant("job-b"))
    assert client.post("/_isosim/reset", headers=tenant("job-a")).json()["tenant"] == "job-a"
    assert POSTED not in client.get(HISTORY, headers=tenant("job-a")).text
    assert POSTED in client.get(HISTORY, headers=tenant("job-b")).text
    client.post("/_isosim/reset?tenant=job-b")
    assert POSTED not in client.get(HISTORY, headers=tenant("job-b")).text


def test_a_reset_without_tenant_leaves_tenants_alone(client: TestClient) -> None:
    post_sample(client, headers=tenant("job-a"))
    client.post("/_isosim/reset")
    assert POSTED in client.get(HISTORY, headers=tenant("job-a")).text
    client.post("/_isosim/reset", headers=tenant("job-a"))


def test_a_dropped_tenant_starts_again_from_the_pack(client: TestClient) -> None:
    post_sample(client, headers=tenant("job-c"))
    assert client.delete("/_isosim/tenants/job-c").json()["packs"] == ["isone-sandbox"]
    assert client.delete("/_isosim/tenants/job-c").status_code == 404
    assert POSTED not in client.get(HISTORY, headers=tenant("job-c")).text


def test_the_control_api_refuses_a_malformed_tenant_name(client: TestClient) -> None:
    for name in ("a b", "-lead", "a~b"):
        assert client.post("/_isosim/reset", params={"tenant": name}).status_code == 422
        assert client.post("/_isosim/reset", headers=tenant(name)).status_code == 422
        assert client.get("/_isosim/snapshot", params={"tenant": name}).status_code == 422
    assert client.get("/_isosim/tenants").json()["isone-sandbox"] == []


def test_a_malformed_tenant_name_is_the_services_400(client: TestClient) -> None:
    for name in ("", "a b", "x" * 65, "-lead", "a~b", "a/b"):
        response = client.get(HISTORY, headers=tenant(name))
        assert response.status_code == 400, name
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text.startswith("Bad Request: X-Isosim-Tenant must be")


def _held(client: TestClient) -> set[str]:
    return {name for names in client.get("/_isosim/tenants").json().values() for name in names}


def test_a_new_tenant_beyond_the_cap_is_refused_in_the_services_format(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("cap-a", "cap-b", "cap-c"):
        client.delete(f"/_isosim/tenants/{name}")
    settings = client.app.state.runtime.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "max_tenants", len(_held(client)) + 1)
    assert client.get(HISTORY, headers=tenant("cap-a")).status_code == 200
    refused = client.get(HISTORY, headers=tenant("cap-b"))
    assert refused.status_code == 507 and refused.headers["content-type"].startswith("text/plain")
    assert "ISOSIM_MAX_TENANTS" in refused.text and "Traceback" not in refused.text
    oasis = client.get(
        "/env/caiso-production/oasisapi/SingleZip",
        params={
            "queryname": "PRC_LMP",
            "market_run_id": "DAM",
            "version": "12",
            "node": "TH_NP15_GEN-APND",
            "startdatetime": "20261118T08:00-0000",
            "enddatetime": "20261119T08:00-0000",
        },
        headers=tenant("cap-b"),
    )
    assert oasis.status_code == 507
    assert client.post("/_isosim/reset", headers=tenant("cap-c")).status_code == 507
    assert "cap-b" not in _held(client) and "cap-c" not in _held(client)
    # A tenant that holds state is not new: it goes on in every pack.
    assert client.get(HISTORY, headers=tenant("cap-a")).status_code == 200
    assert client.post("/_isosim/reset", headers=tenant("cap-a")).status_code == 200
    client.delete("/_isosim/tenants/cap-a")
    assert client.get(HISTORY, headers=tenant("cap-b")).status_code == 200
    client.delete("/_isosim/tenants/cap-b")


def test_a_snapshot_cannot_bring_more_tenants_than_the_cap(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get(HISTORY, headers=tenant("snap-a"))
    document = client.get("/_isosim/snapshot?tenant=snap-a").json()
    realm = document["realms"].pop("isone-sandbox~snap-a")
    document["realms"].update({f"isone-sandbox~snap-{n}": realm for n in range(3)})
    client.delete("/_isosim/tenants/snap-a")
    settings = client.app.state.runtime.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "max_tenants", len(_held(client)) + 2)
    response = client.put("/_isosim/snapshot", json=document)
    assert response.status_code == 507 and not {"snap-0", "snap-1", "snap-2"} & _held(client)


# --- copy on write: a tenant that only reads costs one row; its first write copies the pack ----------


def _rows_of(client: TestClient, realm: str) -> int:
    from sqlalchemy import text

    from isosim.services import STATE_MODELS

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.engine.connect() as conn:
        return sum(
            conn.execute(text(f'SELECT count(*) FROM "{t.name}" WHERE realm = :r'), {"r": realm}).scalar_one()
            for model in STATE_MODELS
            for t in model.tables
        )


def _tables(client: TestClient, pack: str, tenant: str | None = None) -> dict:
    query = f"/_isosim/snapshot?pack={pack}" + (f"&tenant={tenant}" if tenant else "")
    realms = client.get(query).json()["realms"]
    return realms[f"{pack}~{tenant}" if tenant else pack]["tables"]


def test_a_tenant_that_only_reads_shares_the_pack_and_holds_no_rows(client: TestClient) -> None:
    client.delete("/_isosim/tenants/reader")
    assert client.get(HISTORY, headers=tenant("reader")).content == client.get(HISTORY).content
    assert "reader" in client.get("/_isosim/tenants").json()["isone-sandbox"]
    assert _rows_of(client, "isone-sandbox~reader") == 0
    assert _tables(client, "isone-sandbox", "reader") == _tables(client, "isone-sandbox")  # exports whole
    assert client.post("/_isosim/reset", headers=tenant("reader")).status_code == 200
    assert _rows_of(client, "isone-sandbox~reader") == 0
    assert post_sample(client, headers=tenant("reader")).status_code == 200
    assert _rows_of(client, "isone-sandbox~reader") > 0  # its first write copied the pack
    assert POSTED in client.get(HISTORY, headers=tenant("reader")).text
    assert POSTED not in client.get(HISTORY).text
    client.delete("/_isosim/tenants/reader")


def test_a_tenants_writes_never_reach_what_other_tenants_share(client: TestClient) -> None:
    from isosim.caiso.b2b import spec
    from tests.caiso.b2b.conftest import call, sample_record, submission
    from tests.caiso.oasis.conftest import fetch

    for name in ("writer", "fresh"):
        client.delete(f"/_isosim/tenants/{name}")
    client.put("/_isosim/clock", json={"frozen_at": "2026-11-18T18:00:00Z"})
    assert post_sample(client, headers=tenant("writer")).status_code == 200
    bid = call(
        client,
        "SubmitRawBidSet_SIBRv4_AP",
        submission("SubmitRawBidSet_SIBRv4_AP", [sample_record(spec.dataset("RawBid"))]),
        tenant="writer",
    )
    assert bid.status_code == 200, bid.text
    group = {"groupid": "PUB_DAM_GRP", "version": "3", "resultformat": "6"}
    window = {"startdatetime": "20260701T07:00-0000", "enddatetime": "20260702T07:00-0000"}
    fetch(client, "GroupZip", headers=tenant("writer"), **group, **window)
    assert _tables(client, "caiso-production", "writer")["caiso_b2b_record"]
    assert _tables(client, "caiso-production", "writer")["oasis_group_request"]
    # A tenant that has only read sees the packs as shipped: no records, no groups (the packs ship none),
    # and what the pack's own realm holds after a reset.
    client.post("/_isosim/reset")
    client.get(HISTORY, headers=tenant("fresh"))
    prices = {"queryname": "PRC_LMP", "market_run_id": "DAM", "version": "12", "node": "TH_NP15_GEN-APND"}
    fetch(client, "SingleZip", headers=tenant("fresh"), **prices, **window)
    for pack in ("isone-sandbox", "caiso-production"):
        assert _tables(client, pack, "fresh") == _tables(client, pack)
    shared = _tables(client, "caiso-production", "fresh")
    assert shared["caiso_b2b_record"] == [] and shared["oasis_group_request"] == []
    assert POSTED not in client.get(HISTORY, headers=tenant("fresh")).text
    for name in ("writer", "fresh"):
        client.delete(f"/_isosim/tenants/{name}")
