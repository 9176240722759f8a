"""CAISO's message security on B2B requests, checked as strictly as the pack says (`security`):

- `CAISOWSHeader` (CAISOWSHeader.xsd of 2006-09-30): `CAISOUsernameToken{Username, Nonce, Created}` and
  `CAISOMessageInfo{MessageID, Timestamp{Created, Expires}}`. Username must be the caller's
  certificate subject with the spaces removed, the message inside Created..Expires on the simulated
  clock; otherwise `CAISOUsernameToken Validation Error.`
- WS-Security 1.0: a `BinarySecurityToken` holding the caller's own certificate and a `ds:Signature`
  (exclusive C14N, RSA-SHA1, SHA-1 digests) whose references cover the Body, CAISOWSHeader and, when
  present, the attachment headers; verified with xmlsec (libxmlsec1) against the certificate the
  pack registers for the caller. Otherwise `Signature validation status: false`.

strict: both are required; lenient: each is checked when present; off: neither is read.
`sign` is what a well-behaved client does, for tests, examples and conformance runs.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import xmlsec
from lxml import etree

from isosim.caiso.soap.envelope import CAISO_WS_HEADER, SOAP_ENV, Envelope, SoapFault, instant
from isosim.core.packs import Pack, User

USERNAME_ERROR = "CAISOUsernameToken Validation Error."
SIGNATURE_ERROR = "Signature validation status: false"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
X509_TOKEN = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
# Headers that a submission with attachments carries and must sign too.
ATTACHMENT_HEADERS = (
    "{http://www.caiso.com/mrtu/soa/schemas/2005/09/attachmenthash}attachmentHash",
    "{http://www.caiso.com/soa/2006-06-13/StandardAttachmentInfor.xsd}standardAttachmentInfor",
)
_NS = {"h": CAISO_WS_HEADER, "wsse": WSSE, "ds": DS}


def expected_username(user: User) -> str:
    return user.certificate_subject.replace(" ", "")


def check(
    envelope: Envelope,
    user: User,
    pack: Pack,
    now: datetime,
    note: Callable[[str, bool, str], None] | None = None,
) -> None:
    """The pack's security level applied to a message (a SoapFault if it fails). `note` hears, for
    conformance, whether each of CAISO's requirements held, whatever the level lets through:
    B2B-2 the CAISOWSHeader, B2B-1 the signature."""
    level = pack.manifest.settings.security
    if level == "off":
        return
    parts: tuple[tuple[str, Callable[[], None]], ...] = (
        ("B2B-2", lambda: _check_header(envelope, user, "strict", now)),
        ("B2B-1", lambda: _check_signature(envelope, user, pack, "strict")),
    )
    for rule, part in parts:
        try:
            part()
        except SoapFault as fault:
            if note is not None:
                note(rule, False, fault.message)
            if level == "strict" or not _missing(fault):
                raise
        else:
            if note is not None:
                note(rule, True, "as CAISO asks")


def _missing(fault: SoapFault) -> bool:
    """A fault for a header or signature that is absent (what a lenient pack lets through)."""
    return "is missing" in fault.message or "carries no WS-Security signature" in fault.message


def _caiso_header(envelope: Envelope) -> etree._Element | None:
    return envelope.header.find("h:CAISOWSHeader", _NS) if envelope.header is not None else None


def _check_header(envelope: Envelope, user: User, level: str, now: datetime) -> None:
    header = _caiso_header(envelope)
    if header is None:
        if level == "strict":
            raise SoapFault(f"{USERNAME_ERROR} The CAISOWSHeader SOAP header is missing.")
        return
    username = header.findtext("h:CAISOUsernameToken/h:Username", namespaces=_NS)
    if (username or "").strip() != expected_username(user):
        raise SoapFault(USERNAME_ERROR)
    created = instant(header.findtext("h:CAISOMessageInfo/h:Timestamp/h:Created", namespaces=_NS))
    expires = instant(header.findtext("h:CAISOMessageInfo/h:Timestamp/h:Expires", namespaces=_NS))
    if created is None or expires is None:
        raise SoapFault(f"{USERNAME_ERROR} CAISOMessageInfo/Timestamp needs Created and Expires.")
    if not created <= now <= expires:
        raise SoapFault(
            f"{USERNAME_ERROR} The message is outside its validity window "
            f"({created:%Y-%m-%dT%H:%M:%SZ} to {expires:%Y-%m-%dT%H:%M:%SZ})."
        )


@lru_cache(maxsize=256)
def _certificate(path: Path) -> tuple[bytes, bytes]:
    """(PEM, DER) of a user's registered certificate."""
    return _certificate_from(path.read_bytes())


def _signature_fault(detail: str) -> SoapFault:
    return SoapFault(f"{SIGNATURE_ERROR} ({detail})")


