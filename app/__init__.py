"""isosim: local simulator of ISO-NE and CAISO market-participant web services."""
