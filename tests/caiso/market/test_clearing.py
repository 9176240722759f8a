"""How the day-ahead and real-time markets clear participants' bids, checked through SIBR (bids), CMRI
(awards) and OASIS (prices): participants are price-takers, a supply curve is awarded every segment
priced at or below the LMP at its node, within Pmin..Pmax and never beyond what it bid; a bid changed
before the close changes the award; tenants with the same bids see the same market."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from tests.caiso.market.conftest import (
    AFTER_THE_DAY,
    AWARDS,
    DAY,
    HOURS,
    PUBLISHED,
    HourBid,
    Market,
    Segment,
    bid_record,
    dam_prices,
    resources,
)

GAS = "ALAMIT_7_UNIT1"  # Pmin 40, Pmax 175, at ALAMT1G_7_B1


def test_a_bid_below_the_clearing_price_is_awarded_and_one_above_is_not(market: Market) -> None:
    node = resources()[GAS]["pnode"]
    prices = dam_prices(market, node)
    # Even hours bid a cent under the hour's LMP, odd hours a cent over: 120 MW in one segment.
    cent = Decimal("0.01")
    under = {h: (p - cent).quantize(cent, ROUND_FLOOR) for h, p in prices.items()}
    over = {h: (p + cent).quantize(cent, ROUND_CEILING) for h, p in prices.items()}
    hours = [HourBid(h, [Segment(120, float(over[h] if n % 2 else under[h]))]) for n, h in enumerate(HOURS)]
    market.bid(bid_record(GAS, hours))
    awarded = market.at(PUBLISHED).awards(GAS)
    for n, start in enumerate(HOURS):
        assert awarded[start] == (Decimal(0) if n % 2 else Decimal(120)), (start, prices[start])


def test_a_two_segment_curve_is_awarded_up_to_its_last_segment_in_the_money(market: Market) -> None:
    prices = dam_prices(market, resources()[GAS]["pnode"])
    hours = [
        HourBid(h, [Segment(60, float(prices[h]) - 10), Segment(150, float(prices[h]) + 10)]) for h in HOURS
    ]
    market.bid(bid_record(GAS, hours))
    awarded = market.at(PUBLISHED)
    assert set(awarded.awards(GAS).values()) == {Decimal(60)}
    assert set(awarded.awards(GAS, kind="MARKET").values()) == {Decimal(60)}
    assert set(awarded.awards(GAS, kind="SELF").values()) == {Decimal(0)}


def test_a_cheaper_bid_is_never_awarded_less_than_a_dearer_one(market: Market) -> None:
    """The same resource and node, the same MW, in two tenants: one bids each price of a ladder
    from -150 to 1,000 $/MWh, the other the next rung up."""
    ladder = [-150, -20, 0, 15, 30, 45, 60, 90, 150, 400, 1000]
    cheap, dear = Market(market.client, "cheap").at(market.now), Market(market.client, "dear").at(market.now)
    for n, hour in enumerate(HOURS[: len(ladder) - 1]):
        cheap.bid(bid_record(GAS, [HourBid(hour, [Segment(100, ladder[n])])]))
        dear.bid(bid_record(GAS, [HourBid(hour, [Segment(100, ladder[n + 1])])]))
    low, high = cheap.at(PUBLISHED).awards(GAS), dear.at(PUBLISHED).awards(GAS)
    assert all(low[h] >= high[h] for h in HOURS)
    assert any(low[h] > high[h] for h in HOURS) or all(v == 0 for v in low.values())


def test_awards_lie_in_zero_or_pmin_to_pmax_and_never_exceed_the_bid(market: Market) -> None:
    registry = resources()
    bids = {
        GAS: [HourBid(h, [Segment(80, 20), Segment(175, 55)]) for h in HOURS],
        "ETIWND_6_GRPGEN": [HourBid(h, [Segment(70, 35)], self_mw=30) for h in HOURS],
        "MRGT_6_MEF2": [HourBid(h, [Segment(0, 25), Segment(20, 70)]) for h in HOURS],
        "SCEW_2_ALPHLD": [HourBid(h, [Segment(150, 200), Segment(300, 20)]) for h in HOURS],
    }
    market.bid(*(bid_record(r, hours) for r, hours in bids.items()))
    published = market.at(AFTER_THE_DAY)
    for market_type, execution in (("DAM", "IFM"), ("RTM", "RTUC")):
        found = published.retrieve(AWARDS, marketType=market_type, executionType=execution)
        assert found
        for record in found:
            if record["product"] != ["EN"] or record["scheduleType"] != ["CLEARED"]:
                continue
            resource = registry[record["resource"][0]]
            low, high = Decimal(resource["pmin"]), Decimal(resource["pmax"])
            for point in record["TradeIntervalData"]:
                mw = Decimal(point["MW"][0])
                assert mw == 0 or low <= mw <= high, (resource["resource_id"], mw)
                if resource["resource_id"] in bids:
                    offered = [s.mw for s in bids[resource["resource_id"]][0].curve]
                    own = bids[resource["resource_id"]][0].self_mw or 0
                    assert mw <= Decimal(str(max([*offered, own]))), (resource["resource_id"], mw)


def test_cleared_is_self_plus_market_in_every_interval(market: Market) -> None:
    market.bid(bid_record("ETIWND_6_GRPGEN", [HourBid(h, [Segment(90, 30)], self_mw=40) for h in HOURS]))
    published = market.at(PUBLISHED)
    cleared = published.awards("ETIWND_6_GRPGEN")
    own = published.awards("ETIWND_6_GRPGEN", kind="SELF")
    bought = published.awards("ETIWND_6_GRPGEN", kind="MARKET")
    assert all(cleared[h] == own[h] + bought[h] for h in HOURS)
    assert set(own.values()) == {Decimal(40)}  # a self-schedule is taken whatever the price


def test_changing_a_bid_before_the_close_changes_the_award(market: Market) -> None:
    market.bid(bid_record(GAS, [HourBid(h, [Segment(150, -100)]) for h in HOURS]))
    market.bid(bid_record(GAS, [HourBid(h, [Segment(150, 1000)]) for h in HOURS]))  # replaces it
    assert set(market.at(PUBLISHED).awards(GAS).values()) == {Decimal(0)}


def test_two_tenants_with_the_same_bids_get_identical_results(market: Market) -> None:
    rows = [
        bid_record(GAS, [HourBid(h, [Segment(90, 42.5), Segment(175, 61)]) for h in HOURS]),
        bid_record("MRGT_6_MEF2", [HourBid(h, [Segment(0, 30), Segment(20, 65)]) for h in HOURS]),
    ]
    first, second = (
        Market(market.client, "first").at(market.now),
        Market(market.client, "second").at(market.now),
    )
    first.bid(*rows)
    second.bid(*rows)
    for who in (first, second):
        who.at(AFTER_THE_DAY)
    for market_type, execution in (("DAM", "IFM"), ("RTM", "RTUC")):
        mine = first.retrieve(AWARDS, DAY, marketType=market_type, executionType=execution)
        theirs = second.retrieve(AWARDS, DAY, marketType=market_type, executionType=execution)
        assert mine == theirs and mine
    untouched = Market(market.client).at(AFTER_THE_DAY).awards(GAS)
    assert untouched != first.awards(GAS) or set(untouched.values()) == {Decimal(0)}


def test_ancillary_services_are_awarded_when_the_as_price_reaches_the_bid_within_headroom(
    market: Market,
) -> None:
    energy = bid_record(GAS, [HourBid(h, [Segment(150, -100)]) for h in HOURS])  # online at 150 MW all day
    spin = bid_record(GAS, [HourBid(h, [Segment(20, 0)]) for h in HOURS], product="SR")  # any price clears
    non_spin = bid_record(GAS, [HourBid(h, [Segment(20, 250)]) for h in HOURS], product="NR")  # the AS cap
    market.bid(energy, spin, non_spin)
    published = market.at(PUBLISHED)
    assert set(published.awards(GAS, product="SR").values()) == {Decimal(20)}
    assert set(published.awards(GAS, product="SR", kind="MARKET").values()) == {Decimal(20)}
    assert set(published.awards(GAS, product="NR").values()) == {Decimal(0)}


def test_spinning_reserve_is_limited_to_the_headroom_above_the_energy_award(market: Market) -> None:
    market.bid(
        bid_record(GAS, [HourBid(h, [Segment(150, -100)]) for h in HOURS]),
        bid_record(GAS, [HourBid(h, [Segment(40, 0)]) for h in HOURS], product="SR"),
    )
    assert set(market.at(PUBLISHED).awards(GAS, product="SR").values()) == {Decimal(25)}  # 175 - 150


def test_spinning_reserve_needs_the_unit_online(market: Market) -> None:
    market.bid(bid_record(GAS, [HourBid(h, [Segment(40, 0)]) for h in HOURS], product="SR"))
    energy = market.at(PUBLISHED).awards(GAS)
    spin = market.awards(GAS, product="SR")
    assert all(spin[h] == (Decimal(40) if energy[h] > 0 else Decimal(0)) for h in HOURS)