def _check_signature(envelope: Envelope, user: User, pack: Pack, level: str) -> None:
    security = envelope.header.find("wsse:Security", _NS) if envelope.header is not None else None
    signature = security.find("ds:Signature", _NS) if security is not None else None
    if signature is None:
        if level == "strict":
            raise _signature_fault("the message carries no WS-Security signature")
        return
    if not user.certificate:
        raise _signature_fault(f"no certificate is registered for {user.name}")
    pem, der = _certificate(pack.file(user.certificate))
    token = security.findtext("wsse:BinarySecurityToken", namespaces=_NS)
    try:
        presented = base64.b64decode("".join((token or "").split()), validate=True)
    except binascii.Error:
        presented = b""
    if presented != der:
        raise _signature_fault("the BinarySecurityToken is not the caller's certificate")
    method = signature.find("ds:SignedInfo/ds:SignatureMethod", _NS)
    if method is None or method.get("Algorithm") != RSA_SHA1:
        raise _signature_fault("the signature method must be RSA-SHA1")
    # Every wsu:Id once: a duplicate is how signature-wrapping attacks hide a second Body.
    ids: dict[str, etree._Element] = {}
    for element in envelope.root.iter(etree.Element):
        value = element.get(f"{{{WSU}}}Id")
        if value is not None:
            if value in ids:
                raise _signature_fault(f"wsu:Id {value!r} appears twice")
            ids[value] = element
    signed = {
        ids.get(ref.get("URI", "")[1:]) for ref in signature.iterfind("ds:SignedInfo/ds:Reference", _NS)
    }
    required = [envelope.body, _caiso_header(envelope)]
    required += (
        [envelope.header.find(name) for name in ATTACHMENT_HEADERS] if envelope.header is not None else []
    )
    for element in required:
        if element is not None and element not in signed:
            raise _signature_fault(f"{etree.QName(element).localname} is not signed")
    context = xmlsec.SignatureContext()
    try:
        context.key = xmlsec.Key.from_memory(pem, xmlsec.constants.KeyDataFormatCertPem)
        for element in ids.values():
            context.register_id(element, "Id", WSU)
        context.verify(signature)
    except xmlsec.Error:
        raise SoapFault(SIGNATURE_ERROR) from None


# --- a well-behaved client -----------------------------------------------------------------------


def header_element(user: User, created: datetime, minutes: int = 15) -> etree._Element:
    """The CAISOWSHeader a client sends."""
    stamp = "%Y-%m-%dT%H:%M:%S.000Z"
    expires = created + timedelta(minutes=minutes)
    return etree.fromstring(
        f'<CAISOWSHeader xmlns="{CAISO_WS_HEADER}"><CAISOUsernameToken><Username>{expected_username(user)}'
        f"</Username><Nonce>bm9uY2U=</Nonce><Created>{created:{stamp}}</Created></CAISOUsernameToken>"
        f"<CAISOMessageInfo><MessageID>isosim-test</MessageID><Timestamp><Created>{created:{stamp}}</Created>"
        f"<Expires>{expires:{stamp}}</Expires></Timestamp></CAISOMessageInfo></CAISOWSHeader>"
    )


def sign(message: bytes, key_pem: bytes, certificate_pem: bytes) -> bytes:
    """Sign a SOAP message as CAISO's clients do: a BinarySecurityToken with the certificate and an
    RSA-SHA1 signature over the Body, CAISOWSHeader and attachment headers, by wsu:Id."""
    root = etree.fromstring(message)
    header = root.find(f"{{{SOAP_ENV}}}Header")
    if header is None:
        header = etree.Element(f"{{{SOAP_ENV}}}Header")
        root.insert(0, header)
    targets = [root.find(f"{{{SOAP_ENV}}}Body"), header.find(f"{{{CAISO_WS_HEADER}}}CAISOWSHeader")]
    targets += [header.find(name) for name in ATTACHMENT_HEADERS]
    security = etree.SubElement(header, f"{{{WSSE}}}Security", nsmap={"wsse": WSSE, "wsu": WSU})
    _, der = _certificate_from(certificate_pem)
    token = etree.SubElement(
        security, f"{{{WSSE}}}BinarySecurityToken", {"EncodingType": BASE64, "ValueType": X509_TOKEN}
    )
    token.set(f"{{{WSU}}}Id", "X509Token")
    token.text = base64.b64encode(der).decode()
    signature = xmlsec.template.create(
        root, xmlsec.constants.TransformExclC14N, xmlsec.constants.TransformRsaSha1
    )
    security.append(signature)
    context = xmlsec.SignatureContext()
    for n, element in enumerate(t for t in targets if t is not None):
        name = element.get(f"{{{WSU}}}Id") or f"id-{n}"
        element.set(f"{{{WSU}}}Id", name)
        reference = xmlsec.template.add_reference(signature, xmlsec.constants.TransformSha1, uri=f"#{name}")
        xmlsec.template.add_transform(reference, xmlsec.constants.TransformExclC14N)
        context.register_id(element, "Id", WSU)
    context.key = xmlsec.Key.from_memory(key_pem, xmlsec.constants.KeyDataFormatPem)
    context.sign(signature)
    # KeyInfo points at the token; it is not itself signed, so it is added after signing (xmlsec
    # would otherwise try to fill a SecurityTokenReference it does not know).
    key_info = etree.SubElement(signature, f"{{{DS}}}KeyInfo")
    reference = etree.SubElement(
        etree.SubElement(key_info, f"{{{WSSE}}}SecurityTokenReference"), f"{{{WSSE}}}Reference"
    )
    reference.set("URI", "#X509Token")
    reference.set("ValueType", X509_TOKEN)
    return etree.tostring(root)


def _certificate_from(pem: bytes) -> tuple[bytes, bytes]:
    body = b"".join(line for line in pem.splitlines() if line and not line.startswith(b"-----"))
    return pem, base64.b64decode(body)
