"""PRC_LMP: day-ahead (and RUC) hourly LMP with its components, per node, on Pacific trading days."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from tests.caiso.oasis.conftest import fetch, lmp, money

NODES_CSV = Path(__file__).resolve().parents[3] / "fixtures" / "caiso-production" / "market" / "nodes.csv"
HUBS = ["TH_NP15_GEN-APND", "TH_SP15_GEN-APND", "TH_ZP26_GEN-APND"]
DLAPS = ["DLAP_PGAE-APND", "DLAP_SCE-APND", "DLAP_SDGE-APND", "DLAP_VEA-APND"]


def _pack_nodes(kinds: set[str]) -> set[str]:
    with NODES_CSV.open() as handle:
        return {row["node"] for row in csv.DictReader(handle) if row["kind"] in kinds}


def _by_key(answer, member: int):  # type: ignore[no-untyped-def]
    return {
        (r["NODE"], r["INTERVALSTARTTIME_GMT"]): money(r["MW"]) for r in answer.rows(answer.names[member])
    }


def test_lmp_is_exactly_energy_plus_congestion_plus_loss_plus_ghg(oasis):
    answer = lmp(oasis, node=",".join([*HUBS, *DLAPS, "PACE_ELAP-APND"]))
    total, energy, congestion, loss, ghg = (_by_key(answer, i) for i in range(5))
    assert total.keys() == energy.keys() == congestion.keys() == loss.keys() == ghg.keys()
    for key, value in total.items():
        assert value == energy[key] + congestion[key] + loss[key] + ghg[key], key
    # Energy is system-wide; congestion splits north and south; GHG applies outside California only.
    hour = "2026-11-11T02:00:00-00:00"
    assert len({energy[(node, hour)] for node in [*HUBS, *DLAPS]}) == 1
    assert all(ghg[(node, hour)] == 0 for node in HUBS)
    assert ghg[("PACE_ELAP-APND", hour)] > 0


def test_hubs_and_dlaps_are_served(oasis):
    rows = lmp(oasis, node=",".join([*HUBS, *DLAPS])).rows()
    assert Counter(r["NODE"] for r in rows) == {node: 24 for node in [*HUBS, *DLAPS]}


def test_every_hour_of_a_trading_day_once(oasis):
    rows = lmp(oasis, node="TH_NP15_GEN-APND").rows()
    assert [int(r["OPR_HR"]) for r in rows] == list(range(1, 25))
    assert {r["OPR_DT"] for r in rows} == {"2026-11-10"}
    assert {r["OPR_INTERVAL"] for r in rows} == {"0"}


def test_spring_forward_day_has_23_hours_and_fall_back_day_25(oasis):
    spring = lmp(
        oasis, node="TH_SP15_GEN-APND", startdatetime="20260308T08:00-0000", enddatetime="20260309T07:00-0000"
    )
    assert [int(r["OPR_HR"]) for r in spring.rows()] == list(range(1, 24))
    fall = lmp(
        oasis, node="TH_SP15_GEN-APND", startdatetime="20261101T07:00-0000", enddatetime="20261102T08:00-0000"
    )
    rows = fall.rows()
    assert [int(r["OPR_HR"]) for r in rows] == list(range(1, 26))
    # Hours 2 and 3 are both 01:00-02:00 local, first PDT (08:00Z) then PST (09:00Z).
    assert [rows[1]["INTERVALSTARTTIME_GMT"], rows[2]["INTERVALSTARTTIME_GMT"]] == [
        "2026-11-01T08:00:00-00:00",
        "2026-11-01T09:00:00-00:00",
    ]


def test_a_window_in_another_offset_means_the_same_instants(oasis):
    gmt = lmp(oasis, node="TH_NP15_GEN-APND").rows()
    pacific = lmp(
        oasis, node="TH_NP15_GEN-APND", startdatetime="20261110T00:00-0800", enddatetime="20261111T00:00-0800"
    )
    assert pacific.rows() == gmt


def test_the_same_request_always_gives_the_same_numbers(oasis):
    first = lmp(oasis, node="TH_ZP26_GEN-APND").rows()
    assert lmp(oasis, node="TH_ZP26_GEN-APND").rows() == first
    assert oasis.post("/_isosim/reset").status_code == 200
    assert lmp(oasis, node="TH_ZP26_GEN-APND").rows() == first


def test_prices_have_a_daily_shape_and_differ_between_days(oasis):
    rows = lmp(
        oasis, node="TH_SP15_GEN-APND", startdatetime="20260801T07:00-0000", enddatetime="20260803T07:00-0000"
    ).rows()
    by_day = defaultdict(dict)
    for row in rows:
        by_day[row["OPR_DT"]][int(row["OPR_HR"])] = money(row["MW"])
    for hours in by_day.values():
        assert max(hours[h] for h in (19, 20, 21)) > max(hours[h] for h in (12, 13, 14))  # the evening ramp
    assert by_day["2026-08-01"] != by_day["2026-08-02"]


def test_grp_type_all_apnodes_is_every_aggregated_pricing_node(oasis):
    rows = lmp(oasis, grp_type="ALL_APNODES").rows()
    assert {r["NODE"] for r in rows} == _pack_nodes({"HUB", "DLAP", "APND"})
    assert {r["GRP_TYPE"] for r in rows} == {"ALL_APNODES"}
    assert len(rows) == 24 * len(_pack_nodes({"HUB", "DLAP", "APND"}))


def test_grp_type_all_adds_the_pricing_nodes(oasis):
    nodes = {r["NODE"] for r in lmp(oasis, grp_type="ALL").rows()}
    assert nodes == _pack_nodes({"HUB", "DLAP", "APND", "PNODE"})
    assert len(nodes) > 300


def test_ten_nodes_are_allowed(oasis):
    ten = sorted(_pack_nodes({"APND"}))[:10]
    assert {r["NODE"] for r in lmp(oasis, node=",".join(ten)).rows()} == set(ten)


def test_an_unknown_node_among_known_ones_is_left_out(oasis):
    assert {r["NODE"] for r in lmp(oasis, node="TH_NP15_GEN-APND,NO_SUCH-APND").rows()} == {
        "TH_NP15_GEN-APND"
    }


def test_ruc_is_a_market_run_of_prc_lmp(oasis):
    rows = lmp(oasis, market_run_id="RUC", node="TH_NP15_GEN-APND").rows()
    assert {r["MARKET_RUN_ID"] for r in rows} == {"RUC"} and len(rows) == 24


def test_version_1_is_accepted(oasis):
    answer = lmp(oasis, version="1", node="TH_NP15_GEN-APND")
    assert answer.names[0].endswith("_PRC_LMP_DAM_LMP_v1.csv")


def test_tomorrow_is_published_at_13_00_pacific_the_day_before(oasis):
    tomorrow = {"startdatetime": "20261121T08:00-0000", "enddatetime": "20261122T08:00-0000"}
    before = lmp(oasis, node="TH_NP15_GEN-APND", **tomorrow)
    assert before.error()[0] == 1000  # 12:00 Pacific
    assert oasis.put("/_isosim/clock", json={"frozen_at": "2026-11-20T21:00:00Z"}).status_code == 200
    assert len(lmp(oasis, node="TH_NP15_GEN-APND", **tomorrow).rows()) == 24


def test_spans_up_to_31_days_are_served(oasis):
    rows = lmp(
        oasis, node="TH_NP15_GEN-APND", startdatetime="20261001T07:00-0000", enddatetime="20261101T07:00-0000"
    ).rows()
    assert len({r["OPR_DT"] for r in rows}) == 31


def test_csv_and_xml_of_a_by_node_report_with_fetch(oasis):
    answer = fetch(
        oasis,
        queryname="PRC_LMP",
        version="12",
        market_run_id="DAM",
        node="TH_NP15_GEN-APND",
        startdatetime="20261110T08:00-0000",
        enddatetime="20261110T12:00-0000",
        resultformat="6",
    )
    assert [r["OPR_HR"] for r in answer.rows()] == ["1", "2", "3", "4"]  # a window of 4 hours
