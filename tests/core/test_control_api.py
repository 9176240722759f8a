"""The /_isosim control API as far as issue 2 needs it: health, readiness, packs, reset, clock."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/_isosim/health").json() == {"status": "ok"}
    ready = client.get("/_isosim/ready").json()
    assert ready["status"] == "ready"
    assert ready["packs"] == [
        "isone-sandbox",
        "isone-production",
        "caiso-mapstage",
        "caiso-sandbox",
        "caiso-production",
        "caiso-production-ecn",
    ]


def test_packs_lists_the_environment_and_its_hosts(client: TestClient) -> None:
    pack = client.get("/_isosim/packs").json()[0]
    assert pack["name"] == "isone-sandbox" and pack["iso"] == "ISO-NE" and pack["environment"] == "Sandbox"
    assert "sandboxsmd.iso-ne.com" in pack["hosts"] and pack["path_prefix"] == "/env/isone-sandbox"


def test_reset_of_an_unknown_pack_is_404(client: TestClient) -> None:
    assert client.post("/_isosim/reset?pack=nope").status_code == 404
    assert client.post("/_isosim/reset?pack=isone-sandbox").json() == {
        "reset": ["isone-sandbox"],
        "tenant": None,
    }


def test_clock_can_be_frozen_run_faster_and_restored(client: TestClient) -> None:
    frozen = client.put("/_isosim/clock", json={"frozen_at": "2015-07-11T12:01:22Z"}).json()
    assert frozen["mode"] == "frozen" and frozen["now"].startswith("2015-07-11T12:01:22")
    assert client.get("/_isosim/clock").json()["now"] == frozen["now"]
    running = client.put("/_isosim/clock", json={"at": "2030-01-01T00:00:00Z", "rate": 60}).json()
    assert (
        running["mode"] == "shifted"
        and running["rate"] == 60
        and running["now"].startswith("2030-01-01T00:0")
    )
    assert client.put("/_isosim/clock", json={"rate": 0}).status_code == 422
    assert client.put("/_isosim/clock", json={}).json()["mode"] == "real"


def test_openapi_documents_the_control_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/_isosim/health", "/_isosim/ready", "/_isosim/reset", "/_isosim/clock"} <= set(paths)
