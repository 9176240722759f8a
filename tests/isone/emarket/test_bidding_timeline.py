"""The bidding timeline on the simulated clock (seed 003, Eastern prevailing time): the day-ahead
window for an operating day closes at 10:00 the day before; nothing is bid for any day between
10:00 and 18:30; re-offers open at 18:30 the day before and lock each hour 30 minutes before it
begins. Every time is a pack setting. Outside its window a submission changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import make_client
from tests.isone.emarket.conftest import (
    CC,
    CT,
    DAY,
    STAMP,
    XYZ,
    clock,
    document,
    hour,
    offers,
    submit,
    unit_hours,
    units_document,
)

MIDNIGHT = f"{DAY}T00:00:00-04:00"
LATER_DAY = "2026-03-13"


def _offer(client: TestClient, day: str = DAY, market: str = "DA", when: str | None = None):
    when = when or f"{day}T00:00:00-04:00"
    return submit(client, "supplyoffer", offers({CT: [hour(when, [(44, 57)])]}, day=day, market=market))


def _source(client: TestClient, day_stamp: str = STAMP, when: str = MIDNIGHT) -> str:
    hours = unit_hours(document(client, f"supplyoffer?day={day_stamp}"), CT)
    return next(h for h in hours if h.get("time") == when).get("source")


def test_the_day_ahead_window_closes_at_10_on_the_day_before(client: TestClient) -> None:
    clock(client, "2026-03-10T13:59:59Z")  # 09:59:59 EDT
    assert _offer(client).status == "ACCEPTED"
    clock(client, "2026-03-10T14:00:00Z")  # 10:00 EDT
    outcome = _offer(client)
    assert outcome.status == "REJECTED" and outcome.codes() == {"E110"}
    assert "closed at 2026-03-10T10:00:00-04:00" in outcome.messages[0]["text"]


def test_a_refused_submission_changes_nothing(client: TestClient) -> None:
    clock(client, "2026-03-10T14:00:00Z")
    assert _offer(client).status == "REJECTED"
    assert _source(client) == "STANDING"


def test_no_day_can_be_bid_between_10_and_18_30(client: TestClient) -> None:
    for instant in ("2026-03-10T14:00:00Z", "2026-03-10T18:00:00Z", "2026-03-10T22:29:59Z"):
        clock(client, instant)
        outcome = _offer(client, LATER_DAY)
        assert outcome.codes() == {"E110"}, instant
        assert "reopens at 2026-03-10T18:30:00-04:00" in outcome.messages[0]["text"]
    clock(client, "2026-03-10T22:30:00Z")  # 18:30 EDT: bidding for the day after next reopens
    assert _offer(client, LATER_DAY).status == "ACCEPTED"
    assert _source(client, "20260313", f"{LATER_DAY}T00:00:00-04:00") == "SUBMITTED"


def test_the_window_follows_eastern_standard_time_in_winter(client: TestClient) -> None:
    # Operating day 2026-01-15 (EST, UTC-5): closes at 10:00 EST = 15:00Z on 01-14.
    clock(client, "2026-01-14T14:59:00Z")
    assert _offer(client, "2026-01-15", when="2026-01-15T00:00:00-05:00").status == "ACCEPTED"
    clock(client, "2026-01-14T15:00:00Z")
    assert _offer(client, "2026-01-15", when="2026-01-15T00:00:00-05:00").codes() == {"E110"}


def test_schedule_detail_and_demand_bids_follow_the_day_ahead_window(client: TestClient) -> None:
    detail = units_document(
        "ScheduleDetails", "ScheduleDetail", {CC: [hour(MIDNIGHT, status="UNAVAILABLE")]}, market=None
    )
    bid = (
        f'<DemandBids xmlns="urn:isosim:isone:emarket:v1" day="{DAY}">'
        '<DemandBid ID="4001" bidType="FIXED" bidId="L1">'
        f"<HourlyProfile>{hour(MIDNIGHT, [(None, 100)])}</HourlyProfile></DemandBid></DemandBids>"
    ).encode()
    clock(client, "2026-03-10T14:00:00Z")
    assert submit(client, "scheduledetail", detail).codes() == {"E110"}
    assert submit(client, "demandbid", bid).codes() == {"E110"}
    clock(client, "2026-03-10T13:00:00Z")
    assert submit(client, "scheduledetail", detail).status == "ACCEPTED"
    assert submit(client, "demandbid", bid).status == "ACCEPTED"


def test_re_offers_open_at_18_30_the_day_before(client: TestClient) -> None:
    clock(client, "2026-03-10T22:29:00Z")
    outcome = _offer(client, market="RT")
    assert outcome.codes() == {"E111"} and "open at 2026-03-10T18:30:00-04:00" in outcome.messages[0]["text"]
    clock(client, "2026-03-10T22:30:00Z")
    assert _offer(client, market="RT").status == "ACCEPTED"


def test_each_hour_locks_30_minutes_before_it_begins(client: TestClient) -> None:
    # Seed 003's example: at 13:35 the hours ending 14 and 15 are locked; HE16 (15:00) is not.
    clock(client, "2026-03-11T17:35:00Z")  # 13:35 EDT
    body = offers({CT: [hour(f"{DAY}T{h}:00:00-04:00", [(44, 57)]) for h in ("13", "14", "15")]}, market="RT")
    outcome = submit(client, "supplyoffer", body)
    assert outcome.status == "REJECTED"
    assert {(m["code"], m["time"]) for m in outcome.messages} == {
        ("E111", f"{DAY}T13:00:00-04:00"),
        ("E111", f"{DAY}T14:00:00-04:00"),
    }
    assert (
        submit(
            client, "supplyoffer", offers({CT: [hour(f"{DAY}T15:00:00-04:00", [(44, 57)])]}, market="RT")
        ).status
        == "ACCEPTED"
    )
    clock(client, "2026-03-11T18:30:00Z")  # 14:30 EDT: now the hour beginning 15:00 locks
    assert submit(
        client, "supplyoffer", offers({CT: [hour(f"{DAY}T15:00:00-04:00", [(45, 57)])]}, market="RT")
    ).codes() == {"E111"}


def test_the_last_hour_locks_at_22_30_on_the_operating_day(client: TestClient) -> None:
    last = f"{DAY}T23:00:00-04:00"
    clock(client, "2026-03-12T02:29:00Z")  # 22:29 EDT
    assert _offer(client, market="RT", when=last).status == "ACCEPTED"
    clock(client, "2026-03-12T02:30:00Z")
    assert _offer(client, market="RT", when=last).codes() == {"E111"}


def test_every_time_is_a_pack_setting(tmp_path: Path, fresh_app) -> None:  # type: ignore[no-untyped-def]
    """ISO-NE filed in 2020 to close the window 30 minutes later: da_close = "10:30"."""
    root = Path(__file__).resolve().parents[3] / "fixtures"
    pack = tmp_path / "packs" / "isone-sandbox"
    shutil.copytree(root / "isone-sandbox", pack, symlinks=False)
    manifest = pack / "pack.toml"
    text = manifest.read_text().replace(
        'reference_levels = "emarket/reference_levels.csv"\n',
        'reference_levels = "emarket/reference_levels.csv"\nda_close = "10:30"\nreoffer_lock_minutes = 60\n',
    )
    manifest.write_text(text)
    client = make_client(fresh_app(pack_dirs=[tmp_path / "packs"], packs=["isone-sandbox"]))
    clock(client, "2026-03-10T14:15:00Z")  # 10:15 EDT: open under this pack's setting
    assert _offer(client).status == "ACCEPTED"
    clock(client, "2026-03-10T14:30:00Z")
    assert _offer(client).codes() == {"E110"}
    clock(client, "2026-03-11T17:05:00Z")  # 13:05 EDT: the 14:00 hour locked at 13:00
    assert _offer(client, market="RT", when=f"{DAY}T14:00:00-04:00").codes() == {"E111"}
    assert _offer(client, market="RT", when=f"{DAY}T15:00:00-04:00").status == "ACCEPTED"
    assert (
        client.get(
            f"/env/isone-sandbox/emktmui/webservices/rest/supplyoffer?day={STAMP}", headers=XYZ
        ).status_code
        == 200
    )
