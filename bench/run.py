"""Every benchmark of issue 6 in one run, printed as one table (nothing here asserts a target).

    .venv/bin/python bench/run.py [--duration 5] [--connections 1,16,64] [--scale 1000000]

- Throughput: isosim and a bare hello-world ASGI app served identically (uvicorn, one worker), loaded
  by wrk on loopback, bounded in time; requests/s, p50, p99 and each figure's ratio to the baseline
  measured in the same run, at each client count.
- Scale: GET contractSubaccountMappings with a filter, one client, as the database grows from the
  pack (about 6 thousand mapping versions) to 100 thousand and --scale versions.
- Start-up (process start to the first 200 of the default pack) and reset, as bench/reset.py.
- Memory: the server's RSS after start and after 100 thousand requests.
Needs wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import reset, scale
from bench.ibt import IBT, post_script, served, wrk
from bench.oasis import NOW, _status_kib

FILTERED = (
    f"{IBT}/contractSubaccountMappings?category=FCM+LOAD+OBLIGATION"
    "&start_date=01%2F01%2F2014&end_date=12%2F31%2F2017&start=5&limit=10"
)
TEN_NODES = (
    "TH_NP15_GEN-APND,TH_SP15_GEN-APND,TH_ZP26_GEN-APND,DLAP_PGAE-APND,DLAP_SCE-APND,DLAP_SDGE-APND,"
    "DLAP_VEA-APND,PACE_ELAP-APND,NEVP_ELAP-APND,AZPS_ELAP-APND"
)
OASIS_DAY = (
    "/env/caiso-production/oasisapi/SingleZip?queryname=PRC_LMP&version=12&market_run_id=DAM&resultformat=6"
    f"&node={TEN_NODES}&startdatetime=20261110T08:00-0000&enddatetime=20261111T08:00-0000"
)


def _env(folder: Path, name: str) -> dict[str, str]:
    return {
        "ISOSIM_DATABASE_URL": f"sqlite:///{folder / name}",
        "ISOSIM_DEFAULT_USER": "true",
        "ISOSIM_RATE_LIMIT": "false",
        "ISOSIM_MAINTENANCE": "false",
        "ISOSIM_CLOCK_FROZEN_AT": NOW.isoformat(),
    }


def line(name: str, clients: object, figures: dict[str, float], baseline: dict[str, float] | None) -> str:
    ratio = f"{figures['rps'] / baseline['rps']:.2f}" if baseline else ""
    return (
        f"{name:44} {clients!s:>7} {figures['rps']:>9.0f} {ratio:>7} {figures['p50']:>8.2f} "
        f"{figures['p99']:>8.2f} {figures['errors']:>7.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement (default 5)")
    parser.add_argument("--connections", default="1,16,64", help="client counts (default 1,16,64)")
    parser.add_argument("--scale", type=int, default=1_000_000, help="largest mapping-version count")
    parser.add_argument("--parts", default="throughput,scale,memory,startup", help="which parts to run")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if not shutil.which("wrk"):
        print("bench/run.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    print(
        f"{'scenario':44} {'clients':>7} {'req/s':>9} {'x base':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "throughput" in parts:
            throughput(folder, args.duration, [int(c) for c in args.connections.split(",")])
        if "scale" in parts:
            scaling(folder, args.duration, args.scale)
        if "memory" in parts:
            memory(folder)
        if "startup" in parts:
            startup(folder)
    return 0


ADS = "/env/caiso-production/ADS/APIWebService/v7"
ALPHA = "CN=sc-alpha-bidder, OU=Trading, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"


def _ads_call(operation: str, part: str, value: str) -> str:
    return (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        f'<a:{operation} xmlns:a="urn-com-caiso-ads-webservices-api"><{part}>{value}</{part}></a:{operation}>'
        "</s:Body></s:Envelope>"
    )


def ads_script(folder: Path, isosim: str) -> Path:
    """A wrk script POSTing getDispatchBatch for a batch listed first: a SOAP retrieve whose answer is
    a base64(gzip(xml)) document, as DocAttach responses are."""
    headers = {"Content-Type": "text/xml", "X-SSL-Client-S-DN": ALPHA}
    call = _ads_call("getDispatchBatchesSinceUID", "uid", "-1").encode()
    listing = urllib.request.urlopen(urllib.request.Request(isosim + ADS, data=call, headers=headers)).read()
    uid = re.search(rb"<item>([^<]+)</item>", listing).group(1).decode()  # type: ignore[union-attr]
    script = folder / "ads.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        + "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
        + f"wrk.body = [[{_ads_call('getDispatchBatch', 'batchUID', uid)}]]\n"
    )
    return script


B2B = "/env/caiso-production/sst/cmri/RetrieveMarketAwards_CMRIv4_DocAttach_AP"
SYSTEMS = "CN=sc-alpha-systems, OU=Systems, O=Alpha Energy Marketing LLC, L=Folsom, ST=CA, C=US"


def b2b_script(folder: Path) -> Path:
    """A wrk script POSTing a signed CMRI RetrieveMarketAwards_v4_DocAttach for yesterday's trading
    day (Alpha's awards in the day-ahead market: 63 records of 24 hours): a B2B SOAP retrieve with a
    DocAttach answer, through the strict pack's CAISOWSHeader and WS-Security checks."""
    from datetime import timedelta

    from isosim.caiso import pacific
    from isosim.caiso.soap.envelope import SOAP_ENV
    from isosim.caiso.soap.security import header_element, sign
    from isosim.core.packs import User

    now = NOW  # the served isosim's frozen clock
    start, end = pacific.day_bounds(pacific.trading_day(now) - timedelta(days=1))
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    request = (
        '<RequestMarketAwards xmlns="http://www.caiso.com/soa/RequestMarketAwards_v4.xsd#"><MessageHeader>'
        f"<TimeDate>{now:{stamp}}</TimeDate><Source>bench</Source><Version>v20161001</Version></MessageHeader>"
        f"<MessagePayload><RequestMarketAwardRecord><dateTimeStart>{start:{stamp}}</dateTimeStart>"
        f"<dateTimeEnd>{end:{stamp}}</dateTimeEnd><marketType>DAM</marketType><executionType>IFM</executionType>"
        "<schedulingCoordinatorList><schedulingCoordinator>ALPH</schedulingCoordinator></schedulingCoordinatorList>"
        "</RequestMarketAwardRecord></MessagePayload></RequestMarketAwards>"
    )
    header = etree_string(header_element(User(name="sc-alpha-systems", certificate_subject=SYSTEMS), now, 60))
    message = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Header>{header}</soapenv:Header>'
        f"<soapenv:Body>{request}</soapenv:Body></soapenv:Envelope>"
    ).encode()
    certs = Path(__file__).resolve().parents[1] / "fixtures" / "caiso-production" / "certs"
    signed = sign(
        message, (certs / "sc-alpha-systems.key").read_bytes(), (certs / "sc-alpha-systems.pem").read_bytes()
    )
    script = folder / "b2b.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "text/xml"\n'
        f'wrk.headers["X-SSL-Client-S-DN"] = "{SYSTEMS}"\n'
        f"wrk.body = [[{signed.decode()}]]\n"
    )
    return script


