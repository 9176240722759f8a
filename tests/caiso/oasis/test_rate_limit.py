"""OASIS allows one request per 5 seconds from a caller (the pack's rate_limit_seconds); more often
gets HTTP 429. ISOSIM_RATE_LIMIT=false turns it off, as CI runs do."""

from __future__ import annotations

from tests.caiso.oasis.conftest import HOST, NOW, ONE_DAY
from tests.conftest import make_client

QUERY = {
    "queryname": "PRC_LMP",
    "version": "12",
    "market_run_id": "DAM",
    "node": "TH_NP15_GEN-APND",
    **ONE_DAY,
}


def test_a_second_request_within_five_seconds_gets_429(fresh_app):
    with make_client(fresh_app(clock_frozen_at=NOW)) as client:
        assert client.get("/oasisapi/SingleZip", params=QUERY, headers=HOST).status_code == 200
        refused = client.get("/oasisapi/SingleZip", params=QUERY, headers=HOST)
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("text/plain")
        assert 1 <= int(refused.headers["retry-after"]) <= 5
        # Each tenant has its own count (parallel jobs sharing a server do not slow each other).
        other = {**HOST, "X-Isosim-Tenant": "b"}
        assert client.get("/oasisapi/SingleZip", params=QUERY, headers=other).status_code == 200
        assert client.get("/oasisapi/SingleZip", params=QUERY, headers=other).status_code == 429


def test_the_limit_can_be_turned_off(fresh_app):
    with make_client(fresh_app(clock_frozen_at=NOW, rate_limit=False)) as client:
        for _ in range(3):
            assert client.get("/oasisapi/SingleZip", params=QUERY, headers=HOST).status_code == 200
