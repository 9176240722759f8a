"""`isosim`: run the simulator, inspect packs, and reset or snapshot a running server."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from isosim.control.client import Control, ControlError
from isosim.core.packs import PackError, discover
from isosim.core.settings import Settings

T = TypeVar("T")


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        key: value
        for key, value in {
            "host": getattr(args, "host", None),
            "port": getattr(args, "port", None),
            "packs": getattr(args, "pack", None),
            "pack_dirs": getattr(args, "pack_dir", None),
            "database_url": getattr(args, "database_url", None),
            "clock_frozen_at": getattr(args, "freeze_clock", None),
            "workers": getattr(args, "workers", None),
        }.items()
        if value is not None
    }
    return Settings(**overrides)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from isosim.main import create_app

    settings = _settings(args)
    workers = settings.workers
    if workers > 1 and settings.effective_database_url in ("sqlite://", "sqlite:///:memory:"):
        print(
            "isosim: --workers needs a database they can share (a SQLite file or PostgreSQL)", file=sys.stderr
        )
        return 2
    try:
        app = create_app(settings)  # with workers: the database is made and seeded once, here
    except PackError as exc:
        print(f"isosim: broken pack: {exc}", file=sys.stderr)
        return 2
    common = {
        "host": settings.host,
        "port": settings.port,
        "log_level": args.log_level,
        "ssl_certfile": args.ssl_certfile,
        "ssl_keyfile": args.ssl_keyfile,
        "ws": "none",  # no emulated service speaks WebSocket; skipping it keeps start-up short
    }
    if workers == 1:
        uvicorn.run(app, **common)
        return 0
    # Each worker builds its app from the same settings, passed on as ISOSIM_* variables; the
    # clocks, fault rules, tenants and state are shared through the database (README "Workers").
    for name, value in _environment(args).items():
        os.environ[name] = value
    uvicorn.run("isosim.main:create_app", factory=True, workers=workers, **common)
    return 0


def _environment(args: argparse.Namespace) -> dict[str, str]:
    """The command-line settings as the ISOSIM_* variables a worker reads them from."""
    found = {}
    for flag, name in (("pack", "PACKS"), ("pack_dir", "PACK_DIRS")):
        if getattr(args, flag, None):
            found[f"ISOSIM_{name}"] = ",".join(map(str, getattr(args, flag)))
    for flag, name in (("database_url", "DATABASE_URL"), ("freeze_clock", "CLOCK_FROZEN_AT")):
        if getattr(args, flag, None):
            found[f"ISOSIM_{name}"] = getattr(args, flag)
    return found


def packs_list(args: argparse.Namespace) -> int:
    from isosim.core.packs import read_manifest

    for name, folder in discover(_settings(args).pack_search_path()).items():
        try:
            manifest = read_manifest(folder)
            print(f"{name}\t{manifest.iso}\t{manifest.environment}\t{folder}")
        except PackError as exc:
            print(f"{name}\tBROKEN\t{exc}")
    return 0


def packs_validate(args: argparse.Namespace) -> int:
    from isosim.core.state import load_pack
    from isosim.main import STATE_MODELS

    try:
        pack = load_pack(Path(args.path).resolve(), STATE_MODELS)
    except PackError as exc:
        print(f"invalid: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(rows)} {table}" for table, rows in pack.rows.items())
    print(f"valid: {pack.name} ({pack.manifest.iso} {pack.manifest.environment}): {counts or 'no data'}")
    return 0


def _client(args: argparse.Namespace) -> Control:
    return Control(args.url, getattr(args, "tenant", None), timeout=args.timeout)


def _run(action: Callable[[], T], what: str) -> T:
    """A control call; its refusal or an unreachable server ends the command with the reason."""
    try:
        return action()
    except ControlError as error:
        raise SystemExit(f"isosim: {what}: {error}") from None


def reset(args: argparse.Namespace) -> int:
    print(json.dumps(_run(lambda: _client(args).reset(args.pack), "reset")))
    return 0


def snapshot_export(args: argparse.Namespace) -> int:
    document = _run(lambda: _client(args).snapshot(args.pack), "snapshot export")
    Path(args.file).write_text(json.dumps(document))
    realms = list(document["realms"])
    print(f"exported {len(realms)} realm(s) to {args.file}: {', '.join(realms)}")
    return 0


def snapshot_import(args: argparse.Namespace) -> int:
    restored = _run(lambda: _client(args).restore(Path(args.file).read_bytes()), "snapshot import")
    print(json.dumps(restored))
    return 0


def conformance_report(args: argparse.Namespace) -> int:
    if not args.identity and not args.client:
        raise SystemExit("isosim: conformance report: name the caller with --identity or --client")
    body = _run(
        lambda: _client(args).conformance(args.identity, args.client, args.pack, args.format),
        "conformance report",
    )
    if args.output:
        Path(args.output).write_bytes(body)
        print(f"wrote the {args.format} report to {args.output}")
    else:
        sys.stdout.buffer.write(body + b"\n")
    return 0


def conformance_run(args: argparse.Namespace) -> int:
    print(json.dumps(_run(lambda: _client(args).scenario(args.scenario), "conformance run")))
    return 0


def sign(args: argparse.Namespace) -> int:
    """Sign a SOAP message as a pack user's CAISO client would (test keys shipped in the pack)."""
    from datetime import UTC, datetime

    from lxml import etree

    from isosim.caiso.soap.envelope import SOAP_ENV
    from isosim.caiso.soap.security import header_element
    from isosim.caiso.soap.security import sign as sign_message
    from isosim.core.packs import find_pack_folder, read_manifest

    try:
        folder = find_pack_folder(args.pack, _settings(args).pack_search_path())
        user = next((u for u in read_manifest(folder).users if u.name == args.user), None)
    except PackError as exc:
        print(f"isosim: {exc}", file=sys.stderr)
        return 2
    if user is None or not user.certificate:
        print(f"isosim: pack {args.pack} has no user {args.user!r} with a certificate", file=sys.stderr)
        return 2
    certificate = folder / user.certificate
    message = Path(args.message).read_bytes()
    if args.header:  # a fresh CAISOWSHeader for the user, valid 15 minutes from --at (default now)
        root = etree.fromstring(message)
        header = root.find(f"{{{SOAP_ENV}}}Header")
        if header is None:
            header = etree.Element(f"{{{SOAP_ENV}}}Header")
            root.insert(0, header)
        at = datetime.fromisoformat(args.at.replace("Z", "+00:00")) if args.at else datetime.now(UTC)
        header.append(header_element(user, at.astimezone(UTC)))
        message = etree.tostring(root)
    signed = sign_message(message, certificate.with_suffix(".key").read_bytes(), certificate.read_bytes())
    sys.stdout.buffer.write(signed + b"\n")
    print(f"isosim: signed as {user.certificate_subject}", file=sys.stderr)
    return 0


