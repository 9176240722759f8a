"""CAISO's security header on B2B requests, checked as strictly as the pack says (`security`).

`CAISOWSHeader` (CAISOWSHeader.xsd of 2006-09-30) carries `CAISOUsernameToken{Username, Nonce,
Created}` and `CAISOMessageInfo{MessageID, Timestamp{Created, Expires}}`. Username must be the
caller's certificate subject with the spaces removed; the message must be inside its
Created..Expires window on the simulated clock.

- strict: the header is required and checked;
- lenient: checked when present;
- off: not read.

Not yet: the WS-Security signature (issue 4 asks for RSA-SHA1 over Body, CAISOWSHeader and the
attachment headers, verified with the caller's certificate).
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from app.caiso.soap.envelope import CAISO_WS_HEADER, Envelope, SoapFault
from app.core.packs import User

USERNAME_ERROR = "CAISOUsernameToken Validation Error."
_NS = {"h": CAISO_WS_HEADER}


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def expected_username(user: User) -> str:
    return user.certificate_subject.replace(" ", "")


def check(envelope: Envelope, user: User, level: str, now: datetime) -> None:
    if level == "off":
        return
    header = envelope.header.find("h:CAISOWSHeader", _NS) if envelope.header is not None else None
    if header is None:
        if level == "strict":
            raise SoapFault(f"{USERNAME_ERROR} The CAISOWSHeader SOAP header is missing.")
        return
    username = header.findtext("h:CAISOUsernameToken/h:Username", namespaces=_NS)
    if (username or "").strip() != expected_username(user):
        raise SoapFault(USERNAME_ERROR)
    created = _instant(header.findtext("h:CAISOMessageInfo/h:Timestamp/h:Created", namespaces=_NS))
    expires = _instant(header.findtext("h:CAISOMessageInfo/h:Timestamp/h:Expires", namespaces=_NS))
    if created is None or expires is None:
        raise SoapFault(f"{USERNAME_ERROR} CAISOMessageInfo/Timestamp needs Created and Expires.")
    if not created <= now <= expires:
        raise SoapFault(
            f"{USERNAME_ERROR} The message is outside its validity window "
            f"({created:%Y-%m-%dT%H:%M:%SZ} to {expires:%Y-%m-%dT%H:%M:%SZ})."
        )


def header_element(user: User, created: datetime, minutes: int = 15) -> etree._Element:
    """The header a well-behaved client sends (for tests and examples)."""
    from datetime import timedelta

    stamp = "%Y-%m-%dT%H:%M:%S.000Z"
    expires = created + timedelta(minutes=minutes)
    return etree.fromstring(
        f'<CAISOWSHeader xmlns="{CAISO_WS_HEADER}"><CAISOUsernameToken><Username>{expected_username(user)}'
        f"</Username><Nonce>bm9uY2U=</Nonce><Created>{created:{stamp}}</Created></CAISOUsernameToken>"
        f"<CAISOMessageInfo><MessageID>isosim-test</MessageID><Timestamp><Created>{created:{stamp}}</Created>"
        f"<Expires>{expires:{stamp}}</Expires></Timestamp></CAISOMessageInfo></CAISOWSHeader>"
    )
