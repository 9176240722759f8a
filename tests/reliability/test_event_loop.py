"""The event loop is never blocked: while one request waits on a write lock another database client
holds, the same server keeps answering other clients (its health check, and reads), and the waiting
request completes once the lock is let go. Ordering, not timing: the health check must answer while
the POST is still waiting (bench/event_loop.py measures the latencies)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from tests.conftest import IBT, IBT_CONTENT_TYPE, as_customer, sample


@contextmanager
def write_lock_held_elsewhere(app: FastAPI) -> Iterator[None]:
    """Another client of the database holds the lock the IBT POST needs, until the block ends."""
    url = app.state.runtime.engine.url
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")  # SQLite's one writer lock
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = create_engine(url)
    with engine.connect() as conn, conn.begin():
        # Writers wait on it; readers (ACCESS SHARE) do not.
        conn.execute(text("LOCK TABLE ibt_mapping_version IN EXCLUSIVE MODE"))
        yield
    engine.dispose()


def test_other_clients_are_answered_while_a_post_waits_on_a_lock(
    app: FastAPI, live_servers: list[str]
) -> None:
    base = live_servers[0]
    posted: dict[str, httpx.Response] = {}

    def post() -> None:
        posted["answer"] = httpx.post(
            f"{base}{IBT}/1/contractSubaccountMappings",
            content=sample("3.2.8-mappings-post-request.xml"),
            headers={"Content-Type": IBT_CONTENT_TYPE, **as_customer(1)},
            timeout=60,
        )

    with write_lock_held_elsewhere(app):
        poster = threading.Thread(target=post)
        poster.start()
        for _ in range(5):
            assert httpx.get(f"{base}/_isosim/health", timeout=10).status_code == 200
            assert (
                httpx.get(f"{base}{IBT}/1/subaccounts", headers=as_customer(1), timeout=10).status_code == 200
            )
        assert poster.is_alive() and "answer" not in posted  # still waiting on the lock
    poster.join(60)
    assert posted["answer"].status_code == 200, posted["answer"].text
