"""CAISO market-participant services."""
