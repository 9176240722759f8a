"""OASIS: time and peak server memory of large downloads, printed (issue 5 asks that a 31-day
PRC_LMP for ALL_APNODES streams instead of sitting in memory).

    .venv/bin/python bench/oasis.py [--days 31]

A real isosim server (uvicorn, one worker) is started; each download is read in chunks and thrown
away, as a client writing it to disk would. Figures: wall time, size of the zip, the server's RSS
before, and its peak RSS during the download (VmHWM, reset before each download). A day for 10
nodes is the everyday request, for scale.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.ibt import ROOT, free_port

NOW = datetime(2026, 11, 20, 20, tzinfo=UTC)


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux), so each download is measured alone.
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def download(url: str) -> tuple[float, int]:
    started, size = time.perf_counter(), 0
    with urllib.request.urlopen(url) as response:
        while chunk := response.read(1 << 16):
            size += len(chunk)
    return time.perf_counter() - started, size


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=31)
    args = parser.parse_args()
    end = datetime(2026, 11, 1, 7, tzinfo=UTC)
    start = end - timedelta(days=args.days)
    window = f"startdatetime={start:%Y%m%dT%H:%M}-0000&enddatetime={end:%Y%m%dT%H:%M}-0000"
    day = "startdatetime=20261031T07:00-0000&enddatetime=20261101T07:00-0000"
    ten = ",".join(
        [
            "TH_NP15_GEN-APND",
            "TH_SP15_GEN-APND",
            "TH_ZP26_GEN-APND",
            "DLAP_PGAE-APND",
            "DLAP_SCE-APND",
            "DLAP_SDGE-APND",
            "DLAP_VEA-APND",
            "PACE_ELAP-APND",
            "NEVP_ELAP-APND",
            "AZPS_ELAP-APND",
        ]
    )
    cases = [
        (
            "PRC_LMP day, 10 nodes, CSV",
            f"queryname=PRC_LMP&version=12&market_run_id=DAM&node={ten}&{day}&resultformat=6",
        ),
        (
            f"PRC_LMP {args.days} days, ALL_APNODES, CSV",
            f"queryname=PRC_LMP&version=12&market_run_id=DAM&grp_type=ALL_APNODES&{window}&resultformat=6",
        ),
        (
            f"PRC_LMP {args.days} days, ALL_APNODES, XML",
            f"queryname=PRC_LMP&version=12&market_run_id=DAM&grp_type=ALL_APNODES&{window}",
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}/env/caiso-production/oasisapi/SingleZip?"
        env = {
            **os.environ,
            "ISOSIM_RATE_LIMIT": "false",
            "ISOSIM_CLOCK_FROZEN_AT": NOW.isoformat(),
            "ISOSIM_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "isosim.cli", "serve", "--port", str(port), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_isosim/ready").read()
                    break
                except OSError:
                    time.sleep(0.05)
            download(base + cases[0][1])  # warm up imports and caches
            print(f"{'download':<38} {'seconds':>8} {'zip kB':>8} {'RSS before MB':>14} {'peak RSS MB':>12}")
            for name, query in cases:
                _reset_peak(process.pid)
                before = _status_kib(process.pid, "VmRSS")
                seconds, size = download(base + query)
                peak = _status_kib(process.pid, "VmHWM")
                mib = before / 1024, peak / 1024
                print(f"{name:<38} {seconds:>8.2f} {size / 1e3:>8.0f} {mib[0]:>14.0f} {mib[1]:>12.0f}")
        finally:
            process.terminate()
            process.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
