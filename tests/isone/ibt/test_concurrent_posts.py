"""Spec 2.1 under concurrency: POSTs that race on the same contract are applied one after the other.
None is lost, none fails, and every mapping period's history stays a clean sequence of versions."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import httpx
from lxml import etree

from tests.conftest import IBT, IBT_CONTENT_TYPE
from tests.isone.ibt.test_contract_subaccount_mappings_post import AUG, SEP, document, mapping

NS = {"c": "http://xmlns.iso-ne.com/contract/customers"}


def history(base: str, contract_id: int) -> dict[str, list[tuple[str, str]]]:
    """Each period's versions (version stamp, subaccount) in the order the service lists them."""
    root = etree.fromstring(httpx.get(f"{base}{IBT}/1/contractSubaccountMappings/{contract_id}").content)
    periods: dict[str, list[tuple[str, str]]] = {}
    for v in root.iterfind("c:contract_subaccount_mapping_version", NS):
        periods.setdefault(v.findtext("c:begin", namespaces=NS), []).append(
            (v.findtext("c:version", namespaces=NS), v.findtext("c:subaccount_id", namespaces=NS))
        )
    return periods


def instant(stamp: str) -> datetime:
    """A version stamp as an instant: stamps print milliseconds only when there are some, so their
    text does not sort in time order ("...53Z" after "...53.025Z")."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def current(base: str, contract_id: int) -> dict[str, str]:
    root = etree.fromstring(
        httpx.get(f"{base}{IBT}/1/contractSubaccountMappings?contract_id={contract_id}").content
    )
    return {
        v.findtext("c:begin", namespaces=NS): v.findtext("c:subaccount_id", namespaces=NS)
        for v in root.iterfind("c:contract_subaccount_mapping/c:contract_subaccount_mapping_version", NS)
    }


def post_all(bases: list[str], bodies: list[bytes]) -> list[httpx.Response]:
    """All bodies at once, spread over the servers."""
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(len(bodies)) as pool:
        return list(
            pool.map(
                lambda i: client.post(
                    f"{bases[i % len(bases)]}{IBT}/1/contractSubaccountMappings",
                    content=bodies[i],
                    headers={"Content-Type": IBT_CONTENT_TYPE},
                ),
                range(len(bodies)),
            )
        )


def test_two_concurrent_posts_on_one_contract_both_take_effect(live_servers: list[str]) -> None:
    live_server = live_servers[0]
    httpx.put(f"{live_server}/_isosim/clock", json={})  # real time: each POST gets its own stamp
    responses = post_all(
        live_servers,
        [document(mapping(999999, [(*AUG, "ABC1")])), document(mapping(999999, [(*SEP, "ABC1")]))],
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert current(live_server, 999999) == {AUG[0]: "ABC1", SEP[0]: "ABC1"}
    assert {p: len(v) for p, v in history(live_server, 999999).items()} == {AUG[0]: 2, SEP[0]: 2}


def test_many_concurrent_posts_on_overlapping_contracts_leave_clean_histories(
    live_servers: list[str],
) -> None:
    live_server = live_servers[0]
    httpx.put(f"{live_server}/_isosim/clock", json={})
    bodies = []
    for i in range(24):
        subaccount = "ABC1" if i % 2 else "Default"
        bodies.append(
            document(
                mapping(999998, [(*AUG, subaccount)]),
                mapping(999999, [(*AUG, subaccount), (*SEP, "Default" if i % 3 else "ABC1")]),
            )
        )
    responses = post_all(live_servers, bodies)
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses if r.status_code != 200]

    for contract_id in (999998, 999999):
        periods = history(live_server, contract_id)
        now = current(live_server, contract_id)
        for begin, versions in periods.items():
            # Every POST either kept the current version or added one: consecutive versions differ.
            assert all(a[1] != b[1] for a, b in itertools.pairwise(versions)), versions
            # Versions are listed in the order they were made, and the last one is current.
            assert [instant(v[0]) for v in versions] == sorted(instant(v[0]) for v in versions)
            assert now[begin] == versions[-1][1]
    # Each response's stamps exist in the history: no accepted change was lost.
    for response in responses:
        root = etree.fromstring(response.content)
        for m in root.iterfind("c:contract_subaccount_mapping", NS):
            contract_id = int(m.findtext("c:contract_id", namespaces=NS))
            for v in m.iterfind("c:contract_subaccount_mapping_version", NS):
                entry = (v.findtext("c:version", namespaces=NS), v.findtext("c:subaccount_id", namespaces=NS))
                assert entry in history(live_server, contract_id)[v.findtext("c:begin", namespaces=NS)]
