"""eMarket's rules: what a participant's units offer hour by hour, and whether a submission is
accepted, accepted with warnings, or rejected (seed 003; ../shared/isone/EMARKET.md section 5).

A unit's hour always has an offer: what the participant submitted, else (real time) its day-ahead
offer, else its standing offer, which is the market fleet's offer for the unit (app/isone/market/
fleet.py: the unit is a generator of that fleet, under its masked id). A submission is judged as a
whole against the values it would leave in force, and stores nothing unless every check passes.
Codes are isosim's ([I]: eMarket's own are not public); each message says the rule in words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select

from isosim.isone.eastern import EASTERN
from isosim.isone.emarket import timeline
from isosim.isone.emarket.codec import Message, Submission, UnitIn
from isosim.isone.emarket.tables import (
    Settings,
    asset,
    demand_bid_hour,
    offer_hour,
    reference_level,
    schedule_hour,
    unit_day,
)
from isosim.isone.market import fleet, prices, system
from isosim.isone.market.registry import Registry

MAX_SEGMENTS = 10  # per offer or bid hour (ISO-NE's published offers carry at most 10)
MAX_PRICE_SENSITIVE_BIDS = 10  # per participant and hour (eMarket FAQ)
START_UP_NO_LOAD_LIMIT = 3.0  # x the reference level (seed 003)
FPA_MULTIPLE, FPA_FLOOR = 1.1, 2.50  # an FPA counts above max(1.1 x index, $2.50/MMBtu) (seed 003)
FPA_TOLERANCE = 1.10  # with an FPA, offers within 10% of the adjusted reference (seed 003)
COSTS = ("cold_start", "intermediate_start", "hot_start", "no_load")
OFFER_FIELDS = (
    "no_load",
    "cold_start",
    "intermediate_start",
    "hot_start",
    "cold_notification",
    "intermediate_notification",
    "hot_notification",
    "cold_startup",
    "intermediate_startup",
    "hot_startup",
    "ramp_rate",
    "ramp_curve",
    "claim10",
    "claim30",
    "use_offer_slope",
    "use_startup_no_load",
    "fuel_type",
    "fuel_blend",
    "fuel_price_adjustment",
)
# What a real-time re-offer may change (seed 003 "Intraday Reoffer Capability"); the rest is
# redeclared by phone to the control room.
REOFFERABLE = {"segments", *COSTS, "use_offer_slope", "use_startup_no_load", "fuel_type", "fuel_blend"}
REOFFERABLE |= {"fuel_price_adjustment"}  # hourly participant-submitted FPAs (seed 003 appendix A)
DARD_FIELDS = ("use_offer_slope", "ramp_rate", "ramp_curve")
MAX_RAMP_PAIRS = 10  # [I]: as many as price/MW pairs
FUEL_TYPES = {
    "gas cc": "NATURAL_GAS",
    "gas ct": "NATURAL_GAS",
    "oil steam": "OIL",
    "coal": "COAL",
    "nuclear": "NUCLEAR",
    "hydro": "WATER",
    "pumped storage": "WATER",
    "wind": "WIND",
    "solar": "SOLAR",
    "wood": "WOOD",
    "refuse": "REFUSE",
}
DUAL_FUELS = ("NATURAL_GAS", "OIL")
ACCEPTED, WARNED, REJECTED = "ACCEPTED", "ACCEPTED_WITH_WARNINGS", "REJECTED"


@dataclass(frozen=True)
class Asset:
    asset_id: int
    short_name: str
    customer_id: int
    kind: str
    loc_id: int
    masked_asset_id: int
    fuel: str
    dual_fuel: bool
    fuel_index: float
    claim10_capability: float
    claim30_capability: float
    emergency_min: float
    eco_min: float
    eco_max: float
    rthol: float

    @property
    def dard(self) -> bool:
        return self.kind == "DARD"

    @property
    def fuel_type(self) -> str:
        return FUEL_TYPES.get(self.fuel, "OTHER")

    @property
    def fast(self) -> bool:
        return self.fuel in ("gas ct", "hydro", "pumped storage", "battery")


Values = dict[str, Any]  # a unit-hour's fields by stored name, with "segments"


@dataclass(frozen=True)
class Hour:
    begin: datetime  # aware UTC
    values: Values
    source: str  # SUBMITTED, DAY_AHEAD, STANDING


# --- reading ---------------------------------------------------------------------------------------


def assets(conn: Connection, realm: str, customer_id: int | None = None) -> list[Asset]:
    """The realm's units (one participant's when `customer_id` is given), by short name."""
    columns = [c for c in asset.c if c.name != "realm"]
    query = select(*columns).where(asset.c.realm == realm)
    if customer_id is not None:
        query = query.where(asset.c.customer_id == customer_id)
    return [Asset(**row._mapping) for row in conn.execute(query.order_by(asset.c.short_name))]


def references(conn: Connection, realm: str, ids: Iterable[int]) -> dict[tuple[int, int], Values]:
    """Reference levels by (asset, local hour beginning)."""
    columns = [c for c in reference_level.c if c.name not in ("realm", "asset_id", "hour")]
    rows = conn.execute(
        select(reference_level.c.asset_id, reference_level.c.hour, *columns).where(
            reference_level.c.realm == realm, reference_level.c.asset_id.in_(list(ids))
        )
    )
    return {(r.asset_id, r.hour): {c.name: getattr(r, c.name) for c in columns} for r in rows}


def naive(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


def _day_range(day: date) -> tuple[datetime, datetime]:
    hours = prices.hours_of(day)
    return naive(hours[0]), naive(hours[-1])


def _segments(text: str) -> list[tuple[float | None, float]]:
    """Stored segments; a snapshot's malformed ones read as none (the hour then offers nothing)."""
    try:
        found = json.loads(text)
        return [(None if p is None else float(p), float(mw)) for p, mw in found][:50]
    except (ValueError, TypeError):
        return []


