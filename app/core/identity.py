"""Who is calling: HTTP basic credentials, a client-certificate subject set by a TLS-terminating
proxy, or the pack's default user for quick local use."""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

from isosim.core.packs import Pack, User


class BadCredentials(Exception):
    """Credentials were presented but name no user of the pack, or the password is wrong."""


@dataclass(frozen=True)
class Identity:
    user: User
    source: str  # "basic", "certificate" or "default"


def _rdns(dn: str) -> list[str]:
    """The attribute-value pairs of a subject, split on unescaped separators: ',' or '+' (RFC 4514,
    as nginx and most proxies pass it), or '/' in OpenSSL's one-line form (/C=US/O=.../CN=...)."""
    text = dn.strip()
    separators = "/" if text.startswith("/") else ",+"
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def normalise_dn(dn: str) -> str:
    """Compare subjects whatever the spacing, the case of attribute names and the order of the RDNs:
    "CN=a, O=b, C=US" == "c=US,o=b,cn=a" == "/C=US/O=b/CN=a" (proxies print subjects in either order)."""
    pairs = sorted(
        (key.strip().upper(), value.strip()) for key, _, value in (p.partition("=") for p in _rdns(dn))
    )
    return ",".join(f"{key}={value}" for key, value in pairs)


def resolve(
    pack: Pack, authorization: str | None, certificate_subject: str | None, allow_default: bool
) -> Identity | None:
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "basic":
            raise BadCredentials(f"unsupported authorization scheme {scheme!r}")
        try:
            name, _, password = base64.b64decode(token.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise BadCredentials("malformed basic credentials") from None
        user = pack.user(name)
        if user is None or not hmac.compare_digest(user.password.encode(), password.encode()):
            raise BadCredentials(f"unknown user or wrong password for {name!r}")
        return Identity(user, "basic")
    if certificate_subject:
        wanted = normalise_dn(certificate_subject)
        for user in pack.manifest.users:
            if user.certificate_subject and normalise_dn(user.certificate_subject) == wanted:
                return Identity(user, "certificate")
        raise BadCredentials(f"no user holds a certificate with subject {certificate_subject!r}")
    if allow_default and pack.manifest.default_user:
        user = pack.user(pack.manifest.default_user)
        assert user is not None  # read_manifest checks that the default user exists
        return Identity(user, "default")
    return None
