"""What every emulated service shares: settings, database, XML, identity, clock, packs, state."""
