"""OASIS errors: HTTP 200 with a zip holding INVALID_REQUEST.xml, an `m:`-prefixed OASISReport whose
RTO carries ERR_CODE and ERR_DESC."""

from __future__ import annotations

import pytest

from tests.caiso.oasis.conftest import HOST, ONE_DAY, fetch, lmp

BASE = {
    "queryname": "PRC_LMP",
    "version": "12",
    "market_run_id": "DAM",
    "node": "TH_NP15_GEN-APND",
    **ONE_DAY,
}


def test_error_zip_holds_invalid_request_xml_with_the_m_prefix(oasis):
    answer = fetch(oasis, **{**BASE, "queryname": "NO_SUCH_REPORT"})
    assert answer.response.headers["content-disposition"] == "inline; filename=INVALID_REQUEST.xml.zip;"
    raw = answer.archive.read("INVALID_REQUEST.xml").decode()
    assert '<m:OASISReport xmlns:m="http://www.caiso.com/soa/OASISReport_v1.xsd">' in raw
    assert answer.error() == (1005, "Report name does not exist, please check the queryname")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"node": "NO_SUCH_NODE"}, 1000),
        ({"market_run_id": "RTM"}, 1000),  # PRC_LMP has no RTM run
        ({"startdatetime": "20260101T08:00-0000", "enddatetime": "20260101T08:00-0000"}, 1000),
        ({"startdatetime": "2026-11-10T08:00"}, 1002),
        ({"enddatetime": "20261310T08:00-0000"}, 1002),
        ({"startdatetime": None}, 1002),
        ({"startdatetime": "20261001T07:00-0000", "enddatetime": "20261102T08:00-0000"}, 1004),
        ({"queryname": "PRC_NO_SUCH"}, 1005),
        ({"queryname": None}, 1005),
        ({"startdatetime": "20230101T08:00-0000", "enddatetime": "20230102T08:00-0000"}, 1014),
        ({"node": ",".join(f"NODE{i}" for i in range(11))}, 1017),
        ({"version": None}, 1020),
        ({"version": "7"}, 1020),
        ({"version": "twelve"}, 1020),
    ],
)
def test_singlezip_error_codes(oasis, change, code):
    params = {k: v for k, v in {**BASE, **change}.items() if v is not None}
    assert fetch(oasis, **params).error()[0] == code


def test_a_query_with_no_parameters_is_empty(oasis):
    assert fetch(oasis).error() == (1011, "Empty query")


def test_errors_come_as_xml_even_when_csv_was_asked_for(oasis):
    assert lmp(oasis, node="NO_SUCH_NODE").error()[0] == 1000


def test_other_methods_and_paths_are_http_errors(oasis):
    assert oasis.post("/oasisapi/SingleZip", headers=HOST).status_code == 405
    missing = oasis.get("/oasisapi/NoSuchZip", headers=HOST)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/plain")
