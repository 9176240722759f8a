"""SingleZip answers are always a zip, named and laid out as OASIS names and lays them out."""

from __future__ import annotations

import re

from tests.caiso.oasis.conftest import NS, ONE_DAY, fetch, lmp

PRC_LMP_COLUMNS = [
    "INTERVALSTARTTIME_GMT",
    "INTERVALENDTIME_GMT",
    "OPR_DT",
    "OPR_HR",
    "OPR_INTERVAL",
    "NODE_ID_XML",
    "NODE_ID",
    "NODE",
    "MARKET_RUN_ID",
    "LMP_TYPE",
    "XML_DATA_ITEM",
    "PNODE_RESMRID",
    "GRP_TYPE",
    "POS",
    "MW",
    "GROUP",
]


def test_csv_is_one_file_per_lmp_component_named_after_the_query(oasis):
    answer = lmp(oasis, node="TH_NP15_GEN-APND")
    assert answer.names == [
        f"20261110_20261111_PRC_LMP_DAM_{component}_v12.csv"
        for component in ("LMP", "MCE", "MCC", "MCL", "MGHG")
    ]
    for name in answer.names:
        assert answer.header(name) == PRC_LMP_COLUMNS
    assert {row["LMP_TYPE"] for row in answer.rows(answer.names[2])} == {"MCC"}


def test_zip_disposition_names_query_market_stamp_and_version(oasis):
    answer = lmp(oasis, node="TH_NP15_GEN-APND")
    # The stamp is the (simulated) time of the request, Pacific: 2026-11-20 12:00:00.
    assert answer.response.headers["content-disposition"] == (
        "inline; filename=20261110_20261111_PRC_LMP_DAM_20261120_12_00_00_v12.zip;"
    )


def test_xml_is_the_default_format_with_the_oasis_default_namespace(oasis):
    answer = fetch(
        oasis, queryname="PRC_LMP", version="12", market_run_id="DAM", node="TH_SP15_GEN-APND", **ONE_DAY
    )
    assert answer.names == ["20261110_20261111_PRC_LMP_DAM_20261120_12_00_00_v12.xml"]
    raw = answer.archive.read(answer.names[0]).decode()
    assert raw.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<OASISReport xmlns="http://www.caiso.com/soa/OASISReport_v1.xsd">'
    )
    root = answer.document()  # valid against the project's OASISReport_v1.xsd
    assert root.findtext("o:MessageHeader/o:Source", namespaces=NS) == "OASIS"
    items = root.findall(".//o:REPORT_ITEM", NS)
    assert [i.findtext("o:REPORT_DATA/o:DATA_ITEM", namespaces=NS) for i in items] == [
        "LMP_PRC",
        "LMP_ENE_PRC",
        "LMP_CONG_PRC",
        "LMP_LOSS_PRC",
        "LMP_GHG_PRC",
    ]
    header = items[0].find("o:REPORT_HEADER", NS)
    assert [
        header.findtext(f"o:{tag}", namespaces=NS)
        for tag in ("SYSTEM", "TZ", "REPORT", "MKT_TYPE", "UOM", "INTERVAL", "SEC_PER_INTERVAL")
    ] == [
        "OASIS",
        "PPT",
        "PRC_LMP",
        "DAM",
        "US$/MWh",
        "ENDING",
        "3600",
    ]
    data = items[0].findall("o:REPORT_DATA", NS)
    assert len(data) == 24
    assert data[0].findtext("o:INTERVAL_START_GMT", namespaces=NS) == "2026-11-10T08:00:00-00:00"
    assert data[0].findtext("o:OPR_DATE", namespaces=NS) == "2026-11-10"
    assert root.find(".//o:DISCLAIMER_ITEM/o:DISCLAIMER", NS) is not None


def test_xml_and_csv_carry_the_same_numbers(oasis):
    csv_rows = lmp(oasis, node="DLAP_SCE-APND").rows()
    xml_answer = fetch(
        oasis, queryname="PRC_LMP", version="12", market_run_id="DAM", node="DLAP_SCE-APND", **ONE_DAY
    )
    item = xml_answer.document().findall(".//o:REPORT_ITEM", NS)[0]
    xml_values = [d.findtext("o:VALUE", namespaces=NS) for d in item.findall("o:REPORT_DATA", NS)]
    assert xml_values == [row["MW"] for row in csv_rows]


def test_timestamps_are_gmt_with_an_explicit_offset(oasis):
    for row in lmp(oasis, node="TH_NP15_GEN-APND").rows():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:00:00-00:00", row["INTERVALSTARTTIME_GMT"])


def test_parameter_names_are_case_insensitive(oasis):
    upper = fetch(
        oasis,
        QUERYNAME="PRC_LMP",
        VERSION="12",
        MARKET_RUN_ID="DAM",
        NODE="TH_NP15_GEN-APND",
        RESULTFORMAT="6",
        STARTDATETIME=ONE_DAY["startdatetime"],
        ENDDATETIME=ONE_DAY["enddatetime"],
    )
    assert upper.rows() == lmp(oasis, node="TH_NP15_GEN-APND").rows()


def test_large_answers_are_streamed_not_sized_up_front(oasis):
    answer = lmp(oasis, grp_type="ALL_APNODES")
    assert "content-length" not in answer.response.headers  # chunked: produced while it is sent
    assert len(answer.rows()) > 200 * 24