def etree_string(element) -> str:  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.tostring(element).decode()


def throughput(folder: Path, duration: int, connections: list[int]) -> None:
    script = post_script(folder)
    with (
        served("bench.hello:app", {}) as hello,
        served("isosim.main:create_app", _env(folder, "t.db"), True) as isosim,
    ):
        scenarios = [
            ("IBT GET subaccounts", f"{isosim}{IBT}/subaccounts", None),
            ("IBT GET mappings, filtered + paged", isosim + FILTERED, None),
            ("IBT POST two-mapping update", f"{isosim}{IBT}/contractSubaccountMappings", script),
            ("OASIS PRC_LMP day, 10 nodes (CSV zip)", isosim + OASIS_DAY, None),
            ("ADS getDispatchBatch (SOAP, base64 gzip doc)", isosim + ADS, ads_script(folder, isosim)),
            ("CMRI awards DocAttach (signed, 63 rec. x 24 h)", isosim + B2B, b2b_script(folder)),
        ]
        for n in connections:
            baseline = wrk(hello + "/", n, duration)
            print(line("hello-world baseline", n, baseline, baseline), flush=True)
            for name, url, lua in scenarios:
                print(line(name, n, wrk(url, n, duration, lua), baseline), flush=True)


def scaling(folder: Path, duration: int, largest: int) -> None:
    """The same filtered GET (whose answer must not change) as the database grows."""
    answer = None
    for versions in (0, 100_000, largest):
        with served("isosim.main:create_app", _env(folder, "scale.db"), True):
            pass  # seeds the pack on the first round
        held = scale.grow(f"sqlite:///{folder / 'scale.db'}", versions)
        with served("isosim.main:create_app", _env(folder, "scale.db"), True) as isosim:
            body = urllib.request.urlopen(isosim + FILTERED).read()
            if answer is not None and body != answer:
                raise SystemExit(
                    "the filtered GET's answer changed as the database grew: not a fair comparison"
                )
            answer = body
            wrk(isosim + FILTERED, 1, 1)  # warm the page cache
            figures = wrk(isosim + FILTERED, 1, duration)
        print(line(f"scale: filtered GET at {held:,} versions", 1, figures, None), flush=True)


def memory(folder: Path) -> None:
    with served("isosim.main:create_app", _env(folder, "m.db"), True) as isosim:
        pid = served.pid  # type: ignore[attr-defined]
        wrk(f"{isosim}{IBT}/subaccounts", 4, 1)
        before, done = _status_kib(pid, "VmRSS"), 0
        while done < 100_000:
            done += int(wrk(f"{isosim}{IBT}/subaccounts", 16, 5)["requests"])
        after = _status_kib(pid, "VmRSS")
    print(
        f"memory: RSS after start {before / 1024:.0f} MB, after {done:,} more requests "
        f"{after / 1024:.0f} MB (+{(after - before) / 1024:.1f} MB)"
    )


def startup(folder: Path) -> None:
    startups = {}
    url = f"sqlite:///{folder / 's.db'}"
    for name, target in (
        ("fresh database", url),
        ("restart, same database", url),
        ("in-memory database", "memory"),
    ):
        process, _, startups[name] = reset.start(target)
        reset.stop(process)
    hello = reset.start_hello()
    for name, seconds in startups.items():
        ratio = f"{seconds / hello:.1f}x a hello-world uvicorn: {hello * 1000:.0f} ms"
        print(f"start-up, {name}: {seconds * 1000:.0f} ms ({ratio})")
    process, base, _ = reset.start(url)
    try:
        times = []
        for _ in range(20):
            reset.request(
                f"{base}{IBT}/contractSubaccountMappings",
                "POST",
                reset.SAMPLE.read_bytes(),
                {"Content-Type": reset.CONTENT_TYPE},
            )
            started = time.perf_counter()
            reset.request(base + "/_isosim/reset", "POST")
            times.append((time.perf_counter() - started) * 1000)
    finally:
        reset.stop(process)
    print(
        f"reset after a POST, every served pack: median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
