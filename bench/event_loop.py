"""Whether the event loop keeps answering while one request is heavy (issue 15): another client's
`/_isosim/health` latency while

- one request sends a SOAP message of 40,000 MIME parts (refused after counting them), and
- one IBT POST waits 4 s on a write lock that another process holds on the SQLite file.

    .venv/bin/python bench/event_loop.py

Prints the heavy request's time and the health check's worst and median latency meanwhile, beside
the health check's latency on an idle server (the same run). Asserts nothing.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.ibt import CONTENT_TYPE, IBT, served

SYSTEMS = "CN=sc-alpha-systems, OU=Systems, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"
B2B = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP"
SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "samples"


def poll(base: str, stop: threading.Event) -> list[float]:
    found = []
    while not stop.is_set():
        started = time.perf_counter()
        urllib.request.urlopen(base + "/_isosim/health").read()
        found.append((time.perf_counter() - started) * 1000)
        time.sleep(0.01)
    return found


def during(base: str, heavy) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    """(seconds the heavy request took, health latencies in ms while it ran)."""
    stop, latencies = threading.Event(), []
    poller = threading.Thread(target=lambda: latencies.extend(poll(base, stop)))
    poller.start()
    time.sleep(0.1)
    started = time.perf_counter()
    try:
        heavy()
    finally:
        took = time.perf_counter() - started
        stop.set()
        poller.join()
    return took, latencies


def many_parts(base: str) -> None:
    boundary = "many"
    part = f"--{boundary}\r\nContent-Type: text/xml\r\nContent-ID: <p{{n}}>\r\n\r\n<x/>\r\n"
    body = ("".join(part.format(n=n) for n in range(40_000)) + f"--{boundary}--\r\n").encode()
    request = urllib.request.Request(
        base + B2B,
        data=body,
        headers={
            "Content-Type": f'multipart/related; type="text/xml"; start="<p0>"; boundary="{boundary}"',
            "X-SSL-Client-S-DN": SYSTEMS,
        },
    )
    try:
        urllib.request.urlopen(request).read()
    except urllib.error.HTTPError as refused:
        refused.read()


def locked_post(base: str, database: Path) -> None:
    holder = sqlite3.connect(database, timeout=30, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock for 4 s
    release = threading.Timer(4.0, holder.rollback)
    release.start()
    body = (SAMPLE / "3.2.8-mappings-post-request.xml").read_bytes()
    request = urllib.request.Request(
        f"{base}{IBT}/contractSubaccountMappings",
        data=body,
        headers={"Content-Type": CONTENT_TYPE},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # 200 once the lock is released
        assert answer.status == 200
    release.join()
    holder.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "loop.db"
        env = {
            "ISOSIM_DATABASE_URL": f"sqlite:///{database}",
            "ISOSIM_DEFAULT_USER": "true",
            "ISOSIM_RATE_LIMIT": "false",
            "ISOSIM_MAINTENANCE": "false",
            "ISOSIM_CLOCK_FROZEN_AT": "2015-07-11T12:01:22Z",
        }
        with served("isosim.main:create_app", env, True) as base:
            idle = during(base, lambda: time.sleep(1.0))[1]
            print(f"{'scenario':52} {'heavy s':>8} {'health p50 ms':>14} {'health max ms':>14}")
            print(f"{'idle server':52} {'':>8} {statistics.median(idle):14.1f} {max(idle):14.1f}")
            for name, heavy in (
                ("SOAP message of 40,000 MIME parts", lambda: many_parts(base)),
                ("IBT POST waiting 4 s on another process's write lock", lambda: locked_post(base, database)),
            ):
                took, seen = during(base, heavy)
                print(f"{name:52} {took:8.2f} {statistics.median(seen):14.1f} {max(seen):14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
