"""Hardened XML parsing and schema validation shared by every emulated service.

Market-participant messages never need a DTD, so any document type declaration is refused before
a single entity can be declared, let alone expanded; external resources are never fetched; libxml2's
default limits (depth, text node size) stay on.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from lxml import etree

from isosim.core.settings import shipped

if TYPE_CHECKING:
    import xmlschema

SCHEMA_DIR = shipped("schemas")


class XmlRejected(ValueError):
    """The body is not acceptable XML; the message says why, in words fit for a client."""


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse(body: bytes) -> etree._Element:
    if not body.strip():
        raise XmlRejected("request body is empty")
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        # Checked on the raw bytes first: cheap, and no declared entity reaches the parser.
        raise XmlRejected("XML document type declarations (DTD) are not allowed")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(f"request body is not well-formed XML: {exc.msg}") from None
    except ValueError as exc:  # e.g. a declared encoding lxml cannot honour
        raise XmlRejected(f"request body is not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise XmlRejected("XML document type declarations (DTD) are not allowed")
    return root


@cache
def schema(filename: str) -> xmlschema.XMLSchema10:
    """A project XSD from `schemas/`, compiled once.

    Only parsed lxml trees are validated, so xmlschema itself never reads a request's references.
    Imported here, not at module level: it is a tenth of the start-up time and only writes need it.
    """
    import xmlschema

    return xmlschema.XMLSchema10(str(SCHEMA_DIR / filename))


def validate(root: etree._Element, filename: str) -> None:
    """Raise XmlRejected naming the first schema violation and where it is."""
    for error in schema(filename).iter_errors(root):
        where = f" at {error.path}" if error.path else ""
        raise XmlRejected(f"request body is not valid against {filename}{where}: {error.reason}")


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname
