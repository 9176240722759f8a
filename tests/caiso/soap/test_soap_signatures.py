"""WS-Security signatures (RSA-SHA1, exclusive C14N, SHA-1 digests) over the Body, CAISOWSHeader and
attachment headers, verified with the certificate the pack registers for the caller: strict packs
require one, lenient packs check one when present. Packs ship each user's test key and certificate."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import etree

from isosim.caiso.soap.security import WSU, sign
from tests.caiso.soap.conftest import BID_RESULTS, MARKET_AWARDS, SANDBOX, cert, credentials, envelope, fault

STRICT = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP"
LENIENT = SANDBOX
XML = {"Content-Type": "text/xml"}
REFUSED = "Signature validation status: false"


def post(client: TestClient, body: bytes, url: str = STRICT):  # type: ignore[no-untyped-def]
    return client.post(url, content=body, headers={**XML, **cert()})


def refused(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 500, response.text
    text = fault(response)[1]
    assert text.startswith(REFUSED), text
    return text


def test_a_correctly_signed_message_passes(soap: TestClient) -> None:
    assert post(soap, envelope()).status_code == 200  # through security, answered by CMRI


def test_strict_packs_refuse_unsigned_messages(soap: TestClient) -> None:
    assert "no WS-Security signature" in refused(post(soap, envelope(signer=None)))


def test_a_message_changed_after_signing_is_refused(soap: TestClient) -> None:
    tampered = envelope().replace(b"<marketType>DAM", b"<marketType>RTM")
    assert refused(post(soap, tampered)) == REFUSED


def test_a_changed_caiso_header_is_refused(soap: TestClient) -> None:
    tampered = envelope().replace(b"isosim-test", b"isosim-evil")  # the MessageID
    assert refused(post(soap, tampered)) == REFUSED


def test_the_token_must_be_the_callers_own_certificate(soap: TestClient) -> None:
    signed_by_bravo = envelope(signer="sc-bravo-ops")  # a valid signature, but Bravo's certificate
    assert "not the caller's certificate" in refused(post(soap, signed_by_bravo))


def test_a_signature_made_with_another_key_is_refused(soap: TestClient) -> None:
    bravo_key, _ = credentials("caiso-production", "sc-bravo-ops")
    _, alpha_certificate = credentials("caiso-production", "sc-alpha-systems")
    message = envelope(signer=None)
    assert refused(post(soap, sign(message, bravo_key, alpha_certificate))) == REFUSED


def test_the_body_must_be_among_the_signed_parts(soap: TestClient) -> None:
    signed = etree.fromstring(envelope())
    body = signed.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    body.set(f"{{{WSU}}}Id", "not-the-signed-one")  # the reference now points nowhere
    assert "Body is not signed" in refused(post(soap, etree.tostring(signed)))


def test_a_wrapped_second_body_with_the_signed_id_is_refused(soap: TestClient) -> None:
    signed = etree.fromstring(envelope())
    body = signed.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    header = signed.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
    copy = etree.fromstring(etree.tostring(body))
    header.append(copy)  # the signed Body hidden in the header ...
    body[0].text = "evil"  # ... and the real one changed
    assert "appears twice" in refused(post(soap, etree.tostring(signed)))


def test_lenient_packs_accept_unsigned_messages_but_check_signed_ones(soap: TestClient) -> None:
    assert post(soap, envelope(BID_RESULTS, signer=None), LENIENT).status_code == 200
    good = envelope(BID_RESULTS, pack="caiso-sandbox")
    assert post(soap, good, LENIENT).status_code == 200
    tampered = good.replace(b"2026-11-20T08:00:00Z", b"2026-11-21T08:00:00Z")
    assert refused(post(soap, tampered, LENIENT)) == REFUSED
    # Keys are per pack: a Production signature does not verify in the Sandbox.
    assert "not the caller's certificate" in refused(
        post(soap, envelope(BID_RESULTS, pack="caiso-production"), LENIENT)
    )


def _zeep_signed(payload: str, pack: str, with_header: bool) -> bytes:
    """A message signed by zeep's own WS-Security implementation (BinarySignature: an X.509 token
    and an RSA-SHA1 signature over the Body), an independent signer."""
    from pathlib import Path

    from zeep.wsse.signature import BinarySignature

    folder = Path(__file__).resolve().parents[3] / "fixtures" / pack / "certs"
    signer = BinarySignature(str(folder / "sc-alpha-systems.key"), str(folder / "sc-alpha-systems.pem"))
    message = etree.fromstring(envelope(payload, header=with_header, signer=None, pack=pack))
    signed, _ = signer.apply(message, {})
    return etree.tostring(signed)


def test_a_signature_made_by_zeeps_own_signer_verifies(soap: TestClient) -> None:
    # zeep signs the Body only: enough where security is lenient (Sandbox) and no CAISOWSHeader is sent.
    assert (
        post(soap, _zeep_signed(BID_RESULTS, "caiso-sandbox", with_header=False), LENIENT).status_code == 200
    )
    # Tampered after zeep signed it, the same message is refused.
    tampered = _zeep_signed(BID_RESULTS, "caiso-sandbox", with_header=False).replace(
        b"2026-11-20", b"2026-11-21"
    )
    assert refused(post(soap, tampered, LENIENT)) == REFUSED


def test_strict_packs_refuse_a_signature_that_leaves_caisowsheader_out(soap: TestClient) -> None:
    text = refused(post(soap, _zeep_signed(MARKET_AWARDS, "caiso-production", with_header=True)))
    assert "CAISOWSHeader is not signed" in text
