"""The code under test: a small client of ISO-NE's IBT web services (what a settlement system
would have), written against the real API; the tests point it at isosim."""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.request
from xml.etree import ElementTree

MEDIA_TYPE = "application/vnd.iso-ne.contract.customers.v1+xml"


class IbtClient:
    def __init__(self, base_url: str, user: str, password: str, headers: dict[str, str] | None = None):
        self.base_url = base_url.rstrip("/") + "/sms_oper_contract/api/customers"
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Accept": MEDIA_TYPE, **(headers or {})}

    def _call(self, path: str, body: bytes | None = None, retries: int = 2) -> bytes:
        headers = {**self.headers, **({"Content-Type": f"{MEDIA_TYPE};charset=UTF-8"} if body else {})}
        for attempt in range(retries + 1):
            request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                if error.code != 503 or attempt == retries:
                    raise
                time.sleep(0.05 * 2**attempt)  # back off, then try again
        raise AssertionError("unreachable")

    def mapping_count(self, customer_id: int) -> int:
        """How many contract subaccount mappings the customer has now."""
        root = ElementTree.fromstring(self._call(f"/{customer_id}/contractSubaccountMappings"))
        return sum(1 for e in root if e.tag.endswith("}contract_subaccount_mapping"))

    def versions(self, customer_id: int, contract_id: int) -> int:
        """How many versions a contract's mapping has had."""
        root = ElementTree.fromstring(self._call(f"/{customer_id}/contractSubaccountMappings/{contract_id}"))
        return sum(1 for e in root.iter() if e.tag.endswith("}contract_subaccount_mapping_version"))

    def post_mappings(self, customer_id: int, document: bytes) -> None:
        self._call(f"/{customer_id}/contractSubaccountMappings", document)
