"""Many concurrent POSTs on overlapping contracts, valid and invalid mixed, through two servers on
one database (SQLite and PostgreSQL): every accepted POST is fully visible, every rejected one left
no trace, every period's history is a clean sequence."""

from __future__ import annotations

import itertools

import httpx
from lxml import etree

from tests.isone.ibt.test_concurrent_posts import NS, current, history, instant, post_all
from tests.isone.ibt.test_contract_subaccount_mappings_post import AUG, SEP, document, mapping


def test_rejected_posts_racing_accepted_ones_leave_no_trace(live_servers: list[str]) -> None:
    base = live_servers[0]
    httpx.put(f"{base}/_isosim/clock", json={})  # real time: each POST gets its own stamp
    untouched_before = history(base, 999999)[SEP[0]]
    bodies = []
    for i in range(30):
        subaccount = "ABC1" if i % 2 else "Default"
        if i % 3 == 2:
            # Invalid as a whole: the only writer of 999999's September, with an unknown subaccount last.
            bodies.append(
                document(mapping(999999, [(*SEP, subaccount)]), mapping(999998, [(*AUG, "NO_SUCH")]))
            )
        else:
            bodies.append(
                document(mapping(999998, [(*AUG, subaccount)]), mapping(999999, [(*AUG, subaccount)]))
            )
    responses = post_all(live_servers, bodies)
    assert [r.status_code for r in responses] == [400 if i % 3 == 2 else 200 for i in range(30)], [
        r.text for r in responses if r.status_code not in (200, 400)
    ]
    assert history(base, 999999)[SEP[0]] == untouched_before  # no rejected POST left a trace
    for contract_id in (999998, 999999):
        periods, now = history(base, contract_id), current(base, contract_id)
        for begin, versions in periods.items():
            assert all(a[1] != b[1] for a, b in itertools.pairwise(versions)), versions
            assert [instant(v[0]) for v in versions] == sorted(instant(v[0]) for v in versions)
            assert now[begin] == versions[-1][1]
    for response in responses:
        if response.status_code != 200:
            continue
        for m in etree.fromstring(response.content).iterfind("c:contract_subaccount_mapping", NS):
            contract_id = int(m.findtext("c:contract_id", namespaces=NS))
            for v in m.iterfind("c:contract_subaccount_mapping_version", NS):
                entry = (v.findtext("c:version", namespaces=NS), v.findtext("c:subaccount_id", namespaces=NS))
                assert entry in history(base, contract_id)[v.findtext("c:begin", namespaces=NS)]
