"""GroupZip: the first request for a group starts its assembly (error 1015); a later poll gets the
file. What has been assembled is state: per tenant, cleared by a reset."""

from __future__ import annotations

from tests.caiso.oasis.conftest import fetch

# Public bids are published 90 days after the trading day.
OLD_DAY = {"startdatetime": "20260701T07:00-0000", "enddatetime": "20260702T07:00-0000"}


def _group(client, groupid: str = "PUB_DAM_GRP", headers=None, **params):  # type: ignore[no-untyped-def]
    query = {"groupid": groupid, "version": "3", "resultformat": "6", **OLD_DAY, **params}
    return fetch(client, "GroupZip", headers=headers, **query)


def test_first_request_starts_assembly_and_a_later_poll_gets_the_file(oasis):
    assert _group(oasis).error() == (1015, "GroupZip download is in processing, please submit request later")
    answer = _group(oasis)
    assert answer.names == ["20260701_20260702_PUB_BID_DAM_v3.csv"]
    rows = answer.rows()
    assert {r["RESOURCE_TYPE"] for r in rows} == {"GENERATOR", "LOAD", "INTERTIE"}
    assert {r["MARKETPRODUCTTYPE"] for r in rows} >= {"EN", "RU", "SR"}
    assert {r["SCH_BID_CURVETYPE"] for r in rows} == {"BIDPRICE"}
    assert {r["TIMEINTERVALSTART_GMT"][:10] for r in rows} <= {"2026-07-01", "2026-07-02"}
    assert _group(oasis).rows() == rows  # later polls get the same file


def test_each_window_and_format_is_assembled_separately(oasis):
    assert _group(oasis).error()[0] == 1015
    assert _group(oasis, resultformat="5").error()[0] == 1015
    assert (
        _group(oasis, startdatetime="20260702T07:00-0000", enddatetime="20260703T07:00-0000").error()[0]
        == 1015
    )


def test_rtm_group_and_lmp_groups(oasis):
    assert _group(oasis, "PUB_RTM_GRP").error()[0] == 1015
    assert _group(oasis, "PUB_RTM_GRP").names == ["20260701_20260702_PUB_BID_RTM_v3.csv"]
    assert _group(oasis, "DAM_LMP_GRP", version="12").error()[0] == 1015
    answer = _group(oasis, "DAM_LMP_GRP", version="12")
    assert len(answer.names) == 5 and answer.names[0].endswith("_PRC_LMP_DAM_LMP_v12.csv")
    assert len({r["NODE"] for r in answer.rows()}) > 200


def test_recent_bids_are_not_public_yet(oasis):
    recent = {"startdatetime": "20261101T07:00-0000", "enddatetime": "20261102T07:00-0000"}
    assert _group(oasis, **recent).error()[0] == 1015
    assert _group(oasis, **recent).error()[0] == 1000


def test_unknown_group_and_bad_version(oasis):
    assert _group(oasis, "NO_SUCH_GRP").error()[0] == 1016
    assert _group(oasis, version="9").error()[0] == 1020
    assert fetch(oasis, "GroupZip").error()[0] == 1011


def test_assembly_belongs_to_the_tenant_and_a_reset_forgets_it(oasis):
    assert _group(oasis).error()[0] == 1015
    assert _group(oasis, headers={"X-Isosim-Tenant": "other"}).error()[0] == 1015
    assert _group(oasis).names[0].endswith(".csv")
    assert oasis.post("/_isosim/reset").status_code == 200
    assert _group(oasis).error()[0] == 1015
