"""A caller's conformance report in three forms: JSON (the control API's answer), a self-contained
printable HTML page, and JUnit XML (one testcase per rule, a failure per failed rule, not-exercised
rules skipped) so that a CI shows it."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from lxml import etree

from isosim.conformance.rules import FAIL, NOT_EXERCISED, PASS, Rule, Verdict


def document(
    identity: str | None,
    client: str | None,
    pack: str | None,
    tenant: str | None,
    results: list[tuple[Rule, Verdict]],
) -> dict[str, Any]:
    counts = Counter(verdict.status for _, verdict in results)
    return {
        "identity": identity,
        "client": client,
        "pack": pack,
        "tenant": tenant,
        "rules": [
            {
                "id": rule.id,
                "service": rule.service,
                "title": rule.title,
                "source": rule.source,
                "status": verdict.status,
                "evidence": verdict.evidence,
            }
            for rule, verdict in results
        ],
        "summary": {status: counts.get(status, 0) for status in (PASS, FAIL, NOT_EXERCISED)},
    }


def _who(report: dict[str, Any]) -> str:
    return report["identity"] or report["client"] or "unknown caller"


_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; } table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }
.pass { background: #e3f6e3; } .fail { background: #fbe1e1; } .not-exercised { background: #f2f2f2; }
ul { margin: 0; padding-left: 1.2em; } small { color: #555; }
@media print { body { margin: 0; } }
"""


def html(report: dict[str, Any]) -> str:
    rows = []
    for rule in report["rules"]:
        items = "".join(
            f"<li>#{e['entry']} {escape(str(e['method']))} {escape(str(e['path']))} &rarr; {e['status']}: "
            f"{escape(str(e['message']))}</li>"
            for e in rule["evidence"]
        )
        rows.append(
            f'<tr class="{rule["status"]}"><td>{escape(rule["id"])}</td><td>{escape(rule["title"])}<br>'
            f"<small>{escape(rule['source'])}</small></td><td>{rule['status']}</td><td><ul>{items}</ul></td></tr>"
        )
    summary = ", ".join(f"{count} {status}" for status, count in report["summary"].items())
    scope = " ".join(f"{k} {escape(str(report[k]))}" for k in ("pack", "tenant") if report.get(k))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>isosim conformance: {escape(_who(report))}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Conformance of {escape(_who(report))}</h1><p>{escape(scope)} {summary}</p>"
        "<table><thead><tr><th>rule</th><th>what</th><th>status</th><th>evidence</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>"
    )


def junit(report: dict[str, Any]) -> bytes:
    suite = etree.Element(
        "testsuite",
        name=f"isosim conformance: {_who(report)}",
        tests=str(len(report["rules"])),
        failures=str(report["summary"][FAIL]),
        skipped=str(report["summary"][NOT_EXERCISED]),
    )
    for rule in report["rules"]:
        case = etree.SubElement(
            suite, "testcase", classname=rule["service"], name=f"{rule['id']} {rule['title']}"
        )
        lines = "\n".join(
            f"#{e['entry']} {e['method']} {e['path']} -> {e['status']}: {e['message']}"
            for e in rule["evidence"]
        )
        if rule["status"] == FAIL:
            failure = etree.SubElement(case, "failure", message=f"{rule['id']}: {rule['title']}")
            failure.text = f"{rule['source']}\n{lines}"
        elif rule["status"] == NOT_EXERCISED:
            etree.SubElement(case, "skipped", message="not exercised by this caller's requests")
    return etree.tostring(suite, xml_declaration=True, encoding="UTF-8", pretty_print=True)
