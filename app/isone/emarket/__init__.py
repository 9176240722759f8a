"""ISO-NE eMarket: hourly supply offers, re-offers, bids and their rules (seed 003)."""
