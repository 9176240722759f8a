"""Snapshots: export the current state as a file and import it back, all or nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import IBT, make_client, post_sample

HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"


def test_export_then_import_restores_the_exported_state(client: TestClient) -> None:
    post_sample(client)
    after_post = client.get(HISTORY).content
    response = client.get("/_isosim/snapshot?pack=isone-sandbox")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="isosim-snapshot-')
    snapshot = response.json()
    assert snapshot["format"] == "isosim-snapshot/1" and list(snapshot["realms"]) == ["isone-sandbox"]
    client.post("/_isosim/reset")
    assert client.get(HISTORY).content != after_post
    assert client.put("/_isosim/snapshot", json=snapshot).json() == {"restored": ["isone-sandbox"]}
    assert client.get(HISTORY).content == after_post
    assert client.get(f"{IBT}/1/contractSubaccountMappings?limit=1000").status_code == 200


def test_a_snapshot_moves_state_to_another_server(client: TestClient, fresh_app) -> None:  # type: ignore[no-untyped-def]
    post_sample(client, headers={"X-Isosim-Tenant": "snap"})
    snapshot = client.get("/_isosim/snapshot?tenant=snap").json()
    assert list(snapshot["realms"]) == ["isone-sandbox~snap"]
    other = make_client(fresh_app())
    assert other.put("/_isosim/snapshot", json=snapshot).status_code == 200
    assert (
        other.get(HISTORY, headers={"X-Isosim-Tenant": "snap"}).content
        == client.get(HISTORY, headers={"X-Isosim-Tenant": "snap"}).content
    )
    client.post("/_isosim/reset?tenant=snap")


def test_a_broken_snapshot_is_refused_and_changes_nothing(client: TestClient) -> None:
    post_sample(client)
    before = client.get(HISTORY).content
    good = client.get("/_isosim/snapshot?pack=isone-sandbox").json()
    rows = good["realms"]["isone-sandbox"]["tables"]["ibt_mapping_version"]
    broken_cases = [
        {"format": "something else"},
        {"format": "isosim-snapshot/1", "realms": {"nowhere": {"pack": "nope", "tables": {}}}},
        {
            "format": "isosim-snapshot/1",
            "realms": {"isone-sandbox": {"pack": "isone-sandbox", "tables": {"x": []}}},
        },
        {
            "format": "isosim-snapshot/1",
            "realms": {
                "isone-sandbox": {
                    "pack": "isone-sandbox",
                    "tables": {
                        **good["realms"]["isone-sandbox"]["tables"],
                        "ibt_mapping_version": [*rows, {"bogus": 1}],
                    },
                }
            },
        },
        {
            "format": "isosim-snapshot/1",
            "realms": {
                "isone-sandbox": {
                    "pack": "isone-sandbox",
                    "tables": {
                        **good["realms"]["isone-sandbox"]["tables"],
                        "ibt_mapping_version": [*rows, {**rows[0], "begin": "not a date"}],
                    },
                }
            },
        },
    ]
    for broken in broken_cases:
        response = client.put("/_isosim/snapshot", json=broken)
        assert response.status_code == 400, broken
        assert client.get(HISTORY).content == before
