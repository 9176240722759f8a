"""What the market makes of participants' offers: each unit's day-ahead award, the day-ahead system
summary, reference levels as they apply, the market monitor's conduct tests, and the offers as the
masked hb* feeds publish them. Prices and demand come from the ISO-NE market model
(app/isone/market), so eMarket and the public feeds never disagree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection

from isosim.isone.emarket import rules, timeline
from isosim.isone.emarket.codec import ConductTest
from isosim.isone.emarket.rules import Asset, Portfolio, Values
from isosim.isone.emarket.tables import Settings
from isosim.isone.market import fleet, prices, system
from isosim.isone.market.registry import HUB, Registry

# Energy conduct tests per market: offer > reference + min(share x reference, cap) (seed 003): the
# constrained-area test in both markets, the general-threshold test in real time only.
CONSTRAINED = {"CONSTRAINED_AREA_ENERGY": (0.5, 25.0)}
ENERGY_TESTS = {"DA": CONSTRAINED, "RT": {**CONSTRAINED, "GENERAL_THRESHOLD_ENERGY": (3.0, 100.0)}}
RELIABILITY_RATIO = 1.10  # low load cost offer / reference (seed 003)


def cleared(segments: list[tuple[float | None, float]], schedule: Values, lmp: float) -> float:
    """A unit's day-ahead MW: the (cumulative) MW of the segments priced below its node's LMP, at
    least its economic minimum once it runs (must-run hours always do), at most its economic
    maximum; nothing when unavailable ([I]: the market clears against the model's prices)."""
    if schedule["status"] == "UNAVAILABLE":
        return 0.0
    mw = max((m for p, m in segments if p is not None and p < lmp), default=0.0)
    if schedule["status"] == "MUST_RUN" or mw > 0:
        mw = max(mw, schedule["eco_min"])
    return round(min(mw, schedule["eco_max"]), 1)


def _lmps(registry: Registry, unit: Asset, hours: list[datetime]) -> list[float]:
    where = registry.location(unit.loc_id)
    if where is None or not where.priced:
        where = registry.location(HUB)
    if where is None:
        return [0.0] * len(hours)
    return [lmp.total for lmp in prices.day_ahead(registry, hours, [where])]


def published(settings: Settings, day: date, now: datetime) -> bool:
    """Day-ahead results (awards, the system summary) show from their publication time."""
    return now >= timeline.da_results(settings, day)


def awards(registry: Registry, book: Portfolio) -> list[tuple[str, list[tuple[datetime, float, float]]]]:
    """rest/unit/byparticipant: every generator's day-ahead MW and its node's LMP, hour by hour."""
    found = []
    hours = book.hours
    for unit in book.units:
        if unit.dard:
            continue
        lmps = _lmps(registry, unit, hours)
        rows = []
        for begin, lmp in zip(hours, lmps, strict=True):
            offer = book.offer(unit, begin, "DA").values
            rows.append((begin, cleared(offer["segments"], book.schedule(unit, begin).values, lmp), lmp))
        found.append((unit.short_name, rows))
    return found


def system_summary(registry: Registry, day: date) -> list[tuple[datetime, float, float]]:
    """The day-ahead market's cleared demand and hub price per hour (the public feeds' numbers)."""
    hub = registry.location(HUB)
    demand = system.day_ahead_load(registry, day)
    if hub is None:
        return []
    lmps = prices.day_ahead(registry, [h for h, _ in demand], [hub])
    return [(begin, mw, lmp.total) for (begin, mw), lmp in zip(demand, lmps, strict=True)]


def reference_levels(
    book: Portfolio, refs: dict[tuple[int, int], Values], market: str
) -> list[tuple[str, list[tuple[datetime, Values, bool]]]]:
    found = []
    for unit in book.units:
        if unit.dard:
            continue
        rows = []
        for begin in book.hours:
            fpa = book.offer(unit, begin, market).values.get("fuel_price_adjustment")
            rows.append((begin, rules.reference(refs, unit, begin, fpa), rules.fpa_effective(unit, fpa)))
        found.append((unit.short_name, rows))
    return found


def _energy_at_minimum(segments: list[tuple[float | None, float]], eco_min: float) -> float:
    """$ per hour for energy up to economic minimum, at the price of the segment that reaches it."""
    if eco_min <= 0 or not segments:
        return 0.0
    price = next((p for p, m in segments if m >= eco_min and p is not None), segments[-1][0] or 0.0)
    return eco_min * price


def conduct_tests(
    registry: Registry, book: Portfolio, refs: dict[tuple[int, int], Values], market: str
) -> list[ConductTest]:
    """The market monitor's conduct tests on the offers in force (seed 003 appendix A), after the
    fact and never a rejection: start-up and no-load against 3x reference; energy against
    reference + min(50%, $25) (constrained area) and, in real time, + min(300%, $100) (general
    threshold); day-ahead commitments' low load cost against 1.10x its reference."""
    tests: list[ConductTest] = []
    awarded = dict(awards(registry, book)) if market == "DA" else {}
    for unit in book.units:
        if unit.dard:
            continue
        name = unit.short_name
        for begin in book.hours:
            offer = book.offer(unit, begin, market).values
            levels = rules.reference(refs, unit, begin, offer.get("fuel_price_adjustment"))
            worst = max(rules.COSTS, key=lambda c: (offer.get(c) or 0.0) / levels[c] if levels[c] else 0.0)
            tests.append(
                ConductTest(
                    name, begin, "START_UP_NO_LOAD", offer.get(worst) or 0.0, levels[worst], 3 * levels[worst]
                )
            )
            priced = [p for p, _ in offer["segments"] if p is not None]
            ref = levels["energy"]
            for test, (share, cap) in ENERGY_TESTS[market].items():
                if priced:
                    threshold = round(ref + min(share * abs(ref), cap), 4)
                    tests.append(ConductTest(name, begin, test, max(priced), ref, threshold))
        if market == "DA":
            tests += _commitments(unit, book, refs, awarded.get(name, []))
    return tests


def _commitments(
    unit: Asset,
    book: Portfolio,
    refs: dict[tuple[int, int], Values],
    awarded: list[tuple[datetime, float, float]],
) -> list[ConductTest]:
    """Each day-ahead commitment (a run of awarded hours): low load cost = start-up + no-load +
    energy at economic minimum over the run, offer against reference (seed 003's example)."""
    found = []
    run: list[datetime] = []
    for begin, mw, _ in [*awarded, (None, 0.0, 0.0)]:  # type: ignore[list-item]
        if begin is not None and mw > 0:
            run.append(begin)
            continue
        if run:
            offer_llc = reference_llc = 0.0
            for n, hour in enumerate(run):
                offer = book.offer(unit, hour, "DA").values
                eco_min = book.schedule(unit, hour).values["eco_min"]
                levels = rules.reference(refs, unit, hour, offer.get("fuel_price_adjustment"))
                if n == 0:
                    offer_llc += offer.get("cold_start") or 0.0
                    reference_llc += levels["cold_start"]
                offer_llc += (offer.get("no_load") or 0.0) + _energy_at_minimum(offer["segments"], eco_min)
                reference_llc += levels["no_load"] + eco_min * levels["energy"]
            if reference_llc > 0:
                found.append(
                    ConductTest(
                        unit.short_name,
                        run[0],
                        "RELIABILITY_COMMITMENT",
                        round(offer_llc, 2),
                        round(reference_llc, 2),
                        round(RELIABILITY_RATIO * reference_llc, 2),
                    )
                )
            run = []
    return found


# --- the public feeds -------------------------------------------------------------------------------


def received_offers(
    conn: Connection, realm: str, registry: Registry, day: date, market: str
) -> dict[tuple[int, datetime], fleet.Offer]:
    """The realm's participants' generator offers as the market holds them, keyed by (masked asset,
    hour): what the masked hb* energy offer feeds publish for those units (empty without eMarket)."""
    units = [u for u in rules.assets(conn, realm) if not u.dard]
    if not units:
        return {}
    book = rules.portfolio(conn, realm, registry, units, day)
    generators = {g.asset: g for g in fleet.fleet(registry, day).generators}
    found = {}
    for unit in units:
        g = generators.get(unit.masked_asset_id)
        if g is None:
            continue
        for begin in book.hours:
            offer = book.offer(unit, begin, market).values
            schedule = book.schedule(unit, begin).values
            found[(g.asset, begin)] = fleet.Offer(
                begin=begin,
                generator=g,
                status=schedule["status"],
                eco_max=schedule["eco_max"],
                eco_min=schedule["eco_min"],
                segments=tuple((p if p is not None else 0.0, mw) for p, mw in offer["segments"]),
                cold_start=offer.get("cold_start") or 0.0,
                intermediate_start=offer.get("intermediate_start") or 0.0,
                hot_start=offer.get("hot_start") or 0.0,
                no_load=offer.get("no_load") or 0.0,
                claim10=offer.get("claim10") or 0.0,
                claim30=offer.get("claim30") or 0.0,
            )
    return found
