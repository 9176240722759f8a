"""A server killed with SIGKILL in the middle of a stream of POSTs loses nothing it acknowledged and
half-writes nothing: restarted on the same SQLite file, every acknowledged POST is fully there, every
POST is there whole or not at all, and every mapping period's history is a clean sequence."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from lxml import etree

from tests.conftest import IBT, IBT_CONTENT_TYPE, free_port
from tests.isone.ibt.test_concurrent_posts import NS, current, history, instant
from tests.isone.ibt.test_contract_subaccount_mappings_post import AUG, SEP, document, mapping

ROOT = Path(__file__).resolve().parents[2]


def _serve(database: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "isosim.cli",
            "serve",
            "--port",
            str(port),
            "--database-url",
            f"sqlite:///{database}",
            "--pack",
            "isone-sandbox",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "ISOSIM_DEFAULT_USER": "true"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_isosim/ready", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("server did not start")


def _body(i: int) -> bytes:
    """Each POST changes three periods of two contracts at once; every fifth is invalid as a whole."""
    subaccount = "ABC1" if i % 2 else "Default"
    other = "Default" if i % 2 else "ABC1"
    last = "NO_SUCH_SUBACCOUNT" if i % 5 == 4 else other
    return document(
        mapping(999998, [(*AUG, subaccount)]),
        mapping(999999, [(*AUG, subaccount), (*SEP, last)]),
    )


def test_sigkill_mid_stream_loses_no_acknowledged_post_and_half_writes_none(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(database, port)
    acknowledged: list[bytes] = []
    stop = threading.Event()

    def stream() -> None:
        with httpx.Client(timeout=5) as client:
            i = 0
            while not stop.is_set():
                try:
                    response = client.post(
                        f"{base}{IBT}/1/contractSubaccountMappings",
                        content=_body(i),
                        headers={"Content-Type": IBT_CONTENT_TYPE},
                    )
                    if response.status_code == 200:
                        acknowledged.append(response.content)
                    else:
                        assert response.status_code == 400, response.text
                except httpx.HTTPError:
                    pass  # the server is gone: this POST's fate is unknown to the client
                i += 1

    # Start from the state of an odd POST: from then on every valid POST changes all three periods.
    setup = httpx.post(
        f"{base}{IBT}/1/contractSubaccountMappings",
        content=_body(1),
        headers={"Content-Type": IBT_CONTENT_TYPE},
    )
    assert setup.status_code == 200, setup.text
    before = {s for c in (999998, 999999) for vs in history(base, c).values() for s, _ in vs}
    writer = threading.Thread(target=stream)
    try:
        writer.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 25 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)  # mid-stream: POSTs are in flight
        server.wait(10)
        killed_after = len(acknowledged)
        stop.set()
        writer.join(10)
        assert killed_after >= 25

        server = _serve(database, port)
        histories = {contract: history(base, contract) for contract in (999998, 999999)}
        # Every acknowledged POST is fully there.
        for body in acknowledged:
            for m in etree.fromstring(body).iterfind("c:contract_subaccount_mapping", NS):
                contract = int(m.findtext("c:contract_id", namespaces=NS))
                for v in m.iterfind("c:contract_subaccount_mapping_version", NS):
                    entry = (
                        v.findtext("c:version", namespaces=NS),
                        v.findtext("c:subaccount_id", namespaces=NS),
                    )
                    assert entry in histories[contract][v.findtext("c:begin", namespaces=NS)]
        # No POST is there in part: each new version stamp marks the three periods of one POST.
        stamps = Counter(
            stamp
            for periods in histories.values()
            for versions in periods.values()
            for stamp, _ in versions
            if stamp not in before
        )
        assert stamps and all(count == 3 for count in stamps.values()), stamps
        # Every period's history is a clean sequence ending in its current version.
        for contract, periods in histories.items():
            now = current(base, contract)
            for begin, versions in periods.items():
                assert [instant(v[0]) for v in versions] == sorted(instant(v[0]) for v in versions)
                assert all(a[1] != b[1] for a, b in itertools.pairwise(versions))
                assert now[begin] == versions[-1][1]
    finally:
        stop.set()
        server.kill()
        server.wait(10)