def _pairs(text: str | None) -> list[tuple[float, float]] | None:
    """Stored ramp rate/MW pairs (None: a single ramp rate); a snapshot's malformed ones read as none."""
    if text is None:
        return None
    try:
        return [(float(mw), float(rate)) for mw, rate in json.loads(text)][:50]
    except (ValueError, TypeError):
        return None


@system.per_day  # indexed once per day, not once per unit and request
def _standing_offers(registry: Registry, day: date) -> dict[tuple[int, datetime], fleet.Offer]:
    return {(o.generator.asset, o.begin): o for o in fleet.day_ahead_offers(registry, day)}


@system.per_day
def _standing_bids(registry: Registry, day: date) -> dict[tuple[int, datetime], fleet.Bid]:
    return {(b.asset, b.begin): b for b in fleet.ard_bids(registry, day)}


def standing(registry: Registry, unit: Asset, day: date) -> dict[datetime, tuple[Values, Values]]:
    """The unit's standing offer and schedule detail for each hour of `day`: the fleet's."""
    found: dict[datetime, tuple[Values, Values]] = {}
    if unit.dard:
        bids = _standing_bids(registry, day)
        for begin in prices.hours_of(day):
            bid = bids.get((unit.masked_asset_id, begin))
            offer = {
                "segments": list(bid.segments) if bid else [(0.0, unit.eco_max)],
                "use_offer_slope": False,
                "ramp_rate": round(unit.eco_max / 5, 1),
                "ramp_curve": None,
            }
            schedule = {
                "status": bid.status if bid else "UNAVAILABLE",
                "eco_min": bid.minimum if bid else unit.eco_min,
                "eco_max": bid.maximum if bid else unit.eco_max,
                "emergency_min": None,
                "rthol": None,
            }
            found[begin] = (offer, schedule)
        return found
    offers = _standing_offers(registry, day)
    fast = unit.fast
    for begin in prices.hours_of(day):
        o = offers.get((unit.masked_asset_id, begin))
        offer = {
            "segments": list(o.segments) if o else [(0.0, unit.eco_max)],
            "no_load": o.no_load if o else 0.0,
            "cold_start": o.cold_start if o else 0.0,
            "intermediate_start": o.intermediate_start if o else 0.0,
            "hot_start": o.hot_start if o else 0.0,
            "cold_notification": "00:05" if fast else "02:00",
            "intermediate_notification": "00:05" if fast else "01:00",
            "hot_notification": "00:05" if fast else "00:30",
            "cold_startup": "00:05" if fast else "04:00",
            "intermediate_startup": "00:05" if fast else "02:00",
            "hot_startup": "00:05" if fast else "01:00",
            "ramp_rate": round(unit.eco_max / (10 if fast else 60), 1),
            "claim10": o.claim10 if o else 0.0,
            "claim30": o.claim30 if o else 0.0,
            "use_offer_slope": False,
            "use_startup_no_load": True,
            "fuel_type": unit.fuel_type,
            "fuel_blend": None,
            "ramp_curve": None,
            "fuel_price_adjustment": None,
        }
        schedule = {
            "status": o.status if o else "UNAVAILABLE",
            "emergency_min": min(unit.emergency_min, o.eco_min) if o else unit.emergency_min,
            "eco_min": o.eco_min if o else unit.eco_min,
            "eco_max": o.eco_max if o else unit.eco_max,
            "rthol": unit.rthol,
        }
        found[begin] = (offer, schedule)
    return found


