"""Who may use eMarket, and how it refuses what it cannot read: a participant's certificate (or its
Basic stand-in) with an eMarket role; read-only users query but do not submit; a participant sees
and offers only its own units; malformed, hostile or oversized documents are the caller's error and
change nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import basic
from tests.isone.emarket.conftest import (
    BEFORE_CLOSE,
    CC,
    DAY,
    QRS,
    SANDBOX,
    STAMP,
    VIEWER,
    XYZ,
    clock,
    document,
    hour,
    offers,
    post,
    submit,
    unit_hours,
)

OFFER = offers({"XYZ MILLBROOK CT": [hour(f"{DAY}T00:00:00-04:00", [(30, 57)])]})


def test_no_credentials_get_a_basic_challenge(client: TestClient) -> None:
    answer = client.get(f"{SANDBOX}/supplyoffer?day={STAMP}", headers={"Authorization": "Basic eDp5"})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Basic")
    assert answer.text.startswith("Unauthorized: ")


def test_a_certificate_subject_from_the_proxy_identifies_the_user(client: TestClient) -> None:
    answer = client.get(
        f"{SANDBOX}/supplyoffer?day={STAMP}", headers={"X-SSL-Client-S-DN": "cn=qrs-ibt,o=QRS Ltd,c=US"}
    )
    assert answer.status_code == 200
    assert "QRS RIVERBEND CC" in answer.text and "XYZ" not in answer.text


def test_a_user_without_an_emarket_role_is_forbidden(client: TestClient) -> None:
    answer = client.get(f"{SANDBOX}/supplyoffer?day={STAMP}", headers=basic("tuv-ibt", "tuv-ibt-sandbox"))
    assert answer.status_code == 403
    assert "no eMarket role" in answer.text


def test_read_only_users_query_but_do_not_submit(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert client.get(f"{SANDBOX}/supplyoffer?day={STAMP}", headers=VIEWER).status_code == 200
    answer = post(client, "supplyoffer", OFFER, VIEWER)
    assert answer.status_code == 403
    assert "eMarket Read/Write" in answer.text
    assert (
        unit_hours(document(client, f"supplyoffer?day={STAMP}"), "XYZ MILLBROOK CT")[0].get("source")
        == "STANDING"
    )


def test_a_participant_sees_only_its_own_units(client: TestClient) -> None:
    names = {
        u.findtext("{urn:isosim:isone:emarket:v1}UnitShortName")
        for u in document(client, f"supplyoffer?day={STAMP}", QRS)
    }
    assert names == {"QRS RIVERBEND CC", "QRS RIDGE WIND"}


def test_another_participants_unit_is_rejected_as_unknown(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    outcome = submit(client, "supplyoffer", offers({CC: [hour(f"{DAY}T00:00:00-04:00", [(30, 100)])]}), QRS)
    assert outcome.status == "REJECTED"
    assert outcome.codes() == {"E100"}


def test_unknown_resources_are_404_and_wrong_methods_405(client: TestClient) -> None:
    assert client.get(f"{SANDBOX}/virtualbid?day={STAMP}", headers=XYZ).status_code == 404
    answer = client.delete(f"{SANDBOX}/supplyoffer", headers=XYZ)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, HEAD, POST"
    assert client.post(f"{SANDBOX}/unit/byparticipant", headers=XYZ).status_code == 405


def test_the_day_parameter_is_required_and_checked(client: TestClient) -> None:
    for query in (
        "",
        "?day=2026-03-11",
        "?day=20261340",
        "?day=٢٠٢٦٠٣١١",
        "?day=99991231",
        f"?day={STAMP}&market=XX",
    ):
        answer = client.get(f"{SANDBOX}/supplyoffer{query}", headers=XYZ)
        assert answer.status_code == 400, query
        assert answer.text.startswith("Bad Request: ")


def test_documents_must_be_xml(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    answer = client.post(
        f"{SANDBOX}/supplyoffer", content=OFFER, headers={**XYZ, "Content-Type": "text/plain"}
    )
    assert answer.status_code == 415


def test_malformed_and_invalid_documents_are_400_and_store_nothing(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    bodies = [
        b"",
        b"<SupplyOffers",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><SupplyOffers/>',
        OFFER.replace(b"urn:isosim:isone:emarket:v1", b"urn:other"),
        OFFER.replace(b'market="DA"', b'market="XX"'),
        OFFER.replace(b'price="30"', b'price="1e400"'),
        OFFER.replace(b'price="30"', b'price="123456789012345678"'),
        OFFER.replace(b"T00:00:00-04:00", b"T00:30:00-04:00"),
        OFFER.replace(b"<UnitShortName>", b"<Unit>").replace(b"</UnitShortName>", b"</Unit>"),
        offers({"XYZ MILLBROOK CT": []}),
    ]
    for body in bodies:
        answer = post(client, "supplyoffer", body)
        assert answer.status_code == 400, body
        assert answer.text.startswith("Bad Request: ")
    assert (
        unit_hours(document(client, f"supplyoffer?day={STAMP}"), "XYZ MILLBROOK CT")[0].get("source")
        == "STANDING"
    )


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    assert post(client, "supplyoffer", OFFER + b" " * (5 * 1024 * 1024)).status_code == 413


def test_odd_unicode_in_a_unit_name_is_an_unknown_unit(client: TestClient) -> None:
    clock(client, BEFORE_CLOSE)
    outcome = submit(
        client, "supplyoffer", offers({"XYZ MILLBROOK CT\u200b": [hour(f"{DAY}T00:00:00-04:00", [(30, 57)])]})
    )
    assert outcome.status == "REJECTED" and outcome.codes() == {"E100"}
