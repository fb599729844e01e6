"""The Prometheus instruments of one runtime, in a `CollectorRegistry` of its own (never the
process-wide default): several runtimes in one process, as in the tests, each count their own.

Labels hold names from the code or bounded sets only (operation names, error codes, statement
and call names), never a parameter value, a person or an institution."""

from __future__ import annotations

import re

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)

from telemetry.labels import BoundedLabels

__all__ = ["CALL_SYSTEMS", "Metrics"]

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CALL_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
# The systems a `CallObserver` times, with the label that names the call.
CALL_SYSTEMS = {"graph": "statement", "search": "call"}
_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,47}")

# No `*_created` series beside every counter and histogram: they double the output and no
# alert reads them (a process-wide switch of the client, as it has no per-registry one).
disable_created_metrics()


class Metrics:
    def __init__(self, *, operation_cap: int = 200) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.operations = BoundedLabels(operation_cap)
        self.codes = BoundedLabels(64, _CODE)
        self.request_seconds = Histogram(
            "hanaro_graphql_request_duration_seconds",
            "GraphQL requests over HTTP, by operation name and type, from the first byte in "
            "to the last byte out.",
            ["operation", "type"],
            buckets=REQUEST_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "hanaro_graphql_errors",
            "Errors answered to GraphQL requests, by extensions.code (one per error).",
            ["code"],
            registry=self.registry,
        )
        self.sync_pending = Gauge(
            "hanaro_search_sync_pending",
            "Resources written but not yet indexed (pending outbox markers), counted at each "
            "scrape; NaN when the graph did not answer.",
            registry=self.registry,
        )
        self.call_seconds = {
            "graph": Histogram(
                "hanaro_graph_statement_duration_seconds",
                "Graph statements, by statement name (the graph/ function that sent it).",
                ["statement"],
                buckets=CALL_BUCKETS,
                registry=self.registry,
            ),
            "search": Histogram(
                "hanaro_search_call_duration_seconds",
                "Search engine calls, by API name (search, bulk, indices.create, ...).",
                ["call"],
                buckets=CALL_BUCKETS,
                registry=self.registry,
            ),
        }
        self.call_errors = {
            "graph": Counter(
                "hanaro_graph_statement_errors",
                "Graph statements that failed (unreachable, timed out, refused).",
                ["statement"],
                registry=self.registry,
            ),
            "search": Counter(
                "hanaro_search_call_errors",
                "Search engine calls that failed (unreachable, timed out, refused).",
                ["call"],
                registry=self.registry,
            ),
        }

    def request(
        self,
        operation: str | None,
        operation_type: str,
        seconds: float,
        codes: list[str],
        *,
        executed: bool = True,
    ) -> None:
        """One GraphQL request: its latency under its (bounded) operation name, `unknown`
        when it was refused before GraphQL read it, and each of its errors under its code."""
        label = self.operations.label(operation) if executed else "unknown"
        self.request_seconds.labels(label, operation_type).observe(seconds)
        for code in codes:
            self.errors.labels(self.codes.label(code)).inc()

    def call(self, system: str, name: str, seconds: float, *, failed: bool) -> None:
        self.call_seconds[system].labels(name).observe(seconds)
        if failed:
            self.call_errors[system].labels(name).inc()