def _stored_offers(
    conn: Connection, realm: str, ids: list[int], day: date
) -> dict[tuple[int, str, datetime], Values]:
    first, last = _day_range(day)
    t = offer_hour
    rows = conn.execute(
        select(t).where(t.c.realm == realm, t.c.asset_id.in_(ids), t.c.begin.between(first, last))
    )
    found = {}
    for row in rows:
        values = {name: getattr(row, name) for name in OFFER_FIELDS}
        values["segments"] = _segments(row.segments)
        values["ramp_curve"] = _pairs(row.ramp_curve)
        found[(row.asset_id, row.market, row.begin.replace(tzinfo=UTC))] = values
    return found


def _stored_schedules(
    conn: Connection, realm: str, ids: list[int], day: date
) -> dict[tuple[int, datetime], Values]:
    first, last = _day_range(day)
    t = schedule_hour
    rows = conn.execute(
        select(t).where(t.c.realm == realm, t.c.asset_id.in_(ids), t.c.begin.between(first, last))
    )
    names = ("status", "emergency_min", "eco_min", "eco_max", "rthol")
    return {(r.asset_id, r.begin.replace(tzinfo=UTC)): {n: getattr(r, n) for n in names} for r in rows}


@dataclass(frozen=True)
class Portfolio:
    """Units' offers and schedules for one operating day, as they stand."""

    day: date
    units: list[Asset]
    standing: dict[int, dict[datetime, tuple[Values, Values]]]
    stored: dict[tuple[int, str, datetime], Values]
    schedules: dict[tuple[int, datetime], Values]
    dailies: dict[int, Values]

    def offer(self, unit: Asset, begin: datetime, market: str) -> Hour:
        if market == "RT":
            found = self.stored.get((unit.asset_id, "RT", begin))
            if found is not None:
                return Hour(begin, found, "SUBMITTED")
            day_ahead = self.offer(unit, begin, "DA")
            source = "DAY_AHEAD" if day_ahead.source == "SUBMITTED" else "STANDING"
            return Hour(begin, day_ahead.values, source)
        found = self.stored.get((unit.asset_id, "DA", begin))
        if found is not None:
            return Hour(begin, found, "SUBMITTED")
        return Hour(begin, dict(self.standing[unit.asset_id][begin][0]), "STANDING")

    def schedule(self, unit: Asset, begin: datetime) -> Hour:
        found = self.schedules.get((unit.asset_id, begin))
        if found is not None:
            return Hour(begin, found, "SUBMITTED")
        return Hour(begin, dict(self.standing[unit.asset_id][begin][1]), "STANDING")

    @property
    def hours(self) -> list[datetime]:
        return prices.hours_of(self.day)


def portfolio(conn: Connection, realm: str, registry: Registry, units: list[Asset], day: date) -> Portfolio:
    ids = [u.asset_id for u in units]
    daily_rows = conn.execute(
        select(unit_day).where(
            unit_day.c.realm == realm, unit_day.c.asset_id.in_(ids), unit_day.c.day == str(day)
        )
    )
    names = ("min_run_time", "min_down_time", "hot_to_cold", "hot_to_intermediate", "max_daily_energy")
    return Portfolio(
        day,
        units,
        {u.asset_id: standing(registry, u, day) for u in units},
        _stored_offers(conn, realm, ids, day),
        _stored_schedules(conn, realm, ids, day),
        {r.asset_id: {n: getattr(r, n) for n in names} for r in daily_rows},
    )


def fpa_effective(unit: Asset, fpa: float | None) -> bool:
    """A fuel price adjustment counts only above max(1.1 x the fuel price index, $2.50/MMBtu)."""
    if fpa is None or unit.fuel_index <= 0:
        return False
    return fpa > max(FPA_MULTIPLE * unit.fuel_index, FPA_FLOOR)


