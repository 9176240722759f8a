"""When the markets take bids, close and publish, on the simulated clock (Pacific prevailing time).

- Day-ahead (DAM: IFM and RUC): bids for trading day D are taken from seven days ahead until 10:00
  on D-1; results are published at 13:00 on D-1.
- Real time (FMM and RTD): bids for an operating hour close 75 minutes before the hour; results of
  an interval are published once it has ended (CMRI, OASIS), and dispatch instructions are sent
  just before it starts (ADS).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from isosim.caiso.pacific import PACIFIC, Publication, day_bounds, trading_day

DAM_CLOSE = time(10, 0)
RT_CLOSE = timedelta(minutes=75)
BID_HORIZON = timedelta(days=7)  # how far ahead SIBR takes bids


def dam_close(day: date) -> datetime:
    """When the day-ahead market for trading day `day` closes (aware, UTC)."""
    before = day - timedelta(days=1)
    return datetime.combine(before, DAM_CLOSE, tzinfo=PACIFIC).astimezone(UTC)


def hour_start(instant: datetime) -> datetime:
    return instant.replace(minute=0, second=0, microsecond=0)


def bid_close(market: str, start: datetime) -> datetime:
    """When bids for the interval starting at `start` stop being taken: DAM at 10:00 the day before
    its trading day, RTM 75 minutes before its hour."""
    if market == "DAM":
        return dam_close(trading_day(start))
    return hour_start(start) - RT_CLOSE


def bid_open(market: str, start: datetime) -> datetime:
    """The earliest a bid for the interval may be submitted."""
    return day_bounds(trading_day(start))[0] - BID_HORIZON


def run_publication(market: str) -> Publication:
    """When a run's results for an interval are published (CMRI, OASIS)."""
    return Publication.DAY_AHEAD if market == "DAM" else Publication.REAL_TIME
