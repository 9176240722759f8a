"""Never a bare 500, never a traceback: numbers and dates out of range or oddly written get each
service's own client error; the control plane refuses what it cannot hold (a refused change leaves
things as they were) and no clock it accepts makes a service fail; anything a service fails to handle
is answered in its own error format, the traceback in the server's log only. A property test throws
arbitrary text at every query parameter and path segment."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote
from xml.sax.saxutils import quoteattr

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import IBT, as_customer, basic, make_client

ODD = [
    "9" * 5000,
    "²",
    "٣",
    "\U0001d7d9",
    "18446744073709551617",
    "-9223372036854775809",
    "1e400",
    " 1",
    "1 ",
    "",
]
OASIS = (
    "/env/caiso-production/oasisapi/SingleZip?queryname=PRC_LMP&market_run_id=DAM&node=TH_NP15_GEN-APND"
    "&resultformat=6"
)
DAY = "&startdatetime=20261110T08:00-0000&enddatetime=20261111T08:00-0000"
ISONE_API = "/env/isone-production/api/v1.1"
ISONE_AUTH = basic("analyst@example.com", "isoexpress-sandbox")
EMARKET = "/env/isone-sandbox/emktmui/webservices/rest"
XML = {"Content-Type": "application/xml"}


def emarket_bid(bid_id: str, time: str) -> bytes:
    """A demand bid document carrying arbitrary text where a bid id and an hour go."""
    return (
        f'<DemandBids xmlns="urn:isosim:isone:emarket:v1" day="2015-07-12"><DemandBid ID="4001" '
        f'bidType="PRICE" bidId={quoteattr(bid_id)}><HourlyProfile><Hour time={quoteattr(time)}>'
        '<Segment MW="1" price="1"/></Hour></HourlyProfile></DemandBid></DemandBids>'
    ).encode("utf-8", "surrogatepass")


def oasis_error(answer) -> str:  # type: ignore[no-untyped-def]
    """The OASIS error code an answer carries (it always answers 200 with a zip)."""
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/x-zip-compressed"
    member = zipfile.ZipFile(io.BytesIO(answer.content))
    assert member.namelist() == ["INVALID_REQUEST.xml"]
    text = member.read("INVALID_REQUEST.xml").decode()
    return text.split("<m:ERR_CODE>")[1].split("<")[0]


@pytest.mark.parametrize("odd", ODD, ids=[f"odd{n}" for n in range(len(ODD))])
def test_odd_numbers_get_each_services_own_client_error(client: TestClient, odd: str) -> None:
    auth = as_customer(1)
    for path in (f"{IBT}/{odd}/subaccounts", f"{IBT}/1/contractSubaccountMappings/{odd}"):
        answer = client.get(path, headers=auth)
        assert answer.status_code in (404, 405) and answer.headers["content-type"].startswith("text/plain"), (
            path
        )
    for name in ("start", "limit", "page", "location_id", "contract_id"):
        answer = client.get(f"{IBT}/1/contractSubaccountMappings", params={name: odd}, headers=auth)
        assert answer.status_code == 400 and answer.text.startswith("Bad Request"), (name, answer.text[:80])
    assert oasis_error(client.get(f"{OASIS}&version={odd}{DAY}")) == "1020"


@pytest.mark.parametrize("year", ["0001", "1899", "9999"])
def test_dates_outside_the_markets_years_are_client_errors(client: TestClient, year: str) -> None:
    auth = as_customer(1)
    answer = client.get(
        f"{IBT}/1/contractSubaccountMappings", params={"start_date": f"01/01/{year}"}, headers=auth
    )
    assert answer.status_code == 400 and "mm/dd/yyyy" in answer.text
    window = f"&startdatetime={year}0101T00:00-0000&enddatetime={year}0102T00:00-0000"
    assert oasis_error(client.get(f"{OASIS}&version=12{window}")) == "1002"
    assert client.get(f"/env/caiso-production/outlook/history/{year}0101/demand.csv").status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"frozen_at": "0001-01-01T00:00:00Z"},
        {"frozen_at": "9999-12-31T23:59:59Z"},
        {"at": "2099-12-31T00:00:00Z", "rate": 1e7},
        {"offset_seconds": 1e300},
        {"offset_seconds": 10**20},
        {"rate": 0},
    ],
)
def test_the_clock_refuses_what_it_cannot_hold_and_stays_as_it_was(client: TestClient, change: dict) -> None:
    assert client.put("/_isosim/clock", json={"frozen_at": "2026-11-18T18:00:00Z"}).status_code == 200
    before = client.get("/_isosim/clock").json()
    assert client.put("/_isosim/clock", json=change).status_code == 422
    assert client.get("/_isosim/clock").json() == before


def test_a_non_finite_number_in_control_json_is_a_422(client: TestClient) -> None:
    for path, body in (
        ("/_isosim/clock", '{"offset_seconds": 1e400}'),
        ("/_isosim/faults", '{"action": "latency", "latency_ms": 1e400}'),
        ("/_isosim/faults", '{"action": "error", "status": 500, "probability": NaN}'),
    ):
        method = client.put if path.endswith("clock") else client.post
        answer = method(path, content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, (path, answer.text)
    assert client.get("/_isosim/faults").json() == []


def test_fault_rules_are_bounded(client: TestClient) -> None:
    too_slow = client.post("/_isosim/faults", json={"action": "latency", "latency_ms": 600_001})
    assert too_slow.status_code == 422
    for _ in range(1000):
        assert client.post("/_isosim/faults", json={"path": "/nowhere", "action": "drop"}).status_code == 201
    refused = client.post("/_isosim/faults", json={"path": "/nowhere", "action": "drop"})
    assert refused.status_code == 422 and "at most 1000" in refused.text
    assert len(client.get("/_isosim/faults").json()) == 1000
    client.delete("/_isosim/faults")


@pytest.mark.parametrize("status", [430, 499, 520, 599])
def test_an_error_fault_with_a_status_http_does_not_name_is_answered(client: TestClient, status: int) -> None:
    client.put("/_isosim/clock", json={"frozen_at": "2026-11-18T18:00:00Z"})
    assert client.post("/_isosim/faults", json={"action": "error", "status": status}).status_code == 201
    answers = {
        "ibt": client.get(f"{IBT}/1/subaccounts", headers=as_customer(1)),
        "oasis": client.get(OASIS + DAY),
        "outlook": client.get("/env/caiso-production/outlook/history/20261110/demand.csv"),
        "soap": client.post("/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_DocAttach_AP"),
    }
    client.delete("/_isosim/faults")
    for service, answer in answers.items():
        assert answer.status_code == status, service
        assert "fault injected by isosim" in answer.text and "Traceback" not in answer.text, service


@pytest.mark.parametrize("instant", ["1990-01-01T00:00:00Z", "2099-12-31T23:00:00Z"])
def test_no_clock_the_control_plane_accepts_makes_a_service_fail(client: TestClient, instant: str) -> None:
    assert client.put("/_isosim/clock", json={"frozen_at": instant}).status_code == 200
    day = instant[:10].replace("-", "")
    for path in (
        f"{IBT}/1/subaccounts",
        f"{OASIS}&version=12&startdatetime={day}T08:00-0000&enddatetime={day}T09:00-0000",
        "/env/caiso-production/outlook/current/demand.csv",
        "/env/caiso-production/outlook/current/fuelsource.csv",
    ):
        assert client.get(path, headers=as_customer(1)).status_code < 500, path


def test_what_a_service_fails_to_handle_is_answered_in_its_own_format(fresh_app, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from isosim.caiso.oasis import routes as oasis_routes
    from isosim.isone.ibt import rules

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("SELECT secret FROM somewhere")

    monkeypatch.setattr(rules, "subaccounts", broken)
    monkeypatch.setattr(oasis_routes.OasisService, "_single", broken)
    client = make_client(fresh_app(rate_limit=False))
    answer = client.get(f"{IBT}/1/subaccounts", headers=as_customer(1))
    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/plain")
    assert answer.text.startswith("Internal Server Error: the simulator could not answer")
    assert "SELECT" not in answer.text and "Traceback" not in answer.text
    assert "SELECT secret" in caplog.text  # the server's log has it
    oasis = client.get(f"{OASIS}&version=12{DAY}")
    assert oasis.status_code == 500 and "SELECT" not in oasis.text


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def _oasis_day() -> dict[str, str]:
    query = dict(part.split("=", 1) for part in (OASIS + DAY).split("?", 1)[1].split("&"))
    return query


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    segment=TEXT,
    name=st.sampled_from(
        [
            "start",
            "limit",
            "page",
            "contract_id",
            "start_date",
            "end_date",
            "category",
            "reference_id",
            "location_id",
            "party_id",
            "subaccount_id",
        ]
    ),
    value=TEXT,
    oasis=st.sampled_from(
        [
            "queryname",
            "market_run_id",
            "node",
            "version",
            "resultformat",
            "startdatetime",
            "enddatetime",
            "groupid",
            "grp_type",
            "execution_type",
            "tac_area_name",
            "resource_id",
        ]
    ),
)
def test_any_text_anywhere_gets_no_500_and_changes_nothing(
    client: TestClient, segment: str, name: str, value: str, oasis: str
) -> None:
    before = client.get("/_isosim/snapshot?pack=isone-sandbox").content
    auth = as_customer(1)
    answers = [
        client.get(f"{IBT}/{quote(segment, safe='')}/subaccounts", headers=auth),
        client.get(f"{IBT}/1/contractSubaccountMappings/{quote(segment, safe='')}", headers=auth),
        client.get(f"{IBT}/1/contractSubaccountMappings", params={name: value}, headers=auth),
        client.get(OASIS + DAY, params={name: value, "version": value, "startdatetime": value}),
        client.get("/env/caiso-production/oasisapi/SingleZip", params={**_oasis_day(), oasis: value}),
        client.get(
            "/env/caiso-production/oasisapi/GroupZip", params={"groupid": "PUB_DAM_GRP", oasis: value}
        ),
        client.get(f"/env/caiso-production/sst/cmri/{quote(segment, safe='')}"),
        client.post(f"/env/caiso-production/sst/cmri/{quote(segment, safe='')}", content=value.encode()),
        client.get(f"{ISONE_API}/hourlylmp/da/final/day/{quote(segment, safe='')}", headers=ISONE_AUTH),
        client.get(
            f"{ISONE_API}/fiveminutelmp/{quote(segment, safe='')}/current/location/{quote(value, safe='')}",
            headers=ISONE_AUTH,
        ),
        client.get(
            f"{ISONE_API}/hourlysysload/day/20210816/hour/{quote(segment, safe='')}", headers=ISONE_AUTH
        ),
        *(
            client.get(
                f"{ISONE_API}{path.format(s=quote(segment, safe=''), v=quote(value, safe=''))}",
                headers=ISONE_AUTH,
            )
            for path in (
                "/fifteenminuteconstraints/{s}/month/{v}",
                "/fcmmra/cp/{s}/month/{v}",
                "/hbfcmara/cp/{s}/ara/{v}",
                "/ncpc/{s}/day/{v}",
                "/whlsecost/monthly/month/{s}/location/{v}",
                "/hbimportexport/marketType/{s}/day/{v}",
                "/hbforwardreserveauctionoffer/season/{s}",
                "/morningreport/day/20150710/reportType/{s}",
                "/hbdayaheaddemandbid/day/{s}/bidType/{v}",
            )
        ),
        client.get("/env/isone-production/transform/csv/sphf", params={"start": segment}),
        client.get(
            "/env/isone-production/transform/csv/fiveminreserveprice", params={"start": value, "end": segment}
        ),
        client.get(f"/env/isone-production/static-transform/csv/histRpts/da-lmp/{quote(segment, safe='')}"),
        client.get(
            "/env/isone-production/transform/csv/fiveminutesystemload",
            params={"start": value, "end": segment},
        ),
        client.post(
            "/env/isone-production/ws/wsclient",
            data={"_nstmp_requestType": "systemload", "_nstmp_startDate": value, "_nstmp_endDate": segment},
        ),
        client.post(
            "/env/isone-production/ws/wsclient",
            data={"_nstmp_requestType": "url", "_nstmp_requestUrl": "/" + value},
        ),
        client.get(f"/env/caiso-production/outlook/history/{quote(segment, safe='')}/demand.csv"),
        client.get(f"{EMARKET}/{quote(segment, safe='')}", params={"day": value}),
        client.get(f"{EMARKET}/supplyoffer", params={"day": value, "market": segment}),
        client.get(f"{EMARKET}/mitigation", params={"day": "20150712", "market": segment}),
        client.post(f"{EMARKET}/supplyoffer", content=value.encode(), headers=XML),
        client.post(f"{EMARKET}/demandbid", content=emarket_bid(segment, value), headers=XML),
        client.put("/_isosim/clock", json={"frozen_at": value}),
        client.post("/_isosim/faults", json={"path": value, "action": value}),
    ]
    for answer in answers:
        assert answer.status_code < 500, (answer.request.url, answer.status_code, answer.text[:200])
    client.delete("/_isosim/faults")
    client.put("/_isosim/clock", json={"frozen_at": "2015-07-11T12:01:22Z"})
    assert client.get("/_isosim/snapshot?pack=isone-sandbox").content == before


# Any JSON a client could send: nested, huge and non-finite numbers included.
def _nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3)


JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**64, -(2**63) - 1, 10**400])
    | st.floats()
    | TEXT,
    _nested,
    max_leaves=6,
)
CLOCK_FIELDS = ("frozen_at", "at", "rate", "offset_seconds")
# Each fault field: values a rule would hold, mixed with anything at all (valid rules must be common,
# or the service call below would rarely meet one). Delays stay short or out of bounds.
DELAY = st.floats(0, 5) | st.sampled_from([600_001, -1, 1e400, "5", None])
FAULT = st.fixed_dictionaries(
    {},
    optional={
        "action": st.sampled_from(["error", "latency", "drop"]) | JSON_VALUE,
        "status": st.integers(0, 1000) | JSON_VALUE,
        "latency_ms": DELAY,
        "latency_ms_max": DELAY,
        "path": st.sampled_from(["*", "/sms_oper_contract/*"]) | TEXT,
        "pack": st.sampled_from(["isone-sandbox", "nope"]) | JSON_VALUE,
        "method": st.sampled_from(["GET", "get"]) | JSON_VALUE,
        "operation": JSON_VALUE,
        "identity": st.sampled_from(["xyz-ibt"]) | JSON_VALUE,
        "message": TEXT | st.text(min_size=1001, max_size=1001) | JSON_VALUE,
        "probability": st.floats(0, 1) | JSON_VALUE,
        "seed": st.integers() | JSON_VALUE,
        "count": st.integers() | JSON_VALUE,
        "unknown": JSON_VALUE,
    },
)
JOURNAL_FIELDS = ("pack", "tenant", "identity", "method", "path", "status", "since_id", "limit")


def _base_state(client: TestClient) -> object:
    return client.get("/_isosim/snapshot?pack=isone-sandbox").json()["realms"]["isone-sandbox"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    clock=st.dictionaries(st.sampled_from(CLOCK_FIELDS), JSON_VALUE, max_size=3),
    fault=FAULT,
    journal=st.dictionaries(st.sampled_from(JOURNAL_FIELDS), TEXT, max_size=4),
    segment=TEXT,
    pack=TEXT,
)
def test_any_value_of_any_control_field_gets_no_500(
    client: TestClient, clock: dict, fault: dict, journal: dict, segment: str, pack: str
) -> None:
    import json

    before = _base_state(client)
    typed = {"Content-Type": "application/json"}
    answers = [
        client.put("/_isosim/clock", content=json.dumps(clock), headers=typed),
        client.get("/_isosim/journal", params=journal),
        client.get("/_isosim/journal/count", params=journal),
        client.get("/_isosim/snapshot", params={"pack": pack}),
        client.post("/_isosim/reset", params={"pack": pack, "tenant": segment}),
        client.delete(f"/_isosim/tenants/{quote(segment, safe='')}"),
        client.delete(f"/_isosim/faults/{quote(segment, safe='')}"),
    ]
    for answer in answers:
        assert answer.status_code < 500, (answer.request.url, answer.status_code, answer.text[:200])
    added = client.post("/_isosim/faults", content=json.dumps(fault), headers=typed)
    assert added.status_code in (201, 404, 422), added.text[:200]
    # Whatever rule was taken, a service answers: its chosen status in the service's format, or normally.
    taken = added.json() if added.status_code == 201 else None
    if taken is None or taken["action"] != "drop":  # a dropped connection has no answer
        served = client.get(f"{IBT}/1/subaccounts", headers=as_customer(1))
        fired = client.get("/_isosim/journal", params={"limit": 1}).json()["entries"][-1]["fault"]
        if fired is not None and taken is not None and taken["action"] == "error":
            assert served.status_code == taken["status"] and "Traceback" not in served.text
        else:
            assert served.status_code < 500, served.text[:200]
    client.delete("/_isosim/faults")
    client.put("/_isosim/clock", json={"frozen_at": "2015-07-11T12:01:22Z"})
    if segment and pack in ("", "isone-sandbox"):
        client.delete(f"/_isosim/tenants/{quote(segment, safe='')}")
    assert _base_state(client) == before
