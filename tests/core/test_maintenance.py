"""Maintenance windows: a pack that declares them answers 503 (with the service's own error body and a
Retry-After) during them, judged by the simulated clock. CAISO MAP Stage, per seed 004: daily 4:00 PM
to 9:00 AM Pacific, weekly Monday 7:00 AM to Tuesday 9:00 AM."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from isosim.core.settings import BUILTIN_PACK_DIR
from tests.caiso.soap.conftest import fault
from tests.conftest import IBT, make_client

MAP_STAGE = {"Host": "wsmap.caiso.com"}


def at(client: TestClient, instant: str) -> None:
    assert client.put("/_isosim/clock", json={"frozen_at": instant}).status_code == 200


@pytest.mark.parametrize(
    ("instant", "until"),
    [
        ("2026-11-25T15:59:59-08:00", None),  # Wednesday 3:59:59 PM Pacific: open
        ("2026-11-25T16:00:00-08:00", "2026-11-26T17:00:00Z"),  # Wednesday 4 PM: closed until 9 AM
        ("2026-11-26T08:59:59-08:00", "2026-11-26T17:00:00Z"),
        ("2026-11-26T09:00:00-08:00", None),  # Thursday 9 AM: open
        ("2026-11-23T10:00:00-08:00", "2026-11-24T17:00:00Z"),  # Monday 10 AM: the weekly window
        ("2026-11-22T20:00:00-08:00", "2026-11-24T17:00:00Z"),  # Sunday night runs into the weekly one
        ("2026-11-24T09:00:00-08:00", None),  # Tuesday 9 AM: open
        ("2026-07-15T12:00:00-07:00", None),  # daylight time: noon on a Wednesday is open
        ("2026-07-15T16:30:00-07:00", "2026-07-16T16:00:00Z"),  # 9 AM PDT is 16:00Z
    ],
)
def test_map_stage_opens_and_closes_with_the_simulated_clock(
    client: TestClient, instant: str, until: str | None
) -> None:
    at(client, instant)
    response = client.get("/sst/cmri/anything", headers=MAP_STAGE)
    if until is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 503
        # In the SOAP service's own words: a fault whose text names the window's end.
        assert fault(response)[1] == f"MAP Stage is in a maintenance window until {until}"
        assert int(response.headers["retry-after"]) > 0


def test_the_window_moves_with_the_clock(client: TestClient) -> None:
    at(client, "2026-11-25T15:59:58-08:00")
    assert client.get("/sst/cmri/x", headers=MAP_STAGE).status_code == 404
    at(client, "2026-11-25T16:00:00-08:00")
    assert client.get("/sst/cmri/x", headers=MAP_STAGE).status_code == 503
    client.put("/_isosim/clock", json={"at": "2026-11-26T08:59:59.5-08:00", "rate": 1})
    assert client.get("/sst/cmri/x", headers=MAP_STAGE).status_code == 503
    at(client, "2026-11-26T09:00:00-08:00")
    assert client.get("/sst/cmri/x", headers=MAP_STAGE).status_code == 404


def test_other_environments_and_the_control_api_stay_up(client: TestClient) -> None:
    at(client, "2026-11-25T20:00:00-08:00")
    assert client.get("/sst/cmri/x", headers={"Host": "ws.caiso.com"}).status_code == 404
    assert client.get(f"{IBT}/1/subaccounts").status_code == 200
    assert client.get("/_isosim/health").status_code == 200
    assert client.get("/env/caiso-mapstage/sst/cmri/x").status_code == 503


def test_a_setting_turns_windows_off(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = make_client(fresh_app(maintenance=False))
    at(client, "2026-11-25T20:00:00-08:00")
    assert client.get("/sst/cmri/x", headers=MAP_STAGE).status_code == 404


def test_a_service_in_maintenance_answers_with_its_own_error_body(fresh_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "packs" / "isone-sandbox"
    shutil.copytree(BUILTIN_PACK_DIR / "isone-sandbox", folder)
    manifest = folder / "pack.toml"
    manifest.write_text(
        manifest.read_text().replace(
            "[settings]\n",
            '[settings.maintenance]\ntimezone = "America/New_York"\n'
            'daily = [{ start = "02:00", end = "03:00" }]\n',
        )
    )
    client = make_client(fresh_app(pack_dirs=[tmp_path / "packs"], packs=["isone-sandbox"]))
    at(client, "2026-11-25T02:30:00-05:00")
    response = client.get(f"{IBT}/1/subaccounts")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/plain")
    assert (
        response.text == "Service Unavailable: Sandbox is in a maintenance window until 2026-11-25T08:00:00Z"
    )
    at(client, "2026-11-25T03:00:00-05:00")
    assert client.get(f"{IBT}/1/subaccounts").status_code == 200
