"""ISO-NE web services in process (issue 13's target: a day of hourly LMPs for every location in
under 50 ms): each answer's median time over repeated calls through the ASGI app (identity,
routing, the market, the document, the test client's transfer), with the month's prices already
made; for the day of hourly LMPs, the feed and its document alone (no HTTP), the first time (the
day's prices not kept yet) and again; and the server's peak memory while a client reads a month of
five-minute LMPs for every location, against its peak after one day (bounded: the ratio stays near 1).

    .venv/bin/python bench/isone_feeds.py

Prints the time and size of each answer. Asserts nothing.
"""

from __future__ import annotations

import base64
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from isosim.core.settings import Settings
from isosim.main import create_app

BASE = "/env/isone-production/api/v1.1"
AUTH = {"Authorization": "Basic " + base64.b64encode(b"analyst@example.com:isoexpress-sandbox").decode()}
ANSWERS = [
    "/hourlylmp/da/final/day/20210816.json",
    "/hourlylmp/da/final/day/20210816",
    "/hourlylmp/rt/final/day/20210816.json",
    "/fiveminutelmp/final/day/20210816/starthour/17.json",
    "/fiveminutelmp/prelim/current/all.json",
    "/genfuelmix/day/20210816.json",
    "/hourlysysload/day/20210816.json",
    "/locations/all.json",
    "/hbdayaheadenergyoffer/day/20210816.json",
    "/whlsecost/monthly/month/202108/location/4004.json",
    "/morningreport/day/20210816/all.json",
]


def main() -> None:
    app = create_app(
        Settings(database_url="memory", clock_frozen_at="2022-01-20T18:02:00Z", rate_limit=False)
    )
    with TestClient(app) as client:
        print(f"{'answer':55} {'rows kB':>8} {'median ms':>10} {'max ms':>8}")
        for path in ANSWERS:
            client.get(BASE + path, headers=AUTH)  # the month's prices, the day's system
            times = []
            for _ in range(15):
                started = time.perf_counter()
                answer = client.get(BASE + path, headers=AUTH)
                times.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200
            size, median = len(answer.content) / 1000, statistics.median(times)
            print(f"{path:55} {size:8.0f} {median:10.1f} {max(times):8.1f}")
    print(f"{'in process, no HTTP':55} {'rows':>8}")
    feed_alone()
    month_of_five_minute_lmps()


def feed_alone() -> None:
    from datetime import UTC, datetime

    from isosim.core import database
    from isosim.isone.market import prices
    from isosim.isone.market.registry import registry
    from isosim.isone.webservices import catalogue, codec, feeds

    app = create_app(Settings(database_url="memory", rate_limit=False))
    runtime = app.state.runtime
    with database.read(runtime.engine) as conn:
        market = registry(conn, "isone-production")
    now = datetime(2021, 8, 20, 18, 2, tzinfo=UTC)
    for path in ("/hourlylmp/da/final/day/20210816", "/hourlylmp/rt/final/day/20210816"):
        template, params = catalogue.match(path)
        feeds.lmp(market, template, params, now)
        for kind, write in (("json", codec.lmp_json), ("xml", codec.lmp_xml)):
            for first in (True, False):
                times = []
                for _ in range(15):
                    if first:
                        prices._answers.clear()  # the day's prices made anew each time
                    started = time.perf_counter()
                    answer = feeds.lmp(market, template, params, now)
                    write(template.root, template.item, answer.lmps)  # type: ignore[arg-type]
                    times.append((time.perf_counter() - started) * 1000)
                label = f"{path[10:]} ({kind}, {'first' if first else 'again'})"
                rows = len(answer.lmps or [])
                print(f"{label:55} {rows:8d} {statistics.median(times):10.1f} {max(times):8.1f}")


def month_of_five_minute_lmps() -> None:
    """Peak RSS after reading one day of five-minute LMPs for every location (hour by hour, as
    gridstatus does), then after the whole month."""
    import resource

    app = create_app(
        Settings(database_url="memory", clock_frozen_at="2021-09-20T18:02:00Z", rate_limit=False)
    )
    with TestClient(app) as client:
        peaks = []
        for day in range(1, 32):
            for hour in range(24):
                path = f"{BASE}/fiveminutelmp/final/day/202108{day:02d}/starthour/{hour:02d}.json"
                assert client.get(path, headers=AUTH).status_code == 200
            if day in (1, 31):
                peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(
        f"peak RSS after 1 day of five-minute LMPs: {peaks[0]:.0f} MB; after 31 days: {peaks[1]:.0f} MB "
        f"(ratio {peaks[1] / peaks[0]:.2f})"
    )


if __name__ == "__main__":
    main()
