"""IBT throughput next to a bare hello-world ASGI app, both served by uvicorn the same way, in one run.

    .venv/bin/python bench/ibt.py [--duration 5] [--connections 1,16,64]

Load comes from wrk (Debian package `wrk`) on loopback, bounded in time. Figures are printed as a
table with each one's ratio to the baseline measured in the same run: the machines are noisy, so
only ratios compare across runs. Nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IBT = "/sms_oper_contract/api/customers/1"
CONTENT_TYPE = "application/vnd.iso-ne.contract.customers.v1+xml;charset=UTF-8"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(target: str, env: dict[str, str], factory: bool = False) -> Iterator[str]:
    """uvicorn, one worker, the same options for every app; yields the base URL once it answers.
    The server's process id is in `served.pid` meanwhile (for memory figures)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if factory:
        command.append("--factory")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    served.pid = process.pid  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers (404 is an answer)
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{target} did not start") from None
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def post_script(folder: Path) -> Path:
    """A two-mapping update that alternates the subaccount, so every POST changes something."""

    def body(subaccount: str) -> str:
        mappings = "".join(
            f"<contract_subaccount_mapping><customer_id>1</customer_id><contract_id>{contract}</contract_id>"
            "<market_name>FCM Load</market_name><buyer_name>XYZ Inc</buyer_name><seller_name>x</seller_name>"
            "<contract_begin>2015-08-01T04:00:00Z</contract_begin><contract_end>2015-10-01T04:00:00Z</contract_end>"
            "<status>Conf</status><contract_subaccount_mapping_version><begin>2015-08-01T04:00:00Z</begin>"
            "<end>2015-09-01T04:00:00Z</end><version>x</version>"
            f"<subaccount_id>{subaccount}</subaccount_id></contract_subaccount_mapping_version>"
            "</contract_subaccount_mapping>"
            for contract in (999998, 999999)
        )
        return f'<contract_subaccount_mappings xmlns="http://xmlns.iso-ne.com/contract/customers">{mappings}</contract_subaccount_mappings>'

    script = folder / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.headers["Content-Type"] = "{CONTENT_TYPE}"\n'
        f"local bodies = {{[[{body('ABC1')}]], [[{body('Default')}]]}}\n"
        "local i = 0\n"
        "request = function()\n  i = i + 1\n  return wrk.format(nil, nil, nil, bodies[(i % 2) + 1])\nend\n"
    )
    return script


def wrk(url: str, connections: int, duration: int, script: Path | None = None) -> dict[str, float]:
    command = [
        "wrk",
        "--latency",
        "-t",
        str(min(connections, 2)),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
    ]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = float(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "requests": requests,
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement (default 5)")
    parser.add_argument("--connections", default="16", help="comma-separated client counts (default 16)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("bench/ibt.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    connections = [int(c) for c in args.connections.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {"ISOSIM_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "ISOSIM_DEFAULT_USER": "true"}
        script = post_script(folder)
        rows = []
        with (
            served("bench.hello:app", {}) as hello,
            served("isosim.main:create_app", env, factory=True) as isosim,
        ):
            scenarios = [
                ("GET subaccounts", f"{isosim}{IBT}/subaccounts", None),
                (
                    "GET mappings, filtered + paged",
                    f"{isosim}{IBT}/contractSubaccountMappings?category=FCM+LOAD+OBLIGATION&start_date=01%2F01%2F2014&end_date=12%2F31%2F2017&start=5&limit=10",
                    None,
                ),
                ("POST two-mapping update", f"{isosim}{IBT}/contractSubaccountMappings", script),
            ]
            for n in connections:
                baseline = wrk(hello + "/", n, args.duration)
                rows.append(("hello-world baseline", n, baseline, baseline))
                for name, url, lua in scenarios:
                    rows.append((name, n, wrk(url, n, args.duration, lua), baseline))
    print(
        f"{'scenario':34} {'clients':>7} {'req/s':>9} {'x base':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    for name, n, figures, baseline in rows:
        print(
            f"{name:34} {n:>7} {figures['rps']:>9.0f} {figures['rps'] / baseline['rps']:>7.2f} "
            f"{figures['p50']:>8.2f} {figures['p99']:>8.2f} {figures['errors']:>7.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
