"""ADS through a generated SOAP client (zeep) against a live isosim: the WSDL of v6 and v7, the
dispatch-batch polling cycle and instruction responses, as a scheduling coordinator's ADS client
runs them. Batches are issued every 5 minutes on the simulated clock; what their instructions say
(the market's real-time awards) is checked in tests/caiso/market/test_dispatch.py."""

from __future__ import annotations

import base64
import csv
import gzip
from pathlib import Path

import pytest
import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault
from zeep.transports import Transport

from isosim.caiso import catalogue

REGISTRY = Path(__file__).resolve().parents[3] / "fixtures" / "caiso-production" / "market" / "resources.csv"

ALPHA = "CN=sc-alpha-bidder, OU=Trading, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"
BRAVO = "CN=sc-bravo-ops, OU=Operations, O=Bravo Power Cooperative, C=US"
NOW = "2026-11-18T18:01:00Z"  # batches up to the 18:00 interval (sent 17:57:30) exist
DOC = {"a": "http://ads.caiso.com"}


def client(base: str, subject: str = ALPHA, version: str = "v7") -> zeep.Client:
    session = requests.Session()
    session.headers["X-SSL-Client-S-DN"] = subject
    return zeep.Client(
        f"{base}/env/caiso-production/ADS/APIWebService/{version}?wsdl", transport=Transport(session=session)
    )


def unpack(data: bytes) -> etree._Element:
    return etree.fromstring(gzip.decompress(data))


def instructed(batch: etree._Element) -> list[str]:
    return [
        i.findtext("a:resourceId", namespaces=DOC)
        for i in batch.iterfind("a:instructions/a:instruction", DOC)
    ]


def dispatched(coordinator: str) -> set[str]:
    """The coordinator's resources the real-time dispatch instructs, read from the pack's registry."""
    with REGISTRY.open(newline="") as handle:
        return {
            row["resource_id"]
            for row in csv.DictReader(handle)
            if row["scheduling_coordinator"] == coordinator and row["resource_type"] in ("GEN", "PDR")
        }


@pytest.fixture
def ads(live_servers):  # type: ignore[no-untyped-def]
    base = live_servers[0]
    assert requests.put(f"{base}/_isosim/clock", json={"frozen_at": NOW}).ok
    return base


def clock(base: str, at: str) -> None:
    assert requests.put(f"{base}/_isosim/clock", json={"frozen_at": at}).ok


@pytest.mark.parametrize("version", ["v6", "v7"])
def test_the_wsdl_offers_exactly_the_catalogues_operations(ads: str, version: str) -> None:
    service = client(ads, version=version).service
    offered = set(service._binding._operations)
    expected = set(catalogue.routes("Production")[f"/ADS/APIWebService/{version}"].operations)
    assert offered == expected
    assert ("getBatchHeader" in offered) == (version == "v7")


def test_polling_cycle(ads: str) -> None:
    service = client(ads).service
    uids = service.getDispatchBatchesSinceUID("-1")
    assert len(uids) == 12 and all(u.startswith("DISP-") and len(u) == 41 for u in uids)  # the last hour
    batch = unpack(service.getDispatchBatch(uids[-1]))
    assert batch.get("batchUID") == uids[-1]
    assert batch.findtext("a:startTime", namespaces=DOC) == "2026-11-18T18:00:00.000Z"
    resources = instructed(batch)
    assert resources and set(resources) <= dispatched("ALPH")  # ALPH's resources only
    assert {
        i.findtext("a:acceptStatus", namespaces=DOC) for i in batch.iterfind(".//a:instruction", DOC)
    } == {"NON_RESPONSE"}
    assert service.getBatchStatus(uids[-1]) == 1
    assert service.validateDispatchBatch(uids[-1]) is True
    assert service.getBatchStatus(uids[-1]) == 2
    assert unpack(service.getBatchHeader(uids[-1])).findtext("a:batchStatus", namespaces=DOC) == "VALIDATED"
    assert service.getDispatchBatchesSinceUID(uids[-1]) in ([], None)
    clock(ads, "2026-11-18T18:03:00Z")  # the 18:05 batch is sent at 18:02:30
    newer = service.getDispatchBatchesSinceUID(uids[-1])
    assert len(newer) == 1 and newer[0] not in uids
    assert service.getDispatchBatch(uids[-1]) == service.getDispatchBatch(
        uids[-1]
    )  # the same batch says the same


def test_instruction_responses_show_in_the_batch(ads: str) -> None:
    service = client(ads).service
    uid = service.getDispatchBatchesSinceUID("-1")[-1]
    first, second = instructed(unpack(service.getDispatchBatch(uid)))[:2]
    assert service.acceptInstruction(uid, first) is True
    assert service.declineInstruction(uid, second, "PHYSICAL_LIMITATION") is True
    answers = {
        i.findtext("a:resourceId", namespaces=DOC): (
            i.findtext("a:acceptStatus", namespaces=DOC),
            i.findtext("a:responder", namespaces=DOC),
        )
        for i in unpack(service.getDispatchBatch(uid)).iterfind(".//a:instruction", DOC)
    }
    assert {first: answers[first], second: answers[second]} == {
        first: ("ACCEPT", "sc-alpha-bidder"),
        second: ("DECLINE", "sc-alpha-bidder"),
    }
    clock(ads, "2026-11-18T18:03:00Z")  # the 18:05 batch is sent at 18:02:30
    newer = service.getDispatchBatchesSinceUID(uid)[0]
    instruction = unpack(service.getDispatchBatch(newer)).find(".//a:instruction", DOC)
    resource, dot = (
        instruction.findtext("a:resourceId", namespaces=DOC),
        float(instruction.findtext("a:dot", namespaces=DOC)),
    )
    assert service.partialAcceptInstruction(newer, resource, dot) is True
    partial = unpack(service.getDispatchBatch(newer)).find(
        f".//a:instruction[a:resourceId='{resource}']", DOC
    )
    assert partial.findtext("a:acceptStatus", namespaces=DOC) == "PARTIAL"


