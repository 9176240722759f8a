"""The CAISO market, in process (issue 12 asks: a trading day's DAM cleared for every pack under 1 s;
a CMRI day retrieve under 10 ms once the run is done). Prints figures; asserts nothing.

    .venv/bin/python bench/market.py [--repeat 20]

- Clearing: each CAISO pack's day-ahead market for one trading day, every resource, from cold caches
  (the system's day, every node price, every schedule computed), then the real-time runs (FMM, RTD).
- CMRI: Alpha's MarketAwards for a published DAM day after the run: the records read from the market
  (the target: under 10 ms) and the DocAttach document written from them (gzip excluded), medians of
  --repeat; beside it, in the same run, a dataset generated without the market (UnitCommitments) as
  the yardstick, per interval.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from isosim.caiso.b2b import codec, models, schemas
from isosim.caiso.catalogue import endpoints
from isosim.caiso.market import prices, results, system
from isosim.caiso.market.registry import registry
from isosim.core import database, state
from isosim.core.settings import Settings
from isosim.main import create_app

NOW = datetime(2026, 11, 18, 22, tzinfo=UTC)  # 14:00 Pacific: 2026-11-19's day-ahead results are out
DAY = date(2026, 11, 19)
PACKS = ("caiso-production", "caiso-production-ecn", "caiso-mapstage", "caiso-sandbox")


def cold() -> None:
    for cache in (system.system_day, system.daily, prices.node_day, prices.as_day, results._cleared):
        cache.cache_clear()


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    app = create_app(Settings(database_url="sqlite://", packs=list(PACKS), clock_frozen_at=NOW.isoformat()))
    runtime = app.state.runtime  # create_app froze the start-up heap (gc.freeze), as a served app
    for name in PACKS:
        state.ensure_seeded(runtime.engine, name, runtime.packs[name], runtime.models)

    with database.read(runtime.engine) as conn:
        found = {name: registry(conn, name) for name in PACKS}
        cold()
        total = 0.0
        for name in PACKS:
            market = found[name]
            assert market is not None
            seconds = timed(
                lambda m=market, n=name: results.schedules(conn, n, m, list(m.resources), "DAM", DAY, NOW)
            )
            total += seconds
            label = f"DAM clearing, {name}, {len(market.resources)} resources x 24 h (cold)"
            print(f"{label:62} {seconds * 1000:7.1f} ms")
        print(f"{'DAM clearing, every pack (target < 1000 ms)':62} {total * 1000:7.1f} ms")
        for run in ("RTPD", "RTD"):
            market = found["caiso-production"]
            seconds = timed(
                lambda r=run, m=market: results.schedules(
                    conn, "caiso-production", m, list(m.resources), r, DAY, NOW
                )
            )
            print(f"{run + ' clearing, caiso-production, a whole day (cold)':62} {seconds * 1000:7.1f} ms")

        market = found["caiso-production"]
        reference = models.Reference(market)
        figures = {}
        for dataset_name, operation in (
            ("MarketAwards", "RetrieveMarketAwards"),
            ("UnitCommitments", "RetrieveUnitCommitments"),
        ):
            endpoint = next(
                e
                for e in endpoints()
                if e.app == "CMRI" and e.base_operation == operation and "DocAttach" in e.variant
            )
            plan = schemas.plan(endpoint)
            assert plan.outgoing is not None
            shape = plan.outgoing.payload.children[0]
            start = datetime(2026, 11, 19, 8, tzinfo=UTC)
            query = models.Query(start=start, end=start.replace(day=20), market="DAM", execution="IFM")

            def retrieve(p=plan, s=shape, q=query) -> list[models.Record]:  # type: ignore[no-untyped-def]
                return models.retrieve(conn, "caiso-production", reference, p.operation, s, ["ALPH"], q, NOW)

            found_records = retrieve()  # the run (first request) happens here
            size = len(codec.data(plan.outgoing, found_records, NOW))
            reading = statistics.median(timed(retrieve) for _ in range(args.repeat))
            writing = statistics.median(
                timed(lambda p=plan, r=found_records: codec.data(p.outgoing, r, NOW))
                for _ in range(args.repeat)
            )
            figures[dataset_name] = reading / max(1, sum(len(r.intervals) or 1 for r in found_records))
            what = f"CMRI {dataset_name}, DAM day, ALPH: {len(found_records)} records, {size / 1024:.0f} KiB"
            print(f"{what:62} records {reading * 1000:6.2f} ms, document {writing * 1000:6.2f} ms")
        ratio = figures["MarketAwards"] / figures["UnitCommitments"]
        print(f"CMRI per interval, MarketAwards from the market / UnitCommitments generated: {ratio:.2f}x")
        print(f"(records: after the run, the target is < 10 ms; medians of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
