"""Who may drive the control API, and who may vouch for a client certificate.

Without ISOSIM_CONTROL_TOKEN, state-changing control requests are refused (403) when a web page
could have sent them: a foreign `Origin`, or a `Host` that is not local (DNS rebinding). With the
token, every control request but the probes needs it (401 otherwise). ISOSIM_TRUSTED_PROXIES limits
who may send the identity header."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import IBT

LOCAL = "http://127.0.0.1:8000"
FROZEN = {"frozen_at": "2020-01-01T00:00:00Z"}
CAISO_SUBJECT = "CN=sc-alpha-systems, OU=Systems, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"


def _clock(client: TestClient) -> str:
    return client.get("/_isosim/clock").json()["mode"]  # "real" until a change is taken


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "localhost.evil.example", "[::1].evil"],
)
def test_a_state_change_for_a_foreign_host_name_is_refused(fresh_app, host: str) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(), base_url=LOCAL)
    before = _clock(client)
    response = client.put("/_isosim/clock", json=FROZEN, headers={"Host": host})
    assert response.status_code == 403 and "local host names" in response.json()["detail"]
    assert client.post("/_isosim/reset", headers={"Host": host}).status_code == 403
    assert client.post("/_isosim/faults", json={"action": "error"}, headers={"Host": host}).status_code == 403
    assert _clock(client) == before and client.get("/_isosim/faults").json() == []
    # Reading is not a state change: the same host may look.
    assert client.get("/_isosim/clock", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "isosim:8000", "app.localhost", "10.1.2.3"]
)
def test_local_host_names_may_change_state(fresh_app, host: str) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(), base_url=LOCAL)
    assert client.put("/_isosim/clock", json=FROZEN, headers={"Host": host}).status_code == 200


def test_listed_control_hosts_may_change_state(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(control_hosts="isosim.ci.internal"), base_url=LOCAL)
    assert (
        client.put("/_isosim/clock", json=FROZEN, headers={"Host": "isosim.ci.internal"}).status_code == 200
    )
    assert client.put("/_isosim/clock", json=FROZEN, headers={"Host": "other.ci.internal"}).status_code == 403


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:9999", "http://127.0.0.1"]
)
def test_a_state_change_from_another_sites_page_is_refused(fresh_app, origin: str) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(), base_url=LOCAL)
    before = _clock(client)
    response = client.put("/_isosim/clock", json=FROZEN, headers={"Origin": origin})
    assert response.status_code == 403 and "other sites" in response.json()["detail"]
    assert client.delete("/_isosim/journal", headers={"Origin": origin}).status_code == 403
    assert _clock(client) == before


def test_a_page_served_by_isosim_itself_may_change_state(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(), base_url=LOCAL)
    assert client.put("/_isosim/clock", json=FROZEN, headers={"Origin": LOCAL}).status_code == 200


def test_with_a_token_every_control_request_needs_it(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(control_token="s3cret"), base_url=LOCAL)
    before = _clock_with(client, "s3cret")
    for method, path in [
        ("PUT", "/_isosim/clock"),
        ("GET", "/_isosim/journal"),
        ("GET", "/_isosim/snapshot"),
    ]:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0"}):
            response = client.request(method, path, json=FROZEN, headers=headers)
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert _clock_with(client, "s3cret") == before
    changed = client.put("/_isosim/clock", json=FROZEN, headers={"Authorization": "Bearer s3cret"})
    assert changed.status_code == 200
    other = client.put("/_isosim/clock", json={}, headers={"X-Isosim-Control-Token": "s3cret"})
    assert other.status_code == 200
    # A token replaces the host and origin rules: a remote CI runner that has it may drive isosim.
    remote = {"Authorization": "Bearer s3cret", "Host": "isosim.example.org", "Origin": "http://x.example"}
    assert client.put("/_isosim/clock", json=FROZEN, headers=remote).status_code == 200


def _clock_with(client: TestClient, token: str) -> str:
    return client.get("/_isosim/clock", headers={"Authorization": f"Bearer {token}"}).json()["mode"]


def test_probes_answer_without_the_token(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(control_token="s3cret"))
    assert client.get("/_isosim/health").status_code == 200
    assert client.get("/_isosim/ready").status_code == 200


def test_emulated_services_do_not_need_the_control_token(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app(control_token="s3cret"))
    assert client.get(f"{IBT}/1/subaccounts").status_code == 200


def test_the_identity_header_is_taken_only_from_listed_proxies(fresh_app) -> None:  # type: ignore[no-untyped-def]
    app = fresh_app(trusted_proxies="10.0.0.0/24", default_user=False)
    wsdl = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_DocAttach_AP?wsdl"
    header = {"X-SSL-Client-S-DN": CAISO_SUBJECT}
    proxy = TestClient(app, client=("10.0.0.7", 40000))
    assert proxy.get(wsdl, headers=header).status_code == 200
    stranger = TestClient(app, client=("192.0.2.9", 40000))
    refused = stranger.get(wsdl, headers=header)
    assert refused.status_code == 403  # CAISO's gateway refuses a call without a certificate
    # IBT answers an untrusted header as bad credentials, in its own format.
    ibt = stranger.get(f"{IBT}/1/subaccounts", headers={"X-SSL-Client-S-DN": "CN=xyz"})
    assert ibt.status_code == 401 and ibt.headers["content-type"].startswith("text/plain")
    # Basic credentials do not depend on the caller's address.
    assert (
        stranger.get(f"{IBT}/1/subaccounts", headers=_basic("xyz-ibt", "xyz-ibt-sandbox")).status_code == 200
    )


def _basic(user: str, password: str) -> dict[str, str]:
    from tests.conftest import basic

    return basic(user, password)


def test_without_listed_proxies_any_caller_may_send_the_identity_header(fresh_app) -> None:  # type: ignore[no-untyped-def]
    app = fresh_app(default_user=False)
    wsdl = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_DocAttach_AP?wsdl"
    stranger = TestClient(app, client=("192.0.2.9", 40000))
    assert stranger.get(wsdl, headers={"X-SSL-Client-S-DN": CAISO_SUBJECT}).status_code == 200
