"""`/metrics`: the runtime's Prometheus registry (requests, errors, graph statements, search
calls: `telemetry/metrics.py`) and the values read from the server's state when scraped — the
search sync's lag, counters and queue depth, open subscriptions, background jobs, engine
restarts. The names the endpoint had before (`hanaro_search_*`, `hanaro_engine_restarts_total`)
are kept. No label holds a person, an institution or a parameter value."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from graph.engine import statement_time_limit
from graph.outbox import pending_count

if TYPE_CHECKING:
    from server.runtime import Runtime

__all__ = ["RuntimeState", "metrics_endpoint"]

log = logging.getLogger("hanaro.metrics")


class RuntimeState(Collector):
    """Values the server keeps anyway, read at each scrape (registered once per runtime, by
    `running`)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        runtime = self.runtime
        m = runtime.sync.metrics
        yield CounterMetricFamily(
            "hanaro_search_sync_applied_events",
            "Resource changes applied to the index.",
            m.applied_events,
        )
        yield CounterMetricFamily(
            "hanaro_search_sync_failed_batches", "Failed sync passes (retried).", m.failed_batches
        )
        yield GaugeMetricFamily(
            "hanaro_search_index_lag_ms",
            "Time from a write to its indexing (last batch).",
            round(m.last_lag_ms, 1),
        )
        yield GaugeMetricFamily(
            "hanaro_search_index_lag_max_ms",
            "Longest time from a write to its indexing since the server started.",
            round(m.max_lag_ms, 1),
        )
        yield GaugeMetricFamily(
            "hanaro_subscriptions_open",
            "Live referralEvents subscriptions.",
            runtime.services.referral_events.open,
        )
        runs = CounterMetricFamily("hanaro_job_runs", "Background job runs.", labels=["job"])
        failures = CounterMetricFamily(
            "hanaro_job_failures", "Background job runs that failed (retried).", labels=["job"]
        )
        success = GaugeMetricFamily(
            "hanaro_job_last_success_timestamp_seconds",
            "When each background job last completed (Unix time).",
            labels=["job"],
        )
        for job in runtime.jobs():
            runs.add_metric([job.name], job.runs)
            failures.add_metric([job.name], job.failures)
            if job.last_success is not None:
                success.add_metric([job.name], job.last_success)
        yield runs
        yield failures
        yield success
        restarts = CounterMetricFamily(
            "hanaro_engine_restarts",
            "Embedded engine processes started again.",
            labels=["engine"],
        )
        for name, child in runtime.supervisor.children.items():
            restarts.add_metric([name], child.state.restarts)
        yield restarts


def metrics_endpoint(runtime: Runtime) -> Callable[[Request], Awaitable[Response]]:
    """The route's handler: counts the outbox's pending markers, then renders the registry."""
    metrics = runtime.telemetry.metrics

    async def endpoint(_: Request) -> Response:
        try:
            with statement_time_limit(2.0):  # a scrape never waits long on a slow graph
                metrics.sync_pending.set(await pending_count(runtime.backends.graph))
        except Exception as exc:  # the graph down: the other values still answer
            log.debug("outbox depth unknown: %s", exc)
            metrics.sync_pending.set(math.nan)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return endpoint