def reference(refs: dict[tuple[int, int], Values], unit: Asset, begin: datetime, fpa: float | None) -> Values:
    """The unit's reference levels for the hour, scaled by an effective FPA over the index ([I])."""
    levels = refs.get((unit.asset_id, begin.astimezone(EASTERN).hour))
    if levels is None:
        levels = {"energy": 0.0, **{c: 0.0 for c in COSTS}}
    if fpa_effective(unit, fpa):
        factor = fpa / unit.fuel_index  # type: ignore[operator]
        return {k: round(v * factor, 2) for k, v in levels.items()}
    return dict(levels)


# --- judging a submission ----------------------------------------------------------------------------


def _minutes(text: str | None) -> int:
    if not text:
        return 0
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


class _Judge:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    def error(
        self,
        code: str,
        text: str,
        unit: str | None = None,
        time: datetime | None = None,
        segment: int | None = None,
    ) -> None:
        self.messages.append(Message("ERROR", code, text, unit, time, segment))

    def warn(self, code: str, text: str, unit: str | None = None, time: datetime | None = None) -> None:
        self.messages.append(Message("WARNING", code, text, unit, time))

    @property
    def rejected(self) -> bool:
        return any(m.severity == "ERROR" for m in self.messages)

    def curve(
        self,
        segments: list[tuple[float | None, float]],
        settings: Settings,
        name: str,
        begin: datetime,
        falling: bool = False,
    ) -> None:
        """Price/MW pairs: at most 10, priced within floor and cap, MW rising, prices not falling
        (offers) or not rising (bids) as MW rise."""
        if len(segments) > MAX_SEGMENTS:
            self.error(
                "E122",
                f"{len(segments)} segments; at most {MAX_SEGMENTS} price/MW pairs per hour",
                name,
                begin,
            )
            return
        previous: tuple[float | None, float] | None = None
        for n, (price, mw) in enumerate(segments, 1):
            if price is None:
                self.error("E124", "every segment needs a price", name, begin, n)
                return
            if price < settings.floor:
                self.error(
                    "E120",
                    f"price {price:g} is below the energy offer floor of {settings.floor:g} $/MWh",
                    name,
                    begin,
                    n,
                )
            if price > settings.offer_cap:
                self.error(
                    "E121",
                    f"price {price:g} is above the offer cap of {settings.offer_cap:g} $/MWh",
                    name,
                    begin,
                    n,
                )
            if mw <= 0 or (previous is not None and mw <= previous[1]):
                self.error(
                    "E123", "segment MW must be positive and increase from segment to segment", name, begin, n
                )
            elif previous is not None and ((price > previous[0]) if falling else (price < previous[0])):  # type: ignore[operator]
                rule = "must not rise as MW increase (a bid)" if falling else "must not fall as MW increase"
                self.error("E123", f"prices {rule}", name, begin, n)
            previous = (price, mw)


def _resolve(judge: _Judge, units: dict[str, Asset], item: UnitIn, kinds: tuple[str, ...]) -> Asset | None:
    found = units.get(item.name)
    if found is None:
        judge.error("E100", f"no unit {item.name!r} in your portfolio", item.name)
        return None
    if found.kind not in kinds:
        wanted = "a generator" if kinds == ("GENERATOR",) else "a DARD"
        judge.error("E101", f"unit {item.name!r} is not {wanted}", item.name)
        return None
    return found


