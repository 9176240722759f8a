"""The CAISO market every CAISO service reads (README, "The CAISO market"):

- registry.py, tables.py: who takes part and where (resources, contracts, pricing nodes, TAC areas,
  renewable fleets), as realm state;
- system.py: demand, renewables and the rest of the supply stack, cleared into the system's
  marginal price per run and interval; prices.py: every node's LMP and every AS region's price;
- timeline.py: when markets take bids, close and publish; bids.py: SIBR's rules and bid statuses;
  outages.py: OMS's outage lifecycle and availability;
- clearing.py: how a run clears one resource; results.py: each resource's schedules per run and
  trading day, from the inputs as of the run's close.

The services (CMRI, SIBR and OMS through app/caiso/b2b, OASIS, ADS) are wire layers on top.
"""
