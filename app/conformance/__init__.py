"""Conformance: how a client of an ISO service behaved, judged from what isosim saw."""
