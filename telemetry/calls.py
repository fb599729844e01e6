"""The observer every graph statement and search call runs under: a span named for the call
(when tracing is on) and its latency and failures in the runtime's metrics. A call is named by
code (`referrals.accept_referral`, `search`), never by its parameters, which are never
recorded: no value of a statement or a search body reaches a label, a span or a log."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from telemetry.metrics import Metrics

__all__ = ["NO_OBSERVER", "CallObserver"]


class CallObserver:
    def __init__(self, metrics: Metrics | None = None, tracer: Tracer | None = None) -> None:
        self.metrics = metrics
        self.tracer = tracer

    @contextlib.contextmanager
    def observe(
        self, system: str, name: str, *, failure: Callable[[Exception], bool] | None = None
    ) -> Iterator[None]:
        """`system`: "graph" or "search"; `name`: the statement or call name. `failure`: which
        exceptions are the engine failing (default: all); others, such as a search engine's
        404 for an alias not made yet, are answers."""
        if self.metrics is None and self.tracer is None:
            yield
            return
        span = (
            self.tracer.start_as_current_span(
                name,
                kind=SpanKind.CLIENT,
                attributes={"hanaro.system": system},
                # An engine's message may quote a parameter: only the exception's type is kept.
                record_exception=False,
                set_status_on_exception=False,
            )
            if self.tracer is not None
            else contextlib.nullcontext(None)
        )
        started = time.perf_counter()
        failed = False
        with span as current:
            try:
                yield
            except Exception as exc:  # a cancelled request is not the engine's failure
                failed = failure is None or failure(exc)
                if failed and current is not None:
                    current.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                raise
            finally:
                if self.metrics is not None:
                    self.metrics.call(system, name, time.perf_counter() - started, failed=failed)


# Engines start with this one (nothing recorded) until a runtime hands them its own.
NO_OBSERVER = CallObserver()
