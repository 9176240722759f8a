"""IBT domain rules: the GET query parameters of 3.2.4, the value restrictions of 3.2.5, and the
POST semantics of 3.2.3/3.2.8 (a changed mapping period gets a new current version).

Filtering and paging are done by the database; everything here runs inside the one transaction the
route opened, so a rule that fails leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection, Integer, String, and_, bindparam, cast, func, or_, select, true, update
from sqlalchemy.sql.elements import ColumnElement

from isosim.core import bounded
from isosim.isone.eastern import format_instant, midnight_utc, month_start, monthly_periods, next_month_start
from isosim.isone.ibt import codec
from isosim.isone.ibt.errors import IbtError, bad_request, not_found
from isosim.isone.ibt.tables import (
    CATEGORIES,
    MARKET_NAMES,
    contract,
    customer,
    mapping_version,
    subaccount_version,
)

DEFAULT_LIMIT = 25
MAX_LIMIT = 1000
# Ids are stored as 64-bit integers; a larger number names nothing (and must not reach the database).
MAX_ID = 2**63 - 1

# --- GET query parameters (3.2.4) ----------------------------------------------------------------


@dataclass(frozen=True)
class MappingQuery:
    start: int = 0
    limit: int = DEFAULT_LIMIT
    contract_id: str | None = None
    reference_id: str | None = None
    subaccount_id: str | None = None
    subaccount_name: str | None = None
    category: str | None = None
    location_id: int | None = None
    party_id: int | None = None
    window: tuple[datetime, datetime] | None = None  # [from, to) in naive UTC


_WILDCARD_DIGITS = re.compile(r"[0-9*%]{1,9}")
_DIGITS = re.compile(r"[0-9]{1,18}")
_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
JAVA_INT_MIN, JAVA_INT_MAX = -(2**31), 2**31 - 1


def parse_query(first: dict[str, str]) -> MappingQuery:
    """`first` maps each parameter to its first value, as JAX-RS's @QueryParam takes it."""
    limit = _number(first, "limit", DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f"limit must be >= 1 and <= {MAX_LIMIT}, not {limit}")
    if "start" in first:
        start = _number(first, "start", 0)
        if start < 0:
            raise bad_request(f"start must be >= 0, not {start}")
    else:
        # ExtJS-style paging: page is 1-based; start, when sent too, is the authority.
        page = _number(first, "page", 1)
        if page < 1:
            raise bad_request(f"page must be >= 1, not {page}")
        start = (page - 1) * limit

    for name, value in first.items():
        if "\x00" in value:  # no id or name holds one, and PostgreSQL cannot even compare it
            raise bad_request(f"{name} must not contain NUL characters")
    contract_id = first.get("contract_id")
    if contract_id is not None and not _WILDCARD_DIGITS.fullmatch(contract_id):
        raise bad_request("contract_id must be 1-9 characters: digits, or digits with * or % wildcards")
    reference_id = first.get("reference_id")
    if reference_id is not None and len(reference_id) > 25:
        raise bad_request("reference_id must be 0-25 characters")
    for name in ("subaccount_id", "subaccount_name"):
        value = first.get(name)
        if value is not None and not 1 <= len(value) <= 100:
            raise bad_request(f"{name} must be 1-100 characters")
    category = first.get("category")
    if category is not None and category not in CATEGORIES:
        raise bad_request(f"category must be one of: {', '.join(CATEGORIES)}")

    return MappingQuery(
        start=start,
        limit=limit,
        contract_id=contract_id,
        reference_id=reference_id,
        subaccount_id=first.get("subaccount_id"),
        subaccount_name=first.get("subaccount_name"),
        category=category,
        location_id=_id(first, "location_id"),
        party_id=_id(first, "party_id"),
        window=_window(first.get("start_date"), first.get("end_date")),
    )


def _number(first: dict[str, str], name: str, default: int) -> int:
    """A Java int, as the service's JAX-RS parameters are: anything else is a 400."""
    value = first.get(name)
    if value is None:
        return default
    found = bounded.integer(value, JAVA_INT_MIN, JAVA_INT_MAX)
    if found is None:
        span = f"from {JAVA_INT_MIN} to {JAVA_INT_MAX}"
        raise bad_request(f"{name} must be a number {span}, not {value[:40]!r}")
    return found