def _hours(judge: _Judge, item: UnitIn, day: date, name: str) -> list[tuple[datetime, Any]]:
    """The items' hours as instants of the operating day (either offset spelling of an instant)."""
    valid = set(prices.hours_of(day))
    seen: set[datetime] = set()
    found = []
    for hour in item.hours:
        try:
            instant = datetime.fromisoformat(hour.time.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            judge.error("E102", f"time {hour.time!r} is not an ISO 8601 instant", name)
            continue
        if instant not in valid:
            judge.error("E102", f"time {hour.time} is not an hour beginning of operating day {day}", name)
        elif instant in seen:
            judge.error("E102", f"hour {hour.time} is given twice", name)
        else:
            seen.add(instant)
            found.append((instant, hour))
    return found


@dataclass
class Outcome:
    status: str
    messages: list[Message]


def submit(
    conn: Connection,
    realm: str,
    registry: Registry,
    settings: Settings,
    customer_id: int,
    user: str,
    submission: Submission,
    now: datetime,
) -> Outcome:
    """Judge a submission and, unless rejected, store it (in the caller's transaction)."""
    judge = _Judge()
    kind, day, market = submission.kind, submission.day, submission.market
    if kind in ("scheduledetail", "demandbid") or market == "DA":
        refusal = timeline.day_ahead_refusal(settings, day, now)
        if refusal is not None:
            judge.error("E110", refusal)
            return Outcome(REJECTED, judge.messages)
    if kind == "demandbid":
        rows = _demand_bids(conn, realm, registry, settings, judge, customer_id, submission)
        writes = {demand_bid_hour: rows}
    else:
        units = {u.short_name: u for u in assets(conn, realm, customer_id)}
        book = portfolio(conn, realm, registry, list(units.values()), day)
        refs = references(conn, realm, [u.asset_id for u in units.values()])
        writes = _unit_rows(judge, settings, submission, units, book, refs, now)
    if judge.rejected:
        return Outcome(REJECTED, judge.messages)
    stamp = naive(now)
    for table, found in writes.items():
        keys = [c for c in table.primary_key.columns if c.name != "realm"]
        for key, values in found:
            condition = and_(table.c.realm == realm, *[c == key[c.name] for c in keys])
            conn.execute(delete(table).where(condition))
            if values is not None:
                conn.execute(
                    insert(table).values(realm=realm, **key, **values, submitted_at=stamp, submitted_by=user)
                )
    return Outcome(WARNED if judge.messages else ACCEPTED, judge.messages)


Write = tuple[dict[str, Any], Values | None]  # (primary key, row values; None deletes)


def _unit_rows(
    judge: _Judge,
    settings: Settings,
    submission: Submission,
    units: dict[str, Asset],
    book: Portfolio,
    refs: dict[tuple[int, int], Values],
    now: datetime,
) -> dict[Any, list[Write]]:
    kind, day, market = submission.kind, submission.day, submission.market
    kinds = {"supplyoffer": ("GENERATOR",), "dardbid": ("DARD",), "scheduledetail": ("GENERATOR", "DARD")}[
        kind
    ]
    offers: list[Write] = []
    schedules: list[Write] = []
    dailies: list[Write] = []
    for item in submission.units:
        unit = _resolve(judge, units, item, kinds)
        if unit is None:
            continue
        name = unit.short_name
        if item.daily:
            if market == "RT":
                judge.error(
                    "E112", "daily parameters are redeclared to the control room, not re-offered", name
                )
            elif (
                item.daily.get("max_daily_energy") is not None
                and item.daily["max_daily_energy"] > unit.eco_max * 25
            ):
                judge.error("E130", "maximum daily energy exceeds what the unit can make in a day", name)
            else:
                dailies.append(
                    ({"asset_id": unit.asset_id, "day": str(day)}, {**_daily(book, unit), **item.daily})
                )
        for begin, given in _hours(judge, item, day, name):
            if market == "RT":
                refusal = timeline.reoffer_refusal(settings, begin, day, now)
                if refusal is not None:
                    judge.error("E111", refusal, name, begin)
                    continue
            if kind == "scheduledetail":
                current = book.schedule(unit, begin).values
                merged = {**current, **given.values}
                _check_limits(judge, unit, merged, begin)
                schedules.append(({"asset_id": unit.asset_id, "begin": naive(begin)}, _schedule_row(merged)))
                continue
            current = book.offer(unit, begin, market).values
            merged = {**current, **given.values}
            if given.segments:
                merged["segments"] = given.segments
            if market == "RT":
                for field_name in set(given.values) - REOFFERABLE:
                    if given.values[field_name] != current.get(field_name):
                        judge.error(
                            "E112",
                            f"{field_name} cannot be re-offered in real time; it is redeclared to the "
                            "control room by phone",
                            name,
                            begin,
                        )
            judge.curve(merged["segments"], settings, name, begin, falling=unit.dard)
            _check_ramps(judge, merged.get("ramp_curve"), name, begin)
            if not unit.dard:
                _check_generator(judge, unit, merged, current, refs, begin, market)
            fields = DARD_FIELDS if unit.dard else OFFER_FIELDS
            row = {f: merged.get(f) for f in fields}
            row.update({f: False for f in ("use_offer_slope", "use_startup_no_load") if row.get(f) is None})
            row["segments"] = json.dumps(merged["segments"])
            row["ramp_curve"] = json.dumps(row["ramp_curve"]) if row.get("ramp_curve") else None
            offers.append(({"asset_id": unit.asset_id, "market": market, "begin": naive(begin)}, row))
    return {offer_hour: offers, schedule_hour: schedules, unit_day: dailies}


def _daily(book: Portfolio, unit: Asset) -> Values:
    return dict(book.dailies.get(unit.asset_id, {}))


def _schedule_row(merged: Values) -> Values:
    return {n: merged.get(n) for n in ("status", "emergency_min", "eco_min", "eco_max", "rthol")}


def _check_limits(judge: _Judge, unit: Asset, merged: Values, begin: datetime) -> None:
    name = unit.short_name
    if unit.dard:
        if merged["eco_min"] > merged["eco_max"]:
            judge.error("E130", "minimum consumption must not exceed maximum consumption", name, begin)
        return
    limits = [merged.get("emergency_min") or 0.0, merged["eco_min"], merged["eco_max"], merged.get("rthol")]
    if limits[3] is None:
        limits[3] = unit.rthol
    if not limits[0] <= limits[1] <= limits[2] <= limits[3]:
        judge.error(
            "E130",
            "limits must satisfy emergency minimum <= economic minimum <= economic maximum <= "
            f"real-time high operating limit (got {' / '.join(f'{x:g}' for x in limits)})",
            name,
            begin,
        )


def _check_generator(
    judge: _Judge,
    unit: Asset,
    merged: Values,
    current: Values,
    refs: dict[tuple[int, int], Values],
    begin: datetime,
    market: str,
) -> None:
    name = unit.short_name
    fpa = merged.get("fuel_price_adjustment")
    if fpa is not None and not fpa_effective(unit, fpa):
        threshold = max(FPA_MULTIPLE * unit.fuel_index, FPA_FLOOR)
        judge.warn(
            "W210",
            f"fuel price adjustment {fpa:g} $/MMBtu does not exceed max(1.1 x index, 2.50) = "
            f"{threshold:g} $/MMBtu (or the unit has no fuel index): reference levels are not adjusted",
            name,
            begin,
        )
    levels = reference(refs, unit, begin, fpa)
    plain = reference(refs, unit, begin, None)
    for cost in COSTS:
        offered = merged.get(cost) or 0.0
        if offered > START_UP_NO_LOAD_LIMIT * levels[cost] + 1e-9:
            judge.error(
                "E140",
                f"{cost} {offered:g} is more than 3 times its reference level {levels[cost]:g}",
                name,
                begin,
            )
        elif market == "RT" and offered > (current.get(cost) or 0.0) + 1e-9 and offered > plain[cost] + 1e-9:
            if not fpa_effective(unit, fpa):
                judge.error(
                    "E141",
                    f"{cost} may rise in real time (from {current.get(cost) or 0:g} to {offered:g}) only "
                    "with a fuel price adjustment, or up to its reference level",
                    name,
                    begin,
                )
            elif offered > FPA_TOLERANCE * levels[cost] + 1e-9:
                judge.error(
                    "E141",
                    f"{cost} {offered:g} is more than 10% above its fuel-price-adjusted reference "
                    f"level {levels[cost]:g}",
                    name,
                    begin,
                )
    blend = merged.get("fuel_blend")
    if blend is not None and not unit.dual_fuel:
        judge.error("E161", f"unit {name!r} is not dual fuel: it has no fuel blend", name, begin)
    elif blend is not None and blend > 100:
        judge.error("E161", f"fuel blend {blend:g}% is more than 100%", name, begin)
    fuel = merged.get("fuel_type")
    if fuel is not None and fuel != unit.fuel_type and not (unit.dual_fuel and fuel in DUAL_FUELS):
        judge.error(
            "E160",
            f"unit {name!r} burns {unit.fuel_type}, not {fuel} (only dual-fuel units switch)",
            name,
            begin,
        )
    if market == "DA":
        _claims(judge, unit, merged, begin)


def _check_ramps(judge: _Judge, pairs: list[tuple[float, float]] | None, name: str, begin: datetime) -> None:
    """Ramp rate/MW pairs (seed 003): at most 10, MW rising from one to the next, rates positive."""
    if not pairs:
        return
    if len(pairs) > MAX_RAMP_PAIRS:
        judge.error("E125", f"{len(pairs)} ramp rate/MW pairs; at most {MAX_RAMP_PAIRS}", name, begin)
        return
    for n, (mw, rate) in enumerate(pairs):
        if rate <= 0 or (n and mw <= pairs[n - 1][0]):
            judge.error(
                "E125", "ramp rate/MW pairs need positive rates and MW rising from pair to pair", name, begin
            )
            return


def _claims(judge: _Judge, unit: Asset, merged: Values, begin: datetime) -> None:
    """The eMarket FAQ's data-inconsistency warnings (warnings, never rejections)."""
    name = unit.short_name
    claim10, claim30 = merged.get("claim10") or 0.0, merged.get("claim30") or 0.0
    for code, offered, capability, claim in (
        ("W200", claim10, unit.claim10_capability, "claim 10"),
        ("W201", claim30, unit.claim30_capability, "claim 30"),
    ):
        if capability <= 0:
            continue  # not a claim 10 (claim 30) resource
        if offered == 0:
            judge.warn(code, f"a {claim} resource offers zero {claim}", name, begin)
        elif offered > capability:
            judge.warn(
                code, f"{claim} {offered:g} exceeds its demonstrated capability {capability:g}", name, begin
            )
    if unit.claim10_capability > 0:
        if 0 < claim10 <= unit.claim10_capability and claim10 > claim30:
            judge.warn("W200", f"claim 10 {claim10:g} exceeds the offered claim 30 {claim30:g}", name, begin)
        start = _minutes(merged.get("cold_startup")) + _minutes(merged.get("cold_notification"))
        if start > 10:
            judge.warn(
                "W202",
                f"claim 10 resource with cold start-up plus notification time of {start} minutes "
                "(over 10): its off-line reserve is not recognised",
                name,
                begin,
            )


# --- demand bids -----------------------------------------------------------------------------------


def demand_bids(
    conn: Connection, realm: str, customer_id: int, day: date
) -> dict[tuple[str, datetime], Values]:
    first, last = _day_range(day)
    t = demand_bid_hour
    rows = conn.execute(
        select(t).where(t.c.realm == realm, t.c.customer_id == customer_id, t.c.begin.between(first, last))
    )
    return {
        (r.bid_id, r.begin.replace(tzinfo=UTC)): {
            "loc_id": r.loc_id,
            "bid_type": r.bid_type,
            "segments": _segments(r.segments),
        }
        for r in rows
    }


def _demand_bids(
    conn: Connection,
    realm: str,
    registry: Registry,
    settings: Settings,
    judge: _Judge,
    customer_id: int,
    submission: Submission,
) -> list[Write]:
    stored = demand_bids(conn, realm, customer_id, submission.day)
    after = dict(stored)
    writes: list[Write] = []
    for item in submission.units:
        name = item.name
        location = registry.location(item.location or 0)
        if location is None or not location.priced:
            judge.error(
                "E170", f"location {item.location} takes no demand bids (not a priced ISO-NE location)", name
            )
            continue
        for begin, given in _hours(judge, item, submission.day, name):
            segments = given.segments or []
            key = (name, begin)
            previous = stored.get(key)
            if previous is not None and (previous["loc_id"], previous["bid_type"]) != (
                location.loc_id,
                item.bid_type,
            ):
                judge.error(
                    "E171",
                    f"bid {name} is a {previous['bid_type']} bid at {previous['loc_id']}; use a new bidId",
                    name,
                    begin,
                )
                continue
            if item.bid_type == "FIXED" and segments and (len(segments) != 1 or segments[0][0] is not None):
                judge.error("E152", "a fixed demand bid is one MW quantity with no price", name, begin)
                continue
            if item.bid_type == "PRICE" and segments:
                judge.curve(segments, settings, name, begin, falling=True)
            row_key = {"customer_id": customer_id, "bid_id": name, "begin": naive(begin)}
            if segments:
                after[key] = {"loc_id": location.loc_id, "bid_type": item.bid_type, "segments": segments}
                row = {"loc_id": location.loc_id, "bid_type": item.bid_type, "segments": json.dumps(segments)}
                writes.append((row_key, row))
            else:  # an hour with no segment withdraws the bid for that hour
                after.pop(key, None)
                writes.append((row_key, None))
    for begin in prices.hours_of(submission.day):
        count = sum(1 for (_, b), v in after.items() if b == begin and v["bid_type"] == "PRICE")
        if count > MAX_PRICE_SENSITIVE_BIDS:
            judge.error(
                "E150",
                f"{count} price-sensitive demand bids for the hour; at most {MAX_PRICE_SENSITIVE_BIDS}",
                None,
                begin,
            )
    return writes
