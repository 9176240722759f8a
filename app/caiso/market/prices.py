"""Prices, the one place every service reads them from: the LMP of each pricing node and the
ancillary-service clearing price of each AS region, per market run and interval.

A node's LMP is the system's marginal energy price (MCE, the same at every node), plus congestion
(the system's Path 15/26 congestion times the node's signed weight, which varies a little day by
day), plus marginal losses (a share of the energy price) and, at EIM nodes outside California, the
GHG adder. Components are kept as integers in 1e-5 $/MWh, so that LMP = MCE + MCC + MCL + MGHG
holds exactly as printed, in OASIS and in CMRI alike.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from isosim.caiso.market.registry import Node
from isosim.caiso.market.system import System, system_day

PRICE_SCALE = 5  # decimals of prices
UNIT = 10**PRICE_SCALE


class Components(NamedTuple):
    """One node's price in one interval, in 1e-5 $/MWh."""

    energy: int
    congestion: int
    loss: int
    ghg: int

    @property
    def lmp(self) -> int:
        return self.energy + self.congestion + self.loss + self.ghg


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


class NodeDay:
    """A node's prices in every interval of a run's trading day, kept as compact integer arrays (a
    cache of many node-days stays small); item n is interval n's Components."""

    __slots__ = ("congestion", "energy", "ghg", "loss")

    def __init__(self, energy: array[int], congestion: array[int], loss: array[int], ghg: array[int]) -> None:
        self.energy, self.congestion, self.loss, self.ghg = energy, congestion, loss, ghg

    def __len__(self) -> int:
        return len(self.energy)

    def __getitem__(self, n: int) -> Components:
        return Components(self.energy[n], self.congestion[n], self.loss[n], self.ghg[n])

    def __iter__(self) -> Iterator[Components]:
        return map(Components, self.energy, self.congestion, self.loss, self.ghg)


@lru_cache(maxsize=8192)
def node_day(system: System, node: Node, run: str, day: date) -> NodeDay:
    """The node's price in every interval of the run's trading day."""
    found = system_day(system, day, run)
    weight = node.congestion * _rng(system.seed, "node", node.node, day).gauss(1, 0.15)
    energy, congestion, loss, ghg = array("q"), array("q"), array("q"), array("q")
    for point in found.points:
        mce = round(point.energy * UNIT)
        energy.append(mce)
        congestion.append(round(weight * point.congestion * UNIT))
        loss.append(round(node.loss * mce))
        ghg.append(round(point.ghg * UNIT) if node.ghg else 0)
    return NodeDay(energy, congestion, loss, ghg)


def lmp(system: System, node: Node, run: str, day: date) -> tuple[float, ...]:
    """The node's LMP ($/MWh) in every interval of the run's trading day."""
    return tuple(c.lmp / UNIT for c in node_day(system, node, run, day))


# --- ancillary services ---------------------------------------------------------------------------

AS_TYPES = {  # ANC_TYPE: (OASIS XML_DATA_ITEM, typical $/MW)
    "RU": ("RU_CLR_PRC", 9.0),
    "RD": ("RD_CLR_PRC", 6.5),
    "SR": ("SP_CLR_PRC", 4.0),
    "NR": ("NS_CLR_PRC", 1.1),
    "RMU": ("RMU_CLR_PRC", 0.28),
    "RMD": ("RMD_CLR_PRC", 0.16),
}
AS_REGIONS = ("AS_CAISO", "AS_CAISO_EXP", "AS_NP26", "AS_NP26_EXP", "AS_SP26", "AS_SP26_EXP")
SYSTEM_WIDE = frozenset({"RMU", "RMD"})  # mileage is procured system-wide only
AS_RUNS = {"DAM": "DAM", "HASP": "HASP", "RTPD": "HASP"}  # fifteen-minute AS clear in the HASP
_LEVEL = 45.0  # $/MWh: the energy price at which AS clear at their typical price


def region_of(node: Node) -> str:
    """The AS region whose price a resource at this node is paid: north or south of Path 26."""
    if node.zone in ("NP15", "ZP26"):
        return "AS_NP26"
    if node.zone == "SP15":
        return "AS_SP26"
    return "AS_CAISO"


@lru_cache(maxsize=8192)
def as_day(system: System, region: str, product: str, run: str, day: date) -> tuple[int, ...]:
    """The AS region's clearing price of the product ($/MW, 1e-5) in every interval of the run's
    day. Real-time AS clear in the hour-ahead run (HASP), day-ahead ones in the DAM."""
    found = system_day(system, day, AS_RUNS[run])
    _, typical = AS_TYPES[product]
    # Sub-regions clear at the system price plus, on some days, a regional adder.
    adder = 0.0
    if region.startswith(("AS_NP26", "AS_SP26")):
        adder = max(0.0, _rng(system.seed, "as", region, product, day).gauss(0, 1.2))
    prices = []
    for point in found.points:
        ratio = min(5.0, max(0.0, point.energy / _LEVEL))
        prices.append(round(max(0.0, typical * (0.4 + 0.6 * ratio) + adder) * UNIT))
    return tuple(prices)
