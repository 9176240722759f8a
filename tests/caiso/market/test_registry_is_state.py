"""The market registry is realm state: a snapshot carries it (and a crafted one is refused before
anything changes), a reset puts it back, and what services report follows it. Here a snapshot moves
a resource to another pricing node: CMRI then prices it at the new node."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from tests.caiso.market.conftest import AFTER_THE_DAY, DAY, PRICES, Market, resources

PACK = "caiso-production"
GAS = "ALAMIT_7_UNIT1"


def snapshot(market: Market) -> dict[str, Any]:
    answer = market.client.get(f"/_isosim/snapshot?pack={PACK}")
    assert answer.status_code == 200
    return answer.json()


def priced_at(market: Market) -> set[Decimal]:
    (record,) = market.retrieve(
        PRICES, DAY, marketType="DAM", executionType="IFM", ResourceList=[{"resource": [GAS]}]
    )
    return {Decimal(p["LMP"][0]) for p in record["TradeIntervalData"]}


def _with(document: dict[str, Any], table: str, change) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    changed = copy.deepcopy(document)
    rows = changed["realms"][PACK]["tables"][table]
    change(rows)
    return changed


def test_a_snapshot_carries_the_registry_and_services_follow_it(market: Market) -> None:
    market.at(AFTER_THE_DAY)
    before = priced_at(market)
    moved = _with(
        snapshot(market),
        "caiso_market_resource",
        lambda rows: next(r for r in rows if r["resource_id"] == GAS).update(pnode="DELTA_2_N001"),
    )
    assert market.client.put("/_isosim/snapshot", json=moved).status_code == 200
    after = priced_at(market)
    assert after != before
    delta = market.oasis_lmp("DELTA_2_N001")
    assert after == {parts["LMP"] for parts in delta.values()}
    assert market.client.post(f"/_isosim/reset?pack={PACK}").status_code == 200
    assert priced_at(market) == before
    assert resources()[GAS]["pnode"] == "ALAMT1G_7_B1"


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("caiso_market_resource", lambda rows: rows[0].update(pmin=500.0)),  # above Pmax
        ("caiso_market_resource", lambda rows: rows[0].update(pnode="NOWHERE")),
        ("caiso_market_resource", lambda rows: rows[0].update(pmax=1e308)),
        ("caiso_market_resource", lambda rows: rows[0].update(ancillary="XX")),
        ("caiso_market_node", lambda rows: rows.append(dict(rows[0]))),  # a node twice
        ("caiso_market_system", lambda rows: rows.clear()),
        ("caiso_market_node", lambda rows: rows.extend(dict(rows[0], node=f"N{n}") for n in range(20_001))),
    ],
    ids=[
        "pmin-above-pmax",
        "unknown-node",
        "huge",
        "unknown-product",
        "repeated-node",
        "no-system",
        "too-many",
    ],
)
def test_a_crafted_registry_is_refused_and_changes_nothing(market: Market, table: str, change) -> None:  # type: ignore[no-untyped-def]
    market.at(AFTER_THE_DAY)
    before = priced_at(market)
    answer = market.client.put("/_isosim/snapshot", json=_with(snapshot(market), table, change))
    assert answer.status_code == 400, answer.text
    assert "caiso_market" in answer.text or "registry" in answer.text
    assert priced_at(market) == before
