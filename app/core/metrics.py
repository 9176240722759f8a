"""Prometheus metrics of one isosim process (GET /_isosim/metrics, with prometheus-client, the
reference client): requests by service, operation, status, pack and tenant, their latency, fault
firings, and, read when scraped, the journal's size and the tenants holding state. Several worker
processes each report their own (sum them in the query)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

# Latency buckets (seconds) from a cached read (about a millisecond) to a slow fault or a large export.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _Levels(Collector):
    """Gauges read when scraped: no bookkeeping on the request path."""

    def __init__(self, journal_size: Callable[[], int], tenants: Callable[[], int]) -> None:
        self._journal_size = journal_size
        self._tenants = tenants

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "isosim_journal_entries", "Requests held in the journal", self._journal_size()
        )
        yield GaugeMetricFamily("isosim_tenants", "Tenants holding state in any pack", self._tenants())


class Metrics:
    def __init__(self, journal_size: Callable[[], int], tenants: Callable[[], int]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ("service", "operation", "status", "pack", "tenant")
        self.requests = Counter("isosim_requests", "Requests answered", labels, registry=self.registry)
        self.latency = Histogram(
            "isosim_request_duration_seconds",
            "Time to answer a request",
            ("service", "pack"),
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.faults = Counter(
            "isosim_fault_firings", "Fault rules fired", ("action", "pack", "tenant"), registry=self.registry
        )
        self.registry.register(_Levels(journal_size, tenants))

    def observe(
        self,
        service: str,
        operation: str | None,
        status: int,
        pack: str,
        tenant: str | None,
        seconds: float,
        fault: str | None,
    ) -> None:
        self.requests.labels(service, operation or "", str(status), pack, tenant or "").inc()
        self.latency.labels(service, pack).observe(seconds)
        if fault is not None:
            self.faults.labels(fault, pack, tenant or "").inc()

    def text(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)
