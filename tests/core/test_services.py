"""One descriptor per service (app/services.py): a service answers only in the packs that have it (a
404 naming the environment elsewhere, before any identity check); a fault rule naming an operation
fires once the service has named it (SOAP: B2B by its URL, ADS by its Body); a request refused
before it needs state (401, 403, 404, a fault) makes no tenant; every catalogue row is resolved to
its operation at start-up."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from isosim.caiso import catalogue
from tests.caiso.b2b.conftest import call, sample_request
from tests.caiso.soap.conftest import fault
from tests.conftest import IBT, as_customer, basic

TENANT = {"X-Isosim-Tenant": "never-made"}
ALPHA_BIDDER = "CN=sc-alpha-bidder, OU=Trading, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (f"/env/caiso-production{IBT}/1/subaccounts", "IBT in a CAISO pack"),
        ("/env/caiso-sandbox/oasisapi/SingleZip?queryname=PRC_LMP", "OASIS where CAISO has none"),
        ("/env/caiso-sandbox/outlook/current/demand.csv", "Today's Outlook outside Production"),
        ("/env/isone-sandbox/sst/cmri/RetrieveMarketAwards_CMRIv4_AP", "CAISO SOAP in an ISO-NE pack"),
    ],
)
def test_a_service_answers_only_in_the_packs_that_have_it(
    client: TestClient, path: str, service: str
) -> None:
    answer = client.get(path)  # no credentials: the 404 comes before any 401
    assert answer.status_code == 404, service
    assert answer.text.startswith("Not Found: no emulated service at") and "(" in answer.text


def test_a_fault_naming_a_b2b_operation_fires_for_that_operation_only(soap: TestClient) -> None:
    rule = soap.post(
        "/_isosim/faults",
        json={
            "operation": "retrieveMarketAwards_v4",
            "action": "error",
            "status": 503,
            "message": "awards down",
        },
    ).json()
    name = "RetrieveMarketAwards_CMRIv4_AP"
    answer = call(soap, name, sample_request(name))
    assert answer.status_code == 503 and "awards down" in fault(answer)[1]
    other = "RetrieveGasBurnSummaryData_CMRIv1_AP"
    assert call(soap, other, sample_request(other)).status_code == 200
    fired = soap.get("/_isosim/faults").json()
    assert [f["fired"] for f in fired if f["id"] == rule["id"]] == [1]
    (entry,) = soap.get("/_isosim/journal?status=503").json()["entries"]
    assert entry["fault"] == rule["id"]


def test_a_fault_naming_an_ads_operation_fires_when_the_body_names_it(soap: TestClient) -> None:
    soap.post("/_isosim/faults", json={"operation": "getDispatchBatch", "action": "error", "status": 500})

    def ads(operation: str, part: str, value: str):  # type: ignore[no-untyped-def]
        envelope = (
            '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            f'<a:{operation} xmlns:a="urn-com-caiso-ads-webservices-api">'
            f"<{part}>{value}</{part}></a:{operation}>"
            "</s:Body></s:Envelope>"
        )
        headers = {"Content-Type": "text/xml", "X-SSL-Client-S-DN": ALPHA_BIDDER}
        return soap.post("/env/caiso-production/ADS/APIWebService/v7", content=envelope, headers=headers)

    listing = ads("getDispatchBatchesSinceUID", "uid", "-1")
    assert listing.status_code == 200
    assert ads("getDispatchBatch", "batchUID", "DISP-X").status_code == 500


def test_requests_refused_before_they_need_state_make_no_tenant(client: TestClient) -> None:
    wrong = basic("nobody", "wrong")
    assert client.get(f"{IBT}/1/subaccounts", headers={**TENANT, **wrong}).status_code == 401
    assert client.get(f"{IBT}/nowhere", headers={**TENANT, **as_customer(1)}).status_code == 404
    assert client.get("/env/caiso-production/sst/cmri/Nothing_AP", headers=TENANT).status_code in (403, 404)
    assert "never-made" not in {t for ts in client.get("/_isosim/tenants").json().values() for t in ts}
    assert client.get(f"{IBT}/1/subaccounts", headers={**TENANT, **as_customer(1)}).status_code == 200
    assert "never-made" in client.get("/_isosim/tenants").json()["isone-sandbox"]
    client.delete("/_isosim/tenants/never-made")


def test_a_catalogue_row_without_an_operation_stops_the_start(fresh_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = catalogue.endpoints()
    bogus = catalogue.Endpoint("CMRI", "FrobnicateAwards_CMRIv1_AP", "AP", "Fall 2026")
    monkeypatch.setattr(catalogue, "endpoints", lambda: [*real, bogus])
    with pytest.raises(ValueError, match="FrobnicateAwards"):
        fresh_app()
