"""Every SingleZip report, in both formats: the XML is valid against OASISReport_v1.xsd and carries
the same data items, resources and values as the CSV."""

from __future__ import annotations

from collections import Counter

import pytest

from isosim.caiso.oasis.catalogue import SINGLE_REPORTS
from tests.caiso.oasis.conftest import NS, ONE_DAY, fetch

PARAMS = {
    "PRC_LMP": {"market_run_id": "DAM", "node": "TH_NP15_GEN-APND,PACE_ELAP-APND"},
    "PRC_INTVL_LMP": {"market_run_id": "RTM", "node": "TH_SP15_GEN-APND"},
    "PRC_RTPD_LMP": {"market_run_id": "RTPD", "node": "TH_SP15_GEN-APND"},
    "PRC_HASP_LMP": {"market_run_id": "HASP", "node": "DLAP_SDGE-APND"},
    "PRC_SPTIE_LMP": {"market_run_id": "RTD", "grp_type": "ALL"},
    "PRC_AS": {"market_run_id": "HASP", "anc_type": "ALL", "anc_region": "ALL"},
    "SLD_FCST": {"market_run_id": "RTM", "execution_type": "RTPD"},
    "ENE_SLRS": {"market_run_id": "RUC"},
    "ENE_WIND_SOLAR_SUMMARY": {},
    "SLD_FCST_PEAK": {},
    "SLD_REN_FCST": {"market_run_id": "ACTUAL"},
    "ATL_PNODE": {},
}


def test_every_report_has_a_case_here():
    assert set(PARAMS) == set(SINGLE_REPORTS)


@pytest.mark.parametrize("queryname", sorted(PARAMS))
def test_xml_and_csv_agree(oasis, queryname):
    report = SINGLE_REPORTS[queryname]
    query = {"queryname": queryname, "version": str(report.latest_version()), **ONE_DAY, **PARAMS[queryname]}
    csv_answer = fetch(oasis, resultformat="6", **query)
    xml_answer = fetch(oasis, **query)
    assert xml_answer.names[0].endswith(
        f"_{queryname}_{query.get('market_run_id', report.default_market)}_"
        f"20261120_12_00_00_v{report.latest_version()}.xml"
    )
    if "INTERVALSTARTTIME_GMT" not in report.columns:  # a listing: one row per resource
        rows = [row for name in csv_answer.names for row in csv_answer.rows(name)]
        resources = {d.text for d in xml_answer.document().iterfind(".//o:RESOURCE_NAME", NS)}
        assert {row[report.columns[0]] for row in rows} == resources and resources
        return
    csv_values = Counter()
    for name in csv_answer.names:
        assert csv_answer.header(name) == list(report.columns)
        for row in csv_answer.rows(name):
            csv_values[(row["XML_DATA_ITEM"], row["INTERVALSTARTTIME_GMT"], row[report.value_column])] += 1
    root = xml_answer.document()
    xml_values = Counter(
        (
            d.findtext("o:DATA_ITEM", namespaces=NS),
            d.findtext("o:INTERVAL_START_GMT", namespaces=NS),
            d.findtext("o:VALUE", namespaces=NS),
        )
        for d in root.iterfind(".//o:REPORT_DATA", NS)
    )
    assert xml_values == csv_values and csv_values
    for header in root.iterfind(".//o:REPORT_HEADER", NS):
        assert header.findtext("o:REPORT", namespaces=NS) == queryname