def _client_flags(parser: argparse.ArgumentParser, scoped: bool = True) -> None:
    parser.add_argument(
        "--url", default="http://127.0.0.1:8000", help="the running isosim (default %(default)s)"
    )
    parser.add_argument(
        "--timeout", type=float, default=30, help="seconds to wait for it (default %(default)s)"
    )
    if scoped:
        parser.add_argument("--pack", help="only this pack (default: every pack served)")
        parser.add_argument("--tenant", help="only this tenant's copy of the state")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="isosim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser(
        "serve",
        help="run the simulator",
        description="Serve the emulated ISO web services. Every flag may also be set as ISOSIM_<NAME>.",
    )
    serve_parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve_parser.add_argument(
        "--pack",
        action="append",
        help="pack to serve (repeatable; the first is the default; default isone-sandbox)",
    )
    serve_parser.add_argument("--pack-dir", action="append", help="extra folder holding packs (repeatable)")
    serve_parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default sqlite:///isosim.sqlite3; 'memory' for in-memory; postgresql+psycopg://...)",
    )
    serve_parser.add_argument(
        "--freeze-clock", metavar="INSTANT", help="freeze the simulated clock, e.g. 2015-07-11T12:01:22Z"
    )
    serve_parser.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (PEM)")
    serve_parser.add_argument("--ssl-keyfile", help="private key of --ssl-certfile (PEM)")
    serve_parser.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    serve_parser.add_argument(
        "--workers",
        type=int,
        help="worker processes sharing the database (default 1); not with --database-url memory",
    )
    serve_parser.set_defaults(handler=serve)

    packs_parser = commands.add_parser("packs", help="list or check fixture packs")
    pack_commands = packs_parser.add_subparsers(dest="packs_command", required=True)
    list_parser = pack_commands.add_parser("list", help="list the packs found on the pack search path")
    list_parser.add_argument("--pack-dir", action="append", help="extra folder holding packs (repeatable)")
    list_parser.set_defaults(handler=packs_list)
    validate_parser = pack_commands.add_parser(
        "validate", help="check a pack folder; errors name the file, line and field"
    )
    validate_parser.add_argument("path", help="the pack folder (holding pack.toml)")
    validate_parser.set_defaults(handler=packs_validate)

    reset_parser = commands.add_parser(
        "reset",
        help="put a running server's state back to its packs",
        description="Reset a running server: every pack (or --pack), the base state (or --tenant's copy).",
    )
    _client_flags(reset_parser)
    reset_parser.set_defaults(handler=reset)

    snapshot_parser = commands.add_parser("snapshot", help="export or import a running server's state")
    snapshot_commands = snapshot_parser.add_subparsers(dest="snapshot_command", required=True)
    export_parser = snapshot_commands.add_parser(
        "export", help="write the state (every realm, or --pack/--tenant) to a JSON file"
    )
    export_parser.add_argument("file", help="where to write the snapshot")
    _client_flags(export_parser)
    export_parser.set_defaults(handler=snapshot_export)
    import_parser = snapshot_commands.add_parser(
        "import", help="replace the state of every realm in a snapshot file, all or nothing"
    )
    import_parser.add_argument("file", help="a file written by `isosim snapshot export`")
    _client_flags(import_parser, scoped=False)
    import_parser.set_defaults(handler=snapshot_import)

    sign_parser = commands.add_parser(
        "sign",
        help="sign a CAISO SOAP message with a pack user's test key",
        description=(
            "Sign a SOAP message as the pack user's CAISO client would: WS-Security (RSA-SHA1, exclusive "
            "C14N) over the Body and CAISOWSHeader, with the user's test certificate and key from the pack. "
            "Prints the signed message; send it with the certificate subject in X-SSL-Client-S-DN."
        ),
    )
    sign_parser.add_argument("message", help="the SOAP envelope (file)")
    sign_parser.add_argument("--pack", required=True, help="the CAISO pack, e.g. caiso-production")
    sign_parser.add_argument("--user", required=True, help="the pack user, e.g. sc-alpha-systems")
    sign_parser.add_argument("--header", action="store_true", help="add a CAISOWSHeader for the user first")
    sign_parser.add_argument("--at", metavar="INSTANT", help="the header's Created instant (default now)")
    sign_parser.add_argument("--pack-dir", action="append", help="extra folder holding packs (repeatable)")
    sign_parser.set_defaults(handler=sign)
    conformance_parser = commands.add_parser(
        "conformance", help="how a client behaved (a running server's report)"
    )
    conformance_commands = conformance_parser.add_subparsers(dest="conformance_command", required=True)
    report_parser = conformance_commands.add_parser(
        "report",
        help="a caller's conformance report",
        description="Each rule's verdict for a caller (pass, fail, not-exercised), with its evidence.",
    )
    _client_flags(report_parser)
    report_parser.add_argument("--identity", help="the pack user whose requests to judge")
    report_parser.add_argument("--client", help="or the caller's address (anonymous services: OASIS)")
    report_parser.add_argument("--format", choices=("json", "html", "junit"), default="json")
    report_parser.add_argument("-o", "--output", help="write the report here (default: standard output)")
    report_parser.set_defaults(handler=conformance_report)
    run_parser = conformance_commands.add_parser(
        "run",
        help="set a scenario up on a running server (GET /_isosim/conformance/scenarios lists them)",
        description="Set up what conformance rules need to be exercised: an outage, a closed window, ...",
    )
    _client_flags(run_parser)
    run_parser.add_argument("scenario", help="e.g. ibt-outage, emarket-window-closed, caiso-maintenance")
    run_parser.set_defaults(handler=conformance_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
