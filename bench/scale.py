"""Grow the isone-sandbox realm of a database to a given number of IBT mapping versions, for the
scale benchmark: synthetic one-year contracts of 2019-2030 between the pack's customers (customer 1
included), each party mapping every month with a few historical versions, written straight into the
realm the server serves. The benchmark's filter (2014-2017) then has the same answer at every size:
only the database grows."""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from isosim.core import database
from isosim.isone.eastern import midnight_utc, monthly_periods
from isosim.isone.ibt.tables import CATEGORIES, contract, mapping_version

REALM = "isone-sandbox"
HISTORY = 3  # older versions per mapping period, besides the current one
FIRST_CONTRACT = 5_000_000
SUBACCOUNTS = {1: ["ABC1", "Default"]}  # other customers: their own "Default"


def grow(database_url: str, versions: int, seed: int = 7) -> int:
    """Add synthetic contracts until the realm holds about `versions` mapping versions; returns the
    count reached."""
    engine = database.make_engine(database_url)
    rng = random.Random(seed)
    per_contract = 2 * 12 * (HISTORY + 1)
    with database.write(engine) as conn:
        held = conn.execute(
            select(func.count()).select_from(mapping_version).where(mapping_version.c.realm == REALM)
        ).scalar_one()
        first = conn.execute(
            select(func.max(contract.c.contract_id)).where(contract.c.realm == REALM)
        ).scalar_one()
        next_id = max(FIRST_CONTRACT, (first or 0) + 1)
        missing = max(0, versions - held) // per_contract
        for chunk in range(0, missing, 500):
            contracts, rows = [], []
            for n in range(chunk, min(missing, chunk + 500)):
                cid = next_id + n
                buyer, seller = rng.sample(range(1, 9), 2)
                year = rng.randrange(
                    2019, 2031
                )  # outside the benchmark's filter window: its answer stays the same
                begin, end = midnight_utc(date(year, 1, 1)), midnight_utc(date(year + 1, 1, 1))
                periods = monthly_periods(begin, end)
                contracts.append(
                    {
                        "realm": REALM,
                        "contract_id": cid,
                        "reference_id": f"SCALE{cid}",
                        "category": rng.choice(CATEGORIES),
                        "location_id": 4000 + rng.randrange(9),
                        "buyer_id": buyer,
                        "seller_id": seller,
                        "begin": begin,
                        "end": end,
                        "status": "Conf",
                    }
                )
                for party in (buyer, seller):
                    names = SUBACCOUNTS.get(party, ["Default"])
                    for p_begin, p_end in periods:
                        stamp = datetime(2015, 12, 1) + timedelta(minutes=rng.randrange(100_000))
                        for h in range(HISTORY + 1):
                            rows.append(
                                {
                                    "realm": REALM,
                                    "customer_id": party,
                                    "contract_id": cid,
                                    "begin": p_begin,
                                    "end": p_end,
                                    "version": stamp + timedelta(days=h),
                                    "subaccount_id": names[h % len(names)],
                                    "current": h == HISTORY,
                                }
                            )
            conn.execute(insert(contract), contracts)
            conn.execute(insert(mapping_version), rows)
        total = conn.execute(
            select(func.count()).select_from(mapping_version).where(mapping_version.c.realm == REALM)
        ).scalar_one()
    engine.dispose()
    return total
