"""What a tenant costs (issue 15). A tenant that only reads shares its pack's template (one row
marks it); its first write copies the pack it writes to, inside the database.

    .venv/bin/python bench/tenants.py [tenants]

On a fresh SQLite file, one server: N tenants that each read IBT (isone-sandbox), N that each read
OASIS prices (caiso-production), N that each POST a mapping (isone-sandbox). Prints per tenant: the
rows it holds, the database growth in bytes, the first request's time (which makes the tenant)
beside the same request's time once it exists; and the rows of a full copy of every pack, which is
what each tenant cost when tenants were copied whole. Asserts nothing.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.ibt import served

ROOT = Path(__file__).resolve().parents[1]
AUTH = "Basic eHl6LWlidDp4eXotaWJ0LXNhbmRib3g="  # xyz-ibt:xyz-ibt-sandbox
REQUESTS = {
    "isone-sandbox": "/env/isone-sandbox/sms_oper_contract/api/customers/1/subaccounts",
    "caiso-production": "/env/caiso-production/oasisapi/SingleZip?queryname=PRC_LMP&market_run_id=DAM"
    "&version=12&node=TH_NP15_GEN-APND&startdatetime=20261118T08:00-0000&enddatetime=20261119T08:00-0000",
}


SAMPLE = ROOT / "tests" / "samples" / "3.2.8-mappings-post-request.xml"
POST = "/env/isone-sandbox/sms_oper_contract/api/customers/1/contractSubaccountMappings"
MEDIA = "application/vnd.iso-ne.contract.customers.v1+xml;charset=UTF-8"


def get(base: str, path: str, tenant: str) -> float:
    headers = {"Authorization": AUTH, "X-Isosim-Tenant": tenant}
    data = None
    if path == POST:
        data, headers["Content-Type"] = SAMPLE.read_bytes(), MEDIA
    request = urllib.request.Request(base + path, data=data, headers=headers)
    started = time.perf_counter()
    urllib.request.urlopen(request).read()
    return (time.perf_counter() - started) * 1000


def size(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        return (pages - free) * conn.execute("PRAGMA page_size").fetchone()[0]


def rows_of(database: Path, realm: str) -> int:
    with sqlite3.connect(database) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        total = 0
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            if "realm" in columns and table != "isosim_realm":
                total += conn.execute(f'SELECT count(*) FROM "{table}" WHERE realm = ?', (realm,)).fetchone()[
                    0
                ]
        return total


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    folder = Path(tempfile.mkdtemp(prefix="isosim-tenants-"))
    database = folder / "tenants.sqlite3"
    env = {
        "ISOSIM_DATABASE_URL": f"sqlite:///{database}",
        "ISOSIM_RATE_LIMIT": "false",
        "ISOSIM_MAINTENANCE": "false",
        "ISOSIM_CLOCK_FROZEN_AT": "2026-11-18T18:00:00Z",
    }
    with served("isosim.main:create_app", env, factory=True) as base:
        for pack in REQUESTS:
            get(base, REQUESTS[pack], "warm-up")  # imports and caches, not a tenant's cost
        start_size = size(database)
        template_rows = sum(rows_of(database, f"@pack:{pack}") for pack in REQUESTS)
        print(f"{count} tenants per case; a full copy of both packs: {template_rows} rows")
        print(f"{'tenants that':30} {'rows/tenant':>12} {'bytes/tenant':>13} {'first ms':>9} {'then ms':>8}")
        cases = [
            ("read IBT (isone-sandbox)", "isone-sandbox", REQUESTS["isone-sandbox"]),
            ("read OASIS (caiso-production)", "caiso-production", REQUESTS["caiso-production"]),
            ("POST a mapping (isone-sandbox)", "isone-sandbox", POST),
        ]
        for number, (label, pack, path) in enumerate(cases):
            before = size(database)
            first = [get(base, path, f"c{number}t{n}") for n in range(count)]
            grown = size(database) - before
            then = [get(base, path, f"c{number}t{n}") for n in range(count)]
            rows = rows_of(database, f"{pack}~c{number}t0")
            print(
                f"{label:30} {rows:12d} {grown / count:13.0f} {statistics.median(first):9.1f} "
                f"{statistics.median(then):8.1f}"
            )
        grown_total = size(database) - start_size
        print(f"database grew {grown_total / 1e6:.1f} MB for {3 * count} tenants")


if __name__ == "__main__":
    main()