def _first(service, uid: str) -> str:  # type: ignore[no-untyped-def]
    return instructed(unpack(service.getDispatchBatch(uid)))[0]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda s, uid: s.acceptInstruction(uid, "NO_SUCH_RESOURCE"), "has no instruction"),
        (lambda s, uid: s.declineInstruction(uid, _first(s, uid), ""), "needs a reasonCode"),
        (lambda s, uid: s.partialAcceptInstruction(uid, _first(s, uid), 100000.0), "between"),
        (lambda s, uid: s.getDispatchBatch("DISP-00000000-0000-0000-0000-000000000000"), "does not exist"),
    ],
    ids=["unknown-resource", "decline-without-reason", "partial-out-of-range", "unknown-batch"],
)
def test_bad_calls_get_a_fault_and_change_nothing(ads: str, call, words: str) -> None:
    service = client(ads).service
    uid = service.getDispatchBatchesSinceUID("-1")[-1]
    before = service.getDispatchBatch(uid)
    with pytest.raises(Fault, match=words):
        call(service, uid)
    assert service.getDispatchBatch(uid) == before


def test_an_instruction_is_answered_once_and_only_before_its_interval_ends(ads: str) -> None:
    service = client(ads).service
    uids = service.getDispatchBatchesSinceUID("-1")
    resource = _first(service, uids[-1])
    assert service.acceptInstruction(uids[-1], resource) is True
    with pytest.raises(Fault, match="already been answered"):
        service.declineInstruction(uids[-1], resource, "X")
    with pytest.raises(Fault, match="has expired"):
        service.acceptInstruction(uids[0], _first(service, uids[0]))  # 17:05, long over


def test_a_coordinator_sees_only_its_own_batches(ads: str) -> None:
    alpha, bravo = client(ads).service, client(ads, BRAVO).service
    alpha_uids, bravo_uids = alpha.getDispatchBatchesSinceUID("-1"), bravo.getDispatchBatchesSinceUID("-1")
    assert not set(alpha_uids) & set(bravo_uids)
    with pytest.raises(Fault, match="does not belong"):
        alpha.getDispatchBatch(bravo_uids[-1])


def test_trajectory_data_is_new_until_read(ads: str) -> None:
    service = client(ads).service
    assert service.isNewTrajData() is True
    points = unpack(service.getTrajectoryData()).findall("a:point", DOC)
    batches = [unpack(service.getDispatchBatch(uid)) for uid in service.getDispatchBatchesSinceUID("-1")]
    assert len(points) == sum(len(instructed(b)) for b in batches) > 0
    assert service.isNewTrajData() is False
    clock(ads, "2026-11-18T18:03:00Z")
    assert service.isNewTrajData() is True


def test_msslf_requests_answer_501_as_not_emulated(ads: str) -> None:
    # CAISO's MSS load-following document is not public: isosim says so rather than pretend.
    service = client(ads).service
    with pytest.raises(Fault, match="does not emulate ADS submitMSSLFRequest"):
        service.submitMSSLFRequest(gzip.compress(b"<MSSLFRequest/>"))


def test_a_reset_forgets_what_clients_did(ads: str) -> None:
    service = client(ads).service
    uid = service.getDispatchBatchesSinceUID("-1")[-1]
    service.validateDispatchBatch(uid)
    assert requests.post(f"{ads}/_isosim/reset").ok
    assert service.getDispatchBatchesSinceUID("-1")[-1] == uid  # the same batches are issued again
    assert service.getBatchStatus(uid) == 1


def test_base64_travels_as_ads_sends_it(ads: str) -> None:
    session = requests.Session()
    session.headers.update({"X-SSL-Client-S-DN": ALPHA, "Content-Type": "text/xml"})
    url = f"{ads}/env/caiso-production/ADS/APIWebService/v7"
    call = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        '<a:getDispatchBatchesSinceUID xmlns:a="urn-com-caiso-ads-webservices-api"><uid>-1</uid>'
        "</a:getDispatchBatchesSinceUID></s:Body></s:Envelope>"
    )
    uid = etree.fromstring(session.post(url, data=call).content).findtext(".//item")
    fetch = call.replace("getDispatchBatchesSinceUID", "getDispatchBatch").replace(
        "<uid>-1</uid>", f"<batchUID>{uid}</batchUID>"
    )
    text = etree.fromstring(session.post(url, data=fetch).content).findtext(".//return")
    assert etree.fromstring(gzip.decompress(base64.b64decode(text))).get("batchUID") == uid
