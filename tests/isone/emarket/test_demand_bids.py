"""Day-ahead demand bids (EMARKET.md 3.1, 4.1, P5): by location `ID` and `bidType`, FIXED (one MW
quantity, no price) or PRICE (up to 10 price/MW pairs, prices falling as MW rise); at most 10
price-sensitive bids per participant and hour; an hour sent with no segment withdraws the bid."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.isone.emarket.conftest import (
    BEFORE_CLOSE,
    DAY,
    QRS,
    STAMP,
    XYZ,
    clock,
    document,
    hour,
    segments_of,
    submit,
)

MIDNIGHT = f"{DAY}T00:00:00-04:00"


def _bids(*bids: tuple[str, int, str, list]) -> bytes:
    body = "".join(
        f'<DemandBid ID="{location}" bidType="{kind}" bidId="{bid_id}">'
        f"<HourlyProfile>{hour(MIDNIGHT, segments)}</HourlyProfile></DemandBid>"
        for bid_id, location, kind, segments in bids
    )
    return f'<DemandBids xmlns="urn:isosim:isone:emarket:v1" day="{DAY}">{body}</DemandBids>'.encode()


def _stored(client: TestClient, headers: dict[str, str] = XYZ) -> dict[str, tuple]:
    root = document(client, f"demandbid?day={STAMP}", headers)
    return {
        b.get("bidId"): (b.get("ID"), b.get("bidType"), segments_of(b.find("{*}HourlyProfile/{*}Hour")))
        for b in root
    }


def test_fixed_and_price_sensitive_bids_are_stored_per_participant(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    outcome = submit(
        client,
        "demandbid",
        _bids(("FIX1", 4001, "FIXED", [(None, 250)]), ("PS1", 4004, "PRICE", [(80, 50), (40, 120)])),
    )
    assert outcome.status == "ACCEPTED"
    assert _stored(client) == {
        "FIX1": ("4001", "FIXED", [(None, 250.0)]),
        "PS1": ("4004", "PRICE", [(80.0, 50.0), (40.0, 120.0)]),
    }
    assert _stored(client, QRS) == {}


def test_a_fixed_bid_is_one_quantity_without_a_price(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert submit(client, "demandbid", _bids(("F", 4001, "FIXED", [(30, 250)]))).codes() == {"E152"}
    assert submit(client, "demandbid", _bids(("F", 4001, "FIXED", [(None, 100), (None, 250)]))).codes() == {
        "E152"
    }


def test_price_sensitive_bids_fall_in_price_within_floor_and_cap(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert submit(client, "demandbid", _bids(("P", 4001, "PRICE", [(40, 50), (80, 120)]))).codes() == {"E123"}
    assert submit(client, "demandbid", _bids(("P", 4001, "PRICE", [(1000.5, 50)]))).codes() == {"E121"}
    assert submit(client, "demandbid", _bids(("P", 4001, "PRICE", [(None, 50)]))).codes() == {"E124"}
    eleven = [(100 - n, 10 * (n + 1)) for n in range(11)]
    assert submit(client, "demandbid", _bids(("P", 4001, "PRICE", eleven))).codes() == {"E122"}


def test_at_most_ten_price_sensitive_bids_per_hour(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    ten = [(f"P{n}", 4001, "PRICE", [(50, 10)]) for n in range(10)]
    assert submit(client, "demandbid", _bids(*ten)).status == "ACCEPTED"
    outcome = submit(client, "demandbid", _bids(("P10", 4002, "PRICE", [(50, 10)])))
    assert outcome.status == "REJECTED" and outcome.codes() == {"E150"}
    # fixed bids do not count; withdrawing one price-sensitive bid makes room
    assert submit(client, "demandbid", _bids(("F", 4002, "FIXED", [(None, 10)]))).status == "ACCEPTED"
    assert (
        submit(
            client, "demandbid", _bids(("P0", 4001, "PRICE", []), ("P10", 4002, "PRICE", [(50, 10)]))
        ).status
        == "ACCEPTED"
    )
    assert "P0" not in _stored(client) and "P10" in _stored(client)


def test_a_bid_keeps_its_location_and_type(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert submit(client, "demandbid", _bids(("B", 4001, "PRICE", [(50, 10)]))).status == "ACCEPTED"
    assert submit(client, "demandbid", _bids(("B", 4002, "PRICE", [(50, 10)]))).codes() == {"E171"}


def test_bids_go_to_priced_locations_only(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert submit(client, "demandbid", _bids(("X", 32, "FIXED", [(None, 10)]))).codes() == {"E170"}  # an area
    assert submit(client, "demandbid", _bids(("X", 999999, "FIXED", [(None, 10)]))).codes() == {"E170"}
