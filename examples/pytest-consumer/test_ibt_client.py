"""The consumer's tests: each gets its own tenant of the suite's isosim (`isosim.headers`), so tests
and pytest-xdist workers never see each other's state, clock or faults."""

from __future__ import annotations

import os
import urllib.error
from pathlib import Path

import pytest
from ibt_client import IbtClient


def client(isosim) -> IbtClient:  # type: ignore[no-untyped-def]
    return IbtClient(isosim.url, "xyz-ibt", "xyz-ibt-sandbox", isosim.headers)


def test_reads_the_sample_subaccounts(isosim) -> None:  # type: ignore[no-untyped-def]
    assert client(isosim).mapping_count(1) > 0


SAMPLE = (Path(__file__).parent / "sample-post.xml").read_bytes()  # IBT specification 3.2.8


@pytest.mark.parametrize("n", range(6))
def test_each_test_has_its_own_state(isosim, n: int) -> None:  # type: ignore[no-untyped-def]
    # Every test starts from the pack's state, whatever the others posted (the sample POST adds a
    # version to contract 999999's mapping).
    ibt = client(isosim)
    assert ibt.versions(1, 999999) == 2
    ibt.post_mappings(1, SAMPLE)
    assert ibt.versions(1, 999999) == 3
    assert len(isosim.journal(method="POST")) == 1  # this test's requests only


def test_the_clock_starts_where_the_ini_says(isosim) -> None:  # type: ignore[no-untyped-def]
    assert isosim.control.clock()["now"].startswith("2015-07-11T12:01:22")


def test_the_client_retries_a_503(isosim) -> None:  # type: ignore[no-untyped-def]
    isosim.add_fault("error", status=503, count=1, path="/sms_oper_contract/*")
    assert client(isosim).mapping_count(1) > 0
    assert [e["status"] for e in isosim.journal()] == [503, 200]


def test_a_lasting_outage_is_raised(isosim) -> None:  # type: ignore[no-untyped-def]
    isosim.add_fault("error", status=503, path="/sms_oper_contract/*")
    with pytest.raises(urllib.error.HTTPError):
        client(isosim).mapping_count(1)


@pytest.mark.skipif("ISOSIM_URL" in os.environ, reason="the settings are those of the server started here")
def test_the_ini_settings_reach_the_server(isosim) -> None:  # type: ignore[no-untyped-def]
    assert isosim.control.call("GET", "/journal")["capacity"] == 5000