def _id(first: dict[str, str], name: str) -> int | None:
    value = first.get(name)
    if value is None:
        return None
    if not _DIGITS.fullmatch(value):
        raise bad_request(f"{name} must be a number, not {value!r}")
    return int(value)


def _date(name: str, value: str) -> date:
    match = _DATE.fullmatch(value)
    try:
        if not match:
            raise ValueError
        month, day, year = (int(part) for part in match.groups())
        found = date(year, month, day)
        if not bounded.day_in_range(found):
            raise ValueError
        return found
    except ValueError:
        raise bad_request(f"{name} must be a date in mm/dd/yyyy format, not {value!r}") from None


def _window(start_date: str | None, end_date: str | None) -> tuple[datetime, datetime] | None:
    """Eastern days → instants: a lone date is that whole day; both dates, the days between."""
    if start_date is None and end_date is None:
        return None
    first = _date("start_date", start_date) if start_date is not None else None
    last = _date("end_date", end_date) if end_date is not None else None
    first = first or last
    last = last or first
    assert first is not None and last is not None
    if first > last:
        raise bad_request(f"start_date {start_date} is later than end_date {end_date}")
    return midnight_utc(first), midnight_utc(last + timedelta(days=1))


def _pattern(value: str) -> tuple[str, str]:
    """("eq", value) for an exact match, or ("like", pattern) for `*`/`%` wildcards (any run of
    characters); `_` and `\\` stay literal."""
    if "*" not in value and "%" not in value:
        return "eq", value
    return "like", value.replace("\\", "\\\\").replace("_", "\\_").replace("*", "%")


def _match(column: ColumnElement, kind: str, name: str) -> ColumnElement[bool]:
    parameter = bindparam(name)
    return column == parameter if kind == "eq" else column.like(parameter, escape="\\")


def _filters(realm: str, customer_id: int, query: MappingQuery) -> tuple[tuple[tuple[str, str], ...], dict]:  # type: ignore[type-arg]
    """The query's shape (which filters, exact or wildcard) and its values as bound parameters:
    the statements are built once per shape (see _mapping_statements), the values change."""
    shape: list[tuple[str, str]] = []
    params: dict[str, object] = {
        "realm": realm,
        "customer_id": customer_id,
        "limit": query.limit,
        "offset": query.start,
    }
    if query.contract_id is not None:
        if query.contract_id.isdigit():
            shape.append(("contract_id", "eq"))
            params["contract_id"] = int(query.contract_id)
        else:
            shape.append(("contract_id", "like"))
            params["contract_id"] = _pattern(query.contract_id)[1]
    for name in ("reference_id", "subaccount_id", "subaccount_name"):
        value = getattr(query, name)
        if value is not None:
            kind, params[name] = _pattern(value)
            shape.append((name, kind))
    for name in ("category", "location_id", "party_id"):
        value = getattr(query, name)
        if value is not None:
            shape.append((name, "eq"))
            params[name] = value
    if query.window is not None:
        low, high = query.window
        shape.append(("window", ""))
        # A period is at most an Eastern month long, so `end > low` implies `begin > low - 32 days`:
        # said explicitly, it bounds the index range on `begin` from both sides.
        params.update(window_low=low, window_high=high, window_floor=low - _LONGEST_PERIOD)
    return tuple(shape), params


