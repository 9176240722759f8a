"""CAISO's attached documents: XML, gzip-compressed, then base64-encoded. `_DocAttach_AP` endpoints
carry them in the Body as ISOAttachment/AttachmentValue (ISOAttachment.xsd of 2006-10-26), ADS as its
calls' base64 parts; plain `_AP` endpoints in a `multipart/related` message, as a SOAP-with-
Attachments part or an MTOM/XOP part, with the `attachmentHash` header (base64 of the SHA-1 of the
base64 text) and `standardAttachmentInfor` (the part's id, compressFlag, compressMethod).
Decompression stops at a limit, so a gzip bomb costs no more than that."""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import re
import uuid
import zlib
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from lxml import etree

from isosim.caiso.soap.envelope import Envelope, SoapFault
from isosim.core import xml

ISO_ATTACHMENT = "http://www.caiso.com/soa/2006-10-26/ISOAttachment.xsd"
ATTACHMENT_HASH = "http://www.caiso.com/mrtu/soa/schemas/2005/09/attachmenthash"
ATTACHMENT_INFO = "http://www.caiso.com/soa/2006-06-13/StandardAttachmentInfor.xsd"
ATTACHMENT_INFOR = "http://www.caiso.com/soa/AttachmentInfor_v1.xsd"  # OMS's MTOM wrapper
XOP = "http://www.w3.org/2004/08/xop/include"
HASH_ERROR = "Attachment hash validation failed."
_ROOT_TYPES = ("text/xml", "application/xop+xml", "application/soap+xml")


def encode(document: str | bytes) -> str:
    """base64(gzip(xml)), as CAISO sends documents. Level 6 (zlib's default): level 9 takes twice
    as long for a few percent on these repetitive documents."""
    raw = document.encode() if isinstance(document, str) else document
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode()


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


# --- multipart/related (plain _AP endpoints) ------------------------------------------------------


@dataclass(frozen=True)
class Multipart:
    root: bytes  # the SOAP envelope part
    parts: dict[str, bytes]  # the other parts by Content-ID (without <>), decoded transfer encoding


def _content_id(part: EmailMessage) -> str:
    return (part.get("Content-ID") or "").strip().strip("<>")


MAX_PARTS = 100  # a SOAP envelope and its attachments; CAISO's documents travel in one or two


def _boundary(content_type: str) -> str:
    found = re.search(r'boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))', content_type, re.IGNORECASE)
    return (found.group(1) or found.group(2)) if found else ""


