"""Access as ISO-NE's web services grant it: HTTP Basic with an ISO Express account, anything else
401 with `WWW-Authenticate: Basic` and an HTML body; unknown paths 404; documented resources isosim
does not serve yet 501; XML by default, JSON by suffix or Accept."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.isone.webservices.conftest import BASE, auth, get


@pytest.mark.parametrize(
    "headers",
    [
        {},
        auth("analyst@example.com", "wrong"),
        auth("nobody@example.com", "x"),
        {"Authorization": "Bearer x"},
    ],
)
def test_without_an_iso_express_account_every_path_is_401(feeds: TestClient, headers: dict) -> None:
    for path in ("/locations", "/hourlylmp/da/final/day/20210816", "/nosuch", "/"):
        answer = feeds.get(BASE + path, headers=headers)
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"].startswith("Basic")
        assert answer.headers["content-type"] == "text/html;charset=utf-8"


def test_unknown_paths_are_404_and_unserved_resources_501(feeds: TestClient) -> None:
    for path in ("/openapi.json", "/swagger.json", "/api-docs", "/hourlylmp/da/final/day"):
        assert get(feeds, path).status_code == 404, path
    not_yet = get(feeds, "/fcmabp/current")  # documented, outside the core set
    assert not_yet.status_code == 501 and "fcmabp" in not_yet.text
    assert not_yet.headers["content-type"] == "text/html;charset=utf-8"


@pytest.mark.parametrize(
    "day",
    ["2021081", "20211301", "2021-08-16", "99991231", "\uff12\uff10\uff12\uff11\uff10\uff18\uff11\uff16"],
)
def test_a_malformed_day_is_400(feeds: TestClient, day: str) -> None:
    answer = get(feeds, f"/hourlylmp/da/final/day/{day}")
    assert answer.status_code == 400 and "Traceback" not in answer.text


def test_a_bare_resource_redirects_to_its_info(feeds: TestClient) -> None:
    answer = get(feeds, "/hourlylmp/da/final")
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("/api/v1.1/hourlylmp/da/final/info")


def test_xml_by_default_json_by_suffix_or_accept(feeds: TestClient) -> None:
    assert get(feeds, "/locations").headers["content-type"].startswith("application/xml")
    assert get(feeds, "/locations.xml").headers["content-type"].startswith("application/xml")
    assert get(feeds, "/locations.json").headers["content-type"].startswith("application/json")
    accepted = get(feeds, "/locations", Accept="application/json")
    assert accepted.headers["content-type"].startswith("application/json")
    assert accepted.content == get(feeds, "/locations.json").content


def test_the_real_host_name_reaches_the_production_pack(feeds: TestClient) -> None:
    answer = feeds.get("/api/v1.1/locations.json", headers={**auth(), "Host": "webservices.iso-ne.com"})
    assert answer.status_code == 200 and answer.json()["Locations"]["Location"][0]["LocationID"] == 32


def test_the_sandbox_pack_has_no_web_services(feeds: TestClient) -> None:
    answer = feeds.get("/env/isone-sandbox/api/v1.1/locations", headers=auth())
    assert answer.status_code == 404
