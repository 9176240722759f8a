"""CAISO's attached documents: XML, gzip-compressed, then base64-encoded. `_DocAttach_AP` endpoints
carry them in the Body as ISOAttachment/AttachmentValue (ISOAttachment.xsd of 2006-10-26), ADS as its
calls' base64 parts. Decompression stops at a limit, so a gzip bomb costs no more than that.

Not yet: plain `_AP` attachments (multipart/related, SwA and MTOM/XOP, with attachmentHash)."""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib

from lxml import etree

from app.caiso.soap.envelope import Envelope, SoapFault
from app.core import xml

ISO_ATTACHMENT = "http://www.caiso.com/soa/2006-10-26/ISOAttachment.xsd"


def encode(document: str | bytes) -> str:
    """base64(gzip(xml)), as CAISO sends documents."""
    raw = document.encode() if isinstance(document, str) else document
    return base64.b64encode(gzip.compress(raw, mtime=0)).decode()


def decode(encoded: str, limit: int, what: str = "the attached document") -> etree._Element:
    """The XML document of base64 text, gzip-compressed or not; a SoapFault says what is wrong."""
    try:
        raw = base64.b64decode("".join(encoded.split()), validate=True)
    except binascii.Error:
        raise SoapFault(f"{what} is not valid base64") from None
    if raw[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(raw, limit + 1)
        except zlib.error:
            raise SoapFault(f"{what} is not valid gzip") from None
        if len(raw) > limit or inflater.unconsumed_tail:
            raise SoapFault(f"{what} is larger than {limit} bytes once decompressed")
    try:
        return xml.parse(raw)
    except xml.XmlRejected as exc:
        raise SoapFault(str(exc).replace("request body", what)) from None


def iso_attachment(message: Envelope, limit: int) -> etree._Element:
    """The document a `_DocAttach_AP` request carries in ISOAttachment/AttachmentValue."""
    value = message.body.find(f".//{{{ISO_ATTACHMENT}}}AttachmentValue")
    if value is None or not (value.text or "").strip():
        raise SoapFault(
            f"a _DocAttach_AP request carries its document in the Body as ISOAttachment/AttachmentValue "
            f"(namespace {ISO_ATTACHMENT})"
        )
    return decode(value.text or "", limit, "the ISOAttachment document")