def split(content_type: str, body: bytes) -> Multipart:
    """The parts of a multipart/related message (SwA or MTOM): the root is the `start` part, or the
    first. A SoapFault says what is wrong with the framing."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    boundary = _boundary(content_type)
    if boundary and body.count(b"--" + boundary.encode()) > MAX_PARTS + 1:
        # Counted before parsing: parsing tens of thousands of parts costs seconds.
        raise SoapFault(f"a SOAP message carries at most {MAX_PARTS} MIME parts", status=413)
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        raise SoapFault("the multipart/related message is malformed (boundary and parts)")
    parts = [p for p in message.iter_parts() if isinstance(p, EmailMessage)]
    if not parts:
        raise SoapFault("the multipart/related message has no parts")
    start = message.get_param("start", header="content-type") or ""
    start = str(start).strip().strip("<>")
    root = next((p for p in parts if start and _content_id(p) == start), parts[0])
    # CAISO's own client sends its parts with no Content-Type (form-data dispositions): the root is
    # then the part `start` names.
    if root.get("Content-Type") is not None and root.get_content_type() not in _ROOT_TYPES:
        raise SoapFault(
            f"the root part of a multipart/related message is the SOAP envelope (text/xml or "
            f"application/xop+xml), not {root.get_content_type()}"
        )
    others = {_content_id(p): p.get_payload(decode=True) or b"" for p in parts if p is not root}
    return Multipart(root.get_payload(decode=True) or b"", others)


def _header(message: Envelope, path: str) -> str:
    if message.header is None:
        return ""
    namespaces = {"h": ATTACHMENT_HASH, "i": ATTACHMENT_INFO}
    return (message.header.findtext(path, namespaces=namespaces) or "").strip()


def attachment_hash(text: str) -> str:
    """CAISO's attachmentHash/hashValue: base64 of the SHA-1 of the attachment's base64 text."""
    return base64.b64encode(hashlib.sha1("".join(text.split()).encode()).digest()).decode()


def attached(
    message: Envelope, multipart: Multipart | None, limit: int, require_hash: bool
) -> etree._Element:
    """The document a plain `_AP` request attaches: the part an xop:Include (MTOM) or
    standardAttachmentInfor/Attachment/id (SwA) names, else the only one; its attachmentHash checked
    (required when `require_hash`)."""
    inline = message.body.find(f".//{{{ATTACHMENT_INFOR}}}attachmentData")
    if inline is not None and not len(inline) and (inline.text or "").strip():
        # AttachmentInfor with its data inline (MTOM not optimised): the base64 of the document.
        return _checked(message, _attachment_text((inline.text or "").encode()), limit, require_hash)
    if multipart is None or not multipart.parts:
        raise SoapFault(
            "this endpoint takes its document as an attachment: send multipart/related with the "
            "document, gzip-compressed and base64-encoded, in a part after the SOAP envelope"
        )
    include = message.body.find(f".//{{{XOP}}}Include")
    wanted = (
        include.get("href", "")
        if include is not None
        else _header(message, "i:standardAttachmentInfor/i:Attachment/i:id")
    )
    wanted = wanted.removeprefix("cid:").strip("<>")
    if wanted:
        content = multipart.parts.get(wanted)
        if content is None:
            raise SoapFault(f"no attachment part has Content-ID <{wanted}>")
    elif len(multipart.parts) == 1:
        content = next(iter(multipart.parts.values()))
    else:
        raise SoapFault("several attachment parts and none named by standardAttachmentInfor or xop:Include")
    return _checked(message, _attachment_text(content), limit, require_hash)


def _checked(message: Envelope, text: str, limit: int, require_hash: bool) -> etree._Element:
    """The attached document, once its attachmentHash matches (required when `require_hash`)."""
    claimed = _header(message, "h:attachmentHash/h:hashValue")
    if claimed and claimed != attachment_hash(text):
        raise SoapFault(HASH_ERROR)
    if not claimed and require_hash:
        raise SoapFault(f"{HASH_ERROR} The attachmentHash header is missing.")
    return decode(text, limit, "the attachment")


def _attachment_text(content: bytes) -> str:
    """An attached part as CAISO's base64 text: SwA parts and CAISO's MTOM parts carry the base64
    text of the gzip data; standard MTOM parts carry the gzip bytes, or the XML, themselves."""
    stripped = content.strip()
    if stripped[:2] == b"\x1f\x8b" or stripped[:1] == b"<":
        return base64.b64encode(stripped).decode()
    try:
        text = stripped.decode("ascii")
    except UnicodeDecodeError:
        raise SoapFault("the attachment is neither base64 text, gzip data nor XML") from None
    return "".join(text.split())


def info_header(content_id: str) -> str:
    """standardAttachmentInfor for one attachment: its id, compressed with gzip."""
    return (
        f'<standardAttachmentInfor xmlns="{ATTACHMENT_INFO}"><Attachment><id>{content_id}</id>'
        "<compressFlag>yes</compressFlag><compressMethod>gzip</compressMethod></Attachment>"
        "</standardAttachmentInfor>"
    )


def attachment_headers(text: str, content_id: str) -> str:
    """The SOAP headers that describe an attachment (what a response with one carries)."""
    return (
        f'<attachmentHash xmlns="{ATTACHMENT_HASH}"><hashValue>{attachment_hash(text)}</hashValue>'
        "</attachmentHash>" + info_header(content_id)
    )


def related(envelope: bytes, attachments: dict[str, str], mtom: bool = False) -> tuple[bytes, str]:
    """A SOAP-with-Attachments message, or with `mtom` an MTOM/XOP one as CAISO's OMS sends them
    (the envelope as application/xop+xml, the parts still base64 text): (body, Content-Type).
    `attachments`: Content-ID -> text."""
    boundary = f"uuid:{uuid.uuid4()}"
    start = "<root.message@isosim>"
    root_type = 'application/xop+xml; charset=UTF-8; type="text/xml"' if mtom else "text/xml; charset=UTF-8"
    chunks = [
        f"--{boundary}\r\nContent-Type: {root_type}\r\nContent-Transfer-Encoding: 8bit\r\n"
        f"Content-ID: {start}\r\n\r\n".encode(),
        envelope,
        b"\r\n",
    ]
    for content_id, text in attachments.items():
        chunks += [
            f"--{boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: 8bit\r\n"
            f"Content-ID: <{content_id}>\r\n\r\n{text}\r\n".encode()
        ]
    chunks.append(f"--{boundary}--\r\n".encode())
    kind = 'type="application/xop+xml"; start-info="text/xml"' if mtom else 'type="text/xml"'
    content_type = f'multipart/related; {kind}; start="{start}"; boundary="{boundary}"'
    return b"".join(chunks), content_type
