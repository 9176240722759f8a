"""CAISO SOAP endpoints through HTTP: envelopes, CAISO's security header and certificates of the
packs' users (passed as a TLS-terminating proxy passes them)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lxml import etree

from isosim.caiso.soap.attachments import ISO_ATTACHMENT, encode
from isosim.caiso.soap.envelope import SOAP_ENV
from isosim.caiso.soap.security import header_element, sign
from isosim.core.packs import User
from tests.conftest import CAISO_SOAP_NOW

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
NOW = CAISO_SOAP_NOW  # the clock of the `soap` fixture
# Alpha's systems account has every application (fixtures/caiso-*/pack.toml).
ALPHA_SUBJECT = "CN=sc-alpha-systems, OU=Systems, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"
CHARLIE_SUBJECT = "CN=sc-charlie-readonly, O=Charlie Utility District, C=US"
FAULT_NS = {"s": SOAP_ENV, "o": "http://www.caiso.com/soa/2006-06-13/StandardOutput.xsd"}
ALPHA = User(name="sc-alpha-systems", certificate_subject=ALPHA_SUBJECT)
# A valid CMRI RetrieveMarketAwards v4 request (the default payload), in CAISO's structure (its
# published RequestMarketAwards schema: record, schedulingCoordinatorList, enumerations; the v4
# namespace ends in '#'), and a SIBR request for the lenient Sandbox (isosim's conventional
# RequestBidResults: alphabetical elements, ...List wrappers): messages that pass the platform reach
# their endpoint and get 200.
MARKET_AWARDS = (
    '<RequestMarketAwards xmlns="http://www.caiso.com/soa/RequestMarketAwards_v4.xsd#"><MessageHeader>'
    "<TimeDate>2026-11-18T18:00:00Z</TimeDate><Source>isosim-tests</Source><Version>v20161001</Version>"
    "</MessageHeader><MessagePayload><RequestMarketAwardRecord><dateTimeStart>2026-11-17T08:00:00Z</dateTimeStart>"
    "<dateTimeEnd>2026-11-18T08:00:00Z</dateTimeEnd><marketType>DAM</marketType><executionType>IFM</executionType>"
    "<schedulingCoordinatorList><schedulingCoordinator>ALPH</schedulingCoordinator></schedulingCoordinatorList>"
    "</RequestMarketAwardRecord></MessagePayload></RequestMarketAwards>"
)
SANDBOX = "/env/caiso-sandbox/sst/sibr/RetrieveCurrentBidResults_SIBRv4_AP"
BID_RESULTS = (
    '<RequestBidResults xmlns="http://www.caiso.com/soa/RequestBidResults_v4.xsd#"><MessageHeader>'
    "<TimeDate>2026-11-18T18:00:00Z</TimeDate><Source>isosim-tests</Source><Version>v20151001</Version>"
    "</MessageHeader><MessagePayload><RequestBidResultsRecord><MarketEndTime>2026-11-20T08:00:00Z</MarketEndTime>"
    "<MarketStartTime>2026-11-19T08:00:00Z</MarketStartTime><SchedulingCoordinatorList>"
    "<schedulingCoordinator>ALPH</schedulingCoordinator></SchedulingCoordinatorList></RequestBidResultsRecord>"
    "</MessagePayload></RequestBidResults>"
)


def cert(subject: str = ALPHA_SUBJECT) -> dict[str, str]:
    return {"X-SSL-Client-S-DN": subject}


def envelope(
    payload: str = MARKET_AWARDS,
    header: bool = True,
    user: User = ALPHA,
    created: datetime = NOW,
    pack: str = "caiso-production",
    signer: str | None = "sc-alpha-systems",
) -> bytes:
    """A B2B message: CAISOWSHeader for `user`, signed with `signer`'s test key of `pack` (None:
    unsigned)."""
    head = ""
    if header:
        head = f"<soapenv:Header>{etree.tostring(header_element(user, created)).decode()}</soapenv:Header>"
    body = f"<soapenv:Body>{payload}</soapenv:Body>"
    message = f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}">{head}{body}</soapenv:Envelope>'.encode()
    if signer is None:
        return message
    return sign(message, *credentials(pack, signer))


def credentials(pack: str, user: str) -> tuple[bytes, bytes]:
    """(key, certificate) in PEM of a pack user: the packs ship them for signing clients."""
    folder = FIXTURES / pack / "certs"
    return (folder / f"{user}.key").read_bytes(), (folder / f"{user}.pem").read_bytes()


def fault(response) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """(faultcode, faultstring, the standard output's event description)."""
    assert response.headers["content-type"].startswith("text/xml"), response.text
    root = etree.fromstring(response.content)
    found = root.find("s:Body/s:Fault", FAULT_NS)
    assert found is not None, response.text
    return (
        found.findtext("faultcode"),
        found.findtext("faultstring"),
        found.findtext("detail/o:outputDataType/o:EventLog/o:Event/o:description", namespaces=FAULT_NS),
    )


def doc_attach(document: str | bytes) -> str:
    """A _DocAttach_AP submission's payload: the document as ISOAttachment/AttachmentValue."""
    return (
        f'<ISOAttachment xmlns="{ISO_ATTACHMENT}"><AttachmentValue>{encode(document)}</AttachmentValue>'
        "</ISOAttachment>"
    )
