"""Where a B2B dataset follows its application's own rules rather than the generic ones of
models.py: SIBR's bids and trades (bidding window, validation, bid status at market close) and OMS's
resource outages (warnings, lifecycle). The rules themselves are the market's
(app/caiso/market/bids.py, outages.py); this module applies them to B2B records.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from isosim.caiso.market import bids, outages
from isosim.caiso.soap.envelope import SoapFault

if TYPE_CHECKING:
    from isosim.caiso.b2b.models import Name, Record


@dataclass(frozen=True)
class Verdict:
    status: str | None = None  # stored on arrival (None: the dataset's lifecycle decides)
    errors: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # kept with the record (JSON)


@dataclass(frozen=True)
class Stored:
    """What the table holds of a record, for working out its status now."""

    status: str | None
    status_at: datetime | None
    received: datetime
    market: str
    start: datetime
    end: datetime
    extra: dict[str, Any]


class Rules:
    """The generic behaviour: no bidding window, no verdict of its own, the lifecycle by age."""

    invalid_status = ""

    def window(self, market: str, start: datetime, end: datetime, now: datetime) -> str:
        """Why a record for this market and period cannot be submitted or acted on now, or ""."""
        return ""

    def judge(self, item: Record, name: Name, earlier: list[Record], now: datetime) -> Verdict | None:
        return None

    def status(self, stored: Stored, now: datetime) -> str | None:
        return None

    def acted(self, extra: dict[str, Any], now: datetime) -> dict[str, Any]:
        """The record's extra data after an action set one of its fields."""
        return extra

    def shown(self, tree: dict[str, Any], status: str) -> dict[str, Any]:
        """The record's content as retrieves show it in this status."""
        return tree


class TradeRules(Rules):
    """SIBR's trades: taken in the same window as bids."""

    def window(self, market: str, start: datetime, end: datetime, now: datetime) -> str:
        return bids.refusal(market, start, end, now)


class BidRules(TradeRules):
    """SIBR's bids: the bidding window, SIBR's validation and the status lifecycle to market close."""

    def judge(self, item: Record, name: Name, earlier: list[Record], now: datetime) -> Verdict:
        assert name.resource is not None
        try:
            bid = bids.parse(item.tree, item.name, item.market, item.start, item.end)
        except bids.BidError as error:
            raise SoapFault(f"bid for {item.name}: {error}") from None
        verdict = bids.judge(bid, name.resource)
        problems = list(verdict.errors)
        for other in earlier:  # one bid per resource, market, product and interval
            if (
                other.name == item.name
                and other.market == item.market
                and other.start < item.end
                and item.start < other.end
            ):
                mine = {(s.product, s.start) for s in bid.schedules}
                theirs = bids.parse(other.tree, other.name, other.market, other.start, other.end)
                if mine & {(s.product, s.start) for s in theirs.schedules}:
                    problems.append(f"more than one bid for {item.name}, {item.market} and the same interval")
                    verdict = bids.Verdict(bids.INVALID, tuple(problems))
        if verdict.status == bids.VALID:
            return Verdict()
        text = "; ".join(dict.fromkeys(problems))
        return Verdict(verdict.status, text, {"at_close": verdict.at_close} if verdict.at_close else {})

    def status(self, stored: Stored, now: datetime) -> str:
        return bids.status(stored.status, stored.extra.get("at_close", ""), stored.market, stored.start, now)

    def shown(self, tree: dict[str, Any], status: str) -> dict[str, Any]:
        """A modified bid shows as the market clears it: energy prices capped at the soft cap."""
        if status != bids.MODIFIED:
            return tree
        shown = copy.deepcopy(tree)
        for product_bid in shown.get("ProductBid", []):
            kind = ((product_bid.get("MarketProduct") or [{}])[0].get("marketProductType") or [""])[0]
            if kind != bids.ENERGY:
                continue
            for item in product_bid.get("BidSchedule", []):
                for curve in item.get("BidPriceCurve", []):
                    for point in curve.get("CurveSchedData", []):
                        price = float(point["y1AxisData"][0])
                        if price > bids.SOFT_CAP:
                            point["y1AxisData"] = [f"{bids.SOFT_CAP:.2f}"]
        return shown


class OutageRules(Rules):
    """OMS's resource outages: the short-notice warning and the outage lifecycle."""

    def judge(self, item: Record, name: Name, earlier: list[Record], now: datetime) -> Verdict:
        warning = outages.warning(item.start, now)
        return Verdict(extra={"warning": warning} if warning else {})

    def status(self, stored: Stored, now: datetime) -> str:
        pending = outages.pending_until(stored.extra, stored.received)
        return outages.status(
            stored.status, stored.status_at, stored.received, stored.start, stored.end, pending, now
        )

    def acted(self, extra: dict[str, Any], now: datetime) -> dict[str, Any]:
        if not extra.get("warning"):
            return extra
        kept = {k: v for k, v in extra.items() if k != "warning"}
        return {**kept, "acknowledged": now.isoformat()}


RULES: dict[str, Rules] = {"RawBid": BidRules(), "Trade": TradeRules(), "ResourceOutage": OutageRules()}
GENERIC = Rules()


def of(dataset: str) -> Rules:
    return RULES.get(dataset, GENERIC)
