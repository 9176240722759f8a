"""Reset and start-up of the default packs, printed (issue 3 asks for resets under 50 ms).

    .venv/bin/python bench/reset.py [--runs 20] [--database-url URL]

Start-up is the time from process start to the first 200 from the default pack's service (GET
subaccounts), on a fresh database file, on a restart with that file, and in memory; reset is
POST /_isosim/reset (every served pack) after a write, timed in the client.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.ibt import CONTENT_TYPE, ROOT, free_port

SAMPLE = ROOT / "tests" / "samples" / "3.2.8-mappings-post-request.xml"
FIRST = "/sms_oper_contract/api/customers/1/subaccounts"  # the default pack's service


def request(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> int:
    with urllib.request.urlopen(
        urllib.request.Request(url, data=body, method=method, headers=headers or {})
    ) as r:
        r.read()
        return r.status


def start(url: str) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start `isosim serve` and time it to the first 200 from the default pack's IBT service."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "isosim.cli",
            "serve",
            "--port",
            str(port),
            "--database-url",
            url,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "ISOSIM_DEFAULT_USER": "true"},
    )
    while True:
        try:
            if request(base + FIRST) == 200:
                return process, base, time.perf_counter() - started
        except OSError:
            time.sleep(0.005)


def start_hello() -> float:
    """The same measure for a bare hello-world ASGI app under uvicorn: what any Python web server
    costs on this machine right now (start-up figures are otherwise not comparable across runs)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.hello:app", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
    )
    try:
        while True:
            try:
                request(f"http://127.0.0.1:{port}/")
                return time.perf_counter() - started
            except OSError:
                time.sleep(0.005)
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        startups = {}
        process, _, startups["fresh database"] = start(url)
        stop(process)
        process, _, startups["restart on the same database"] = start(url)
        stop(process)
        if not args.database_url:
            process, _, startups["in-memory database"] = start("memory")
            stop(process)
        process, base, _ = start(url)
        try:
            resets = []
            for _ in range(args.runs):
                request(
                    base + "/sms_oper_contract/api/customers/1/contractSubaccountMappings",
                    "POST",
                    SAMPLE.read_bytes(),
                    {"Content-Type": CONTENT_TYPE},
                )
                t = time.perf_counter()
                request(base + "/_isosim/reset", "POST")
                resets.append((time.perf_counter() - t) * 1000)
        finally:
            stop(process)
    hello = start_hello()
    print(f"database                                  {url.split(':')[0]}")
    print(f"start-up, hello-world uvicorn (reference) {hello * 1000:8.0f} ms")
    for name, seconds in startups.items():
        print(f"start-up, {name:<31} {seconds * 1000:8.0f} ms  (process start to first 200 of GET {FIRST})")
    median = statistics.median(resets)
    print(
        f"reset, median                             {median:8.1f} ms  (every served pack, after a POST, "
        f"{args.runs} runs)"
    )
    print(f"reset, max                                {max(resets):8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
