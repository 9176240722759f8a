"""OASIS is served where CAISO lists it (Production and MAP Stage); MAP Stage carries Production's
numbers for recent trade dates only."""

from __future__ import annotations

from tests.caiso.oasis.conftest import ONE_DAY, fetch, lmp


def test_map_stage_host_serves_production_numbers(oasis):
    production = lmp(oasis, node="TH_NP15_GEN-APND").rows()
    mapstage = fetch(
        oasis,
        headers={"Host": "oasismap.caiso.com"},
        queryname="PRC_LMP",
        version="12",
        market_run_id="DAM",
        node="TH_NP15_GEN-APND",
        resultformat="6",
        **ONE_DAY,
    )
    assert mapstage.rows() == production


def test_map_stage_keeps_60_days(oasis):
    old = {"startdatetime": "20260801T07:00-0000", "enddatetime": "20260802T07:00-0000"}
    assert lmp(oasis, node="TH_NP15_GEN-APND", **old).rows()  # production still has it
    mapstage = fetch(
        oasis,
        headers={"Host": "oasismap.caiso.com"},
        queryname="PRC_LMP",
        version="12",
        market_run_id="DAM",
        node="TH_NP15_GEN-APND",
        **old,
    )
    assert mapstage.error()[0] == 1014


def test_the_env_prefix_reaches_oasis_too(oasis):
    response = oasis.get(
        "/env/caiso-production/oasisapi/SingleZip",
        params={
            "queryname": "PRC_LMP",
            "version": "12",
            "node": "TH_NP15_GEN-APND",
            "market_run_id": "DAM",
            **ONE_DAY,
        },
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-zip-compressed"


def test_environments_without_oasis_answer_404(oasis):
    for pack in ("caiso-sandbox", "caiso-production-ecn", "isone-sandbox"):
        response = oasis.get(f"/env/{pack}/oasisapi/SingleZip", params={"queryname": "PRC_LMP"})
        assert response.status_code == 404, pack
        assert pack in response.text
