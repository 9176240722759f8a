"""The in-memory database (`ISOSIM_DATABASE_URL=memory`, one SQLite connection every thread shares)
under concurrency: resets, exports, reads and tenants' first requests from six threads at once never
fail (each transaction waits for the connection's turn)."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from tests.conftest import IBT, as_customer


def test_concurrent_resets_exports_and_reads_never_fail(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(database_url="sqlite://", rate_limit=False), raise_server_exceptions=False)
    failures: list[tuple[str, int]] = []

    def work(n: int) -> None:
        for _ in range(10):
            for answer in (
                client.post("/_isosim/reset"),
                client.get("/_isosim/snapshot?pack=isone-sandbox"),
                client.get(f"{IBT}/1/subaccounts", headers=as_customer(1)),
                client.get(
                    f"{IBT}/1/contractSubaccountMappings",
                    headers={**as_customer(1), "X-Isosim-Tenant": f"t{n}"},
                ),
            ):
                if answer.status_code >= 500:
                    failures.append((answer.request.url.path, answer.status_code))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