@lru_cache(maxsize=256)
def _mapping_statements(shape: tuple[tuple[str, str], ...]):  # type: ignore[no-untyped-def]
    """(count, page) statements of the collection GET for one filter shape. Composing a statement
    costs more than running it: built once per shape, they are reused with new parameter values."""
    mv, c = mapping_version.c, contract.c
    where: list[ColumnElement[bool]] = [
        mv.realm == bindparam("realm"),
        mv.customer_id == bindparam("customer_id"),
        mv.current == true(),
    ]
    for name, kind in shape:
        if name == "contract_id":
            column = mv.contract_id if kind == "eq" else cast(mv.contract_id, String)
            where.append(_match(column, kind, name))
        elif name == "reference_id":
            where.append(_match(c.reference_id, kind, name))
        elif name == "subaccount_id":
            where.append(_match(mv.subaccount_id, kind, name))
        elif name == "subaccount_name":
            sv = subaccount_version.c
            # The name of the subaccount as it stood when the mapping period began.
            where.append(
                select(sv.subaccount_id)
                .where(
                    sv.realm == mv.realm,
                    sv.customer_id == mv.customer_id,
                    sv.subaccount_id == mv.subaccount_id,
                    sv.begin <= mv.begin,
                    or_(sv.end.is_(None), sv.end > mv.begin),
                    _match(sv.name, kind, name),
                )
                .exists()
            )
        elif name == "category":
            where.append(c.category == bindparam(name))
        elif name == "location_id":
            where.append(c.location_id == bindparam(name))
        elif name == "party_id":
            party = bindparam(name)
            where.append(or_(c.buyer_id == party, c.seller_id == party))
        elif name == "window":
            where.extend(
                [
                    mv.begin < bindparam("window_high"),
                    mv.end > bindparam("window_low"),
                    mv.begin > bindparam("window_floor"),
                ]
            )
    count = select(func.count()).select_from(_VERSION_WITH_CONTRACT).where(*where)
    page = (
        select(*_MAPPING_COLUMNS)
        .select_from(_mapping_join())
        .where(*where)
        .order_by(mv.contract_id, mv.begin)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return count, page


_LONGEST_PERIOD = timedelta(days=32)

# --- reads --------------------------------------------------------------------------------------

_buyer = customer.alias("buyer")
_seller = customer.alias("seller")
_MAPPING_COLUMNS = (
    mapping_version.c.contract_id,
    mapping_version.c.begin,
    mapping_version.c.end,
    mapping_version.c.version,
    mapping_version.c.subaccount_id,
    contract.c.category,
    contract.c.begin.label("contract_begin"),
    contract.c.end.label("contract_end"),
    contract.c.status,
    _buyer.c.name.label("buyer_name"),
    _seller.c.name.label("seller_name"),
)


def _with_parties(source):  # type: ignore[no-untyped-def]
    """`source` (holding ibt_contract) joined to the contract's buyer and seller, for their names."""
    c = contract.c
    return source.join(_buyer, and_(_buyer.c.realm == c.realm, _buyer.c.customer_id == c.buyer_id)).join(
        _seller, and_(_seller.c.realm == c.realm, _seller.c.customer_id == c.seller_id)
    )


_VERSION_WITH_CONTRACT = mapping_version.join(
    contract,
    and_(
        contract.c.realm == mapping_version.c.realm, contract.c.contract_id == mapping_version.c.contract_id
    ),
)


def _mapping_join():  # type: ignore[no-untyped-def]
    return _with_parties(_VERSION_WITH_CONTRACT)


def _mapping(customer_id: int, row) -> codec.Mapping:  # type: ignore[no-untyped-def]
    """A mapping without versions, from a row carrying the contract's columns (_MAPPING_COLUMNS)."""
    return codec.Mapping(
        customer_id=customer_id,
        contract_id=row.contract_id,
        market_name=MARKET_NAMES[row.category],
        buyer_name=row.buyer_name,
        seller_name=row.seller_name,
        contract_begin=row.contract_begin,
        contract_end=row.contract_end,
        status=row.status,
    )


def _group(customer_id: int, rows: Iterable) -> list[codec.Mapping]:  # type: ignore[type-arg]
    """Consecutive rows of one contract become one mapping with its versions in row order."""
    mappings: list[codec.Mapping] = []
    for row in rows:
        if not mappings or mappings[-1].contract_id != row.contract_id:
            mappings.append(_mapping(customer_id, row))
        mappings[-1].versions.append(
            codec.MappingVersion(row.begin, row.end, format_instant(row.version), row.subaccount_id)
        )
    return mappings


# Built once: composing a statement costs more than running it on every GET.
_SUBACCOUNTS = (
    select(
        subaccount_version.c.subaccount_id,
        subaccount_version.c.begin,
        subaccount_version.c.name,
        subaccount_version.c.status,
    )
    .where(
        subaccount_version.c.realm == bindparam("realm"),
        subaccount_version.c.customer_id == bindparam("customer_id"),
    )
    .order_by(subaccount_version.c.subaccount_id, subaccount_version.c.begin)
)


def subaccounts(conn: Connection, realm: str, customer_id: int) -> list[codec.Subaccount]:
    rows = conn.execute(_SUBACCOUNTS, {"realm": realm, "customer_id": customer_id})
    result: dict[str, codec.Subaccount] = {}
    for row in rows:
        result.setdefault(row.subaccount_id, codec.Subaccount(row.subaccount_id)).versions.append(
            codec.SubaccountVersion(row.begin, row.name, row.status)
        )
    # Sorted here, not by the database, so that collation never changes the order between engines.
    return sorted(result.values(), key=lambda s: s.subaccount_id)


def current_mappings(
    conn: Connection, realm: str, customer_id: int, query: MappingQuery
) -> tuple[int, list[codec.Mapping]]:
    """(total matching versions, the requested page of them grouped by contract)."""
    shape, params = _filters(realm, customer_id, query)
    count, page = _mapping_statements(shape)
    total = conn.execute(count, params).scalar_one()
    return total, _group(customer_id, conn.execute(page, params))


def mapping_history(conn: Connection, realm: str, customer_id: int, contract_id: int) -> codec.Mapping:
    mv = mapping_version.c
    rows = []
    if contract_id <= MAX_ID:
        rows = conn.execute(
            select(*_MAPPING_COLUMNS)
            .select_from(_mapping_join())
            .where(mv.realm == realm, mv.customer_id == customer_id, mv.contract_id == contract_id)
            .order_by(mv.begin, mv.id)
        ).all()
    if not rows:
        raise no_mapping(str(contract_id), customer_id)
    return _group(customer_id, rows)[0]


def no_mapping(contract_id: str, customer_id: int) -> IbtError:
    return not_found(
        f"Contract Subaccount Mapping for contract {contract_id} not found for customer {customer_id}"
    )


# --- POST (3.2.3, 3.2.5, 3.2.8) -----------------------------------------------------------------


def apply_mappings(
    conn: Connection,
    realm: str,
    customer_id: int,
    requested: list[codec.Mapping],
    now: Callable[[], datetime],
) -> list[codec.Mapping]:
    """Validate every requested mapping, then make each requested subaccount current.

    `now` is read only once the contracts are locked, so that versions made one after the other
    carry stamps in the same order, whichever request reached the server first.

    Returns the mappings with the current version of each requested mapping period (3.2.9).
    Raises IbtError on the first broken rule; the caller's transaction then stores nothing.
    """
    seen: set[int] = set()
    for mapping in requested:
        if mapping.customer_id != customer_id:
            raise bad_request(
                f"customer_id {mapping.customer_id} of the mapping for contract {mapping.contract_id} "
                f"must be the customer of the URL, {customer_id}"
            )
        if mapping.contract_id in seen:
            raise bad_request(f"contract_id {mapping.contract_id} is repeated in the request body")
        seen.add(mapping.contract_id)

    contracts = _lock_contracts(conn, realm, sorted(seen))
    subaccount_begins = _subaccount_begins(conn, realm, customer_id)
    planned: list[tuple[codec.Mapping, list[tuple[datetime, datetime, str]]]] = []
    for mapping in requested:
        found = contracts.get(mapping.contract_id)
        if found is None or customer_id not in (found.buyer_id, found.seller_id):
            raise bad_request(f"customer {customer_id} is not a party to contract {mapping.contract_id}")
        planned.append((mapping, _check_versions(mapping, found, subaccount_begins)))

    instant = now()
    stamp = instant.replace(microsecond=instant.microsecond // 1000 * 1000, tzinfo=None)
    changed = _make_current(conn, realm, customer_id, planned, stamp)
    stored = []
    for mapping, periods in planned:
        result = _mapping(customer_id, contracts[mapping.contract_id])
        result.versions = [
            codec.MappingVersion(begin, end, format_instant(changed[(mapping.contract_id, begin)]), sub)
            for begin, end, sub in periods
        ]
        stored.append(result)
    return stored


def _lock_contracts(conn: Connection, realm: str, contract_ids: list[int]) -> dict[int, object]:
    """The requested contracts, locked in id order (no deadlock) until the transaction ends, so
    that concurrent POSTs on one contract apply one after the other and none is lost."""
    contract_ids = [i for i in contract_ids if i <= MAX_ID]
    if not contract_ids:
        return {}
    c = contract.c
    rows = conn.execute(
        select(
            c.contract_id,
            c.category,
            c.buyer_id,
            c.seller_id,
            c.begin.label("contract_begin"),
            c.end.label("contract_end"),
            c.status,
            _buyer.c.name.label("buyer_name"),
            _seller.c.name.label("seller_name"),
        )
        .select_from(_with_parties(contract))
        .where(c.realm == realm, c.contract_id.in_(contract_ids))
        .order_by(c.contract_id)
        .with_for_update(of=contract)
    )
    return {row.contract_id: row for row in rows}


def _subaccount_begins(conn: Connection, realm: str, customer_id: int) -> dict[str, datetime]:
    """Each of the customer's subaccounts and the instant it was first defined."""
    sv = subaccount_version.c
    rows = conn.execute(
        select(sv.subaccount_id, func.min(sv.begin))
        .where(sv.realm == realm, sv.customer_id == customer_id)
        .group_by(sv.subaccount_id)
    )
    return {subaccount_id: begin for subaccount_id, begin in rows}


def _check_versions(
    mapping: codec.Mapping,
    found,
    subaccount_begins: dict[str, datetime],  # type: ignore[no-untyped-def]
) -> list[tuple[datetime, datetime, str]]:
    """3.2.5 for each version; returns (begin, end, subaccount_id) of each requested period."""
    contract_id = mapping.contract_id
    periods = dict(monthly_periods(found.contract_begin, found.contract_end))
    months: set[datetime] = set()
    checked = []
    for version in mapping.versions:
        begin = version.begin
        label = f"contract {contract_id} mapping period beginning {format_instant(begin)}"
        # `end` may be left out (3.2.4): it is then the end of the mapping period that begins at `begin`.
        end = (
            version.end
            if version.end is not None
            else periods.get(begin, min(next_month_start(begin), found.contract_end))
        )
        if begin < found.contract_begin:
            raise bad_request(
                f"{label}: begin must not be earlier than the contract begin "
                f"{format_instant(found.contract_begin)}"
            )
        if end > found.contract_end:
            raise bad_request(
                f"{label}: end {format_instant(end)} must not be later than the contract end "
                f"{format_instant(found.contract_end)}"
            )
        if begin >= end:
            raise bad_request(f"{label}: begin must be earlier than end {format_instant(end)}")
        if end > next_month_start(begin):
            raise bad_request(f"{label}: begin and end {format_instant(end)} must belong to a single month")
        month = month_start(begin)
        if month in months:
            raise bad_request(
                f"{label}: the month {month_start(begin):%Y-%m} is repeated for contract {contract_id}"
            )
        months.add(month)
        if periods.get(begin) != end:
            raise bad_request(
                f"{label}: begin and end {format_instant(end)} are not a mapping period of the contract "
                "(its Eastern months, cut at the contract begin and end)"
            )
        defined = subaccount_begins.get(version.subaccount_id)
        if defined is None or defined > begin:
            raise bad_request(
                f"{label}: subaccount_id {version.subaccount_id!r} is not a subaccount of customer "
                f"{mapping.customer_id} defined as of {format_instant(begin)}"
            )
        checked.append((begin, end, version.subaccount_id))
    return checked


def _make_current(
    conn: Connection,
    realm: str,
    customer_id: int,
    planned: list[tuple[codec.Mapping, list[tuple[datetime, datetime, str]]]],
    stamp: datetime,
) -> dict[tuple[int, datetime], datetime]:
    """Insert a new current version for each period whose subaccount changes; returns the version
    stamp now current for every requested (contract, period begin)."""
    mv = mapping_version.c
    contract_ids = [mapping.contract_id for mapping, _ in planned]
    current = {
        (row.contract_id, row.begin): row
        for row in conn.execute(
            select(mv.id, mv.contract_id, mv.begin, mv.version, mv.subaccount_id).where(
                mv.realm == realm,
                mv.customer_id == customer_id,
                mv.contract_id.in_(contract_ids),
                mv.current == true(),
            )
        )
    }
    result: dict[tuple[int, datetime], datetime] = {}
    retired: list[int] = []
    added: list[dict[str, object]] = []
    for mapping, periods in planned:
        for begin, end, subaccount_id in periods:
            key = (mapping.contract_id, begin)
            row = current.get(key)
            if row is not None and row.subaccount_id == subaccount_id:
                result[key] = row.version
                continue
            if row is not None:
                retired.append(row.id)
            added.append(
                {
                    "realm": realm,
                    "customer_id": customer_id,
                    "contract_id": mapping.contract_id,
                    "begin": begin,
                    "end": end,
                    "version": stamp,
                    "subaccount_id": subaccount_id,
                    "current": True,
                }
            )
            result[key] = stamp
    if retired:
        conn.execute(update(mapping_version).where(mv.id.in_(retired)).values(current=False))
    if added:
        conn.execute(mapping_version.insert(), added)
    return result
