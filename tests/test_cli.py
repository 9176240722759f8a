"""The isosim command against a running server: reset and snapshot export/import, with --help."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from isosim.cli import main
from tests.conftest import IBT, as_customer

HISTORY = f"{IBT}/1/contractSubaccountMappings/999999"


def post_sample_to(base: str) -> None:
    from tests.conftest import IBT_CONTENT_TYPE, sample

    response = httpx.post(
        f"{base}{IBT}/1/contractSubaccountMappings",
        content=sample("3.2.8-mappings-post-request.xml"),
        headers={"Content-Type": IBT_CONTENT_TYPE},
    )
    assert response.status_code == 200


def test_snapshot_export_reset_and_import(
    live_servers: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = live_servers[0]
    post_sample_to(base)
    posted = httpx.get(base + HISTORY).content
    file = tmp_path / "state.json"
    assert main(["snapshot", "export", str(file), "--url", base, "--pack", "isone-sandbox"]) == 0
    assert json.loads(file.read_text())["format"] == "isosim-snapshot/1"
    assert main(["reset", "--url", base]) == 0
    assert httpx.get(base + HISTORY).content != posted
    assert main(["snapshot", "import", str(file), "--url", base]) == 0
    assert httpx.get(base + HISTORY).content == posted
    # --pack exports every realm of the pack: its base state and any tenants' copies.
    assert (
        "realm(s) to" in capsys.readouterr().out and "isone-sandbox" in json.loads(file.read_text())["realms"]
    )


def test_a_server_that_cannot_be_reached_is_a_clear_error() -> None:
    with pytest.raises(SystemExit, match=re.escape("cannot reach http://127.0.0.1:9")):
        main(["reset", "--url", "http://127.0.0.1:9", "--timeout", "2"])


@pytest.mark.parametrize(
    "command",
    [
        ["serve"],
        ["packs", "list"],
        ["packs", "validate"],
        ["reset"],
        ["snapshot", "export"],
        ["snapshot", "import"],
        ["sign"],
        ["conformance", "report"],
        ["conformance", "run"],
    ],
)
def test_every_command_explains_itself(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    assert len(capsys.readouterr().out) > 100


def test_sign_makes_a_message_a_strict_pack_accepts(client, tmp_path: Path, capsysbinary) -> None:  # type: ignore[no-untyped-def]
    """`isosim sign` adds the user's CAISOWSHeader and WS-Security signature from the pack's test key:
    the message gets through a strict pack's security to the endpoint."""
    from tests.caiso.soap.conftest import MARKET_AWARDS, NOW, cert

    assert client.put("/_isosim/clock", json={"frozen_at": NOW.isoformat()}).status_code == 200
    message = tmp_path / "m.xml"
    message.write_text(
        f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{MARKET_AWARDS}</s:Body></s:Envelope>'
    )
    code = main(
        [
            "sign",
            str(message),
            "--pack",
            "caiso-production",
            "--user",
            "sc-alpha-systems",
            "--header",
            "--at",
            NOW.isoformat(),
        ]
    )
    assert code == 0
    signed = capsysbinary.readouterr().out
    url = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_AP"
    response = client.post(url, content=signed, headers={"Content-Type": "text/xml", **cert()})
    assert response.status_code == 200, response.text  # through security, answered by CMRI
    tampered = signed.replace(b"<marketType>DAM", b"<marketType>RTM")
    assert (
        client.post(url, content=tampered, headers={"Content-Type": "text/xml", **cert()}).status_code == 500
    )


def test_conformance_report_writes_html_and_junit(live_servers: list[str], tmp_path: Path) -> None:
    base = live_servers[0]
    assert httpx.get(f"{base}{IBT}/2/subaccounts", headers=as_customer(1)).status_code == 403
    page = tmp_path / "report.html"
    command = ["conformance", "report", "--url", base, "--identity", "xyz-ibt"]
    assert main([*command, "--format", "html", "-o", str(page)]) == 0
    assert "IBT-3" in page.read_text() and "fail" in page.read_text()
    junit = tmp_path / "report.xml"
    assert main([*command, "--format", "junit", "-o", str(junit)]) == 0
    assert b"<testsuite" in junit.read_bytes()
    with pytest.raises(SystemExit, match="--identity or --client"):
        main(["conformance", "report", "--url", base])
    assert main(["conformance", "run", "ibt-outage", "--url", base, "--tenant", "cli"]) == 0
    assert (
        httpx.get(
            f"{base}{IBT}/1/subaccounts", headers={**as_customer(1), "X-Isosim-Tenant": "cli"}
        ).status_code
        == 503
    )
