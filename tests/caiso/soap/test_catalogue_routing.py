"""Every SOAP endpoint of the catalogue answers at its URL in every environment pack whose
environment lists its application (environments.tsv), and nowhere else. Each reaches its own
application (tests/caiso/b2b calls every one with valid documents); an endpoint whose application
is not emulated would answer 501 with a SOAP fault that names it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from isosim.caiso import catalogue
from isosim.caiso.soap.routes import HANDLERS
from tests.caiso.soap.conftest import BID_RESULTS, cert, envelope, fault

PACKS = {
    "Production": "caiso-production",
    "Production ECN": "caiso-production-ecn",
    "MAP Stage": "caiso-mapstage",
    "Sandbox": "caiso-sandbox",
}


def _payload(route: catalogue.Route) -> str:
    if route.endpoint.variant == "operation":  # ADS: the first call of its polling cycle
        call = "getDispatchBatchesSinceUID"
        return f'<a:{call} xmlns:a="urn-com-caiso-ads-webservices-api"><uid>-1</uid></a:{call}>'
    return "<Probe/>"


def _signer(route: catalogue.Route) -> str | None:
    return None if route.endpoint.variant == "operation" else "sc-alpha-systems"


def _answered(route: catalogue.Route, response) -> bool:  # type: ignore[no-untyped-def]
    """The endpoint's own application answered: ADS the call; a B2B endpoint, with a fault naming the
    document it expects (the probe carries none); an endpoint not emulated, 501 naming it."""
    if (route.endpoint.app, route.endpoint.base_operation) not in HANDLERS:
        return response.status_code == 501 and route.endpoint.app in fault(response)[1]
    if route.endpoint.variant == "operation":
        return response.status_code == 200 and "Envelope" in response.text
    text = fault(response)[1]
    return response.status_code == 500 and ("document" in text or "attachment" in text)


@pytest.mark.parametrize("environment", sorted(PACKS))
def test_every_catalogue_endpoint_answers_in_its_environments(soap: TestClient, environment: str) -> None:
    routes = catalogue.routes(environment)
    assert routes, environment
    unanswered = []
    for path, route in routes.items():
        response = soap.post(
            f"/env/{PACKS[environment]}{path}",
            # ADS is secured by TLS alone: its messages carry no WS-Security signature.
            content=envelope(_payload(route), pack=PACKS[environment], signer=_signer(route)),
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"any"', **cert()},
        )
        if not _answered(route, response):
            unanswered.append((path, response.status_code, response.text[:200]))
    assert not unanswered, unanswered[:5]


def test_the_catalogue_covers_every_row_and_environment():
    soap_rows = [e for e in catalogue.endpoints() if e.is_soap]
    assert len(soap_rows) == 279 + 2  # the seed's rows and additions.tsv's
    reachable = {
        (e.app, e.name)
        for env in PACKS
        for r in catalogue.routes(env).values()
        for e in r.operations.values()
    }
    assert reachable == {(e.app, e.name) for e in soap_rows}


def test_operation_names_follow_caisos_wsdl_style():
    names = {e.name: e.operation for e in catalogue.endpoints() if e.is_soap}
    assert names["RetrieveMarketAwards_CMRIv4_AP"] == "retrieveMarketAwards_v4"
    assert names["RetrieveMarketAwards_CMRIv4_DocAttach_AP"] == "retrieveMarketAwards_v4_DocAttach"
    assert names["SubmitEIMDynamicLimitData_RTmv2_AP"] == "submitEIMDynamicLimitData_v2"
    assert names["RetrieveGeneratorRDT_MFRDvX_AP"] == "retrieveGeneratorRDT_vX"
    assert names["SubmitBidAction_SIBR_AP"] == "submitBidAction"
    assert names["APIWebService/v7/getBatchHeader"] == "getBatchHeader"


def test_an_application_the_environment_does_not_list_is_not_there(soap: TestClient) -> None:
    # Sandbox lists only SIBR and BSAP; Production ECN has no DRRS.
    for url in (
        "/env/caiso-sandbox/sst/cmri/RetrieveMarketAwards_CMRIv4_AP",
        "/env/caiso-production-ecn/sst/drrs/RetrieveDRLocations_DRRSv1_AP",
        "/env/caiso-production/sst/cmri/NoSuchOperation_CMRIv1_AP",
    ):
        response = soap.post(url, content=envelope(), headers={"Content-Type": "text/xml", **cert()})
        assert response.status_code == 404, url
        assert response.text.startswith("Not Found: no emulated service at ")


def test_hosts_of_the_environment_reach_it(soap: TestClient) -> None:
    path = "/sst/sibr/RetrieveCurrentBidResults_SIBRv4_AP"
    for host, pack in (
        ("ws.caiso.com", "caiso-production"),
        ("wsmap.caiso.com", "caiso-mapstage"),
        ("wssandbox.caiso.com", "caiso-sandbox"),
    ):
        response = soap.post(
            path,
            content=envelope(BID_RESULTS, pack=pack),
            headers={"Host": host, "Content-Type": "text/xml", **cert()},
        )
        assert response.status_code == 200, host
    ads = {"Content-Type": "text/xml", **cert()}
    call = envelope(
        '<a:getBatchStatus xmlns:a="urn-com-caiso-ads-webservices-api"/>', header=False, signer=None
    )
    assert (
        soap.post(
            "/ADS/APIWebService/v7", content=call, headers={"Host": "adssta.caiso.com", **ads}
        ).status_code
        == 500  # reached ADS, which wants the call's batchUID
    )
    # MAP Stage's ADS base URL is the host's root (environments.tsv).
    assert (
        soap.post("/APIWebService/v7", content=call, headers={"Host": "adsmap.caiso.com", **ads}).status_code
        == 500  # reached ADS, which wants the call's batchUID
    )
    assert (
        soap.post(
            "/ADS/APIWebService/v7", content=call, headers={"Host": "adsmap.caiso.com", **ads}
        ).status_code
        == 404
    )
